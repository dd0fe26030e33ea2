package dev.jnas.search.alphanas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShapePropertyTest {
    private static final Map<String, TensorShape> INPUT = Map.of("x", TensorShape.of(2, 8, 16, 16));
    private static final ShapeProperty REQUIRED = required(TensorShape.of(2, 8, 8, 8));

    @Test
    void infersTheBoundaryShapesOfABlock() {
        ProgramGraph graph = HandCheckedGraphs.tinyResnet();
        ShapeProperty shapes = ShapeProperty.infer(Subgraph.ofBlock(graph, "stage2.block0"),
                ShapeInference.infer(graph, HandCheckedGraphs.RESNET_INPUT));
        assertEquals(Map.of("stage1.block1.relu2", TensorShape.of(2, 4, 8, 8)), shapes.inputs());
        assertEquals(Map.of("stage2.block0.relu2", TensorShape.of(2, 8, 4, 4)), shapes.outputs());
    }

    @Test
    void exactShapesAreAtDistanceZero() {
        assertEquals(0, REQUIRED.distanceFrom(candidate(TensorShape.of(2, 8, 8, 8))));
        assertTrue(REQUIRED.satisfiedBy(candidate(TensorShape.of(2, 8, 8, 8))));
    }

    /** The fraction of differing dims: channels only, then channels and both spatial dims (still down-sampleable). */
    @Test
    void distanceIsTheFractionOfDifferingDims() {
        assertEquals(0.25, REQUIRED.distanceFrom(candidate(TensorShape.of(2, 16, 8, 8))));
        assertEquals(0.75, REQUIRED.distanceFrom(candidate(TensorShape.of(2, 16, 16, 16))));
        assertFalse(REQUIRED.satisfiedBy(candidate(TensorShape.of(2, 16, 8, 8))));
    }

    @Test
    void anyShapeSqueezesToOne() {
        ShapeProperty pooled = required(TensorShape.of(2, 8, 1, 1));
        assertEquals(0.5, pooled.distanceFrom(candidate(TensorShape.of(2, 8, 5, 7))));
    }

    @Test
    void unreachableShapesAreInfinitelyFar() {
        double inf = Double.POSITIVE_INFINITY;
        assertEquals(inf, REQUIRED.distanceFrom(candidate(TensorShape.of(2, 8, 4, 4))), "super-resolution");
        assertEquals(inf, REQUIRED.distanceFrom(candidate(TensorShape.of(2, 8, 16, 8))), "unequal factors");
        assertEquals(inf, REQUIRED.distanceFrom(candidate(TensorShape.of(2, 8, 12, 12))), "non-integer factor");
        assertEquals(inf, REQUIRED.distanceFrom(candidate(TensorShape.of(2, 512))), "rank");
        assertEquals(inf, REQUIRED.distanceFrom(candidate(TensorShape.of(3, 8, 8, 8))), "batch");
        assertEquals(inf, REQUIRED.distanceFrom(new ShapeProperty(INPUT, Map.of())), "missing output");
        assertEquals(inf, REQUIRED.distanceFrom(new ShapeProperty(Map.of("x", TensorShape.of(2, 8, 32, 32)),
                Map.of("y", TensorShape.of(2, 8, 8, 8)))), "other input");
        assertFalse(REQUIRED.feasibleFor(candidate(TensorShape.of(2, 8, 4, 4))));
        assertTrue(REQUIRED.feasibleFor(candidate(TensorShape.of(2, 4, 16, 16))));
    }

    @Test
    void distanceAveragesOverRequiredOutputs() {
        Map<String, TensorShape> two = new LinkedHashMap<>();
        two.put("y", TensorShape.of(2, 8, 8, 8));
        two.put("z", TensorShape.of(2, 10));
        Map<String, TensorShape> got = new LinkedHashMap<>();
        got.put("y", TensorShape.of(2, 8, 8, 8));
        got.put("z", TensorShape.of(2, 20));
        got.put("extra", TensorShape.of(2, 3));
        assertEquals((0 + 0.5) / 2, new ShapeProperty(INPUT, two).distanceFrom(new ShapeProperty(INPUT, got)));
    }

    @Test
    void mutationDropsOutputShapes() {
        assertEquals(REQUIRED, REQUIRED.mutate(0, new Random(3)));
        ShapeProperty relaxed = REQUIRED.mutate(1, new Random(3));
        assertEquals(Map.of(), relaxed.outputs());
        assertEquals(0, relaxed.distanceFrom(candidate(TensorShape.of(2, 3, 2, 2))));
    }

    private static ShapeProperty required(TensorShape output) {
        return new ShapeProperty(INPUT, Map.of("y", output));
    }

    private static ShapeProperty candidate(TensorShape output) {
        return new ShapeProperty(INPUT, Map.of("y", output));
    }
}
