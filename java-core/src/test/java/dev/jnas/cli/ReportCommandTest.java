package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnas.data.Nb201Table;
import dev.jnas.metrics.KendallTau;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jnas report on a tiny real run of every kind: the page and its PNGs exist, every PNG the page links decodes
 * at a sensible size, and the page holds the run's headline numbers as read back from its result file.
 */
class ReportCommandTest {
    private static final Pattern IMAGE = Pattern.compile("<img src=\"([^\"]+)\"");

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void tenasSearchShowsEveryRoundAndTheSearchedCell() throws IOException {
        Path run = dir.resolve("tenas");
        ScoreCommandTest.Run search = ScoreCommandTest.run("search", "tenas", "--dataset", "synthetic", "--batch",
                "8", "--repeat", "1", "--seed", "3", "--store", dir.resolve("store.sqlite").toString(), "--out",
                run.toString());
        assertEquals(0, search.code(), search.err());
        JsonNode result = json.readTree(run.resolve("result.json").toFile());
        String html = report(run, 3, "tenas");
        assertTrue(html.contains(result.get("architecture").asText()), html);
        assertTrue(html.contains(fixed(result.get("nb201").get("cifar100").asDouble(), 2) + "%"), html);
        assertTrue(html.contains(fixed(result.get("seconds").asDouble(), 1)), html);
        for (JsonNode round : result.get("rounds")) {
            for (JsonNode candidate : round.get("ranking")) {
                if (candidate.get("pruned").asBoolean()) {
                    // NB201 edges are written "1<-0", which the page escapes.
                    String edge = candidate.get("edge").asText().replace("<", "&lt;");
                    assertTrue(html.contains(edge + " " + candidate.get("op").asText()), candidate.toString());
                }
            }
        }
        assertTrue(html.contains("src=\"result-round-3.png\""), html);
    }

    /** The sweep's τ-b is recomputed here from score's own CSV and the table. */
    @Test
    void scoreSweepIsAScatterColouredByAccuracyWithKendallTau() throws IOException {
        Path run = dir.resolve("sweep");
        ScoreCommandTest.Run score = ScoreCommandTest.run("score", "--sample", "12", "--seed", "5", "--metrics",
                "ntk,lr", "--dataset", "synthetic", "--batch", "8", "--repeat", "1", "--store",
                run.resolve("store.sqlite").toString());
        assertEquals(0, score.code(), score.err());
        Nb201Table table = Nb201Table.readDefault();
        List<Double> regions = new ArrayList<>();
        List<Double> accuracies = new ArrayList<>();
        score.out().lines().skip(1).forEach(line -> {
            String[] fields = line.split(",", -1);
            regions.add(Double.parseDouble(fields[3]));
            accuracies.add(table.accuracy(Integer.parseInt(fields[0]), Nb201Table.Benchmark.CIFAR10));
        });
        assertEquals(12, regions.size());
        double tau = KendallTau.tauB(regions.stream().mapToDouble(Double::doubleValue).toArray(),
                accuracies.stream().mapToDouble(Double::doubleValue).toArray());

        ScoreCommandTest.Run report = ScoreCommandTest.run("report", run.toString(), "--nb201-table",
                Nb201Table.defaultPath().toString());
        assertEquals(0, report.code(), report.err());
        String html = page(run, 1);
        assertTrue(html.contains("<td>linear_regions</td><td>12</td><td>0</td><td>" + fixed(tau, 3) + "</td>"),
                html);
        assertTrue(html.contains("seed 5"), html);
        assertTrue(html.contains("CIFAR-10 test accuracy"), html);
    }

    @Test
    void sgnasSearchAndGeneratedArchitecturesPlotFlopsAgainstTargets() throws IOException {
        Path run = dir.resolve("sgnas");
        ScoreCommandTest.Run search = ScoreCommandTest.run("search", "sgnas", "--train-images", "80",
                "--held-out", "0.25", "--width", "0.125", "--epochs", "1", "--batch", "20", "--paths", "1",
                "--generator-epochs", "1", "--generator-batch", "20", "--threads", "1", "--out", run.toString());
        assertEquals(0, search.code(), search.err());
        ScoreCommandTest.Run generate = ScoreCommandTest.run("generate", "sgnas", "--run", run.toString(),
                "--targets", "0.85,0.9,0.95", "--no-accuracy", "--threads", "1", "--json");
        assertEquals(0, generate.code(), generate.err());
        Files.writeString(run.resolve("generated.json"), generate.out());
        JsonNode result = json.readTree(run.resolve("search.json").toFile());
        JsonNode generated = json.readTree(generate.out());

        String html = report(run, 3, "sgnas-generate, sgnas");
        assertTrue(html.contains(fixed(result.get("kendall_tau").asDouble(), 3)), html);
        assertTrue(html.contains(fixed(result.get("total_constraint_loss").asDouble(), 4)), html);
        double accuracy = 0;
        for (JsonNode architecture : result.get("architectures")) {
            accuracy += architecture.get("accuracy").asDouble();
        }
        accuracy /= result.get("architectures").size();
        assertTrue(html.contains(fixed(100 * accuracy, 2) + "%"), html);
        for (JsonNode architecture : generated.get("architectures")) {
            assertTrue(html.contains("<td>" + fixed(architecture.get("target").asDouble(), 4) + "</td><td>"
                    + fixed(architecture.get("table_mflops").asDouble(), 4) + "</td>"), html);
        }
        for (String png : List.of("search-flops.png", "search-accuracy.png", "generated-flops.png")) {
            assertTrue(html.contains("src=\"" + png + "\""), png);
        }
    }

