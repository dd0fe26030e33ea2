package dev.jnas.search.alphanas;

import dev.jnas.space.program.Op;
import dev.jnas.space.program.ProgramGraph;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A region of a program graph that properties describe: some of its ops, the tensors the region reads from
 * outside (its inputs) and the tensors it writes that are read outside or are graph outputs (its outputs). Inputs
 * and outputs are listed in the graph's topological order.
 */
public record Subgraph(ProgramGraph graph, Set<String> ops, List<String> inputs, List<String> outputs) {

    public Subgraph {
        ops.forEach(graph::op);
        ops = Set.copyOf(ops);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The whole graph, from its inputs to its outputs. */
    public static Subgraph whole(ProgramGraph graph) {
        return ofOps(graph, graph.ops().stream().map(Op::name).toList());
    }

    /** The region made of a block's ops. */
    public static Subgraph ofBlock(ProgramGraph graph, String block) {
        return ofOps(graph, graph.block(block).ops());
    }

    /** The region made of the named ops. */
    public static Subgraph ofOps(ProgramGraph graph, Collection<String> opNames) {
        if (opNames.isEmpty()) {
            throw new IllegalArgumentException("a subgraph needs at least one op");
        }
        Set<String> members = new LinkedHashSet<>();
        for (String name : opNames) {
            graph.op(name);
            members.add(name);
        }
        Set<String> inputs = new LinkedHashSet<>();
        List<String> outputs = new ArrayList<>();
        for (Op op : graph.ops()) {
            if (!members.contains(op.name())) {
                continue;
            }
            for (String input : op.inputs()) {
                if (!members.contains(input)) {
                    inputs.add(input);
                }
            }
            boolean readOutside = graph.consumers(op.name()).stream()
                    .anyMatch(reader -> !members.contains(reader.name()));
            if (readOutside || graph.outputs().contains(op.name())) {
                outputs.add(op.name());
            }
        }
        return new Subgraph(graph, members, List.copyOf(inputs), outputs);
    }

    /** The region's ops in topological order. */
    public List<Op> orderedOps() {
        return graph.ops().stream().filter(op -> ops.contains(op.name())).toList();
    }
}
