package dev.jnas.search.alphanas.evolution;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.JnasException;
import dev.jnas.bindings.Net;
import dev.jnas.models.ModelBuilder;
import dev.jnas.models.ModelGraph;
import dev.jnas.models.ParameterCount;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ProgramLowering;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import java.util.Optional;

/** A program graph as a classifier the trainer and the metrics can build: its lowering, checked against the data. */
public record ProgramModel(ProgramGraph program) implements ModelBuilder {

    /** Parameters and multiply-accumulates per sample of a lowered program. */
    public record Cost(long parameters, long macs) {
    }

    @Override
    public ModelGraph build(GraphBuilder graph, int channels, int height, int width, int classes) {
        TensorShape input = TensorShape.of(1, channels, height, width);
        TensorShape output = ShapeInference.infer(program, input).of(program.outputs().get(0));
        if (!output.equals(TensorShape.of(1, classes))) {
            throw new IllegalArgumentException("the program's output '" + program.outputs().get(0) + "' has shape "
                    + output + " for a batch of one, not [1, " + classes + "] for the " + classes + " classes");
        }
        return ProgramLowering.lower(graph, program, input);
    }

    /** Why the program cannot be built for these images and classes; empty if it can. */
    public Optional<String> rejection(int channels, int height, int width, int classes) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            build(graph, channels, height, width, classes);
            return Optional.empty();
        } catch (IllegalArgumentException | JnasException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Trainable values (counted by the engine, as {@link ParameterCount}) and MACs of the lowered program. */
    public Cost cost(Engine engine, int channels, int height, int width, int classes) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph nodes = build(graph, channels, height, width, classes);
            long macs = graph.macs(nodes.output()).total();
            try (Net net = Net.compile(engine, graph, nodes.output(), Init.PYTORCH_DEFAULT, 0)) {
                return new Cost(ParameterCount.trainable(net), macs);
            }
        }
    }
}
