package dev.jnas.search.alphanas.evolution;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * αNAS's targeted evolution: the candidates of one Pareto draw narrowed to those that dominate the seed model
 * (quality at least the seed's, cost at most the seed's, the cost being the draw's objective) plus as many of the
 * others, so that the search pushes the front out past the seed rather than anywhere. The seed's point is the worst
 * of its individuals: the lowest quality and the highest cost among them, as in the reference.
 *
 * <p>The reference adds each other candidate independently with probability dominating / others, an equal number
 * on average; here exactly min(dominating, others) of them are drawn uniformly without replacement, so the pool's
 * size does not depend on luck. While none of the candidates dominates the seed (its own individuals aged out or
 * below the minimum accuracy), there is nothing to target and the candidates stay whole.
 */
final class TargetedEvolution {
    private TargetedEvolution() {
    }

    /**
     * The candidates kept for a draw weighed by objective, in their given order.
     *
     * @param qualities  every individual's quality, in population order
     * @param candidates indices into population
     * @param objective  {@link ParentSelection.Objective#PARAMETERS} or {@link ParentSelection.Objective#MACS}
     */
    static List<Integer> pool(List<Individual> population, double[] qualities, List<Integer> candidates,
                              ParentSelection.Objective objective, SplittableRandom random) {
        double seedQuality = Double.POSITIVE_INFINITY;
        double seedCost = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < population.size(); i++) {
            if (population.get(i).parent().isEmpty()) {
                seedQuality = Math.min(seedQuality, qualities[i]);
                seedCost = Math.max(seedCost, ParentSelection.cost(population.get(i), objective));
            }
        }
        if (seedCost == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("targeted evolution needs the seed model's individuals in the "
                    + "population, which has none");
        }
        List<Integer> dominating = new ArrayList<>();
        List<Integer> others = new ArrayList<>();
        for (int i : candidates) {
            boolean dominates = qualities[i] >= seedQuality
                    && ParentSelection.cost(population.get(i), objective) <= seedCost;
            (dominates ? dominating : others).add(i);
        }
        if (dominating.isEmpty()) {
            return candidates;
        }
        // A partial Fisher–Yates shuffle: its first draws are a uniform sample without replacement.
        int drawn = Math.min(dominating.size(), others.size());
        for (int k = 0; k < drawn; k++) {
            int pick = k + random.nextInt(others.size() - k);
            others.set(pick, others.set(k, others.get(pick)));
        }
        Set<Integer> kept = new HashSet<>(dominating);
        kept.addAll(others.subList(0, drawn));
        return candidates.stream().filter(kept::contains).toList();
    }
}
