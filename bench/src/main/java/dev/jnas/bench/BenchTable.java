package dev.jnas.bench;

import java.util.List;
import java.util.Locale;

/**
 * The one table `./jnas bench` prints: per row the time of one operation, operations per second, GFLOP/s where a
 * FLOP count is meaningful, that rate's share of the machine's peak, and a note (ratios to the peers). The peak is
 * what OpenBLAS's sgemm reaches on {@value Shapes#PEAK_GEMM} with every core, measured in the same run: a
 * practical peak on this machine, not a datasheet one.
 */
final class BenchTable {
    /** One row; flops is NaN where no FLOP count is meaningful. */
    record Row(String name, double seconds, double flops, String note) {
        static Row timed(String name, double seconds, String note) {
            return new Row(name, seconds, Double.NaN, note);
        }

        double gflops() {
            return flops / seconds / 1e9;
        }
    }

    private BenchTable() {
    }

    /** Prints the rows; peakGflops is NaN when the peak was not measured in this run. */
    static void print(List<Row> rows, double peakGflops) {
        String format = "%-44s %10s %10s %8s %6s  %s%n";
        System.out.println();
        System.out.printf(Locale.ROOT, format, "benchmark", "time", "ops/s", "GFLOP/s", "% peak", "note");
        for (Row row : rows) {
            boolean counted = !Double.isNaN(row.flops());
            System.out.printf(Locale.ROOT, format, row.name(), time(row.seconds()),
                    String.format(Locale.ROOT, "%.4g", 1 / row.seconds()),
                    counted ? String.format(Locale.ROOT, "%.2f", row.gflops()) : "",
                    counted && !Double.isNaN(peakGflops)
                            ? String.format(Locale.ROOT, "%.0f%%", 100 * row.gflops() / peakGflops) : "",
                    row.note());
        }
        System.out.println(Double.isNaN(peakGflops) ? "peak: not measured in this run (only the peers ran)"
                : String.format(Locale.ROOT, "peak: %.1f GFLOP/s, OpenBLAS cblas_sgemm %s on every core, measured in "
                + "this run", peakGflops, Shapes.PEAK_GEMM));
    }

    static String time(double seconds) {
        if (seconds < 1e-6) {
            return String.format(Locale.ROOT, "%.1f ns", seconds * 1e9);
        }
        if (seconds < 1e-3) {
            return String.format(Locale.ROOT, "%.2f us", seconds * 1e6);
        }
        if (seconds < 1) {
            return String.format(Locale.ROOT, "%.2f ms", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }
}
