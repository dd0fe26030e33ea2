/**
 * Search spaces: how architectures are written, enumerated and turned into graphs ({@code nb201}, and the
 * others as they come).
 */
package dev.jnas.space;
