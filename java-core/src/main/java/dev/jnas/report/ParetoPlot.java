package dev.jnas.report;

import dev.jnas.search.alphanas.evolution.Individual;
import dev.jnas.search.alphanas.evolution.ParetoFront;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The Pareto fronts of an αNAS run as a PNG, drawn with java.awt (headless): two scatter panels, quality against
 * parameters and against MACs, costs on a log scale. Every usable individual is a grey dot, the seed model's are
 * blue, and the front is red and joined in order of cost.
 */
public final class ParetoPlot {
    private static final int PANEL = 480;
    private static final int HEIGHT = 400;
    private static final int MARGIN = 60;
    private static final int DOT = 7;

    private ParetoPlot() {
    }

    public static void write(Path file, List<Individual> population, ParetoFront front, String quality) {
        BufferedImage image = new BufferedImage(2 * PANEL, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            panel(g, 0, population, front.byParameters(), front.qualities(), "parameters",
                    individual -> individual.fitness().parameters(), quality);
            panel(g, PANEL, population, front.byMacs(), front.qualities(), "MACs",
                    individual -> individual.fitness().macs(), quality);
        } finally {
            g.dispose();
        }
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (directory != null) {
                Files.createDirectories(directory);
            }
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void panel(Graphics2D g, int left, List<Individual> population, List<Individual> members,
                              double[] qualities, String costName, ToDoubleFunction<Individual> cost,
                              String quality) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < population.size(); i++) {
            if (qualities[i] > 0) {
                double x = Math.log10(Math.max(1, cost.applyAsDouble(population.get(i))));
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                minY = Math.min(minY, qualities[i]);
                maxY = Math.max(maxY, qualities[i]);
            }
        }
        Axes axes = new Axes(left + MARGIN, HEIGHT - MARGIN, PANEL - 2 * MARGIN + 20, HEIGHT - 2 * MARGIN,
                minX, maxX == minX ? minX + 1 : maxX, minY, maxY == minY ? minY + 1 : maxY);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawRect(axes.left, axes.bottom - axes.height, axes.width, axes.height);
        g.drawString(quality + " vs " + costName, left + MARGIN, MARGIN - 25);
        g.drawString(costName + " (log scale): " + format(Math.pow(10, minX)) + " .. " + format(Math.pow(10, maxX)),
                left + MARGIN, HEIGHT - MARGIN + 20);
        g.drawString(String.format(Locale.ROOT, "%s: %.4f .. %.4f", quality, minY, maxY), left + MARGIN,
                MARGIN - 8);
        for (int i = 0; i < population.size(); i++) {
            if (qualities[i] > 0) {
                Individual individual = population.get(i);
                g.setColor(individual.parent().isEmpty() ? Color.BLUE : Color.GRAY);
                dot(g, axes, cost, individual, qualities[i]);
            }
        }
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(2));
        int[] previous = null;
        for (Individual member : members) {
            double q = qualities[population.indexOf(member)];
            int[] point = dot(g, axes, cost, member, q);
            if (previous != null) {
                g.drawLine(previous[0], previous[1], point[0], point[1]);
            }
            previous = point;
        }
    }

    private static int[] dot(Graphics2D g, Axes axes, ToDoubleFunction<Individual> cost, Individual individual,
                             double quality) {
        int x = axes.x(Math.log10(Math.max(1, cost.applyAsDouble(individual))));
        int y = axes.y(quality);
        g.fillOval(x - DOT / 2, y - DOT / 2, DOT, DOT);
        return new int[] {x, y};
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** Pixel placement of one panel's data range. */
    private record Axes(int left, int bottom, int width, int height, double minX, double maxX, double minY,
                        double maxY) {
        int x(double value) {
            return left + (int) Math.round((value - minX) / (maxX - minX) * width);
        }

        int y(double value) {
            return bottom - (int) Math.round((value - minY) / (maxY - minY) * height);
        }
    }
}
