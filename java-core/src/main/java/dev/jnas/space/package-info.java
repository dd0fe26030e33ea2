/**
 * Search spaces: how architectures are written, enumerated and turned into graphs ({@code nb201}, {@code darts},
 * and the others as they come).
 */
package dev.jnas.space;
