/**
 * SGNAS's generator side (Huang and Chu, CVPR 2021): the architecture generator
 * ({@link dev.jnas.search.sgnas.GeneratorGraph}, {@link dev.jnas.search.sgnas.ArchitectureGenerator}) that turns
 * a prior architecture and a normalised FLOPs target ({@link dev.jnas.search.sgnas.TargetRange}) into logits,
 * the soft Gumbel-softmax that turns logits into mixing weights ({@link dev.jnas.search.sgnas.GumbelSoftmax}),
 * the hardware-constraint loss ({@link dev.jnas.search.sgnas.HardwareConstraintLoss}), the prior pool
 * ({@link dev.jnas.search.sgnas.PriorPool}) and the file a trained net's parameters are kept in
 * ({@link dev.jnas.search.sgnas.ParameterFile}). Architectures are L × 24 maps ({@link
 * dev.jnas.search.sgnas.ArchitectureMap}).
 */
package dev.jnas.search.sgnas;
