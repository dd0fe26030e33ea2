package dev.jnas.search.alphanas.evolution;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How programs are judged, and how their fitness becomes the one quality (higher is better, positive for any
 * usable program) that parent selection and the Pareto front weigh against parameters and MACs.
 */
public enum FitnessKind {
    /** Short training; the quality is the test accuracy. */
    TRAIN("train") {
        @Override
        public double[] qualities(List<Fitness> population) {
            return population.stream().mapToDouble(Fitness::accuracy).toArray();
        }
    },
    /**
     * κ, linear regions and NASWOT at initialization; the quality is TE-NAS's rank sum within the population, over
     * κ (lower is better) and NASWOT (higher is better): 1 − (rank_κ + rank_NASWOT) / (2n) with ranks from 0 for the
     * best, so it lies in (0, 1]. NASWOT takes the place of TE-NAS's linear-region count because on a whole network
     * with image inputs nearly every sample has its own ReLU pattern: the count sits at the batch size and says
     * nothing. Being relative, a program's quality changes as the population grows; selection recomputes it.
     */
    TRAINING_FREE("training-free") {
        @Override
        public double[] qualities(List<Fitness> population) {
            int n = population.size();
            int[] kappaRanks = ranks(population.stream().mapToDouble(f -> orderable(f.ntkCondition())).toArray());
            int[] naswotRanks = ranks(population.stream().mapToDouble(f -> orderable(-f.naswot())).toArray());
            double[] qualities = new double[n];
            for (int i = 0; i < n; i++) {
                qualities[i] = 1 - (kappaRanks[i] + naswotRanks[i]) / (2.0 * n);
            }
            return qualities;
        }
    };

    private final String optionName;

    FitnessKind(String optionName) {
        this.optionName = optionName;
    }

    /** The name in --fitness and in a run's key. */
    public String optionName() {
        return optionName;
    }

    /** Each program's quality in this population, in its order. */
    public abstract double[] qualities(List<Fitness> population);

    /** @throws IllegalArgumentException listing the known names */
    public static FitnessKind parse(String name) {
        for (FitnessKind kind : values()) {
            if (kind.optionName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown fitness '" + name + "'; known: "
                + Arrays.stream(values()).map(FitnessKind::optionName).collect(Collectors.joining(", ")));
    }

    /** A measurement where lower is better, with NaN (not measured, or an invalid κ) after every number. */
    private static double orderable(double value) {
        return Double.isNaN(value) ? Double.POSITIVE_INFINITY : value;
    }

    /** Competition ranks for lower-is-better values: 0 for the lowest, ties share the lowest rank among them. */
    static int[] ranks(double[] values) {
        int[] ranks = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            for (double other : values) {
                if (other < values[i]) {
                    ranks[i]++;
                }
            }
        }
        return ranks;
    }
}
