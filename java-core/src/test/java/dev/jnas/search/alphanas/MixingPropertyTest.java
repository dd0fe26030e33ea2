package dev.jnas.search.alphanas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MixingPropertyTest {

    /** Channels mix fully through the convs; 8 rows are wider than the 5 two 3x3 convs see. */
    @Test
    void convStack() {
        ProgramGraph graph = HandCheckedGraphs.convStack();
        checkAgainstBruteForce(Subgraph.whole(graph), HandCheckedGraphs.CONV_STACK_INPUT,
                Map.of("relu2", Map.of("x", Pairings.parse("1000", "3333", "0020", "0002"))));
    }

    /** The identity shortcut adds nothing the conv path does not already mix. */
    @Test
    void residualBlockKeepingItsShape() {
        ProgramGraph graph = HandCheckedGraphs.tinyResnet();
        checkAgainstBruteForce(Subgraph.ofBlock(graph, "stage1.block1"), HandCheckedGraphs.RESNET_INPUT,
                Map.of("stage1.block1.relu2", Map.of("stage1.block0.relu2",
                        Pairings.parse("1000", "3333", "0020", "0002"))));
    }

    /** Striding by 2: the output's centre row sees input rows 1 to 7 of 8 (the 1x1 shortcut only the even ones). */
    @Test
    void residualBlockDownSampling() {
        ProgramGraph graph = HandCheckedGraphs.tinyResnet();
        checkAgainstBruteForce(Subgraph.ofBlock(graph, "stage2.block0"), HandCheckedGraphs.RESNET_INPUT,
                Map.of("stage2.block0.relu2", Map.of("stage1.block1.relu2",
                        Pairings.parse("1000", "3333", "0020", "0002"))));
    }

    /**
     * Token mixing alone, read from its two inputs: from the normalized tensor every token reaches every output
     * but each channel stays itself; the shortcut from x is one to one.
     */
    @Test
    void mixerTokenMixing() {
        ProgramGraph graph = HandCheckedGraphs.mixerBlock();
        checkAgainstBruteForce(Subgraph.ofOps(graph, List.of("token.mix", "token.gelu", "token.add")),
                HandCheckedGraphs.MIXER_INPUT, Map.of("token.add", Map.of(
                        "token.norm", Pairings.parse("1000", "0100", "3333", "3333"),
                        "x", Pairings.parse("1000", "0100", "0010", "0001"))));
    }

    /** Channel mixing alone: channels mix fully, tokens stay where they are. */
    @Test
    void mixerChannelMixing() {
        ProgramGraph graph = HandCheckedGraphs.mixerBlock();
        checkAgainstBruteForce(Subgraph.ofOps(graph,
                        List.of("channel.norm", "channel.up", "channel.gelu", "channel.down", "channel.add")),
                HandCheckedGraphs.MIXER_INPUT, Map.of("channel.add", Map.of(
                        "token.add", Pairings.parse("1000", "3333", "0010", "0001"))));
    }

    /** The whole block mixes everything but the batch. */
    @Test
    void mixerBlock() {
        checkAgainstBruteForce(Subgraph.whole(HandCheckedGraphs.mixerBlock()), HandCheckedGraphs.MIXER_INPUT,
                Map.of("channel.add", Map.of("x", Pairings.parse("1000", "3333", "3333", "3333"))));
    }

    @Test
    void aTensorOutsideThePathsIsNotReached() {
        ProgramGraph graph = HandCheckedGraphs.mixerBlock();
        Subgraph tokens = Subgraph.ofOps(graph, List.of("token.mix", "token.gelu", "token.add"));
        TensorShapes shapes = ShapeInference.infer(graph, HandCheckedGraphs.MIXER_INPUT);
        assertNull(MixingProperty.infer(tokens, shapes).pairing("token.add", "channel.norm"));
    }

    /** Per pair: the fraction of required entries the candidate maps lower; pairs averaged; a missing pair is 1. */
    @Test
    void distanceCountsWhatTheCandidateMixesLess() {
        MixingProperty required = new MixingProperty(Map.of("y", Map.of(
                "a", Pairings.parse("10", "03"),
                "b", Pairings.parse("12", "00"))));
        MixingProperty less = new MixingProperty(Map.of("y", Map.of(
                "a", Pairings.parse("10", "02"),
                "b", Pairings.parse("12", "00"))));
        MixingProperty more = new MixingProperty(Map.of("y", Map.of(
                "a", Pairings.parse("33", "33"),
                "b", Pairings.parse("23", "10"))));
        MixingProperty onlyA = new MixingProperty(Map.of("y", Map.of("a", Pairings.parse("10", "03"))));
        assertEquals(0, required.distanceFrom(required));
        assertEquals((0.5 + 0) / 2, required.distanceFrom(less), 1e-12);
        assertEquals(0, required.distanceFrom(more));
        assertEquals((0 + 1) / 2.0, required.distanceFrom(onlyA), 1e-12);
        assertEquals(0, onlyA.distanceFrom(required));
        assertTrue(required.satisfiedBy(more));
        assertFalse(required.satisfiedBy(less));
        assertTrue(less.satisfiedBy(required));
    }

    @Test
    void mutationDropsRequirements() {
        MixingProperty required = MixingProperty.infer(Subgraph.ofOps(HandCheckedGraphs.mixerBlock(),
                        List.of("token.mix", "token.gelu", "token.add")),
                ShapeInference.infer(HandCheckedGraphs.mixerBlock(), HandCheckedGraphs.MIXER_INPUT));
        assertEquals(required, required.mutate(0, new Random(1)));
        MixingProperty none = required.mutate(1, new Random(1));
        assertEquals(Map.of("token.add", Map.of()), none.pairings());
        assertEquals(required.mutate(0.5, new Random(7)), required.mutate(0.5, new Random(7)));
        int kept = 0;
        Random random = new Random(11);
        for (int draw = 0; draw < 2000; draw++) {
            kept += required.mutate(0.25, random).pairings().get("token.add").size();
        }
        assertEquals(0.75 * 2 * 2000, kept, 80, "each of the 2 pairs survives with probability 0.75");
    }

    private static void checkAgainstBruteForce(Subgraph subgraph, TensorShape input,
                                               Map<String, Map<String, Pairing>> expected) {
        TensorShapes shapes = ShapeInference.infer(subgraph.graph(), input);
        MixingProperty mixing = MixingProperty.infer(subgraph, shapes);
        assertEquals(expected, mixing.pairings());
        for (String output : subgraph.outputs()) {
            for (String in : subgraph.inputs()) {
                assertEquals(ConcreteMixing.measure(subgraph, shapes, in, output, 3), mixing.pairing(output, in),
                        in + " to " + output);
            }
        }
    }
}
