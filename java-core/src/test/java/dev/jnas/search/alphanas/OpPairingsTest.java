package dev.jnas.search.alphanas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every op's written pairing against the brute-force dependence of the op on a tiny input. */
class OpPairingsTest {
    private static final TensorShape IMAGE = TensorShape.of(2, 4, 6, 6);
    private static final TensorShape FEATURES = TensorShape.of(3, 5);

    record Case(String label, Op op, TensorShape shape) {
        @Override
        public String toString() {
            return label + " on " + shape;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("conv 3x3", Op.conv("op", "a", FeatureCount.of(3), 3, 1), IMAGE),
                new Case("conv 3x3 on 3x3", Op.conv("op", "a", FeatureCount.of(3), 3, 1), TensorShape.of(2, 2, 3, 3)),
                new Case("conv 1x1", Op.conv("op", "a", FeatureCount.times(2), 1, 1), IMAGE),
                new Case("conv 1x1 stride 2", Op.conv("op", "a", FeatureCount.same(), 1, 2), IMAGE),
                new Case("conv 3x3 stride 2", Op.conv("op", "a", FeatureCount.same(), 3, 2), IMAGE),
                new Case("conv 3x3 dilation 2", Op.conv("op", "a", FeatureCount.same(), 3, 1, 1, 2), IMAGE),
                new Case("conv 3x3 groups 2", Op.conv("op", "a", FeatureCount.same(), 3, 1, 2, 1), IMAGE),
                new Case("conv depthwise", Op.conv("op", "a", FeatureCount.same(), 3, 1, 4, 1), IMAGE),
                new Case("conv depthwise 7x7", Op.conv("op", "a", FeatureCount.same(), 7, 1, 4, 1),
                        TensorShape.of(2, 4, 4, 4)),
                new Case("dense", Op.dense("op", "a", FeatureCount.of(4)), FEATURES),
                new Case("scalar mul", Op.scalarMul("op", "a", 0.5), IMAGE),
                new Case("relu", Op.of(OpType.RELU, "op", "a"), IMAGE),
                new Case("gelu", Op.of(OpType.GELU, "op", "a"), FEATURES),
                new Case("swish", Op.of(OpType.SWISH, "op", "a"), IMAGE),
                new Case("sigmoid", Op.of(OpType.SIGMOID, "op", "a"), IMAGE),
                new Case("softmax", Op.of(OpType.SOFTMAX, "op", "a"), IMAGE),
                new Case("softmax", Op.of(OpType.SOFTMAX, "op", "a"), FEATURES),
                new Case("batch norm", Op.of(OpType.BATCH_NORM, "op", "a"), IMAGE),
                new Case("layer norm", Op.of(OpType.LAYER_NORM, "op", "a"), IMAGE),
                new Case("layer norm", Op.of(OpType.LAYER_NORM, "op", "a"), FEATURES),
                new Case("group norm 2", Op.groupNorm("op", "a", 2), IMAGE),
                new Case("group norm 1", Op.groupNorm("op", "a", 1), IMAGE),
                new Case("avg pool 2/2", Op.avgPool("op", "a", 2, 2), IMAGE),
                new Case("avg pool 3/1", Op.avgPool("op", "a", 3, 1), IMAGE),
                new Case("avg pool 2/3", Op.avgPool("op", "a", 2, 3), IMAGE),
                new Case("avg pool global", Op.avgPool("op", "a", 0, 1), IMAGE),
                new Case("max pool 3/2", Op.maxPool("op", "a", 3, 2), TensorShape.of(2, 3, 7, 7)),
                new Case("max pool global", Op.maxPool("op", "a", 0, 1), IMAGE),
                new Case("flatten", Op.of(OpType.FLATTEN, "op", "a"), TensorShape.of(2, 3, 4, 5)),
                new Case("dropout", Op.dropout("op", "a", 0.2), IMAGE),
                new Case("identity", Op.of(OpType.IDENTITY, "op", "a"), IMAGE),
                new Case("add", Op.of(OpType.ADD, "op", "a", "b"), IMAGE),
                new Case("mul", Op.of(OpType.MUL, "op", "a", "b"), IMAGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheBruteForceDependence(Case example) {
        Subgraph op = single(example.op());
        TensorShapes shapes = shapesFor(op, example.shape());
        MixingProperty mixing = MixingProperty.infer(op, shapes);
        for (String input : op.inputs()) {
            assertEquals(ConcreteMixing.measure(op, shapes, input, "op", 1), mixing.pairing("op", input), input);
        }
    }

    /** The reference's dense example, and the cross pair the literal definition adds (see Pairing). */
    @Test
    void denseMapsFeaturesAllToOne() {
        Subgraph op = single(Op.dense("op", "a", FeatureCount.of(4)));
        assertEquals(Pairings.parse("10", "33"),
                MixingProperty.infer(op, shapesFor(op, FEATURES)).pairing("op", "a"));
    }

    /** Channels: all to one with one group, many to one in groups of 2, one to one depthwise. */
    @Test
    void convChannelsFollowTheGroupSize() {
        assertEquals(Pairings.parse("1000", "3333", "0020", "0002"), convPairing(1));
        assertEquals(Pairings.parse("1000", "0200", "0020", "0002"), convPairing(2));
        assertEquals(Pairings.parse("1000", "0100", "0020", "0002"), convPairing(4));
    }

    /** A 1x1 conv at stride 2 never reads odd rows and columns: the spatial dims are not paired. */
    @Test
    void strideSkippingPositionsUnpairsSpatialDims() {
        Subgraph op = single(Op.conv("op", "a", FeatureCount.same(), 1, 2));
        assertEquals(Pairings.parse("1000", "3333", "0000", "0000"),
                MixingProperty.infer(op, shapesFor(op, IMAGE)).pairing("op", "a"));
    }

    @Test
    void globalPoolMixesSpaceIntoBatchAndChannels() {
        Subgraph op = single(Op.avgPool("op", "a", 0, 1));
        assertEquals(Pairings.parse("10", "01", "33", "33"),
                MixingProperty.infer(op, shapesFor(op, IMAGE)).pairing("op", "a"));
    }

    private static Pairing convPairing(int groups) {
        Subgraph op = single(Op.conv("op", "a", FeatureCount.same(), 3, 1, groups, 1));
        return MixingProperty.infer(op, shapesFor(op, IMAGE)).pairing("op", "a");
    }

    private static Subgraph single(Op op) {
        ProgramGraph.Builder graph = ProgramGraph.builder();
        op.inputs().forEach(graph::input);
        graph.add(op);
        return Subgraph.whole(graph.output(op.name()).build());
    }

    private static TensorShapes shapesFor(Subgraph op, TensorShape shape) {
        List<String> inputs = op.inputs();
        return ShapeInference.infer(op.graph(), inputs.size() == 1 ? Map.of(inputs.get(0), shape)
                : Map.of(inputs.get(0), shape, inputs.get(1), shape));
    }
}
