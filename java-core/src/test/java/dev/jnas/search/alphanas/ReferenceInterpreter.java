package dev.jnas.search.alphanas;

import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpParams;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * Evaluates a subgraph in double, row-major, straight from the ops' definitions: the tests' ground truth for which
 * outputs depend on which inputs. Weights are drawn per op from a fixed seed and are positive (as are batch norm's
 * scales), so that positive inputs keep ReLUs active and no dependence cancels out.
 */
final class ReferenceInterpreter {
    private static final double EPS = 1e-5;

    private final Subgraph subgraph;
    private final TensorShapes shapes;
    private final Map<String, double[]> weights = new HashMap<>();

    ReferenceInterpreter(Subgraph subgraph, TensorShapes shapes) {
        this.subgraph = subgraph;
        this.shapes = shapes;
        for (Op op : subgraph.orderedOps()) {
            Random random = new Random(op.name().hashCode());
            double[] values = new double[weightCount(op)];
            for (int index = 0; index < values.length; index++) {
                values[index] = 0.1 + 0.9 * random.nextDouble();
            }
            weights.put(op.name(), values);
        }
    }

    /** The values of every tensor the subgraph computes, from values for its inputs. */
    Map<String, double[]> run(Map<String, double[]> inputs) {
        Map<String, double[]> values = new HashMap<>(inputs);
        for (Op op : subgraph.orderedOps()) {
            values.put(op.name(), evaluate(op, values));
        }
        return values;
    }

    private int weightCount(Op op) {
        TensorShape in = shapes.of(op.inputs().get(0));
        TensorShape out = shapes.of(op.name());
        return switch (op.type()) {
            case CONV -> out.features() * (in.features() / op.conv().groups()) * op.conv().kernel()
                    * op.conv().kernel();
            case DENSE -> out.features() * (in.features() + 1);
            case BATCH_NORM -> in.features();
            default -> 0;
        };
    }

