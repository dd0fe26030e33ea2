package dev.jnas.search.alphanas.evolution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * αNAS's two-objective parent weights: quality (higher is better) against a cost (lower is better), each
 * normalized to [0, 1] over the points. The Pareto curve is the polyline through the non-dominated points in
 * order of cost. A dominated point weighs its distance to that curve; a Pareto-optimal point weighs minus its
 * distance to the curve of the other points, i.e. by how much it pushes the front out. Lower weights are better
 * parents.
 */
public final class ParetoWeights {
    private ParetoWeights() {
    }

    /** One weight per point; quality and cost have one entry per point. */
    public static double[] of(double[] quality, double[] cost) {
        if (quality.length != cost.length) {
            throw new IllegalArgumentException(quality.length + " qualities but " + cost.length + " costs");
        }
        int n = quality.length;
        double[] x = normalized(cost);
        double[] y = normalized(quality);
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        List<Integer> front = front(all, x, y);
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            if (front.contains(i)) {
                List<Integer> others = new ArrayList<>(all);
                others.remove(Integer.valueOf(i));
                weights[i] = others.isEmpty() ? 0 : -distance(x[i], y[i], front(others, x, y), x, y);
            } else {
                weights[i] = distance(x[i], y[i], front, x, y);
            }
        }
        return weights;
    }

    /**
     * The indices among points that no other of them dominates (at most the cost and at least the quality, one of
     * them strictly), by cost, then quality.
     */
    public static List<Integer> front(List<Integer> points, double[] cost, double[] quality) {
        List<Integer> front = new ArrayList<>();
        for (int i : points) {
            boolean dominated = false;
            for (int j : points) {
                dominated |= cost[j] <= cost[i] && quality[j] >= quality[i]
                        && (cost[j] < cost[i] || quality[j] > quality[i]);
            }
            if (!dominated) {
                front.add(i);
            }
        }
        front.sort(Comparator.<Integer>comparingDouble(i -> cost[i]).thenComparingDouble(i -> quality[i]));
        return front;
    }

    /** The distance from (px, py) to the polyline through the curve's points in order. */
    private static double distance(double px, double py, List<Integer> curve, double[] x, double[] y) {
        double best = Math.hypot(px - x[curve.get(0)], py - y[curve.get(0)]);
        for (int k = 1; k < curve.size(); k++) {
            best = Math.min(best, segmentDistance(px, py, x[curve.get(k - 1)], y[curve.get(k - 1)],
                    x[curve.get(k)], y[curve.get(k)]));
        }
        return best;
    }

    private static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double length2 = dx * dx + dy * dy;
        double t = length2 == 0 ? 0 : Math.clamp(((px - ax) * dx + (py - ay) * dy) / length2, 0, 1);
        return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
    }

    /** Values mapped linearly onto [0, 1]; all 0 when they are all equal. */
    static double[] normalized(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = max > min ? (values[i] - min) / (max - min) : 0;
        }
        return out;
    }
}
