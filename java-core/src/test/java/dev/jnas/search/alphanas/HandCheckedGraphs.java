package dev.jnas.search.alphanas;

import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.SeedModels;
import dev.jnas.space.program.TensorShape;

/** The graphs the property tests check by hand. */
final class HandCheckedGraphs {
    static final TensorShape CONV_STACK_INPUT = TensorShape.of(2, 3, 8, 8);
    static final TensorShape RESNET_INPUT = TensorShape.of(2, 3, 8, 8);
    static final TensorShape MIXER_INPUT = TensorShape.of(2, 4, 4, 4);

    private HandCheckedGraphs() {
    }

    /** x → conv 3x3 (4) → BN → ReLU → conv 3x3 (×2) → BN → ReLU. */
    static ProgramGraph convStack() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        String y = graph.add(Op.conv("conv1", "x", FeatureCount.of(4), 3, 1));
        y = graph.add(Op.of(OpType.BATCH_NORM, "bn1", y));
        y = graph.add(Op.of(OpType.RELU, "relu1", y));
        y = graph.add(Op.conv("conv2", y, FeatureCount.times(2), 3, 1));
        y = graph.add(Op.of(OpType.BATCH_NORM, "bn2", y));
        y = graph.add(Op.of(OpType.RELU, "relu2", y));
        return graph.output(y).build();
    }

    /** A two-stage ResNet (4 then 8 channels): stage1.block1 keeps its input's shape, stage2.block0 halves it. */
    static ProgramGraph tinyResnet() {
        return SeedModels.resnet(new int[] {2, 1}, new int[] {4, 8}, 10);
    }

    /**
     * An attention-free mixer block without transposes. Token mixing: layer norm, a depthwise 7x7 conv (on 4x4
     * tokens its centre sees every token: a per-channel dense over all positions), GELU, residual add. Channel
     * mixing: layer norm, conv 1x1 ×2, GELU, conv 1x1 ÷2 (dense over channels at each token), residual add.
     */
    static ProgramGraph mixerBlock() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        String y = graph.add(Op.of(OpType.LAYER_NORM, "token.norm", "x"));
        y = graph.add(Op.conv("token.mix", y, FeatureCount.same(), 7, 1, 4, 1));
        y = graph.add(Op.of(OpType.GELU, "token.gelu", y));
        String tokens = graph.add(Op.of(OpType.ADD, "token.add", y, "x"));
        y = graph.add(Op.of(OpType.LAYER_NORM, "channel.norm", tokens));
        y = graph.add(Op.conv("channel.up", y, FeatureCount.times(2), 1, 1));
        y = graph.add(Op.of(OpType.GELU, "channel.gelu", y));
        y = graph.add(Op.conv("channel.down", y, FeatureCount.dividedBy(2), 1, 1));
        String out = graph.add(Op.of(OpType.ADD, "channel.add", y, tokens));
        return graph.output(out).build();
    }
}
