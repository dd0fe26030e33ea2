package dev.jnas.space.program;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.models.ModelGraph;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a program graph into the native engine through {@link GraphBuilder}, one engine node per op (weights
 * named "op.weight", ...; identity lowers to its input). The engine's tensors are per sample, so the
 * batch dim drops out. One switch maps op types to engine calls.
 */
public final class ProgramLowering {
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
        Map<String, Integer> nodes = nodes(builder, program, input);
        return new ModelGraph(nodes.get(program.inputs().get(0)), nodes.get(program.outputs().get(0)));
    }

    /** Lowers a graph with one input, and returns every tensor's engine node (identities share their input's). */
    public static Map<String, Integer> nodes(GraphBuilder builder, ProgramGraph program, TensorShape input) {
        if (program.inputs().size() != 1) {
            throw new IllegalArgumentException("lowering needs one input, got " + program.inputs());
        }
        TensorShapes shapes = ShapeInference.infer(program, input);
        Map<String, Integer> nodes = new HashMap<>();
        nodes.put(program.inputs().get(0), builder.input(input.perSample()));
        for (Op op : program.ops()) {
            nodes.put(op.name(), node(builder, op, shapes, nodes));
        }
        return nodes;
    }

    private static int node(GraphBuilder builder, Op op, TensorShapes shapes, Map<String, Integer> nodes) {
        int x = nodes.get(op.inputs().get(0));
        return switch (op.type()) {
            case CONV -> {
                OpParams.Conv conv = op.conv();
                yield builder.conv2d(op.name(), x, shapes.of(op.name()).features(), conv.kernel(), conv.kernel(),
                        conv.stride(), conv.padding(), conv.dilation(), conv.groups(), false);
            }
            case DENSE -> builder.linear(op.name(), x, shapes.of(op.name()).features());
            case ADD -> builder.add(x, nodes.get(op.inputs().get(1)));
            case MUL -> builder.mul(x, nodes.get(op.inputs().get(1)));
            case SCALAR_MUL -> builder.scale(x, (float) ((OpParams.Scale) op.params()).factor());
            case RELU -> builder.relu(x);
            case BATCH_NORM -> builder.batchNorm(op.name(), x);
            case AVG_POOL -> op.pool().global() ? builder.globalAvgPool(x)
                    : builder.avgPool(x, op.pool().window(), op.pool().stride(), 0, true);
            case MAX_POOL -> op.pool().global() ? builder.globalMaxPool(x)
                    : builder.maxPool(x, op.pool().window(), op.pool().stride(), 0);
            case GELU -> builder.gelu(x);
            case SWISH -> builder.swish(x);
            case SIGMOID -> builder.sigmoid(x);
            case SOFTMAX -> builder.softmax(x);
            case LAYER_NORM -> builder.layerNorm(op.name(), x);
            case GROUP_NORM -> builder.groupNorm(op.name(), x, ((OpParams.GroupNorm) op.params()).groups());
            case FLATTEN -> builder.flatten(x);
            case DROPOUT -> builder.dropout(x, (float) ((OpParams.Dropout) op.params()).rate());
            case IDENTITY -> x;
        };
    }
}
