package dev.jnas.search.alphanas.synthesis;

import dev.jnas.search.alphanas.Subgraph;
import dev.jnas.space.program.Block;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.TensorShapes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Block-level edits of mutate-by-block: duplicating a block after itself, deleting one, and copying one block's
 * ops over another instance of the same kind. A block can be duplicated or deleted only where it reads one tensor
 * and writes one tensor (not a graph output) of the same shape, so the rest of the graph reads the same shapes.
 */
final class BlockEdits {
    private BlockEdits() {
    }

    /**
     * The structure of a block regardless of names: the fingerprint of its ops as a graph from its inputs to its
     * outputs. Blocks of one kind are instances of one design (e.g. the identity blocks of a ResNet stage).
     */
    static long kind(ProgramGraph graph, Block block) {
        Subgraph region = Subgraph.ofBlock(graph, block.name());
        ProgramGraph.Builder builder = ProgramGraph.builder();
        region.inputs().forEach(builder::input);
        region.orderedOps().forEach(builder::add);
        region.outputs().forEach(builder::output);
        return Fingerprint.of(builder.build());
    }

    /** Whether block reads one tensor and writes one tensor of the same shape that is not a graph output. */
    static boolean shapePreserving(ProgramGraph graph, Block block, TensorShapes shapes) {
        Subgraph region = Subgraph.ofBlock(graph, block.name());
        return region.inputs().size() == 1 && region.outputs().size() == 1
                && !graph.outputs().contains(region.outputs().get(0))
                && shapes.of(region.inputs().get(0)).equals(shapes.of(region.outputs().get(0)));
    }

    /** graph with a copy of block (a new block, renamed) reading the block's output and read in its place. */
    static ProgramGraph duplicate(ProgramGraph graph, Block block) {
        Subgraph region = Subgraph.ofBlock(graph, block.name());
        String input = region.inputs().get(0);
        String output = region.outputs().get(0);
        Set<String> blockNames = new HashSet<>();
        graph.blocks().forEach(existing -> blockNames.add(existing.name()));
        String copyName = new FreshNames(blockNames).fresh(block.name() + ".copy");
        Map<String, String> renaming = renaming(graph, region, block.name(), copyName);
        renaming.put(input, output);
        List<Op> copy = GraphEdits.renamed(region.orderedOps(), name -> renaming.getOrDefault(name, name));
        String copiedOutput = renaming.get(output);

        ProgramGraph.Builder builder = ProgramGraph.builder();
        graph.inputs().forEach(builder::input);
        for (Op op : graph.ops()) {
            builder.add(region.ops().contains(op.name()) ? op : GraphEdits.renamed(List.of(op),
                    name -> name.equals(output) ? copiedOutput : name).get(0));
            if (op.name().equals(output)) {
                copy.forEach(builder::add);
            }
        }
        graph.outputs().forEach(builder::output);
        for (Block existing : graph.blocks()) {
            builder.block(existing.name(), existing.ops());
            if (existing.equals(block)) {
                builder.block(copyName, copy.stream().map(Op::name).toList());
            }
        }
        return builder.build();
    }

    /** graph without block, its readers reading the block's input instead. */
    static ProgramGraph delete(ProgramGraph graph, Block block) {
        Subgraph region = Subgraph.ofBlock(graph, block.name());
        String input = region.inputs().get(0);
        String output = region.outputs().get(0);
        ProgramGraph.Builder builder = ProgramGraph.builder();
        graph.inputs().forEach(builder::input);
        for (Op op : graph.ops()) {
            if (!region.ops().contains(op.name())) {
                builder.add(GraphEdits.renamed(List.of(op), name -> name.equals(output) ? input : name).get(0));
            }
        }
        graph.outputs().forEach(builder::output);
        graph.blocks().stream().filter(existing -> !existing.equals(block))
                .forEach(existing -> builder.block(existing.name(), existing.ops()));
        return builder.build();
    }

    /**
     * graph with target's ops replaced by a copy of source's, renamed into target: the copy reads target's inputs
     * and writes target's outputs, position by position. Empty where the two differ in their numbers of inputs or
     * outputs.
     */
    static Optional<ProgramGraph> copyOver(ProgramGraph graph, Block source, Block target) {
        Subgraph from = Subgraph.ofBlock(graph, source.name());
        Subgraph to = Subgraph.ofBlock(graph, target.name());
        if (from.inputs().size() != to.inputs().size() || from.outputs().size() != to.outputs().size()) {
            return Optional.empty();
        }
        Set<String> freed = new HashSet<>(to.ops());
        to.outputs().forEach(freed::remove);
        Map<String, String> renaming = renaming(graph, from, source.name(), target.name(), freed);
        for (int index = 0; index < from.inputs().size(); index++) {
            renaming.put(from.inputs().get(index), to.inputs().get(index));
        }
        for (int index = 0; index < from.outputs().size(); index++) {
            renaming.put(from.outputs().get(index), to.outputs().get(index));
        }
        List<Op> copy = GraphEdits.renamed(from.orderedOps(), name -> renaming.getOrDefault(name, name));
        Map<String, String> anchors = new HashMap<>();
        String anchor = to.orderedOps().get(0).name();
        copy.forEach(op -> anchors.put(op.name(), anchor));
        return Optional.of(GraphEdits.replace(graph, to.ops(), copy, anchors));
    }

    private static Map<String, String> renaming(ProgramGraph graph, Subgraph region, String from, String to) {
        return renaming(graph, region, from, to, Set.of());
    }

    /**
     * Fresh names in graph for region's ops, their prefix from replaced by to ("stage1.block0.conv1" becomes
     * "stage1.block2.conv1"); names of the ops in freed may be reused.
     */
    private static Map<String, String> renaming(ProgramGraph graph, Subgraph region, String from, String to,
                                                Set<String> freed) {
        Set<String> taken = new HashSet<>(graph.inputs());
        graph.ops().forEach(op -> taken.add(op.name()));
        taken.removeAll(freed);
        FreshNames names = new FreshNames(taken);
        Map<String, String> renaming = new HashMap<>();
        for (Op op : region.orderedOps()) {
            String base = op.name().startsWith(from + ".") ? to + op.name().substring(from.length())
                    : to + "." + op.name();
            renaming.put(op.name(), names.fresh(base));
        }
        return renaming;
    }
}
