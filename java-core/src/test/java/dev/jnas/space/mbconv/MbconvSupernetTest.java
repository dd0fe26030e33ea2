package dev.jnas.space.mbconv;

import static dev.jnas.space.mbconv.MbconvArchitecture.encodingIndex;
import static dev.jnas.space.mbconv.MbconvArchitecture.subBlockOffset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.ParamRole;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MbconvSupernetTest {
    private static final MbconvLayout TINY = FlopsTableTest.TINY;
    private static final float SMOOTHING = 0.1f;

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
    void fullCifarSupernetRunsOnePath() {
        MbconvLayout layout = MbconvLayout.cifar(3, 32, 10);
        NetFixture fixture = NetFixture.supernet(engine, layout, 2);
        Net net = fixture.net();
        assertArrayEquals(new long[] {192, 1, 7, 7}, net.paramShape(net.findParam("layer18.block5.k7.conv.weight")));
        assertArrayEquals(new long[] {16, 16, 1, 1}, net.paramShape(net.findParam("layer0.block0.expand.conv.weight")));
        assertArrayEquals(new long[] {320, 6 * 192, 1, 1},
                net.paramShape(net.findParam("layer18.project.conv.weight")));
        assertArrayEquals(new long[] {4}, net.paramShape(net.findParam(MbconvSupernet.mixingName(18, 5))));
        assertArrayEquals(new long[] {6}, net.paramShape(net.findParam(MbconvSupernet.sbnWeightsName(18))));
        assertArrayEquals(new long[] {10, 1280}, net.paramShape(net.findParam("classifier.weight")));
        SupernetPath.resolve(net, layout).apply(net, PathSampler.random(layout, new SplittableRandom(2)));
        assertFiniteLogits(fixture, 2, 10);
    }

    @Test
    void scaledSupernetRunsOnePath() {
        MbconvLayout layout = MbconvLayout.cifar(1, 28, 10).scaled(0.25, new int[] {1, 2, 1, 1, 1, 1});
        NetFixture fixture = NetFixture.supernet(engine, layout, 2);
        SupernetPath.resolve(fixture.net(), layout).apply(fixture.net(), new PathSampler(layout, 1).next());
        assertFiniteLogits(fixture, 2, 10);
    }

    @Test
    void applyWritesTheMixingWeightsAndTheSwitchableBn() {
        NetFixture fixture = NetFixture.supernet(engine, TINY, 2);
        Net net = fixture.net();
        SupernetPath path = SupernetPath.resolve(net, TINY);
        MbconvArchitecture architecture = MbconvArchitecture.parse("357xxx|3xxxxx|55555x|777777|3x5x7x|5xxxxx", 6);
        path.apply(net, architecture);
        float[] oneHot = architecture.oneHot();
        int[] skipped = {3, 5, 1, 0, 3, 5};
        for (int l = 0; l < 6; l++) {
            for (int b = 0; b < 6; b++) {
                int from = subBlockOffset(l, b);
                assertArrayEquals(Arrays.copyOfRange(oneHot, from, from + 4),
                        net.readParam(net.findParam(MbconvSupernet.mixingName(l, b))), "layer " + l + ", block " + b);
            }
            float[] sbn = new float[6];
            sbn[skipped[l]] = 1;
            assertArrayEquals(sbn, net.readParam(net.findParam(MbconvSupernet.sbnWeightsName(l))), "layer " + l);
        }
    }

    /** Soft skip weights pick BN round(Σ skip), halves to even as Python rounds: 2.5 → 2, 3.5 → 4, 1.375 → 1. */
    @Test
    void softSkipWeightsRoundToTheSwitchableBn() {
        NetFixture fixture = NetFixture.supernet(engine, TINY, 2);
        Net net = fixture.net();
        SupernetPath path = SupernetPath.resolve(net, TINY);
        float[] p = MbconvArchitecture.parse("333333|333333|333333|333333|333333|333333", 6).oneHot();
        float[][] skips = {{0, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, {0, 0.75f, 0.75f, 0.75f, 0.75f, 0.5f},
                {0, 0.125f, 0.25f, 0.5f, 0.5f, 0}};
        int[] expected = {2, 4, 1};
        for (int l = 0; l < skips.length; l++) {
            for (int b = 0; b < 6; b++) {
                p[encodingIndex(l, b, SubBlockChoice.SKIP)] = skips[l][b];
            }
        }
        path.apply(net, p);
        for (int l = 0; l < skips.length; l++) {
            float[] sbn = new float[6];
            sbn[expected[l]] = 1;
            assertArrayEquals(sbn, net.readParam(net.findParam(MbconvSupernet.sbnWeightsName(l))), "layer " + l);
        }
        p[encodingIndex(4, 0, SubBlockChoice.SKIP)] = 0.6f;
        Arrays.fill(p, subBlockOffset(4, 1), subBlockOffset(5, 0), 0);
        for (int b = 1; b < 6; b++) {
            p[encodingIndex(4, b, SubBlockChoice.SKIP)] = 1;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> path.apply(net, p));
        assertTrue(e.getMessage().startsWith("layer 4: the skip weights sum to 5.6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> path.apply(net, new float[24]));
    }

    /**
     * The label-smoothed CE's gradient reaches exactly the mixing weights of the branches that ran: nonzero for
     * each chosen kernel, exactly 0 for skip (its output is zeros) and for the branches at weight 0 (not run).
     */
    @Test
    void mixingGradientsReachOnlyTheChosenKernels() {
        NetFixture fixture = NetFixture.supernet(engine, TINY, 4);
        Net net = fixture.net();
        SupernetPath path = SupernetPath.resolve(net, TINY);
        MbconvArchitecture architecture = new PathSampler(TINY, 3).next();
        path.apply(net, architecture);
        path.setMixingTrainable(net, true);
        net.setTrain(true);
        fixture.lossAndBackward(SMOOTHING);
        float[] gradients = path.readMixingGradients(net);
        for (int l = 0; l < TINY.layerCount(); l++) {
            for (int b = 0; b < MbconvLayout.SUB_BLOCKS; b++) {
                SubBlockChoice chosen = architecture.choice(l, b);
                for (SubBlockChoice choice : SubBlockChoice.values()) {
                    float gradient = gradients[encodingIndex(l, b, choice)];
                    String where = "layer " + l + ", sub-block " + b + ", " + choice + " of " + architecture;
                    if (choice == chosen && choice != SubBlockChoice.SKIP) {
                        assertNotEquals(0f, gradient, where);
                    } else {
                        assertEquals(0f, gradient, where);
                    }
                }
            }
        }
    }

    /**
     * dLoss/dp of chosen kernels against central differences of the loss. The loss is only piecewise smooth in p
     * (ReLU6 kinks) and computed in float, hence the small step and the 10% tolerance; a gradient read from the
     * wrong entry or with the wrong sign still fails. Every probed layer has several active sub-blocks: with one,
     * the switchable BN would cancel the scale p and the derivative would be 0. A layout that keeps 4x4 pixels
     * at the head and a batch of 8 keep batch norm's statistics well conditioned.
     */
    @Test
    void mixingGradientsMatchFiniteDifferences() {
        MbconvLayout layout = MbconvLayout.cifar(1, 32, 10).scaled(0.125, new int[] {1, 1, 1, 1, 1, 1});
        NetFixture fixture = NetFixture.supernet(engine, layout, 8);
        Net net = fixture.net();
        SupernetPath path = SupernetPath.resolve(net, layout);
        float[] p = MbconvArchitecture.parse("357xxx|35xxxx|7x5x3x|3xxxx5|557xxx|73xxxx", 6).oneHot();
        net.setTrain(true);
        path.setMixingTrainable(net, true);
        path.apply(net, p);
        fixture.lossAndBackward(0f);
        float[] gradients = path.readMixingGradients(net);
        int[] probes = {encodingIndex(0, 0, SubBlockChoice.K3), encodingIndex(0, 2, SubBlockChoice.K7),
                encodingIndex(2, 4, SubBlockChoice.K3), encodingIndex(3, 5, SubBlockChoice.K5),
                encodingIndex(5, 1, SubBlockChoice.K3)};
        float h = 1e-3f;
        for (int index : probes) {
            float[] plus = p.clone();
            float[] minus = p.clone();
            plus[index] += h;
            minus[index] -= h;
            path.apply(net, plus);
            double lossPlus = fixture.loss(0f);
            path.apply(net, minus);
            double lossMinus = fixture.loss(0f);
            double difference = (lossPlus - lossMinus) / (plus[index] - minus[index]);
            assertEquals(difference, gradients[index], 1e-3 + 0.1 * Math.abs(difference), "entry " + index);
            assertTrue(Math.abs(gradients[index]) > 1e-2, "entry " + index + " has gradient " + gradients[index]);
        }
    }

    /** Frozen weights keep no gradient yet pass the same dLoss/dp back; unfreezing restores them. */
    @Test
    void freezingWeightsKeepsTheMixingGradients() {
        NetFixture fixture = NetFixture.supernet(engine, TINY, 4);
        Net net = fixture.net();
        SupernetPath path = SupernetPath.resolve(net, TINY);
        path.apply(net, new PathSampler(TINY, 8).next());
        path.setMixingTrainable(net, true);
        net.setTrain(true);
        fixture.lossAndBackward(SMOOTHING);
        float[] unfrozen = path.readMixingGradients(net);
        path.freezeWeights(net);
        int weights = 0;
        for (int index = 0; index < net.paramCount(); index++) {
            ParamRole role = net.paramRole(index);
            if (role != ParamRole.FREE && role != ParamRole.BN_RUNNING) {
                assertFalse(net.isTrainable(index), net.paramName(index));
                weights++;
            }
        }
        assertTrue(weights > 100);
        assertTrue(net.isTrainable(net.findParam(MbconvSupernet.mixingName(0, 0))));
        fixture.lossAndBackward(SMOOTHING);
        assertArrayEquals(unfrozen, path.readMixingGradients(net));
        path.unfreezeWeights(net);
        assertTrue(net.isTrainable(net.findParam("layer3.block2.k5.conv.weight")));
        assertTrue(net.isTrainable(net.findParam("classifier.bias")));
        assertFalse(net.isTrainable(net.findParam(MbconvSupernet.sbnWeightsName(3))));
    }

    @Test
    void readingGradientsNeedsTrainableMixingWeights() {
        NetFixture fixture = NetFixture.supernet(engine, TINY, 2);
        SupernetPath path = SupernetPath.resolve(fixture.net(), TINY);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> path.readMixingGradients(fixture.net()));
        assertTrue(e.getMessage().contains("setMixingTrainable"), e.getMessage());
    }

    /**
     * With the stand-alone model's weights copied from the supernet by name (its sub-block convs carry the
     * supernet's names), the model of an architecture computes what the supernet does on that architecture's path.
     */
    @Test
    void oneHotPathComputesTheStandAloneModel() {
        NetFixture supernet = NetFixture.supernet(engine, TINY, 4);
        SupernetPath path = SupernetPath.resolve(supernet.net(), TINY);
        SplittableRandom random = new SplittableRandom(21);
        for (int trial = 0; trial < 3; trial++) {
            MbconvArchitecture architecture = PathSampler.random(TINY, random);
            path.apply(supernet.net(), architecture);
            NetFixture model = NetFixture.model(engine, TINY, architecture, 4);
            int copied = copySharedParams(supernet.net(), model.net(), architecture);
            assertTrue(copied > 20, "copied " + copied);
            supernet.net().setTrain(true);
            model.net().setTrain(true);
            float[] expected = supernet.logits();
            float[] actual = model.logits();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4f * (1 + Math.abs(expected[i])), architecture + " logit " + i);
            }
        }
    }

    /**
     * Copies every parameter of the model that the supernet has under the same name; a projection gets the
     * supernet projection's input columns of the active sub-blocks. Returns how many were copied.
     */
    private static int copySharedParams(Net supernet, Net model, MbconvArchitecture architecture) {
        int copied = 0;
        for (int index = 0; index < model.paramCount(); index++) {
            String name = model.paramName(index);
            if (name.contains(".project.bn.")) {
                continue;
            }
            float[] values = supernet.readParam(supernet.findParam(name));
            if (name.startsWith("layer") && name.endsWith(".project.conv.weight")) {
                int layer = Integer.parseInt(name.substring("layer".length(), name.indexOf('.')));
                values = activeColumns(values, TINY.layers().get(layer), architecture);
            }
            model.writeParam(index, values);
            copied++;
        }
        return copied;
    }

    /** The columns [out][6·C] of the active sub-blocks' C input channels each, in sub-block order. */
    private static float[] activeColumns(float[] weight, LayerSpec layer, MbconvArchitecture architecture) {
        int c = layer.inChannels();
        int expansion = architecture.expansion(layer.index());
        float[] columns = new float[layer.outChannels() * expansion * c];
        for (int out = 0; out < layer.outChannels(); out++) {
            int column = 0;
            for (int b = 0; b < MbconvLayout.SUB_BLOCKS; b++) {
                if (architecture.choice(layer.index(), b) != SubBlockChoice.SKIP) {
                    int from = (out * MbconvLayout.SUB_BLOCKS + b) * c;
                    System.arraycopy(weight, from, columns, (out * expansion + column) * c, c);
                    column++;
                }
            }
        }
        return columns;
    }

    private static void assertFiniteLogits(NetFixture fixture, int batch, int classes) {
        fixture.net().setTrain(true);
        assertArrayEquals(new long[] {batch, classes}, fixture.net().outputShape(batch));
        float[] logits = fixture.logits();
        assertEquals(batch * classes, logits.length);
        for (float logit : logits) {
            assertTrue(Float.isFinite(logit), Arrays.toString(logits));
        }
        assertFalse(Arrays.equals(Arrays.copyOfRange(logits, 0, classes), Arrays.copyOfRange(logits, classes,
                2 * classes)), "the logits must depend on the input");
    }
}
