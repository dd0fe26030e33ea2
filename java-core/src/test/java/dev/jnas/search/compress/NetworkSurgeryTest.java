package dev.jnas.search.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.ParamRole;
import dev.jnas.bindings.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The surgery is exact: the physically smaller network computes the logits the gated one computes with its pruned
 * switches at 0 (kept switches at arbitrary values of either sign, folded into the weights or kept as switches).
 */
class NetworkSurgeryTest {
    private static final int BATCH = 6;
    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = Engine.open(Backend.CPU);
        engine.setThreads(1);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void lenet5ShrinksToTheSameLogits() {
        surgeryKeepsLogits(CompressibleModel.lenet5(1, 28, 28, 10), 3);
    }

    /** With batch norm in eval mode, its running statistics and γ, β follow their channels. */
    @Test
    void vggSmallShrinksToTheSameLogits() {
        surgeryKeepsLogits(CompressibleModel.vggSmall(1, 28, 28, 10), 4);
    }

    private static void surgeryKeepsLogits(CompressibleModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try (ModelNet gated = ModelNet.compile(engine, model, true, seed);
             Tensor images = engine.tensor(BATCH, model.channels(), model.height(), model.width())) {
            images.fillNormal(seed, 1, 0f, 1f);
            randomizeBuffers(gated.net(), random);
            boolean[][] kept = new boolean[model.unitLayers()][];
            int[] widths = new int[kept.length];
            for (int l = 0; l < kept.length; l++) {
                kept[l] = new boolean[model.width(l)];
                float[] gate = new float[model.width(l)];
                for (int u = 0; u < gate.length; u++) {
                    kept[l][u] = u == 1 || random.nextDouble() < 0.4;  // unit 1 keeps every layer non-empty
                    gate[u] = kept[l][u] ? (float) (random.nextDouble(0.3, 1.7) * (random.nextBoolean() ? 1 : -1)) : 0f;
                    widths[l] += kept[l][u] ? 1 : 0;
                }
                gated.net().writeParam(gated.gateParameter(l), gate);
            }
            float[] expected = logits(gated, images);
            CompressibleModel smallerModel = model.withWidths(widths);
            try (ModelNet folded = ModelNet.compile(engine, smallerModel, false, seed + 1);
                 ModelNet stillGated = ModelNet.compile(engine, smallerModel, true, seed + 1)) {
                NetworkSurgery.copy(gated, kept, true, folded);
                NetworkSurgery.copy(gated, kept, false, stillGated);
                assertClose(expected, logits(folded, images));
                assertClose(expected, logits(stillGated, images));
                assertTrue(folded.parameters() < gated.parameters());
                assertTrue(folded.macs() < gated.macs());
            }
        }
    }

    @Test
    void aTargetOfOtherWidthsOrTheWrongKindIsRefused() {
        CompressibleModel model = CompressibleModel.lenet5(1, 28, 28, 10);
        boolean[][] all = new boolean[model.unitLayers()][];
        for (int l = 0; l < all.length; l++) {
            all[l] = new boolean[model.width(l)];
            java.util.Arrays.fill(all[l], true);
        }
        try (ModelNet gated = ModelNet.compile(engine, model, true, 1);
             ModelNet plain = ModelNet.compile(engine, model, false, 1);
             ModelNet narrower = ModelNet.compile(engine, model.withWidths(new int[] {6, 16, 120, 80}), false, 1)) {
            IllegalArgumentException wrongWidth = assertThrows(IllegalArgumentException.class,
                    () -> NetworkSurgery.copy(gated, all, true, narrower));
            assertTrue(wrongWidth.getMessage().contains("[6, 16, 120, 84]"), wrongWidth.getMessage());
            assertThrows(IllegalArgumentException.class, () -> NetworkSurgery.copy(gated, all, false, plain));
            assertThrows(IllegalArgumentException.class, () -> NetworkSurgery.copy(plain, all, true, plain));
            boolean[][] short1 = all.clone();
            short1[2] = new boolean[7];
            IllegalArgumentException badMask = assertThrows(IllegalArgumentException.class,
                    () -> NetworkSurgery.copy(gated, short1, true, plain));
            assertEquals("layer fc1 has 120 units, its mask 7", badMask.getMessage());
        }
    }

    /** Batch-norm running statistics away from (0, 1), so that eval mode depends on them being copied right. */
    private static void randomizeBuffers(Net net, SplittableRandom random) {
        for (int p = 0; p < net.paramCount(); p++) {
            if (net.paramRole(p) == ParamRole.BN_RUNNING || net.paramRole(p) == ParamRole.BN_WEIGHT
                    || net.paramRole(p) == ParamRole.BN_BIAS) {
                float[] values = new float[(int) net.paramNumel(p)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextDouble(0.5, 1.5);
                }
                net.writeParam(p, values);
            }
        }
    }

    private static float[] logits(ModelNet model, Tensor images) {
        model.net().setTrain(false);
        model.net().bindInput(model.input(), images);
        try (Tensor out = model.net().forward()) {
            return out.read();
        }
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (float value : expected) {
            scale = Math.max(scale, Math.abs(value));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * scale + 1e-6, "logit " + i);
        }
    }
}
