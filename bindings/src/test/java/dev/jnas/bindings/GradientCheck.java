package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Finite-difference gradient checks through the Java API. The loss is L = Σ r ⊙ out for a fixed random r,
 * so backward(r) gives dL/d(everything); central differences (L(v + eps) - L(v - eps)) / 2eps of every input
 * element and every trainable parameter element are compared with it as whole vectors, by relative norm.
 */
final class GradientCheck {
    /** Central differences in float32 agree to well under this when the analytic gradient is right. */
    static final double TOLERANCE = 1e-2;
    /** Where relu, relu6 and hswish have kinks; inputs keep a distance from them so no difference crosses one. */
    private static final double[] KINKS = {-3, 0, 3, 6};
    private static final double KINK_GAP = 0.05;

    private final Engine engine;
    private final int batch;
    private final double eps;
    private final SplittableRandom random;
    private double inputScale = 1;
    private Consumer<Net> prepare = net -> { };

    GradientCheck(Engine engine, int batch, double eps, long seed) {
        this.engine = engine;
        this.batch = batch;
        this.eps = eps;
        this.random = new SplittableRandom(seed);
    }

    /** Inputs ~ N(0, scale²) (away from kinks); a scale above 3 reaches every piece of relu6 and hswish. */
    GradientCheck inputScale(double scale) {
        this.inputScale = scale;
        return this;
    }

    /** Runs on the compiled net before checking, e.g. to set mixing weights. */
    GradientCheck prepare(Consumer<Net> prepare) {
        this.prepare = prepare;
        return this;
    }

    /** Compiles graph with output as the output node and checks the gradients of inputs and parameters. */
    void check(GraphBuilder graph, int output, int... inputs) {
        try (Net net = Net.compile(engine, graph, output, Init.PYTORCH_DEFAULT, 7)) {
            prepare.accept(net);
            List<Tensor> tensors = new ArrayList<>();
            List<float[]> values = new ArrayList<>();
            for (int node : inputs) {
                long[] perSample = graph.nodeShape(node);
                long[] shape = new long[perSample.length + 1];
                shape[0] = batch;
                System.arraycopy(perSample, 0, shape, 1, perSample.length);
                Tensor tensor = engine.tensor(shape);
                float[] x = sample((int) tensor.numel());
                tensor.write(x);
                net.bindInput(node, tensor);
                tensors.add(tensor);
                values.add(x);
            }
            float[] r;
            try (Tensor out = net.forward()) {
                r = sample((int) out.numel());
            }

            // Analytic gradients: one backward pass seeded with r.
            List<float[]> analytic = new ArrayList<>();
            try (Tensor gradOut = engine.tensor(net.outputShape(batch))) {
                gradOut.write(r);
                net.zeroGrad();
                net.backward(gradOut);
            }
            for (int node : inputs) {
                try (Tensor grad = net.inputGrad(node)) {
                    analytic.add(grad.read());
                }
            }
            List<Integer> params = trainableParams(net);
            for (int p : params) {
                analytic.add(net.readGrad(p));
            }

            // Numerical gradients, same order.
            List<float[]> numerical = new ArrayList<>();
            for (int i = 0; i < inputs.length; i++) {
                Tensor tensor = tensors.get(i);
                numerical.add(differences(values.get(i), tensor::write, net, r));
            }
            for (int p : params) {
                numerical.add(differences(net.readParam(p), v -> net.writeParam(p, v), net, r));
            }
            for (Tensor tensor : tensors) {
                tensor.close();
            }

            for (int i = 0; i < analytic.size(); i++) {
                String what = i < inputs.length ? "input node " + inputs[i]
                        : "parameter " + net.paramName(params.get(i - inputs.length));
                assertClose(what, analytic.get(i), numerical.get(i));
            }
        }
    }

    private static List<Integer> trainableParams(Net net) {
        List<Integer> params = new ArrayList<>();
        for (int p = 0; p < net.paramCount(); p++) {
            if (net.isTrainable(p)) {
                params.add(p);
            }
        }
        return params;
    }

    private float[] differences(float[] values, Consumer<float[]> write, Net net, float[] r) {
        float[] v = values.clone();
        float[] gradient = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            float original = v[j];
            v[j] = (float) (original + eps);
            write.accept(v);
            double plus = loss(net, r);
            v[j] = (float) (original - eps);
            write.accept(v);
            double minus = loss(net, r);
            v[j] = original;
            // The perturbation actually applied, after rounding to float.
            double step = (double) (float) (original + eps) - (double) (float) (original - eps);
            gradient[j] = (float) ((plus - minus) / step);
        }
        write.accept(v);
        return gradient;
    }

    private static double loss(Net net, float[] r) {
        try (Tensor out = net.forward()) {
            float[] y = out.read();
            double sum = 0;
            for (int i = 0; i < y.length; i++) {
                sum += (double) r[i] * y[i];
            }
            return sum;
        }
    }

    private float[] sample(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double value;
            do {
                value = inputScale * gaussian();
            } while (nearKink(value));
            x[i] = (float) value;
        }
        return x;
    }

    private double gaussian() {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static boolean nearKink(double value) {
        for (double kink : KINKS) {
            if (Math.abs(value - kink) < KINK_GAP) {
                return true;
            }
        }
        return false;
    }

    static void assertClose(String what, float[] analytic, float[] numerical) {
        double diff = 0;
        double normA = 0;
        double normN = 0;
        for (int i = 0; i < analytic.length; i++) {
            diff += Math.pow(analytic[i] - numerical[i], 2);
            normA += Math.pow(analytic[i], 2);
            normN += Math.pow(numerical[i], 2);
        }
        double scale = Math.max(Math.sqrt(Math.max(normA, normN)), 1e-6);
        double relative = Math.sqrt(diff) / scale;
        String message = String.format("gradient of %s: relative error %.3g (|analytic| %.4g, |numerical| %.4g)",
                what, relative, Math.sqrt(normA), Math.sqrt(normN));
        assertTrue(relative < TOLERANCE, message);
    }
}
