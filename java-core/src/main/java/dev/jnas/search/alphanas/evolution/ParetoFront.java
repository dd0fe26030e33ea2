package dev.jnas.search.alphanas.evolution;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The Pareto-optimal individuals of a population, quality against parameters and quality against MACs, each
 * by increasing cost; individuals whose quality is not a positive number are left out.
 *
 * @param byParameters the front of quality against parameters
 * @param byMacs       the front of quality against multiply-accumulates
 * @param qualities    every individual's quality in the whole population ({@link FitnessKind#qualities}), in
 *                     population order
 */
public record ParetoFront(List<Individual> byParameters, List<Individual> byMacs, double[] qualities) {

    public static ParetoFront of(List<Individual> population, FitnessKind kind) {
        double[] qualities = kind.qualities(population.stream().map(Individual::fitness).toList());
        return new ParetoFront(front(population, qualities, individual -> individual.fitness().parameters()),
                front(population, qualities, individual -> individual.fitness().macs()), qualities);
    }

    private static List<Individual> front(List<Individual> population, double[] qualities,
                                          ToDoubleFunction<Individual> cost) {
        List<Integer> usable = new ArrayList<>();
        for (int i = 0; i < population.size(); i++) {
            if (qualities[i] > 0) {
                usable.add(i);
            }
        }
        double[] costs = population.stream().mapToDouble(cost).toArray();
        return ParetoWeights.front(usable, costs, qualities).stream().map(population::get).toList();
    }
}
