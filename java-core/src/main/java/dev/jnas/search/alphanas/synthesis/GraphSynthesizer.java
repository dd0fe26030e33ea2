package dev.jnas.search.alphanas.synthesis;

import dev.jnas.search.alphanas.Subgraph;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The reference's graph synthesizer: keeps a region's skeleton (binary ops, flatten, branch points) and
 * re-synthesizes each {@link SequentialEdge} between skeleton points with the {@link ProgressiveSynthesizer}.
 * Each edge must satisfy its own properties, inferred on the original edge and relaxed with the mutation rates
 * (a region that is one edge uses the region's relaxed properties instead). As in the reference, a region of
 * several edges is held to its edges' properties and its output shapes, not to its own relaxed mixing and depth:
 * those were relaxed independently of the edges'. Every edge keeps its output shape (the reference constrains
 * only the final one), since a binary op needs equal shapes and the region's outputs keep theirs, except an edge
 * into a flatten read only inside the region, whose width the ops after the flatten absorb. Before that, with
 * probability 0.2 per binary op, one of its inputs is dropped (the op becomes an identity of the other) when the
 * region without that branch still satisfies the requested properties. The child is spliced only if its shapes
 * fit.
 */
public final class GraphSynthesizer {
    private static final double DROP_BRANCH_PROBABILITY = 0.2;

    private final ProgressiveSynthesizer sequences;
    private final MutationRates rates;

    public GraphSynthesizer(ProgressiveSynthesizer sequences, MutationRates rates) {
        this.sequences = sequences;
        this.rates = rates;
    }

    /** One re-synthesized edge: what it had to satisfy and the chain found (named as in its task's graphs). */
    public record Edge(SequenceTask task, List<OpSpec> chain) {
    }

    /**
     * A child: the parent with the region replaced, the names of the replacing ops, and each edge synthesized.
     */
    public record Synthesis(ProgramGraph child, List<String> ops, List<Edge> edges) {
    }

    /**
     * Replaces region (of parent, whose inputs have the given shapes) by a synthesized one satisfying requested
     * (the region's relaxed properties); empty when an edge finds no chain or the child's shapes do not fit.
     */
    public Optional<Synthesis> synthesize(Subgraph region, Map<String, TensorShape> inputShapes,
                                          PropertySet requested, RandomGenerator random) {
        Subgraph working = dropBranches(region, inputShapes, requested, random);
        ProgramGraph graph = working.graph();
        TensorShapes shapes = ShapeInference.infer(graph, inputShapes);
        List<SequentialEdge> edges = SequentialEdge.of(working);
        boolean singleEdge = edges.size() == 1 && edges.get(0).ops().size() == working.ops().size()
                && working.outputs().size() == 1;
        Map<String, SequentialEdge> edgeByFirstOp = new HashMap<>();
        edges.forEach(edge -> edgeByFirstOp.put(edge.ops().get(0).name(), edge));

        Set<String> others = new HashSet<>();
        graph.ops().forEach(op -> others.add(op.name()));
        others.addAll(graph.inputs());
        others.removeAll(working.ops());
        FreshNames names = new FreshNames(others);
        working.ops().forEach(names::reserve);

        Map<String, TensorShape> current = new HashMap<>();
        working.inputs().forEach(input -> current.put(input, shapes.of(input)));
        List<Op> replacement = new ArrayList<>();
        Map<String, String> anchors = new HashMap<>();
        List<Edge> synthesized = new ArrayList<>();
        for (Op op : working.orderedOps()) {
            if (SequentialEdge.isSkeleton(op, working)) {
                try {
                    current.put(op.name(), ShapeInference.output(op, op.inputs().stream().map(current::get).toList()));
                } catch (IllegalArgumentException doesNotFit) {
                    return Optional.empty();
                }
                replacement.add(op);
                anchors.put(op.name(), op.name());
                continue;
            }
            SequentialEdge edge = edgeByFirstOp.get(op.name());
            if (edge == null) {
                continue;
            }
            PropertySet edgeRequest = singleEdge ? requested : edgeProperties(edge, working, shapes, random);
            boolean keepShape = !feedsInnerFlatten(edge, working);
            SequenceTask task = new SequenceTask(edge.source(), current.get(edge.source()), edge.end(),
                    edgeRequest.withShapes(Map.of(edge.source(), current.get(edge.source())), keepShape),
                    edge.ops().size());
            Optional<List<OpSpec>> chain = sequences.synthesize(task, random);
            if (chain.isEmpty()) {
                return Optional.empty();
            }
            synthesized.add(new Edge(task, chain.get()));
            current.put(edge.end(), task.shapesOf(chain.get()).orElseThrow().of(edge.end()));
            replacement.addAll(place(task, chain.get(), names, anchors));
        }
        ProgramGraph child = GraphEdits.replace(graph, working.ops(), replacement, anchors);
        Optional<TensorShapes> childShapes = GraphEdits.shapesIfFits(child, region.graph(), inputShapes);
        if (childShapes.isEmpty() || !keepsOutputShapes(childShapes.get(), requested)) {
            return Optional.empty();
        }
        return Optional.of(new Synthesis(child, replacement.stream().map(Op::name).toList(), synthesized));
    }

