/**
 * SGNAS's unified MBConv search space: 19 (or, scaled, fewer) MBConv layers of maximum expansion 6 whose
 * depthwise stage is 6 sub-blocks, each choosing a 3x3, 5x5 or 7x7 kernel or skip.
 *
 * <p>{@link dev.jnas.space.mbconv.MbconvLayout} holds the macro layout,
 * {@link dev.jnas.space.mbconv.MbconvArchitecture} one choice per sub-block,
 * {@link dev.jnas.space.mbconv.FlopsTable} the reference's differentiable FLOPs model,
 * {@link dev.jnas.space.mbconv.MbconvSupernet} with {@link dev.jnas.space.mbconv.SupernetPath} the supernet whose
 * mixing weights select a path, {@link dev.jnas.space.mbconv.MbconvModel} the stand-alone network of one
 * architecture, and {@link dev.jnas.space.mbconv.PathSampler} the fair path sampling of supernet training.
 */
package dev.jnas.space.mbconv;
