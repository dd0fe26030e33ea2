package dev.jnas.search.alphanas.synthesis;

import dev.jnas.search.alphanas.Subgraph;
import dev.jnas.space.program.Block;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * αNAS's mutation, the one entry point evolution uses: proposes a child of a parent graph, or nothing when no
 * attempt (1 + retries) made one. An attempt, by block (the reference's default) where the parent has blocks:
 * with probability 0.2 duplicates a random block, 0.2 deletes one (one of at least two of its kind), both only
 * among blocks that read and write one tensor of one shape; otherwise it selects a random subgraph inside a random
 * block, infers its properties, relaxes them and synthesizes a replacement, then copies the new block over each
 * other instance of its kind with probability 0.2. Without blocks the subgraph is selected from the whole graph. A
 * child is handed on only if its shapes fit and its {@link Fingerprint} differs from the parent's.
 */
public final class ProgramMutator {
    private static final double DUPLICATE_PROBABILITY = 0.2;
    private static final double DELETE_PROBABILITY = 0.2;
    private static final double OTHER_INSTANCE_PROBABILITY = 0.2;
    /** The reference's synthesis_retries. */
    public static final int DEFAULT_RETRIES = 1;

    private final Map<String, TensorShape> inputShapes;
    private final SubgraphSelector selector;
    private final MutationRates rates;
    private final GraphSynthesizer synthesizer;
    private final int retries;
    private final boolean byBlock;

    /**
     * A mutator for graphs whose inputs have the given shapes (batch included), selecting with selector, relaxing
     * with rates, synthesizing from alphabet; retries further attempts after a failed one; byBlock mutates by
     * block where the parent has blocks.
     */
    public ProgramMutator(Map<String, TensorShape> inputShapes, SubgraphSelector selector, MutationRates rates,
                          Alphabet alphabet, int retries, boolean byBlock) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more, got " + retries);
        }
        this.inputShapes = Map.copyOf(inputShapes);
        this.selector = selector;
        this.rates = rates;
        this.synthesizer = new GraphSynthesizer(new ProgressiveSynthesizer(alphabet), rates);
        this.retries = retries;
        this.byBlock = byBlock;
    }

    /** The reference's CIFAR-10 settings for graphs with one input named input of shape inputShape. */
    public static ProgramMutator cifar(String input, TensorShape inputShape, Alphabet alphabet) {
        return new ProgramMutator(Map.of(input, inputShape), SubgraphSelector.cifar(), MutationRates.cifar(),
                alphabet, DEFAULT_RETRIES, true);
    }

    /** A child of parent that differs from it, or empty when no attempt made one. */
    public Optional<ProgramGraph> mutate(ProgramGraph parent, SplittableRandom random) {
        long parentPrint = Fingerprint.of(parent);
        for (int attempt = 0; attempt <= retries; attempt++) {
            Optional<ProgramGraph> child = attempt(parent, random);
            if (child.isPresent() && Fingerprint.of(child.get()) != parentPrint) {
                return child;
            }
        }
        return Optional.empty();
    }

    private Optional<ProgramGraph> attempt(ProgramGraph parent, SplittableRandom random) {
        if (!byBlock || parent.blocks().isEmpty()) {
            return resynthesize(parent, selector.select(parent, random), random).map(GraphSynthesizer.Synthesis::child);
        }
        TensorShapes shapes = ShapeInference.infer(parent, inputShapes);
        double roll = random.nextDouble();
        if (roll < DUPLICATE_PROBABILITY) {
            List<Block> candidates = parent.blocks().stream()
                    .filter(block -> BlockEdits.shapePreserving(parent, block, shapes)).toList();
            return pick(candidates, random).map(block -> BlockEdits.duplicate(parent, block))
                    .flatMap(child -> fits(parent, child));
        }
        if (roll < DUPLICATE_PROBABILITY + DELETE_PROBABILITY) {
            List<Block> candidates = parent.blocks().stream()
                    .filter(block -> BlockEdits.shapePreserving(parent, block, shapes))
                    .filter(block -> instancesOfKind(parent, block).size() > 1).toList();
            return pick(candidates, random).map(block -> BlockEdits.delete(parent, block))
                    .flatMap(child -> fits(parent, child));
        }
        Block block = parent.blocks().get(random.nextInt(parent.blocks().size()));
        Optional<GraphSynthesizer.Synthesis> synthesis =
                resynthesize(parent, selector.select(parent, block.ops(), random), random);
        if (synthesis.isEmpty()) {
            return Optional.empty();
        }
        ProgramGraph child = synthesis.get().child();
        for (Block other : instancesOfKind(parent, block)) {
            if (!other.equals(block) && random.nextDouble() < OTHER_INSTANCE_PROBABILITY) {
                ProgramGraph current = child;
                child = BlockEdits.copyOver(current, current.block(block.name()), current.block(other.name()))
                        .flatMap(copied -> fits(parent, copied)).orElse(current);
            }
        }
        return Optional.of(child);
    }

    private Optional<GraphSynthesizer.Synthesis> resynthesize(ProgramGraph parent, Subgraph region,
                                                              SplittableRandom random) {
        TensorShapes shapes = ShapeInference.infer(parent, inputShapes);
        PropertySet requested = PropertySet.infer(region, shapes).mutate(rates, random);
        return synthesizer.synthesize(region, inputShapes, requested, random);
    }

    /** The blocks of graph with block's structure (block included). */
    private static List<Block> instancesOfKind(ProgramGraph graph, Block block) {
        long kind = BlockEdits.kind(graph, block);
        return graph.blocks().stream().filter(other -> BlockEdits.kind(graph, other) == kind).toList();
    }

    private Optional<ProgramGraph> fits(ProgramGraph parent, ProgramGraph child) {
        return GraphEdits.shapesIfFits(child, parent, inputShapes).map(shapes -> child);
    }

    private static <T> Optional<T> pick(List<T> items, SplittableRandom random) {
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(random.nextInt(items.size())));
    }
}