    private PropertySet edgeProperties(SequentialEdge edge, Subgraph region, TensorShapes shapes,
                                       RandomGenerator random) {
        Subgraph original = Subgraph.ofOps(region.graph(), edge.ops().stream().map(Op::name).toList());
        return PropertySet.infer(original, shapes).mutate(rates, random);
    }

    /** Whether the edge ends in a flatten whose output stays inside the region (so its width is free). */
    private static boolean feedsInnerFlatten(SequentialEdge edge, Subgraph region) {
        if (region.outputs().contains(edge.end())) {
            return false;
        }
        Op reader = region.graph().consumers(edge.end()).get(0);
        return reader.type() == OpType.FLATTEN && !region.outputs().contains(reader.name());
    }

    /**
     * The chain as ops of the child: the last keeps the edge's end name, the others get fresh names after their
     * type under the end's prefix ("stage1.block0.conv2" gives "stage1.block0.relu", "stage1.block0.relu_2").
     */
    private static List<Op> place(SequenceTask task, List<OpSpec> chain, FreshNames names,
                                  Map<String, String> anchors) {
        List<Op> ops = new ArrayList<>();
        if (chain.isEmpty()) {
            ops.add(Op.of(OpType.IDENTITY, task.output(), task.input()));
        }
        int dot = task.output().lastIndexOf('.');
        String prefix = dot < 0 ? "" : task.output().substring(0, dot + 1);
        String previous = task.input();
        for (int index = 0; index < chain.size(); index++) {
            String name = index == chain.size() - 1 ? task.output()
                    : names.fresh(prefix + chain.get(index).type().name().toLowerCase(Locale.ROOT));
            ops.add(chain.get(index).toOp(name, previous));
            previous = name;
        }
        ops.forEach(op -> anchors.put(op.name(), task.output()));
        return ops;
    }

    private static boolean keepsOutputShapes(TensorShapes childShapes, PropertySet requested) {
        return requested.shape().outputs().entrySet().stream()
                .allMatch(output -> childShapes.of(output.getKey()).equals(output.getValue()));
    }

    /**
     * region with, per binary op and with probability 0.2, one random input dropped (the op becomes an identity
     * of the other input, and ops left unread go) where the region then still satisfies requested.
     */
    private static Subgraph dropBranches(Subgraph region, Map<String, TensorShape> inputShapes,
                                         PropertySet requested, RandomGenerator random) {
        Subgraph current = region;
        for (Op op : region.orderedOps()) {
            boolean binary = op.type() == OpType.ADD || op.type() == OpType.MUL;
            if (!binary || !current.ops().contains(op.name()) || random.nextDouble() >= DROP_BRANCH_PROBABILITY) {
                continue;
            }
            String kept = op.inputs().get(random.nextInt(2));
            ProgramGraph graph = GraphEdits.replace(current.graph(), Set.of(op.name()),
                    List.of(Op.of(OpType.IDENTITY, op.name(), kept)), Map.of(op.name(), op.name()));
            Set<String> dead = GraphEdits.deadOps(graph, graph.ops().stream().map(Op::name)
                    .filter(name -> !region.ops().contains(name)).collect(HashSet::new, Set::add, Set::addAll));
            if (!dead.isEmpty()) {
                continue;
            }
            Set<String> deadInside = GraphEdits.deadOps(graph, current.ops());
            graph = GraphEdits.replace(graph, deadInside, List.of(), Map.of());
            Set<String> remaining = new LinkedHashSet<>();
            for (Op member : current.orderedOps()) {
                if (!deadInside.contains(member.name())) {
                    remaining.add(member.name());
                }
            }
            Subgraph dropped = Subgraph.ofOps(graph, remaining);
            if (requested.satisfiedBy(PropertySet.infer(dropped, ShapeInference.infer(graph, inputShapes)))) {
                current = dropped;
            }
        }
        return current;
    }
}
