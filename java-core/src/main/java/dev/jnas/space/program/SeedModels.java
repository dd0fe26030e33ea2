package dev.jnas.space.program;

import java.util.ArrayList;
import java.util.List;

/**
 * The program graphs evolution starts from: CIFAR-style ResNets of basic blocks and a small CNN. Every graph
 * reads one input tensor "image" ([B, C, H, W]) and writes "logits"; each residual block (or conv block) is a
 * {@link Block}.
 */
public final class SeedModels {
    public static final String INPUT = "image";
    public static final String OUTPUT = "logits";

    private SeedModels() {
    }

    /** He et al.'s CIFAR ResNet-20: 3 stages of 3 basic blocks, 16/32/64 channels. */
    public static ProgramGraph resnet20(int classes) {
        return resnet(new int[] {3, 3, 3}, new int[] {16, 32, 64}, classes);
    }

    /** The ResNet-18 shape on CIFAR-sized inputs: 4 stages of 2 basic blocks, 64/128/256/512 channels, 3x3 stem. */
    public static ProgramGraph resnet18(int classes) {
        return resnet(new int[] {2, 2, 2, 2}, new int[] {64, 128, 256, 512}, classes);
    }

    /**
     * A CIFAR-style ResNet: conv 3x3 → BN → ReLU stem at widths[0], then per stage blocksPerStage[s] basic blocks
     * (conv 3x3 → BN → ReLU → conv 3x3 → BN, added to the shortcut, then ReLU) at widths[s], the first block of
     * every stage after the first striding by 2 with a conv 1x1 → BN shortcut; global average pool and a dense head.
     */
    public static ProgramGraph resnet(int[] blocksPerStage, int[] widths, int classes) {
        if (blocksPerStage.length == 0 || blocksPerStage.length != widths.length) {
            throw new IllegalArgumentException("a ResNet needs one width per stage, got " + blocksPerStage.length
                    + " stages and " + widths.length + " widths");
        }
        ProgramGraph.Builder graph = ProgramGraph.builder().input(INPUT);
        String x = graph.add(Op.of(OpType.RELU, "stem.relu", graph.add(Op.of(OpType.BATCH_NORM, "stem.bn",
                graph.add(Op.conv("stem.conv", INPUT, FeatureCount.of(widths[0]), 3, 1))))));
        for (int stage = 0; stage < widths.length; stage++) {
            if (blocksPerStage[stage] < 1) {
                throw new IllegalArgumentException("stage " + stage + " needs at least one block, got "
                        + blocksPerStage[stage]);
            }
            for (int index = 0; index < blocksPerStage[stage]; index++) {
                int stride = stage > 0 && index == 0 ? 2 : 1;
                x = basicBlock(graph, "stage" + (stage + 1) + ".block" + index, x, widths[stage], stride,
                        stride != 1);
            }
        }
        String pooled = graph.add(Op.avgPool("pool", x, 0, 1));
        graph.add(Op.dense(OUTPUT, pooled, FeatureCount.of(classes)));
        return graph.output(OUTPUT).build();
    }

    /** models.SmallCnn as a program: two blocks of conv 3x3 → BN → ReLU → max pool 2 (16, 32), flatten, dense. */
    public static ProgramGraph smallCnn(int classes) {
        ProgramGraph.Builder graph = ProgramGraph.builder().input(INPUT);
        String x = convBlock(graph, "block1", INPUT, 16);
        x = convBlock(graph, "block2", x, 32);
        graph.add(Op.dense(OUTPUT, graph.add(Op.of(OpType.FLATTEN, "flatten", x)), FeatureCount.of(classes)));
        return graph.output(OUTPUT).build();
    }

    private static String basicBlock(ProgramGraph.Builder graph, String name, String x, int width, int stride,
                                     boolean projects) {
        List<String> ops = new ArrayList<>();
        String y = record(ops, graph, Op.conv(name + ".conv1", x, FeatureCount.of(width), 3, stride));
        y = record(ops, graph, Op.of(OpType.BATCH_NORM, name + ".bn1", y));
        y = record(ops, graph, Op.of(OpType.RELU, name + ".relu1", y));
        y = record(ops, graph, Op.conv(name + ".conv2", y, FeatureCount.of(width), 3, 1));
        y = record(ops, graph, Op.of(OpType.BATCH_NORM, name + ".bn2", y));
        String shortcut = x;
        if (projects) {
            shortcut = record(ops, graph, Op.conv(name + ".shortcut.conv", x, FeatureCount.of(width), 1, stride));
            shortcut = record(ops, graph, Op.of(OpType.BATCH_NORM, name + ".shortcut.bn", shortcut));
        }
        String sum = record(ops, graph, Op.of(OpType.ADD, name + ".add", y, shortcut));
        String out = record(ops, graph, Op.of(OpType.RELU, name + ".relu2", sum));
        graph.block(name, ops);
        return out;
    }

    private static String convBlock(ProgramGraph.Builder graph, String name, String x, int width) {
        List<String> ops = new ArrayList<>();
        String y = record(ops, graph, Op.conv(name + ".conv", x, FeatureCount.of(width), 3, 1));
        y = record(ops, graph, Op.of(OpType.BATCH_NORM, name + ".bn", y));
        y = record(ops, graph, Op.of(OpType.RELU, name + ".relu", y));
        y = record(ops, graph, Op.maxPool(name + ".pool", y, 2, 2));
        graph.block(name, ops);
        return y;
    }

    private static String record(List<String> blockOps, ProgramGraph.Builder graph, Op op) {
        blockOps.add(op.name());
        return graph.add(op);
    }
}