    private double[] evaluate(Op op, Map<String, double[]> values) {
        double[] x = values.get(op.inputs().get(0));
        TensorShape in = shapes.of(op.inputs().get(0));
        TensorShape out = shapes.of(op.name());
        double[] w = weights.get(op.name());
        return switch (op.type()) {
            case CONV -> conv(op.conv(), x, in, out, w);
            case DENSE -> dense(x, in, out, w);
            case ADD -> map2(x, values.get(op.inputs().get(1)), Double::sum);
            case MUL -> map2(x, values.get(op.inputs().get(1)), (a, b) -> a * b);
            case SCALAR_MUL -> map(x, v -> ((OpParams.Scale) op.params()).factor() * v);
            case RELU -> map(x, v -> Math.max(0, v));
            case GELU -> map(x, v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))));
            case SWISH -> map(x, v -> v / (1 + Math.exp(-v)));
            case SIGMOID -> map(x, v -> 1 / (1 + Math.exp(-v)));
            case SOFTMAX -> softmax(x, in);
            case BATCH_NORM -> batchNorm(x, in, w);
            case LAYER_NORM -> layerNorm(x, in);
            case GROUP_NORM -> groupNorm(x, in, ((OpParams.GroupNorm) op.params()).groups());
            case AVG_POOL, MAX_POOL -> pool(op, x, in, out);
            case FLATTEN, DROPOUT, IDENTITY -> x.clone();
        };
    }

    private static double[] conv(OpParams.Conv conv, double[] x, TensorShape in, TensorShape out, double[] w) {
        int inPerGroup = in.features() / conv.groups();
        int outPerGroup = out.features() / conv.groups();
        int k = conv.kernel();
        double[] y = new double[size(out)];
        for (int b = 0; b < out.batch(); b++) {
            for (int co = 0; co < out.features(); co++) {
                int group = co / outPerGroup;
                for (int h = 0; h < out.dim(2); h++) {
                    for (int v = 0; v < out.dim(3); v++) {
                        double sum = 0;
                        for (int ci = 0; ci < inPerGroup; ci++) {
                            for (int th = 0; th < k; th++) {
                                for (int tw = 0; tw < k; tw++) {
                                    int sh = h * conv.stride() - conv.padding() + th * conv.dilation();
                                    int sw = v * conv.stride() - conv.padding() + tw * conv.dilation();
                                    if (sh >= 0 && sh < in.dim(2) && sw >= 0 && sw < in.dim(3)) {
                                        sum += w[((co * inPerGroup + ci) * k + th) * k + tw]
                                                * x[index(in, b, group * inPerGroup + ci, sh, sw)];
                                    }
                                }
                            }
                        }
                        y[index(out, b, co, h, v)] = sum;
                    }
                }
            }
        }
        return y;
    }

    private static double[] dense(double[] x, TensorShape in, TensorShape out, double[] w) {
        int fin = in.features();
        double[] y = new double[size(out)];
        for (int b = 0; b < out.batch(); b++) {
            for (int o = 0; o < out.features(); o++) {
                double sum = w[o * (fin + 1) + fin];
                for (int i = 0; i < fin; i++) {
                    sum += w[o * (fin + 1) + i] * x[b * fin + i];
                }
                y[b * out.features() + o] = sum;
            }
        }
        return y;
    }

    /** Softmax over dim 1 at each batch and spatial position. */
    private static double[] softmax(double[] x, TensorShape in) {
        int inner = (int) (in.sampleSize() / in.features());
        double[] y = new double[x.length];
        for (int b = 0; b < in.batch(); b++) {
            for (int s = 0; s < inner; s++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < in.features(); c++) {
                    max = Math.max(max, x[(b * in.features() + c) * inner + s]);
                }
                double sum = 0;
                for (int c = 0; c < in.features(); c++) {
                    sum += Math.exp(x[(b * in.features() + c) * inner + s] - max);
                }
                for (int c = 0; c < in.features(); c++) {
                    int at = (b * in.features() + c) * inner + s;
                    y[at] = Math.exp(x[at] - max) / sum;
                }
            }
        }
        return y;
    }

    /** Inference-mode batch norm: scale by a positive gamma, running mean 0 and variance 1. */
    private static double[] batchNorm(double[] x, TensorShape in, double[] gamma) {
        int inner = (int) (in.sampleSize() / in.features());
        double[] y = new double[x.length];
        for (int at = 0; at < x.length; at++) {
            y[at] = gamma[at / inner % in.features()] * x[at] / Math.sqrt(1 + EPS);
        }
        return y;
    }

    /** Layer norm: zero mean and unit variance over dim 1 at each batch and spatial position. */
    private static double[] layerNorm(double[] x, TensorShape in) {
        int inner = (int) (in.sampleSize() / in.features());
        double[] y = new double[x.length];
        for (int b = 0; b < in.batch(); b++) {
            for (int s = 0; s < inner; s++) {
                int[] at = new int[in.features()];
                for (int c = 0; c < at.length; c++) {
                    at[c] = (b * in.features() + c) * inner + s;
                }
                standardize(x, y, at);
            }
        }
        return y;
    }

    /** Group norm: zero mean and unit variance over each group of channels and all spatial positions. */
    private static double[] groupNorm(double[] x, TensorShape in, int groups) {
        int inner = (int) (in.sampleSize() / in.features());
        int groupSize = in.features() / groups;
        double[] y = new double[x.length];
        for (int b = 0; b < in.batch(); b++) {
            for (int g = 0; g < groups; g++) {
                int[] at = new int[groupSize * inner];
                for (int c = 0; c < groupSize; c++) {
                    for (int s = 0; s < inner; s++) {
                        at[c * inner + s] = (b * in.features() + g * groupSize + c) * inner + s;
                    }
                }
                standardize(x, y, at);
            }
        }
        return y;
    }

    private static void standardize(double[] x, double[] y, int[] at) {
        double mean = 0;
        for (int i : at) {
            mean += x[i] / at.length;
        }
        double variance = 0;
        for (int i : at) {
            variance += (x[i] - mean) * (x[i] - mean) / at.length;
        }
        for (int i : at) {
            y[i] = (x[i] - mean) / Math.sqrt(variance + EPS);
        }
    }

    private static double[] pool(Op op, double[] x, TensorShape in, TensorShape out) {
        OpParams.Pool pool = op.pool();
        boolean max = op.type() == OpType.MAX_POOL;
        double[] y = new double[size(out)];
        for (int b = 0; b < in.batch(); b++) {
            for (int c = 0; c < in.features(); c++) {
                int rows = pool.global() ? 1 : out.dim(2);
                int columns = pool.global() ? 1 : out.dim(3);
                for (int h = 0; h < rows; h++) {
                    for (int v = 0; v < columns; v++) {
                        int h0 = h * pool.stride();
                        int v0 = v * pool.stride();
                        int h1 = pool.global() ? in.dim(2) : h0 + pool.window();
                        int v1 = pool.global() ? in.dim(3) : v0 + pool.window();
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        for (int sh = h0; sh < h1; sh++) {
                            for (int sw = v0; sw < v1; sw++) {
                                double value = x[index(in, b, c, sh, sw)];
                                acc = max ? Math.max(acc, value) : acc + value;
                            }
                        }
                        int at = pool.global() ? b * in.features() + c : index(out, b, c, h, v);
                        y[at] = max ? acc : acc / ((h1 - h0) * (v1 - v0));
                    }
                }
            }
        }
        return y;
    }

    private static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] y = new double[x.length];
        for (int at = 0; at < x.length; at++) {
            y[at] = f.applyAsDouble(x[at]);
        }
        return y;
    }

    private static double[] map2(double[] a, double[] b, DoubleBinaryOperator f) {
        double[] y = new double[a.length];
        for (int at = 0; at < a.length; at++) {
            y[at] = f.applyAsDouble(a[at], b[at]);
        }
        return y;
    }

    static int size(TensorShape shape) {
        return Math.toIntExact(shape.batch() * shape.sampleSize());
    }

    private static int index(TensorShape shape, int b, int c, int h, int w) {
        return ((b * shape.dim(1) + c) * shape.dim(2) + h) * shape.dim(3) + w;
    }
}
