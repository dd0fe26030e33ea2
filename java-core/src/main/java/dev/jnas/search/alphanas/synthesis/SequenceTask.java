package dev.jnas.search.alphanas.synthesis;

import dev.jnas.search.alphanas.Subgraph;
import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpParams;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One sequential edge to synthesize: a chain of unary ops from tensor input (of shape inputShape) to tensor
 * output that must satisfy required; the edge it replaces had originalLength ops. Evaluates candidate chains by
 * building them as small graphs: the last op carries the output's name, the others temporary names.
 */
public record SequenceTask(String input, TensorShape inputShape, String output, PropertySet required,
                           int originalLength) {

    public SequenceTask {
        if (input.equals(output)) {
            throw new IllegalArgumentException("an edge from '" + input + "' must end in another tensor");
        }
        if (originalLength < 0) {
            throw new IllegalArgumentException("an edge has a non-negative length, got " + originalLength);
        }
    }

    /** The name of chain position index (of size ops) in a candidate graph. */
    String nameAt(int index, int size) {
        return index == size - 1 ? output : output + "~" + index;
    }

    /** The chain as a graph from input to output; an empty chain is one identity op. */
    ProgramGraph graphOf(List<OpSpec> chain) {
        ProgramGraph.Builder graph = ProgramGraph.builder().input(input);
        if (chain.isEmpty()) {
            graph.add(Op.of(OpType.IDENTITY, output, input));
        }
        String previous = input;
        for (int index = 0; index < chain.size(); index++) {
            previous = graph.add(chain.get(index).toOp(nameAt(index, chain.size()), previous));
        }
        return graph.output(output).build();
    }

    /** The shapes of the chain's tensors, or empty where an op does not fit its input. */
    Optional<TensorShapes> shapesOf(List<OpSpec> chain) {
        return shapesOf(graphOf(chain));
    }

    private Optional<TensorShapes> shapesOf(ProgramGraph graph) {
        try {
            return Optional.of(ShapeInference.infer(graph, Map.of(input, inputShape)));
        } catch (IllegalArgumentException doesNotFit) {
            return Optional.empty();
        }
    }

    /** The properties of chain, or empty where its shapes do not work out. */
    Optional<PropertySet> propertiesOf(List<OpSpec> chain) {
        ProgramGraph graph = graphOf(chain);
        return shapesOf(graph).map(shapes -> PropertySet.infer(Subgraph.whole(graph), shapes));
    }

    /** The distance of chain from the required properties, +∞ where its shapes do not work out. */
    double distanceOf(List<OpSpec> chain) {
        return propertiesOf(chain).map(required::distanceFrom).orElse(Double.POSITIVE_INFINITY);
    }

    /**
     * chain with its last conv or dense writing the required output features (the reference's rewrite near the
     * maximum length); chain itself where there is no such op, no required output shape, or no shapes to read the
     * op's input features from. Ops after the last conv or dense keep the features, so the output gets them.
     */
    List<OpSpec> withRequiredFeatures(List<OpSpec> chain) {
        TensorShape wanted = required.shape().outputs().get(output);
        int last = -1;
        for (int index = 0; index < chain.size(); index++) {
            OpType type = chain.get(index).type();
            last = type == OpType.CONV || type == OpType.DENSE ? index : last;
        }
        if (wanted == null || last < 0) {
            return chain;
        }
        Optional<TensorShapes> shapes = shapesOf(chain.subList(0, last));
        if (shapes.isEmpty()) {
            return chain;
        }
        String feeding = last == 0 ? input : nameAt(last - 1, last);
        FeatureCount features = ratio(shapes.get().of(feeding).features(), wanted.features());
        OpSpec op = chain.get(last);
        OpParams params = switch (op.params()) {
            case OpParams.Conv conv -> new OpParams.Conv(features, conv.kernel(), conv.stride(), conv.groups(),
                    conv.dilation());
            default -> new OpParams.Dense(features);
        };
        List<OpSpec> rewritten = new ArrayList<>(chain);
        rewritten.set(last, new OpSpec(op.type(), params));
        return rewritten;
    }

    /** out features relative to in where they are one of the synthesizer's factors, else absolute. */
    private static FeatureCount ratio(int in, int out) {
        for (int factor : new int[] {1, 2, 4}) {
            if (out == in * factor) {
                return FeatureCount.times(factor);
            }
            if (in == out * factor) {
                return FeatureCount.dividedBy(factor);
            }
        }
        return FeatureCount.of(out);
    }
}
