package dev.jnas.cli;

import dev.jnas.metrics.MetricFlags;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.Score;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Writes scored cells as they finish, as CSV (a header, then one row per cell) or as a JSON array of objects
 * with the same fields. A metric that was not computed is empty (CSV) or null (JSON); NaN and infinities are
 * written as NaN, Infinity and -Infinity (strings in JSON, which has no such numbers), never replaced.
 */
abstract sealed class ScoreTable {
    static final String[] COLUMNS = {"index", "arch", MetricKind.NTK.columnName(),
        MetricKind.LINEAR_REGIONS.columnName(), MetricKind.NASWOT.columnName(), "flags", "seconds"};

    final PrintWriter out;

    private ScoreTable(PrintWriter out) {
        this.out = out;
    }

    static ScoreTable of(PrintWriter out, boolean json) {
        return json ? new Json(out) : new Csv(out);
    }

    abstract void begin();

    /** @param index the NB201 index, or null where no table is installed */
    abstract void row(Integer index, String architecture, Score score);

    abstract void end();

    static String seconds(Score score) {
        return String.format(Locale.ROOT, "%.4f", score.seconds());
    }

    static final class Csv extends ScoreTable {
        Csv(PrintWriter out) {
            super(out);
        }

        @Override
        void begin() {
            out.println(String.join(",", COLUMNS));
            out.flush();
        }

        @Override
        void row(Integer index, String architecture, Score score) {
            StringBuilder line = new StringBuilder();
            line.append(index == null ? "" : index).append(',').append(architecture);
            for (MetricKind metric : MetricKind.values()) {
                OptionalDouble value = score.value(metric);
                line.append(',').append(value.isPresent() ? Double.toString(value.getAsDouble()) : "");
            }
            line.append(',').append(MetricFlags.format(score.flags())).append(',').append(seconds(score));
            out.println(line);
            out.flush();
        }

        @Override
        void end() {
            out.flush();
        }
    }

    static final class Json extends ScoreTable {
        private boolean first = true;

        Json(PrintWriter out) {
            super(out);
        }

        @Override
        void begin() {
            out.print("[");
            out.flush();
        }

        @Override
        void row(Integer index, String architecture, Score score) {
            StringBuilder object = new StringBuilder(first ? "\n  {" : ",\n  {");
            first = false;
            object.append("\"index\": ").append(index == null ? "null" : index.toString());
            // NB201 strings hold only letters, digits, '_', '~', '|' and '+': nothing JSON must escape.
            object.append(", \"arch\": \"").append(architecture).append('"');
            for (MetricKind metric : MetricKind.values()) {
                object.append(", \"").append(metric.columnName()).append("\": ").append(number(score.value(metric)));
            }
            object.append(", \"flags\": \"").append(MetricFlags.format(score.flags())).append('"');
            object.append(", \"seconds\": ").append(seconds(score)).append('}');
            out.print(object);
            out.flush();
        }

        private static String number(OptionalDouble value) {
            if (value.isEmpty()) {
                return "null";
            }
            double v = value.getAsDouble();
            return Double.isFinite(v) ? Double.toString(v) : "\"" + v + "\"";
        }

        @Override
        void end() {
            out.println(first ? "]" : "\n]");
            out.flush();
        }
    }
}
