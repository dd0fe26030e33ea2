package dev.jnas.report;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The one way jnas draws plots: XChart panels with a shared look, written as PNG. Drawing needs no display:
 * java.awt.headless is set before the first chart touches AWT.
 */
final class Charts {
    static final int WIDTH = 640;
    static final int HEIGHT = 420;
    static final Color GREY = new Color(150, 150, 150);
    static final Color BLUE = new Color(31, 119, 180);
    static final Color RED = new Color(214, 39, 40);
    static final Color GREEN = new Color(44, 160, 44);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** An empty scatter panel; series added to it are markers only unless they say otherwise. */
    static XYChart scatter(String title, String xTitle, String yTitle, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).theme(Styler.ChartTheme.Matlab).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(7);
        style(chart);
        return chart;
    }

    /** An empty bar panel whose categories are labelled vertically, so that many of them stay readable. */
    static CategoryChart bars(String title, String xTitle, String yTitle, int width, int height) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).theme(Styler.ChartTheme.Matlab).build();
        chart.getStyler().setXAxisLabelRotation(90);
        style(chart);
        return chart;
    }

    /** Adds markers of one colour; a series with no points is left out, as XChart refuses empty data. */
    static Optional<XYSeries> points(XYChart chart, String name, List<double[]> points, Color color) {
        return series(chart, name, points, color);
    }

    /** Adds a line through the points in their order, with markers. */
    static void line(XYChart chart, String name, List<double[]> points, Color color) {
        series(chart, name, points, color).ifPresent(series -> {
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            series.setLineColor(color);
        });
    }

    /** Adds a dashed grey line without markers from (x0, y0) to (x1, y1): a reference such as y = x. */
    static void guide(XYChart chart, String name, double x0, double y0, double x1, double y1) {
        XYSeries series = chart.addSeries(name, new double[] {x0, x1}, new double[] {y0, y1});
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineStyle(SeriesLines.DASH_DASH);
        series.setLineColor(GREY);
    }

    private static Optional<XYSeries> series(XYChart chart, String name, List<double[]> points, Color color) {
        if (points.isEmpty()) {
            return Optional.empty();
        }
        XYSeries series = chart.addSeries(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
        return Optional.of(series);
    }

    /**
     * Writes the panels as one PNG, in rows of columns panels (every panel drawn at the first one's size),
     * making the file's directory if needed.
     */
    static void writePng(Path file, List<? extends Chart<?, ?>> panels, int columns) {
        int rows = (panels.size() + columns - 1) / columns;
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (directory != null) {
                Files.createDirectories(directory);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                BitmapEncoder.saveBitmap(List.copyOf(panels), rows, columns, out, BitmapEncoder.BitmapFormat.PNG);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void style(Chart<?, ?> chart) {
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setLegendBackgroundColor(new Color(255, 255, 255, 200));
    }
}
