package dev.jnas.search.alphanas.synthesis;

import dev.jnas.search.alphanas.Subgraph;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.ProgramGraph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The reference's random subgraph selection: a random op, then, with probability growProbability each time, one
 * more op drawn from the neighbours of the region (ops that write a tensor it reads or read a tensor it writes),
 * up to ceil(maxFraction · ops) ops and at least one. CIFAR-10 defaults: p = 0.75, maxFraction = 0.8.
 */
public record SubgraphSelector(double growProbability, double maxFraction) {

    public SubgraphSelector {
        if (!(growProbability >= 0 && growProbability <= 1)) {
            throw new IllegalArgumentException("the grow probability lies in [0, 1], got " + growProbability);
        }
        if (!(maxFraction > 0 && maxFraction <= 1)) {
            throw new IllegalArgumentException("the largest fraction of ops lies in (0, 1], got " + maxFraction);
        }
    }

    public static SubgraphSelector cifar() {
        return new SubgraphSelector(0.75, 0.8);
    }

    /** A region of the whole graph. */
    public Subgraph select(ProgramGraph graph, RandomGenerator random) {
        return select(graph, graph.ops().stream().map(Op::name).toList(), random);
    }

    /** A region among the candidates (e.g. a block's ops), growing only through candidates. */
    public Subgraph select(ProgramGraph graph, List<String> candidates, RandomGenerator random) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no ops to select a subgraph from");
        }
        Set<String> allowed = new LinkedHashSet<>(candidates);
        int maxSize = Math.max(1, (int) Math.ceil(maxFraction * allowed.size()));
        Set<String> region = new LinkedHashSet<>();
        region.add(candidates.get(random.nextInt(candidates.size())));
        while (region.size() < maxSize && random.nextDouble() < growProbability) {
            List<String> neighbours = neighbours(graph, region, allowed);
            if (neighbours.isEmpty()) {
                break;
            }
            region.add(neighbours.get(random.nextInt(neighbours.size())));
        }
        return Subgraph.ofOps(graph, region);
    }

    /** The allowed ops outside region that write a tensor it reads or read one it writes, in graph order. */
    static List<String> neighbours(ProgramGraph graph, Set<String> region, Set<String> allowed) {
        Set<String> adjacent = new LinkedHashSet<>();
        for (String name : region) {
            for (String input : graph.op(name).inputs()) {
                adjacent.add(input);
            }
            for (Op reader : graph.consumers(name)) {
                adjacent.add(reader.name());
            }
        }
        List<String> neighbours = new ArrayList<>();
        for (Op op : graph.ops()) {
            if (adjacent.contains(op.name()) && allowed.contains(op.name()) && !region.contains(op.name())) {
                neighbours.add(op.name());
            }
        }
        return neighbours;
    }
}
