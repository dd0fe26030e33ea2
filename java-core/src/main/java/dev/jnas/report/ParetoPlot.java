package dev.jnas.report;

import dev.jnas.search.alphanas.evolution.FitnessKind;
import dev.jnas.search.alphanas.evolution.Individual;
import dev.jnas.search.alphanas.evolution.ParetoFront;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;

/**
 * The Pareto fronts of an αNAS run as one PNG of two panels, quality against parameters and against MACs, costs
 * on a log scale. Every usable individual (positive quality) is a grey dot, the seed model's are blue, and the
 * front is red and joined in order of cost. Drawn from a finished run or from its alphanas.json.
 */
public final class ParetoPlot {
    private static final int PANEL_WIDTH = 480;
    private static final int PANEL_HEIGHT = 400;

    /**
     * One individual as the plot sees it.
     *
     * @param seed whether it is one of the seed model's evaluations
     */
    public record Point(long parameters, long macs, double quality, boolean seed) {
    }

    private ParetoPlot() {
    }

    /** A finished run's plot (jnas search alphanas --out). */
    public static void write(Path file, List<Individual> population, ParetoFront front, FitnessKind kind) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < population.size(); i++) {
            Individual individual = population.get(i);
            points.add(new Point(individual.fitness().parameters(), individual.fitness().macs(),
                    front.qualities()[i], individual.parent().isEmpty()));
        }
        write(file, kind, points, members(front.byParameters(), population, points),
                members(front.byMacs(), population, points));
    }

    /** @param byParameters the front against parameters, by increasing cost; byMacs likewise */
    public static void write(Path file, FitnessKind kind, List<Point> population, List<Point> byParameters,
                             List<Point> byMacs) {
        String quality = kind == FitnessKind.TRAIN ? "accuracy" : "training-free quality";
        Charts.writePng(file, List.of(panel(quality, "parameters", population, byParameters, Point::parameters),
                panel(quality, "MACs", population, byMacs, Point::macs)), 2);
    }

    private static List<Point> members(List<Individual> members, List<Individual> population, List<Point> points) {
        return members.stream().map(member -> points.get(population.indexOf(member))).toList();
    }

    private static XYChart panel(String quality, String costName, List<Point> population, List<Point> front,
                                 ToDoubleFunction<Point> cost) {
        XYChart chart = Charts.scatter(quality + " vs " + costName, costName + " (log scale)", quality,
                PANEL_WIDTH, PANEL_HEIGHT);
        chart.getStyler().setXAxisLogarithmic(true);
        // One run's costs often span less than a decade: plain counts read better than powers of ten.
        chart.getStyler().setXAxisDecimalPattern("#,###");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        List<double[]> others = new ArrayList<>();
        List<double[]> seeds = new ArrayList<>();
        for (Point point : population) {
            if (point.quality() > 0) {
                (point.seed() ? seeds : others).add(xy(point, cost));
            }
        }
        Charts.points(chart, "individuals", others, Charts.GREY);
        Charts.points(chart, "seed model", seeds, Charts.BLUE);
        Charts.line(chart, "Pareto front", front.stream().map(point -> xy(point, cost)).toList(), Charts.RED);
        return chart;
    }

    /** The point's place; a cost below 1 is drawn at 1, where the log scale starts. */
    private static double[] xy(Point point, ToDoubleFunction<Point> cost) {
        return new double[] {Math.max(1, cost.applyAsDouble(point)), point.quality()};
    }
}
