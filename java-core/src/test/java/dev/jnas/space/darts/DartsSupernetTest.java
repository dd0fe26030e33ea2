package dev.jnas.space.darts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.search.tenas.OpMask;
import dev.jnas.search.tenas.PruningSpace;
import dev.jnas.search.tenas.SupernetKind;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DartsSupernetTest {
    private static final int BATCH = 3;
    private static final int CLASSES = 10;
    private static final long SEED = 5;

    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /** With every op of every edge active (weight 1/7), logits are finite, [B, 10], and differ between samples. */
    @ParameterizedTest
    @EnumSource(SupernetKind.class)
    void everySupernetRunsForward(SupernetKind kind) {
        Compiled supernet = compile(kind);
        writeAlphas(supernet.net(), OpMask.full(2, 14, 7));
        assertArrayEquals(new long[] {BATCH, CLASSES}, supernet.net().outputShape(BATCH));
        float[] logits = logits(supernet, kind);
        assertEquals(BATCH * CLASSES, logits.length);
        for (float logit : logits) {
            assertTrue(Float.isFinite(logit), Arrays.toString(logits));
        }
        assertFalse(Arrays.equals(sample(logits, 0), sample(logits, 1)), "the logits must depend on the input");
    }

    /**
     * Trainable scalars of the κ supernet (conv and linear weights, BN gammas and betas, the linear bias):
     * stem conv 3→1 3x3 = 27, BN 2: 29.
     * Cell 0 (normal, C = 1): preprocess0 and preprocess1 ReLUConvBN 1→1 = 1 + 2 each: 6; each edge: sep_conv_3x3
     * 2 × (dw 9 + pw 1 + BN 2) = 24, sep_conv_5x5 2 × (25 + 1 + 2) = 56, dil_conv_3x3 12, dil_conv_5x5 28,
     * skip and pools 0: 120, × 14 edges = 1680; cell 1686.
     * Cell 1 (reduce, C = 2; s0 = stem, 1 channel; s1 = cell 0, 4 channels): preprocess0 1→2 = 2 + 4 = 6,
     * preprocess1 4→2 = 8 + 4 = 12; each edge: sep_conv_3x3 2 × (dw 18 + pw 4 + BN 4) = 52, sep_conv_5x5
     * 2 × (50 + 4 + 4) = 116, dil_conv_3x3 26, dil_conv_5x5 58: 252, × 14 = 3528; the 8 stride-2 edges from the
     * inputs add a FactorizedReduce for skip_connect: convs 2→1 twice = 4, BN 4: 8 × 8 = 64; cell 3610.
     * Head: BN(8) 16, linear 8→10 80 + 10: 106.
     * Total 29 + 1686 + 3610 + 106 = 5431. Plus 2 × 14 non-trainable mixing weights of 7 values.
     */
    @Test
    void kappaSupernetHasTheHandCountedParameters() {
        Net net = compile(SupernetKind.KAPPA).net();
        long trainable = 0;
        int alphas = 0;
        for (int slot = 0; slot < net.paramCount(); slot++) {
            if (net.isTrainable(slot)) {
                trainable += net.paramNumel(slot);
            }
            if (net.paramName(slot).startsWith("arch.")) {
                alphas++;
                assertFalse(net.isTrainable(slot));
                assertArrayEquals(new long[] {7}, net.paramShape(slot));
            }
        }
        assertEquals(5431, trainable);
        assertEquals(28, alphas);
    }

    @Test
    void namesParametersByCellEdgeAndOp() {
        Net net = compile(SupernetKind.KAPPA).net();
        assertShape(net, "stem.conv.weight", 1, 3, 3, 3);
        assertShape(net, "cell0.preprocess0.conv.weight", 1, 1, 1, 1);
        assertShape(net, "cell0.edge13.dil_conv_5x5.dw.weight", 1, 1, 5, 5);
        assertShape(net, "cell1.preprocess1.conv.weight", 2, 4, 1, 1);
        assertShape(net, "cell1.edge3.sep_conv_3x3.sep0.dw.weight", 2, 1, 3, 3);
        assertShape(net, "cell1.edge3.sep_conv_3x3.sep1.pw.weight", 2, 2, 1, 1);
        assertShape(net, "cell1.edge0.skip_connect.conv0.weight", 1, 2, 1, 1);
        assertShape(net, "cell1.edge0.skip_connect.bn.weight", 2);
        assertShape(net, "head.bn.weight", 8);
        assertShape(net, "head.linear.weight", CLASSES, 8);
        assertShape(net, PruningSpace.alphaName("reduce", 13), 7);
    }

    /**
     * Mixing weights start at zero, so no branch runs: every cell outputs zeros, the head's BN gives its beta
     * (0) and every sample's logits are the classifier's bias.
     */
    @Test
    void zeroAlphasMakeEveryCellOutputZeros() {
        for (SupernetKind kind : SupernetKind.values()) {
            Compiled supernet = compile(kind);
            float[] bias = supernet.net().readParam(supernet.net().findParam("head.linear.bias"));
            float[] logits = logits(supernet, kind);
            for (int sample = 0; sample < BATCH; sample++) {
                assertArrayEquals(bias, sample(logits, sample), kind.name());
            }
        }
    }

    /**
     * A normal cell with only edge 2&lt;-0 active (skip_connect): node 2 is the preprocessed s0 and nodes 3..5
     * are exactly zero, since each of their edges has all-zero weights.
     */
    @Test
    void edgesWithZeroAlphaContributeNothing() {
        try (GraphBuilder graph = GraphBuilder.create()) {
            int x = graph.input(2, 4, 4);
            int[] alphas = IntStream.range(0, 14)
                    .map(edge -> graph.param("alpha" + edge, new long[] {7}, Init.ZEROS, false))
                    .toArray();
            int cell = new DartsCell(2, false, false).build(graph, "cell", alphas, x, x);
            assertArrayEquals(new long[] {8, 4, 4}, graph.nodeShape(cell));
            Net net = Net.compile(engine, graph, cell, Init.PYTORCH_DEFAULT, SEED);
            net.writeParam(net.findParam("alpha0"), new float[] {1, 0, 0, 0, 0, 0, 0});
            Tensor input = engine.tensor(BATCH, 2, 4, 4);
            input.fillNormal(SEED, 0, 0f, 1f);
            net.bindInput(x, input);
            float[] out = net.forward().read();
            int perNode = 2 * 4 * 4;
            for (int sample = 0; sample < BATCH; sample++) {
                int start = sample * 4 * perNode;
                float[] node2 = Arrays.copyOfRange(out, start, start + perNode);
                assertNotEquals(0f, (float) IntStream.range(0, perNode).mapToDouble(i -> Math.abs(node2[i])).sum());
                float[] nodes3to5 = Arrays.copyOfRange(out, start + perNode, start + 4 * perNode);
                assertArrayEquals(new float[3 * perNode], nodes3to5);
            }
        }
    }

    /** After a reduction cell, s0 has twice the resolution; FactorizedReduce halves it, split 1 + 2 for C = 3. */
    @Test
    void cellAfterAReductionReducesItsFirstInput() {
        try (GraphBuilder graph = GraphBuilder.create()) {
            int s0 = graph.input(3, 8, 8);
            int s1 = graph.input(5, 4, 4);
            int[] alphas = IntStream.range(0, 14)
                    .map(edge -> graph.param("alpha" + edge, new long[] {7}, Init.ZEROS, false))
                    .toArray();
            int cell = new DartsCell(3, false, true).build(graph, "cell", alphas, s0, s1);
            assertArrayEquals(new long[] {12, 4, 4}, graph.nodeShape(cell));
            Net net = Net.compile(engine, graph, cell, Init.PYTORCH_DEFAULT, SEED);
            assertShape(net, "cell.preprocess0.conv0.weight", 1, 3, 1, 1);
            assertShape(net, "cell.preprocess0.conv1.weight", 2, 3, 1, 1);
            assertShape(net, "cell.preprocess1.conv.weight", 3, 5, 1, 1);
        }
    }

    /** The κ network's NTK (the search's measurement) through every op, FactorizedReduce's shift included. */
    @Test
    void kappaSupernetHasAFiniteNtk() {
        Compiled supernet = compile(SupernetKind.KAPPA);
        writeAlphas(supernet.net(), OpMask.full(2, 14, 7));
        bindInput(supernet, SupernetKind.KAPPA);
        float[] theta = supernet.net().ntk(BnCoupling.EXACT).read();
        for (int i = 0; i < BATCH; i++) {
            assertTrue(theta[i * BATCH + i] > 0, Arrays.toString(theta));
            for (int j = 0; j < BATCH; j++) {
                assertTrue(Float.isFinite(theta[i * BATCH + j]));
                assertEquals(theta[i * BATCH + j], theta[j * BATCH + i], 1e-4f * theta[i * BATCH + i]);
            }
        }
    }

    private record Compiled(Net net, ModelGraph model) {
    }

    /** The engine closes the net. */
    private Compiled compile(SupernetKind kind) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = DartsSpace.cifar().buildSupernet(graph, kind, CLASSES);
            return new Compiled(Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, SEED), model);
        }
    }

    /** Each edge's mixing weights as the search writes them. */
    private static void writeAlphas(Net net, OpMask mask) {
        for (int type = 0; type < mask.cellTypes(); type++) {
            for (int edge = 0; edge < mask.edges(); edge++) {
                String name = PruningSpace.alphaName(DartsSpace.CELL_TYPES.get(type), edge);
                net.writeParam(net.findParam(name), mask.weights(type, edge));
            }
        }
    }

    private void bindInput(Compiled supernet, SupernetKind kind) {
        Tensor input = engine.tensor(BATCH, kind.channels(), kind.size(), kind.size());
        input.fillNormal(SEED, 0, 0f, 1f);
        supernet.net().bindInput(supernet.model().input(), input);
    }

    /** Logits of a fixed random batch with batch-statistics BN. */
    private float[] logits(Compiled supernet, SupernetKind kind) {
        bindInput(supernet, kind);
        return supernet.net().forward().read();
    }

    private static float[] sample(float[] logits, int sample) {
        return Arrays.copyOfRange(logits, sample * CLASSES, (sample + 1) * CLASSES);
    }

    private static void assertShape(Net net, String param, long... shape) {
        assertArrayEquals(shape, net.paramShape(net.findParam(param)), param);
    }
}
