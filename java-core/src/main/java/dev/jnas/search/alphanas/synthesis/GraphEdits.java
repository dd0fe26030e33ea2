package dev.jnas.search.alphanas.synthesis;

import dev.jnas.space.program.Op;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** Rewrites of program graphs that keep blocks consistent, and the shape check every child must pass. */
final class GraphEdits {
    private GraphEdits() {
    }

    /**
     * graph without the removed ops and with added ones, placed where the first removed op was (ties in the
     * topological order keep that place). Blocks lose removed ops; an added op joins the block of the op its
     * anchor names (when that op was in one); a block left empty disappears.
     */
    static ProgramGraph replace(ProgramGraph graph, Set<String> removed, List<Op> added, Map<String, String> anchors) {
        Map<String, String> blockOf = new LinkedHashMap<>();
        graph.blocks().forEach(block -> block.ops().forEach(op -> blockOf.put(op, block.name())));
        Map<String, List<String>> blockOps = new LinkedHashMap<>();
        graph.blocks().forEach(block -> blockOps.put(block.name(), new ArrayList<>()));
        ProgramGraph.Builder builder = ProgramGraph.builder();
        graph.inputs().forEach(builder::input);
        boolean placed = false;
        for (Op op : graph.ops()) {
            if (!removed.contains(op.name())) {
                builder.add(op);
                String block = blockOf.get(op.name());
                if (block != null) {
                    blockOps.get(block).add(op.name());
                }
            } else if (!placed) {
                placed = true;
                for (Op fresh : added) {
                    builder.add(fresh);
                    String block = blockOf.get(anchors.get(fresh.name()));
                    if (block != null) {
                        blockOps.get(block).add(fresh.name());
                    }
                }
            }
        }
        if (!placed) {
            added.forEach(builder::add);
        }
        graph.outputs().forEach(builder::output);
        blockOps.forEach((name, ops) -> {
            if (!ops.isEmpty()) {
                builder.block(name, ops);
            }
        });
        return builder.build();
    }

    /** ops with their names and the names of the tensors they read replaced by rename. */
    static List<Op> renamed(List<Op> ops, UnaryOperator<String> rename) {
        List<Op> result = new ArrayList<>();
        for (Op op : ops) {
            result.add(new Op(rename.apply(op.name()), op.type(), op.inputs().stream().map(rename).toList(),
                    op.params()));
        }
        return result;
    }

    /**
     * child's shapes when all its ops fit and its outputs have the shapes of parent's outputs; empty otherwise: a
     * child that fails this is never handed on.
     */
    static Optional<TensorShapes> shapesIfFits(ProgramGraph child, ProgramGraph parent,
                                              Map<String, TensorShape> inputShapes) {
        TensorShapes childShapes;
        try {
            childShapes = ShapeInference.infer(child, inputShapes);
        } catch (IllegalArgumentException doesNotFit) {
            return Optional.empty();
        }
        if (!child.outputs().equals(parent.outputs())) {
            return Optional.empty();
        }
        TensorShapes parentShapes = ShapeInference.infer(parent, inputShapes);
        for (String output : parent.outputs()) {
            if (!childShapes.of(output).equals(parentShapes.of(output))) {
                return Optional.empty();
            }
        }
        return Optional.of(childShapes);
    }

    /** The ops of graph that nothing reads and that are not graph outputs, among candidates, repeatedly. */
    static Set<String> deadOps(ProgramGraph graph, Set<String> candidates) {
        Set<String> dead = new HashSet<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (Op op : graph.ops()) {
                if (candidates.contains(op.name()) && !dead.contains(op.name())
                        && !graph.outputs().contains(op.name())
                        && graph.consumers(op.name()).stream().allMatch(reader -> dead.contains(reader.name()))) {
                    dead.add(op.name());
                    changed = true;
                }
            }
        }
        return dead;
    }
}
