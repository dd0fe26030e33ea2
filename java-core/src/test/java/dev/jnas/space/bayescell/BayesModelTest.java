package dev.jnas.space.bayescell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ParameterCount;
import dev.jnas.models.ModelGraph;
import org.junit.jupiter.api.Test;

/** A genotype as a trainable model, and the random control of the same size. */
class BayesModelTest {
    private static final BayesGenotype DERIVED = BayesGenotype.parse("normal = in0_0: dil3+dil5+max+avg+id | "
            + "in1_0: sep3+sep5 | in0_1: avg+id | in1_1: - | in0_2: sep3+max | in1_2: - | in1_3: id | sel_0_3: avg ; "
            + "reduction = in0_0: sep5+id | in1_0: avg | in1_1: max | sel_0_1: - | in1_2: sep3 | sel_0_2: id | "
            + "in1_3: id | sel_0_3: dil3", CellTopology.PUBLIC_CODE_8);

    private static int kept(DerivedCell cell) {
        return cell.topology().edges(cell.type()).stream().mapToInt(edge -> cell.ops(edge).size()).sum();
    }

    @Test
    void aRandomGenotypeKeepsAsManyOpsPerCellTypeAndDependsOnTheSeed() {
        BayesGenotype first = BayesModel.randomLike(DERIVED, new SplittableRandom(1));
        assertEquals(13, kept(DERIVED.normal()));
        assertEquals(kept(DERIVED.normal()), kept(first.normal()));
        assertEquals(kept(DERIVED.reduction()), kept(first.reduction()));
        assertEquals(first.toString(), BayesModel.randomLike(DERIVED, new SplittableRandom(1)).toString());
        assertNotEquals(first.toString(), BayesModel.randomLike(DERIVED, new SplittableRandom(2)).toString());
        assertNotEquals(DERIVED.toString(), first.toString());
    }

    @Test
    void aMatchedControlHasAboutAsManyParametersAsTheReference() {
        try (Engine engine = Engine.open(Backend.CPU)) {
            ToLongFunction<BayesGenotype> parameters = genotype -> ParameterCount.trainable(engine,
                    new BayesModel(genotype, 4), 1, 28, 28, 10);
            long reference = parameters.applyAsLong(DERIVED);
            BayesGenotype matched = BayesModel.randomMatched(DERIVED, parameters, 0.05, new SplittableRandom(3));
            assertEquals(kept(DERIVED.normal()), kept(matched.normal()));
            assertTrue(Math.abs(parameters.applyAsLong(matched) - reference) <= 0.05 * reference,
                    parameters.applyAsLong(matched) + " vs " + reference);
            assertNotEquals(DERIVED.toString(), matched.toString());
            assertThrows(IllegalArgumentException.class,
                    () -> BayesModel.randomMatched(DERIVED, parameters, -1, new SplittableRandom(3)));
        }
    }

    @Test
    void theModelBuildsForAnImageShapeAndRefusesNonSquareImages() {
        BayesModel model = new BayesModel(DERIVED, 4);
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph built = model.build(graph, 1, 28, 28, 10);
            assertEquals(10, graph.nodeShape(built.output())[0]);
            assertTrue(graph.macs(built.output()).conv() > 0);
        }
        try (GraphBuilder graph = GraphBuilder.create()) {
            assertThrows(IllegalArgumentException.class, () -> model.build(graph, 1, 28, 20, 10));
        }
    }
}
