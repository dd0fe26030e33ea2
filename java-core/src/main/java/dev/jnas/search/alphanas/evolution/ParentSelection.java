package dev.jnas.search.alphanas.evolution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * αNAS's population manager: picks the parent of the next child. Programs whose quality is below the minimum
 * accuracy ({@link FitnessKind#TRAIN} only) or not positive are passed over; if that leaves none, every program
 * may be picked, uniformly. Then, with probability {@value #ACCURACY_ONLY_PROBABILITY}, each program weighs
 * top quality / its quality; otherwise, half the time each, its {@link ParetoWeights} of quality against
 * parameters or against MACs. The best max({@value #MIN_TO_SELECT}, {@value #FRACTION_TO_SELECT} of the population)
 * by weight stay, their weights are mapped onto [0, 1], and one is drawn with probability ∝ 10^(−weight).
 */
public final class ParentSelection {
    public static final double ACCURACY_ONLY_PROBABILITY = 0.2;
    public static final int MIN_TO_SELECT = 10;
    public static final double FRACTION_TO_SELECT = 0.1;

    /** What the parent was weighed by. */
    public enum Objective {
        /** Quality alone. */
        QUALITY,
        /** Quality against parameters. */
        PARAMETERS,
        /** Quality against multiply-accumulates. */
        MACS,
        /** Nothing: no program was usable, so all were equally likely. */
        UNIFORM
    }

    /** The chosen parent and what it was weighed by. */
    public record Choice(Individual parent, Objective objective) {
    }

    private final FitnessKind kind;
    private final double minAccuracy;

    /** @param minAccuracy the reference's min_acc, in [0, 1]; it applies to trained programs only */
    public ParentSelection(FitnessKind kind, double minAccuracy) {
        if (!(minAccuracy >= 0 && minAccuracy <= 1)) {
            throw new IllegalArgumentException("the minimum accuracy lies in [0, 1], got " + minAccuracy);
        }
        this.kind = kind;
        this.minAccuracy = minAccuracy;
    }

    public Choice select(List<Individual> population, SplittableRandom random) {
        if (population.isEmpty()) {
            throw new IllegalArgumentException("cannot select a parent from an empty population");
        }
        double[] allQualities = kind.qualities(population.stream().map(Individual::fitness).toList());
        double floor = kind == FitnessKind.TRAIN ? minAccuracy : 0;
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < population.size(); i++) {
            if (allQualities[i] >= floor && allQualities[i] > 0) {
                eligible.add(i);
            }
        }
        if (eligible.isEmpty()) {
            return new Choice(population.get(random.nextInt(population.size())), Objective.UNIFORM);
        }
        double[] quality = eligible.stream().mapToDouble(i -> allQualities[i]).toArray();
        Objective objective = random.nextDouble() < ACCURACY_ONLY_PROBABILITY ? Objective.QUALITY
                : random.nextBoolean() ? Objective.PARAMETERS : Objective.MACS;
        double[] weights = switch (objective) {
            case QUALITY -> qualityWeights(quality);
            case PARAMETERS -> ParetoWeights.of(quality, costs(population, eligible, Objective.PARAMETERS));
            case MACS -> ParetoWeights.of(quality, costs(population, eligible, Objective.MACS));
            case UNIFORM -> throw new IllegalStateException("uniform is only the fallback");
        };
        int picked = sample(weights, keep(population.size()), random);
        return new Choice(population.get(eligible.get(picked)), objective);
    }

    /** How many of the best-weighted programs stay in the draw. */
    static int keep(int populationSize) {
        return Math.max(MIN_TO_SELECT, (int) Math.ceil(FRACTION_TO_SELECT * populationSize));
    }

    /** top / quality: 1 for the best, more for worse. */
    static double[] qualityWeights(double[] quality) {
        double top = 0;
        for (double q : quality) {
            top = Math.max(top, q);
        }
        double[] weights = new double[quality.length];
        for (int i = 0; i < quality.length; i++) {
            weights[i] = top / quality[i];
        }
        return weights;
    }

    /**
     * Draws an index: the keep lowest weights (ties by index) are mapped onto [0, 1] and weighed 10^(−w); the rest
     * are never drawn.
     */
    static int sample(double[] weights, int keep, SplittableRandom random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> weights[i]));
        List<Integer> kept = order.subList(0, Math.min(keep, order.size()));
        double[] keptWeights = ParetoWeights.normalized(kept.stream().mapToDouble(i -> weights[i]).toArray());
        double[] cumulative = new double[kept.size()];
        double total = 0;
        for (int k = 0; k < kept.size(); k++) {
            total += Math.pow(10, -keptWeights[k]);
            cumulative[k] = total;
        }
        double u = random.nextDouble() * total;
        for (int k = 0; k < kept.size(); k++) {
            if (u < cumulative[k]) {
                return kept.get(k);
            }
        }
        return kept.getLast();
    }

    private static double[] costs(List<Individual> population, List<Integer> eligible, Objective objective) {
        return eligible.stream().mapToDouble(i -> {
            Fitness fitness = population.get(i).fitness();
            return objective == Objective.PARAMETERS ? fitness.parameters() : fitness.macs();
        }).toArray();
    }
}
