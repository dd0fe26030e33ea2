package dev.jnas.space.program;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact shape inference: the shape of every tensor of a program graph for given input shapes, resolving relative
 * feature counts on the way. An op whose inputs do not fit gets an IllegalArgumentException naming it.
 */
public final class ShapeInference {
    private ShapeInference() {
    }

    /** Shapes for a graph with one input. */
    public static TensorShapes infer(ProgramGraph graph, TensorShape input) {
        if (graph.inputs().size() != 1) {
            throw new IllegalArgumentException("the graph has inputs " + graph.inputs() + ", not one");
        }
        return infer(graph, Map.of(graph.inputs().get(0), input));
    }

    public static TensorShapes infer(ProgramGraph graph, Map<String, TensorShape> inputs) {
        Map<String, TensorShape> shapes = new HashMap<>();
        for (String input : graph.inputs()) {
            TensorShape shape = inputs.get(input);
            if (shape == null) {
                throw new IllegalArgumentException("no shape given for graph input '" + input + "'");
            }
            shapes.put(input, shape);
        }
        if (!graph.inputs().containsAll(inputs.keySet())) {
            throw new IllegalArgumentException("shapes given for " + inputs.keySet() + " but the graph inputs are "
                    + graph.inputs());
        }
        for (Op op : graph.ops()) {
            List<TensorShape> in = op.inputs().stream().map(shapes::get).toList();
            shapes.put(op.name(), output(op, in));
        }
        return new TensorShapes(shapes);
    }

    /** The output shape of op for input shapes in. */
    public static TensorShape output(Op op, List<TensorShape> in) {
        TensorShape x = in.get(0);
        return switch (op.type()) {
            case CONV -> conv(op, x);
            case DENSE -> {
                requireRank(op, x, 2);
                yield x.with(1, ((OpParams.Dense) op.params()).features().resolve(x.features(), op.name()));
            }
            case ADD, MUL -> {
                if (!x.equals(in.get(1))) {
                    throw new IllegalArgumentException(op.describe() + " combines tensors of different shapes "
                            + x + " and " + in.get(1));
                }
                yield x;
            }
            case SCALAR_MUL, RELU, GELU, SWISH, SIGMOID, SOFTMAX, BATCH_NORM, LAYER_NORM, DROPOUT, IDENTITY -> x;
            case GROUP_NORM -> {
                int groups = ((OpParams.GroupNorm) op.params()).groups();
                if (x.features() % groups != 0) {
                    throw new IllegalArgumentException(op.describe() + ": " + x.features()
                            + " channels do not split into " + groups + " groups");
                }
                yield x;
            }
            case AVG_POOL, MAX_POOL -> pool(op, x);
            case FLATTEN -> {
                if (x.sampleSize() > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(op.describe() + " would flatten " + x + " into more than 2^31 - 1"
                            + " features");
                }
                yield TensorShape.of(x.batch(), (int) x.sampleSize());
            }
        };
    }

    private static TensorShape conv(Op op, TensorShape x) {
        requireRank(op, x, 4);
        OpParams.Conv conv = op.conv();
        int out = conv.features().resolve(x.features(), op.name());
        if (x.features() % conv.groups() != 0 || out % conv.groups() != 0) {
            throw new IllegalArgumentException(op.describe() + ": " + x.features() + " input and " + out
                    + " output channels do not split into " + conv.groups() + " groups");
        }
        return TensorShape.of(x.batch(), out, Math.ceilDiv(x.dim(2), conv.stride()),
                Math.ceilDiv(x.dim(3), conv.stride()));
    }

    private static TensorShape pool(Op op, TensorShape x) {
        requireRank(op, x, 4);
        OpParams.Pool pool = op.pool();
        if (pool.global()) {
            return TensorShape.of(x.batch(), x.features());
        }
        if (pool.window() > x.dim(2) || pool.window() > x.dim(3)) {
            throw new IllegalArgumentException(op.describe() + ": window " + pool.window() + " exceeds the "
                    + x.dim(2) + "x" + x.dim(3) + " input");
        }
        return TensorShape.of(x.batch(), x.features(), (x.dim(2) - pool.window()) / pool.stride() + 1,
                (x.dim(3) - pool.window()) / pool.stride() + 1);
    }

    private static void requireRank(Op op, TensorShape x, int rank) {
        if (x.rank() != rank) {
            throw new IllegalArgumentException(op.describe() + " needs a rank-" + rank + " input, got " + x);
        }
    }
}
