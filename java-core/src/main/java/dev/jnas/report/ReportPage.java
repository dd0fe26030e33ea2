package dev.jnas.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The report being written: an HTML page and its PNG figures, which lie next to the page and are linked by
 * relative name, so the directory can be moved or served as it is. Every text put on the page is escaped.
 */
final class ReportPage {
    private final Path file;
    private final StringBuilder body = new StringBuilder();
    private final List<Path> figures = new ArrayList<>();
    /** Prefixes the current section's figure names: the stem of the result file it shows. */
    private String figurePrefix = "";

    ReportPage(Path file) {
        this.file = file;
    }

    /** Starts a section about one result file; its figures are named after the file. */
    void section(String title, Path source) {
        String name = source.getFileName().toString();
        int dot = name.lastIndexOf('.');
        figurePrefix = (dot > 0 ? name.substring(0, dot) : name) + "-";
        body.append("<h2>").append(escape(title)).append("</h2>\n");
        paragraph("From " + source.getFileName() + ".");
    }

    void heading(String text) {
        body.append("<h3>").append(escape(text)).append("</h3>\n");
    }

    void paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
    }

    /** A two-column table of a run's headline numbers, in the map's order. */
    void facts(Map<String, String> facts) {
        body.append("<table class=\"facts\">\n");
        facts.forEach((name, value) -> body.append("<tr><th>").append(escape(name)).append("</th><td>")
                .append(escape(value)).append("</td></tr>\n"));
        body.append("</table>\n");
    }

    void table(List<String> header, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        header.forEach(cell -> body.append("<th>").append(escape(cell)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(cell -> body.append("<td>").append(escape(cell)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
    }

    /** Draws the panels (in rows of columns) as name.png, prefixed by the section's file, and shows it. */
    void figure(String name, String caption, List<? extends Chart<?, ?>> panels, int columns) {
        Path png = pngPath(name);
        Charts.writePng(png, panels, columns);
        show(png, caption);
    }

    /** Where a figure called name of this section goes, for figures drawn elsewhere ({@link ParetoPlot}). */
    Path pngPath(String name) {
        Path directory = file.toAbsolutePath().getParent();
        return directory.resolve(figurePrefix + name + ".png");
    }

    /** Shows a PNG already written at {@link #pngPath}. */
    void show(Path png, String caption) {
        figures.add(png);
        String link = png.getFileName().toString();
        body.append("<figure><img src=\"").append(escape(link)).append("\" alt=\"").append(escape(caption))
                .append("\"><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
    }

    /** The PNGs written so far. */
    List<Path> figures() {
        return List.copyOf(figures);
    }

    /** Writes the page, titled after the run directory. */
    void write(String title) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
                + escape(title) + "</title>\n<style>\n"
                + "body { font-family: sans-serif; margin: 2em; max-width: 100em; }\n"
                + "table { border-collapse: collapse; margin: 1em 0; }\n"
                + "th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }\n"
                + "table.facts th { background: #f4f4f4; }\n"
                + "figure { margin: 1em 0; overflow-x: auto; }\n"
                + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
        try {
            Path directory = file.toAbsolutePath().getParent();
            if (directory != null) {
                Files.createDirectories(directory);
            }
            Files.writeString(file, html);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
