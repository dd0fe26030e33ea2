/**
 * αNAS's program graphs: networks as DAGs of typed ops over named tensors.
 *
 * <p>{@link dev.jnas.space.program.Op} (typed by {@link dev.jnas.space.program.OpType}, set by
 * {@link dev.jnas.space.program.OpParams}, conv/dense widths by a possibly relative
 * {@link dev.jnas.space.program.FeatureCount}) and {@link dev.jnas.space.program.ProgramGraph} (validated,
 * topologically ordered, with {@link dev.jnas.space.program.Block}s) describe a network;
 * {@link dev.jnas.space.program.ShapeInference} gives every tensor's {@link dev.jnas.space.program.TensorShape};
 * {@link dev.jnas.space.program.SeedModels} holds the ResNets and the small CNN evolution starts from, and
 * {@link dev.jnas.space.program.ProgramLowering} builds a graph into the native engine.
 */
package dev.jnas.space.program;
