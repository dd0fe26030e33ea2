package dev.jnas.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The supernet reduced to one op per edge is the fixed cell: with the same weights, the same logits and the same
 * NTK, because a lone op's mixing weight is exactly 1 and pruned branches are skipped.
 */
class Nb201PruningSpaceTest {
    private static final String CELL = "|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|"
            + "nor_conv_3x3~1|nor_conv_3x3~2|";
    private static final Pattern EDGE_PARAM = Pattern.compile("(layer\\d+\\.edge\\d_\\d)\\.(.*)");
    private static final int BATCH = 6;

    private final Nb201PruningSpace space = new Nb201PruningSpace();
    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void aWiderSkeletonsSupernetHasEveryBranchOfEveryCell() {
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = space.buildSupernet(graph, new Nb201Skeleton(16, 1, 3, true), 3, 32, 10);
            // Stem 16·3·9·32²; per cell 6 edges of conv 1×1 + 3×3, 10·C²·S² each, at (C, S) = (16, 32), (32, 16),
            // (64, 8); per ResNet block conv_a C/2→C 3×3 and conv_b C→C 3×3 at S, shortcut C/2→C 1×1 at S.
            long cells = 3 * 6 * 10L * 16 * 16 * 32 * 32;
            long blocks = (32 * 16 * 9 + 32 * 32 * 9 + 32 * 16) * 16 * 16
                    + (64 * 32 * 9 + 64 * 64 * 9 + 64 * 32) * 8 * 8;
            assertEquals(16 * 3 * 9 * 32 * 32 + cells + blocks, graph.macs(model.output()).conv());
            assertEquals(64 * 10, graph.macs(model.output()).linear());
        }
    }

    @Test
    void aSinglePathSupernetComputesItsCell() {
        Nb201Architecture architecture = Nb201Architecture.parse(CELL);
        OpMask mask = maskOf(architecture);
        assertEquals(CELL, space.describe(mask));
        try (Compiled supernet = compile(gb -> space.buildSupernet(gb, SupernetKind.KAPPA, 10));
             Compiled cell = compile(gb -> new Nb201Network(architecture, Nb201Skeleton.NTK).build(gb, 3, 32, 32, 10));
             Tensor input = engine.tensor(BATCH, 3, 32, 32)) {
            for (int t = 0; t < space.edges(); t++) {
                supernet.net.writeParam(supernet.net.findParam(PruningSpace.alphaName("cell", t)), mask.weights(0, t));
            }
            for (int i = 0; i < cell.net.paramCount(); i++) {
                String name = cell.net.paramName(i);
                cell.net.writeParam(i, supernet.net.readParam(supernet.net.findParam(supernetName(architecture, name))));
            }
            input.fillNormal(3, 0, 0f, 1f);
            supernet.net.bindInput(supernet.model.input(), input);
            cell.net.bindInput(cell.model.input(), input);
            float[] expected;
            try (Tensor logits = cell.net.forward()) {
                expected = logits.read();
            }
            try (Tensor logits = supernet.net.forward()) {
                assertArrayEquals(expected, logits.read(), 0f);
            }
            try (Tensor cellTheta = cell.net.ntk(BnCoupling.FROZEN);
                 Tensor supernetTheta = supernet.net.ntk(BnCoupling.FROZEN)) {
                float[] want = cellTheta.read();
                float[] got = supernetTheta.read();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-5 * Math.abs(want[i]) + 1e-6, "theta[" + i + "]");
                }
            }
        }
    }

    @Test
    void aMaskWithSeveralOpsLeftIsNoArchitecture() {
        assertThrows(IllegalArgumentException.class, () -> space.describe(OpMask.full(1, 6, 4)));
    }

    private OpMask maskOf(Nb201Architecture architecture) {
        OpMask mask = OpMask.full(1, space.edges(), space.ops().size());
        for (int e = 0; e < space.edges(); e++) {
            String keep = architecture.ops().get(e).benchmarkName();
            for (int op = 0; op < space.ops().size(); op++) {
                if (!space.ops().get(op).equals(keep)) {
                    mask = mask.without(0, e, op);
                }
            }
        }
        return mask;
    }

    /** "layer0.edge1_0.conv.weight" of the cell is "layer0.edge1_0.nor_conv_3x3.conv.weight" in the supernet. */
    private static String supernetName(Nb201Architecture architecture, String name) {
        Matcher edge = EDGE_PARAM.matcher(name);
        if (!edge.matches()) {
            return name;
        }
        int target = edge.group(1).charAt(edge.group(1).length() - 3) - '0';
        int source = edge.group(1).charAt(edge.group(1).length() - 1) - '0';
        Nb201Op op = architecture.op(new Nb201Edge(target, source));
        return edge.group(1) + "." + op.benchmarkName() + "." + edge.group(2);
    }

    private interface Build {
        ModelGraph build(GraphBuilder graph);
    }

    private record Compiled(Net net, ModelGraph model) implements AutoCloseable {
        @Override
        public void close() {
            net.close();
        }
    }

    private Compiled compile(Build build) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = build.build(graph);
            return new Compiled(Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, 11), model);
        }
    }
}
