package dev.jnas.space.program;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelGraph;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a program graph into the native engine through {@link GraphBuilder}, one engine node per op (weights
 * named "op.weight", ...). The engine's tensors are per sample, so the batch dim drops out. Ops the engine does
 * not offer yet throw UnsupportedOperationException naming the op; one switch maps op types to engine calls, so
 * wiring a new native op is one case there.
 */
public final class ProgramLowering {
    private static final String FLATTEN_ONLY = "reshape yet, so a flatten may only be read by dense ops, ";

    private ProgramLowering() {
    }

    /**
     * Lowers a graph with one input and one output, for inputs of shape input (batch included; only its per-sample
     * dims reach the engine), and returns the engine nodes of that input and output.
     */
    public static ModelGraph lower(GraphBuilder builder, ProgramGraph program, TensorShape input) {
        if (program.inputs().size() != 1 || program.outputs().size() != 1) {
            throw new IllegalArgumentException("lowering needs one input and one output, got inputs "
                    + program.inputs() + " and outputs " + program.outputs());
        }
        TensorShapes shapes = ShapeInference.infer(program, input);
        Map<String, Integer> nodes = new HashMap<>();
        String inputName = program.inputs().get(0);
        nodes.put(inputName, builder.input(input.perSample()));
        for (Op op : program.ops()) {
            nodes.put(op.name(), node(builder, program, op, shapes, nodes));
        }
        return new ModelGraph(nodes.get(inputName), nodes.get(program.outputs().get(0)));
    }

    private static int node(GraphBuilder builder, ProgramGraph program, Op op, TensorShapes shapes,
                            Map<String, Integer> nodes) {
        int x = nodes.get(op.inputs().get(0));
        return switch (op.type()) {
            case CONV -> {
                OpParams.Conv conv = op.conv();
                yield builder.conv2d(op.name(), x, shapes.of(op.name()).features(), conv.kernel(), conv.kernel(),
                        conv.stride(), conv.padding(), conv.dilation(), conv.groups(), false);
            }
            case DENSE -> builder.linear(op.name(), x, shapes.of(op.name()).features());
            case ADD -> builder.add(x, nodes.get(op.inputs().get(1)));
            case SCALAR_MUL -> builder.scale(x, (float) ((OpParams.Scale) op.params()).factor());
            case RELU -> builder.relu(x);
            case BATCH_NORM -> builder.batchNorm(op.name(), x);
            case AVG_POOL -> op.pool().global() ? builder.globalAvgPool(x)
                    : builder.avgPool(x, op.pool().window(), op.pool().stride(), 0, true);
            case MAX_POOL -> {
                if (op.pool().global()) {
                    throw unsupported(op, "global max pool yet");
                }
                yield builder.maxPool(x, op.pool().window(), op.pool().stride(), 0);
            }
            case IDENTITY -> x;
            case FLATTEN -> {
                // The engine has no reshape, but its linear layer flattens its input itself; any other reader
                // would see [C, H, W] where the program says [C·H·W].
                for (Op reader : program.consumers(op.name())) {
                    if (reader.type() != OpType.DENSE) {
                        throw unsupported(op, FLATTEN_ONLY + "not by " + reader.describe());
                    }
                }
                if (program.outputs().contains(op.name())) {
                    throw unsupported(op, FLATTEN_ONLY + "not be a graph output");
                }
                yield x;
            }
            case MUL, GELU, SWISH, SIGMOID, SOFTMAX, LAYER_NORM, GROUP_NORM, DROPOUT ->
                    throw unsupported(op, op.type() + " op yet");
        };
    }

    private static UnsupportedOperationException unsupported(Op op, String what) {
        return new UnsupportedOperationException(op.describe() + ": the native engine has no " + what);
    }
}
