package dev.jnas.search.alphanas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.SeedModels;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import org.junit.jupiter.api.Test;

/** The abstract mixing equals the exact Jacobian sparsity of the lowered program on the native engine. */
class JacobianMixingTest {
    private static final int DRAWS = 8;

    @Test
    void convStack() {
        check(HandCheckedGraphs.convStack(), HandCheckedGraphs.CONV_STACK_INPUT, "1000", "3333", "0020", "0002");
    }

    /** Global pool and dense: every input element reaches every logit of its own sample. */
    @Test
    void residualNetwork() {
        check(HandCheckedGraphs.tinyResnet(), HandCheckedGraphs.RESNET_INPUT, "10", "33", "33", "33");
    }

    @Test
    void mixerBlock() {
        check(HandCheckedGraphs.mixerBlock(), HandCheckedGraphs.MIXER_INPUT, "1000", "3333", "3333", "3333");
    }

    /** A max pool's window, a gate (mul) and a softmax over channels, seen through their gradients. */
    @Test
    void pooledGatedSoftmax() {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        graph.add(Op.maxPool("pool", "x", 2, 2));
        graph.add(Op.of(OpType.SIGMOID, "gate", "pool"));
        graph.add(Op.of(OpType.MUL, "gated", "pool", "gate"));
        graph.add(Op.of(OpType.SOFTMAX, "softmax", "gated"));
        graph.add(Op.conv("conv", "softmax", FeatureCount.same(), 1, 1));
        check(graph.output("conv").build(), TensorShape.of(2, 3, 8, 8), "1000", "3333", "0020", "0002");
    }

    @Test
    void refusesNoDraws() {
        try (Engine engine = Engine.open(Backend.CPU)) {
            assertThrows(IllegalArgumentException.class, () -> JacobianMixing.measure(engine,
                    HandCheckedGraphs.convStack(), HandCheckedGraphs.CONV_STACK_INPUT, 0, 1));
        }
    }

    private static void check(ProgramGraph program, TensorShape input, String... expectedRows) {
        String in = program.inputs().get(0);
        String out = program.outputs().get(0);
        Pairing inferred = MixingProperty.infer(Subgraph.whole(program), ShapeInference.infer(program, input))
                .pairing(out, in);
        assertEquals(Pairings.parse(expectedRows), inferred, "abstract");
        try (Engine engine = Engine.open(Backend.CPU)) {
            assertEquals(inferred, JacobianMixing.measure(engine, program, input, DRAWS, 7), "Jacobian");
        }
    }
}
