package dev.jnas.search.alphanas.synthesis;

import dev.jnas.search.alphanas.Subgraph;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A chain of unary ops of a region between two points of its skeleton: from source (a region input or a skeleton
 * op's output) through ops, each read only by the next, to the last op, which a skeleton op reads or which leaves
 * the region. The skeleton is what graph synthesis keeps: binary ops (add, mul), flatten, and any op read more
 * than once (a branch point).
 */
record SequentialEdge(String source, List<Op> ops) {

    SequentialEdge {
        ops = List.copyOf(ops);
    }

    String end() {
        return ops.get(ops.size() - 1).name();
    }

    /** Whether op is kept by graph synthesis rather than re-synthesized. */
    static boolean isSkeleton(Op op, Subgraph region) {
        return op.type() == OpType.ADD || op.type() == OpType.MUL || op.type() == OpType.FLATTEN
                || readers(op.name(), region) != 1;
    }

    /** How many ops of the region read tensor, plus one if it leaves the region. */
    static int readers(String tensor, Subgraph region) {
        int inside = (int) region.graph().consumers(tensor).stream()
                .filter(reader -> region.ops().contains(reader.name())).count();
        return inside + (region.outputs().contains(tensor) ? 1 : 0);
    }

    /** The region's non-empty edges, ordered by their first op. */
    static List<SequentialEdge> of(Subgraph region) {
        ProgramGraph graph = region.graph();
        Set<String> skeletonTensors = new HashSet<>(region.inputs());
        for (Op op : region.orderedOps()) {
            if (isSkeleton(op, region)) {
                skeletonTensors.add(op.name());
            }
        }
        List<SequentialEdge> edges = new ArrayList<>();
        for (Op first : region.orderedOps()) {
            if (isSkeleton(first, region) || !skeletonTensors.contains(first.inputs().get(0))) {
                continue;
            }
            List<Op> chain = new ArrayList<>(List.of(first));
            Op last = first;
            while (!region.outputs().contains(last.name())) {
                Op next = graph.consumers(last.name()).get(0);
                if (isSkeleton(next, region)) {
                    break;
                }
                chain.add(next);
                last = next;
            }
            edges.add(new SequentialEdge(first.inputs().get(0), chain));
        }
        return edges;
    }
}