    @Test
    void bayesnasSearchPlotsGammasAndCountsThePrunedGroups() throws IOException {
        Path run = dir.resolve("bayesnas");
        ScoreCommandTest.Run search = ScoreCommandTest.run("search", "bayesnas", "--train-images", "40",
                "--channels", "2", "--batch", "10", "--iterations", "2", "--threads", "1", "--out", run.toString());
        assertEquals(0, search.code(), search.err());
        JsonNode result = json.readTree(run.resolve("search.json").toFile());
        String html = report(run, 1, "bayesnas");
        JsonNode last = result.get("iterations").get(1);
        int pruned = 0;
        for (JsonNode group : last) {
            pruned += group.get("pruned").asBoolean() ? 1 : 0;
        }
        assertTrue(html.contains(pruned + " of " + last.size()), html);
        assertTrue(html.contains(result.get("genotype").asText()), html);

        Path elsewhere = dir.resolve("pages").resolve("bayes.html");
        ScoreCommandTest.Run moved = ScoreCommandTest.run("report", run.toString(), "--out", elsewhere.toString());
        assertEquals(0, moved.code(), moved.err());
        assertEquals(html, Files.readString(elsewhere));
        assertNotNull(ImageIO.read(elsewhere.resolveSibling("search-gamma.png").toFile()));
    }

    @Test
    void compressionTablesEveryNetworkAndWhatPruningRemoved() throws IOException {
        Path run = dir.resolve("compress");
        ScoreCommandTest.Run compress = ScoreCommandTest.run("compress", "--model", "lenet5", "--train-images", "96",
                "--epochs", "1", "--prune-iterations", "1", "--fine-tune-epochs", "1", "--batch", "32", "--threads",
                "1", "--out", run.toString());
        assertEquals(0, compress.code(), compress.err());
        JsonNode networks = json.readTree(run.resolve("compress.json").toFile()).get("networks");
        String html = report(run, 1, "bayesnas-compression");
        assertTrue(html.contains("<td>baseline</td><td>[6, 16, 120, 84]</td><td>61,706</td>"), html);
        double trained = networks.get(1).get("parameters").asDouble();
        double tuned = networks.get(3).get("parameters").asDouble();
        assertTrue(html.contains(fixed(100 * (trained - tuned) / trained, 2) + "%"), html);
        assertTrue(html.contains(fixed(100 * networks.get(3).get("test_accuracy").asDouble(), 2) + "%"), html);
    }

    @Test
    void alphanasRunPlotsItsFronts() throws IOException {
        Path run = dir.resolve("alphanas");
        ScoreCommandTest.Run search = ScoreCommandTest.run("search", "alphanas", "--threads", "1", "--store",
                dir.resolve("store.sqlite").toString(), "--seed-model", "cnn", "--generations", "3",
                "--train-images", "128", "--test-images", "64", "--batch", "32", "--out", run.toString());
        assertEquals(0, search.code(), search.err());
        BufferedImage front = ImageIO.read(run.resolve("front.png").toFile());
        assertEquals(960, front.getWidth());
        assertEquals(400, front.getHeight());
        JsonNode result = json.readTree(run.resolve("alphanas.json").toFile());
        String html = report(run, 1, "alphanas");
        double best = 0;
        for (JsonNode individual : result.get("individuals")) {
            best = Math.max(best, individual.get("quality").asDouble());
        }
        assertTrue(html.contains("<td>" + fixed(best, 4) + "</td>"), html);
        assertTrue(html.contains(String.format(Locale.ROOT, "%,d",
                result.get("front_parameters").get(0).get("parameters").asLong())), html);
    }

    @Test
    void aDirectoryWithoutResultsIsOneClearLine() throws IOException {
        ScoreCommandTest.Run missing = ScoreCommandTest.run("report", dir.resolve("nope").toString());
        assertEquals(ExitCodes.USAGE, missing.code(), missing.err());
        assertTrue(missing.err().contains("run directory " + dir.resolve("nope") + " does not exist"), missing.err());

        Files.writeString(dir.resolve("prior-pool.json"), "{\"pool\": []}");
        ScoreCommandTest.Run empty = ScoreCommandTest.run("report", dir.toString());
        assertEquals(ExitCodes.USAGE, empty.code(), empty.err());
        assertEquals(1, empty.err().strip().lines().count(), empty.err());
        assertTrue(empty.err().contains("holds no run results"), empty.err());
        assertFalse(Files.exists(dir.resolve("report.html")));

        Files.writeString(dir.resolve("result.json"), "{\"method\": \"tenas\", \"space\": \"nb201\"}");
        ScoreCommandTest.Run broken = ScoreCommandTest.run("report", dir.toString());
        assertEquals(ExitCodes.USAGE, broken.code(), broken.err());
        assertTrue(broken.err().contains(dir.resolve("result.json") + ": rounds is missing"), broken.err());
    }

    /** Reports run and returns its page, checking the plot count and the sections the command names. */
    private String report(Path run, int figures, String section) throws IOException {
        ScoreCommandTest.Run report = ScoreCommandTest.run("report", run.toString());
        assertEquals(0, report.code(), report.err());
        assertEquals("wrote " + run.resolve("report.html") + ": " + section + ", " + figures + " plots",
                report.out().strip());
        return page(run, figures);
    }

    /** The page; each PNG it links exists beside it and decodes at a size a plot has. */
    private static String page(Path run, int figures) throws IOException {
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        Matcher images = IMAGE.matcher(html);
        int count = 0;
        while (images.find()) {
            BufferedImage image = ImageIO.read(run.resolve(images.group(1)).toFile());
            assertNotNull(image, images.group(1));
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, images.group(1) + ": "
                    + image.getWidth() + "x" + image.getHeight());
            count++;
        }
        assertEquals(figures, count, html);
        return html;
    }

    private static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
