package dev.jnas.search.sgnas;

import static dev.jnas.search.sgnas.ArchitectureMap.COLUMNS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ArchitectureGeneratorTest {
    private static final int LAYERS = 3;
    private static final long SEED = 7;

    private Engine engine;
    private ArchitectureGenerator generator;

    @BeforeEach
    void open() {
        engine = Engine.open(Backend.CPU);
        generator = ArchitectureGenerator.create(engine, LAYERS, SEED);
    }

    @AfterEach
    void close() {
        generator.close();
        engine.close();
    }

    /** The graph's output for a batch of N is [N, 1, L, 24]: one logit map per (prior, constraint) pair. */
    @Test
    void outputIsOneMapPerSample() {
        assertArrayEquals(new long[] {3, 1, LAYERS, COLUMNS}, generator.net().outputShape(3));
        float[][] logits = generator.forward(randomPriors(3), new double[] {0, 0.5, 1});
        assertEquals(3, logits.length);
        for (float[] map : logits) {
            assertEquals(LAYERS * COLUMNS, map.length);
        }
        assertFalse(Arrays.equals(logits[0], logits[2]), "the constraint and prior must matter");
    }

    /**
     * The graph against the reference's structure computed here in double precision, conv by conv (with a
     * non-zero tail bias so that it is checked too): bb_head(prior) + hc_head(constraint), head, body, the
     * residual, then the tail.
     */
    @Test
    void forwardMatchesTheReferenceStructure() {
        Net net = generator.net();
        net.writeParam(net.findParam("tail.bias"), new float[] {0.375f});
        float[] prior = randomPriors(1)[0];
        double constraint = 0.3;
        float[] logits = generator.forward(new float[][] {prior}, new double[] {constraint})[0];
        double[][] constraintMap = new double[GeneratorGraph.CONSTRAINT_CHANNELS][LAYERS * COLUMNS];
        for (double[] channel : constraintMap) {
            Arrays.fill(channel, constraint);
        }
        double[][] priorFeatures = convRelu(convRelu(new double[][] {toDoubles(prior)}, "bb_head.0"), "bb_head.1");
        double[][] constraintFeatures = constraintMap;
        for (int i = 0; i < 3; i++) {
            constraintFeatures = convRelu(constraintFeatures, "hc_head." + i);
        }
        double[][] features = add(priorFeatures, constraintFeatures);
        double[][] body = convRelu(features, "head");
        for (int i = 0; i < 3; i++) {
            body = convRelu(body, "body." + i);
        }
        double[] expected = conv(add(body, features), "tail")[0];
        for (int i = 0; i < expected.length; i++) {
            expected[i] += 0.375;
            assertEquals(expected[i], logits[i], 1e-4 * Math.max(1, Math.abs(expected[i])), "logit " + i);
        }
    }

    /** Bit for bit on the CPU backend: no op of the generator couples the samples of a batch. */
    @Test
    void oneBatchedPassEqualsSeparatePasses() {
        float[][] priors = randomPriors(3);
        double[] constraints = {0.1, 0.45, 0.9};
        float[][] batched = generator.forward(priors, constraints);
        for (int i = 0; i < priors.length; i++) {
            float[] single = generator.forward(new float[][] {priors[i]}, new double[] {constraints[i]})[0];
            assertArrayEquals(single, batched[i], "sample " + i);
        }
    }

    /**
     * Conv weights 3·3·in·out: hc_head 10·32 + 2 · 32·32, bb_head 1·32 + 32·32, head 32·32, body 3 · 32·32, tail
     * 32·1, so 9 · (320 + 2048 + 32 + 1024 + 1024 + 3072 + 32) = 9 · 7552 = 67968, plus the tail's one bias: 67969.
     */
    @Test
    void parametersAreTheHandCountedConvs() {
        Net net = generator.net();
        List<String> names = new ArrayList<>();
        long total = 0;
        for (int index = 0; index < net.paramCount(); index++) {
            names.add(net.paramName(index));
            total += net.paramNumel(index);
            assertTrue(net.isTrainable(index), net.paramName(index));
        }
        assertEquals(List.of("bb_head.0.weight", "bb_head.1.weight", "hc_head.0.weight", "hc_head.1.weight",
                "hc_head.2.weight", "head.weight", "body.0.weight", "body.1.weight", "body.2.weight", "tail.weight",
                "tail.bias"), names);
        assertEquals(67_969, total);
        assertArrayEquals(new long[] {32, 10, 3, 3}, net.paramShape(net.findParam("hc_head.0.weight")));
        assertArrayEquals(new long[] {1, 32, 3, 3}, net.paramShape(net.findParam("tail.weight")));
    }

    /**
     * The reference's init: weights N(0, 2/(3·3·out)), so std √(2/288) for the 32-wide convs and √(2/9) for the
     * tail; each sample mean and std within 5 standard errors. The tail bias starts at exactly 0.
     */
    @Test
    void initialisationHasTheReferenceStatistics() {
        Net net = generator.net();
        for (int index = 0; index < net.paramCount(); index++) {
            String name = net.paramName(index);
            float[] values = net.readParam(index);
            if (name.equals("tail.bias")) {
                assertArrayEquals(new float[] {0}, values);
                continue;
            }
            double sigma = Math.sqrt(2.0 / (9 * net.paramShape(index)[0]));
            double mean = Arrays.stream(toDoubles(values)).average().orElseThrow();
            double std = Math.sqrt(Arrays.stream(toDoubles(values)).map(v -> (v - mean) * (v - mean)).sum()
                    / (values.length - 1));
            int n = values.length;
            assertEquals(0, mean, 5 * sigma / Math.sqrt(n), name + " mean");
            assertEquals(1, std / sigma, 5 / Math.sqrt(2.0 * n), name + " std");
        }
    }

    /** The tail bias adds to every output, so its gradient for loss = Σ c·logits is Σ c over the batch. */
    @Test
    void backwardReachesEveryLayer() {
        float[][] priors = randomPriors(2);
        generator.forward(priors, new double[] {0.2, 0.8});
        SplittableRandom random = new SplittableRandom(3);
        float[][] c = new float[2][LAYERS * COLUMNS];
        double sum = 0;
        for (float[] row : c) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (2 * random.nextDouble() - 1);
                sum += row[i];
            }
        }
        Net net = generator.net();
        net.zeroGrad();
        generator.backward(c);
        assertEquals(sum, net.readGrad(net.findParam("tail.bias"))[0], 1e-4);
        for (String first : new String[] {"hc_head.0.weight", "bb_head.0.weight"}) {
            float[] grad = net.readGrad(net.findParam(first));
            assertTrue(Arrays.stream(toDoubles(grad)).anyMatch(g -> g != 0), first + " gets a gradient");
        }
        assertThrows(IllegalArgumentException.class, () -> generator.backward(new float[1][LAYERS * COLUMNS]));
    }

    /** generate() takes each target's closest prior and normalises the target by the range, in one pass. */
    @Test
    void generateUsesTheClosestPriorAndTheNormalisedTarget() {
        float[][] priors = randomPriors(2);
        PriorPool pool = new PriorPool(new double[] {90, 110}, priors);
        TargetRange range = new TargetRange(80, 120);
        float[][] generated = generator.generate(new double[] {91, 118, 99}, range, pool);
        float[][] expected = generator.forward(new float[][] {priors[0], priors[1], priors[0]},
                new double[] {0.275, 0.95, 0.475});
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], generated[i], "target " + i);
        }
        PriorPool otherLayers = new PriorPool(new double[] {100}, new float[][] {new float[COLUMNS]});
        assertThrows(IllegalArgumentException.class, () -> generator.generate(new double[] {100}, range, otherLayers));
    }

    @Test
    void mismatchedInputsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> generator.forward(randomPriors(2), new double[] {0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> generator.forward(new float[][] {new float[COLUMNS]}, new double[] {0.5}));
        assertThrows(IllegalArgumentException.class,
                () -> generator.forward(randomPriors(1), new double[] {Double.NaN}));
    }

    private double[][] convRelu(double[][] input, String name) {
        double[][] output = conv(input, name);
        for (double[] channel : output) {
            for (int i = 0; i < channel.length; i++) {
                channel[i] = Math.max(0, channel[i]);
            }
        }
        return output;
    }

    /** A 3×3, stride 1, zero-padding 1 convolution without bias over [channels][L·24] maps. */
    private double[][] conv(double[][] input, String name) {
        Net net = generator.net();
        int index = net.findParam(name + ".weight");
        long[] shape = net.paramShape(index);
        float[] weight = net.readParam(index);
        int outChannels = (int) shape[0];
        int inChannels = (int) shape[1];
        double[][] output = new double[outChannels][LAYERS * COLUMNS];
        for (int o = 0; o < outChannels; o++) {
            for (int c = 0; c < inChannels; c++) {
                for (int y = 0; y < LAYERS; y++) {
                    for (int x = 0; x < COLUMNS; x++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int sy = y + ky - 1;
                                int sx = x + kx - 1;
                                if (sy >= 0 && sy < LAYERS && sx >= 0 && sx < COLUMNS) {
                                    output[o][y * COLUMNS + x] += weight[((o * inChannels + c) * 3 + ky) * 3 + kx]
                                            * input[c][sy * COLUMNS + sx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return output;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] sum = new double[a.length][];
        for (int c = 0; c < a.length; c++) {
            sum[c] = a[c].clone();
            for (int i = 0; i < sum[c].length; i++) {
                sum[c][i] += b[c][i];
            }
        }
        return sum;
    }

    /** Random one-hot maps: one choice per sub-block, never skip in sub-block 0. */
    private static float[][] randomPriors(int count) {
        SplittableRandom random = new SplittableRandom(count);
        float[][] priors = new float[count][LAYERS * COLUMNS];
        for (float[] prior : priors) {
            for (int layer = 0; layer < LAYERS; layer++) {
                for (int subBlock = 0; subBlock < ArchitectureMap.SUB_BLOCKS; subBlock++) {
                    int choice = random.nextInt(ArchitectureMap.allowedChoices(subBlock));
                    prior[ArchitectureMap.groupStart(layer, subBlock) + choice] = 1;
                }
            }
        }
        return priors;
    }

    private static double[] toDoubles(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }
}
