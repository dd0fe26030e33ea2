package dev.jnas.search.alphanas.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.search.alphanas.Subgraph;
import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpParams;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SynthesisPiecesTest {

    /** 7 ops without settings, scalar mul, dropout, 5 dense widths, 5 × 2 convs, 2 group norms, 2 × 3 pools. */
    @Test
    void theTestAlphabetHasThirtyTwoOps() {
        assertEquals(32, Alphabet.all().testOps().size());
        List<OpSpec> withoutConvs = Alphabet.all().excluding(EnumSet.of(OpType.CONV, OpType.MAX_POOL)).testOps();
        assertEquals(19, withoutConvs.size());
        assertTrue(withoutConvs.stream().noneMatch(op -> op.type() == OpType.CONV || op.type() == OpType.MAX_POOL));
    }

    @Test
    void alphabetsRejectUnsynthesizableAndEmptySets() {
        assertEquals("ADD is not a synthesizable op; those are " + Alphabet.SYNTHESIZABLE,
                assertThrows(IllegalArgumentException.class, () -> new Alphabet(EnumSet.of(OpType.ADD)))
                        .getMessage());
        assertEquals("an alphabet needs at least one op type", assertThrows(IllegalArgumentException.class,
                () -> Alphabet.all().excluding(Alphabet.SYNTHESIZABLE)).getMessage());
    }

    /** The last conv is rewritten to the required width: by a factor where one fits, else absolutely. */
    @Test
    void theLastConvIsRewrittenToTheRequiredWidth() {
        List<OpSpec> chain = List.of(new OpSpec(OpType.CONV, new OpParams.Conv(FeatureCount.times(2), 3, 1, 1, 1)),
                new OpSpec(OpType.RELU, new OpParams.None()));
        assertEquals(FeatureCount.times(4), convFeatures(task(64).withRequiredFeatures(chain)));
        assertEquals(FeatureCount.of(24), convFeatures(task(24).withRequiredFeatures(chain)));
    }

    /** The properties of x → conv 3x3 → BN → ReLU (16 to outputFeatures channels) as a task. */
    private static SequenceTask task(int outputFeatures) {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        String y = graph.add(Op.conv("conv", "x", FeatureCount.of(outputFeatures), 3, 1));
        y = graph.add(Op.of(OpType.RELU, "relu", graph.add(Op.of(OpType.BATCH_NORM, "bn", y))));
        ProgramGraph built = graph.output(y).build();
        TensorShape input = TensorShape.of(2, 16, 8, 8);
        PropertySet properties = PropertySet.infer(Subgraph.whole(built), ShapeInference.infer(built, input));
        return new SequenceTask("x", input, "relu", properties, 3);
    }

    private static FeatureCount convFeatures(List<OpSpec> chain) {
        return ((OpParams.Conv) chain.get(0).params()).features();
    }

    @Test
    void aSynthesizedChainSatisfiesItsTaskWithFullSettings() {
        SequenceTask task = task(32);
        ProgressiveSynthesizer synthesizer = new ProgressiveSynthesizer(Alphabet.all());
        for (int seed = 0; seed < 10; seed++) {
            List<OpSpec> chain = synthesizer.synthesize(task, new SplittableRandom(seed)).orElseThrow();
            assertEquals(0, task.distanceOf(chain));
            assertTrue(chain.size() >= 1 && chain.size() <= 5, chain.toString());
        }
    }

    @Test
    void theDefaultsAreTheReferencesCifarSettings() {
        assertEquals(new MutationRates(0, 0.5, 0.5), MutationRates.cifar());
        assertEquals(new SubgraphSelector(0.75, 0.8), SubgraphSelector.cifar());
        assertEquals(1, ProgramMutator.DEFAULT_RETRIES);
    }
}
