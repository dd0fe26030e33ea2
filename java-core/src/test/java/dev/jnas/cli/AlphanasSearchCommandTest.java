package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnas.search.alphanas.evolution.Evolution;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ProgramText;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jnas search alphanas end to end on tiny runs, and its argument errors. */
class AlphanasSearchCommandTest {
    @TempDir
    Path dir;

    private ScoreCommandTest.Run search(String... args) {
        List<String> all = new ArrayList<>(List.of("search", "alphanas", "--threads", "1", "--store",
                dir.resolve("store.sqlite").toString()));
        all.addAll(List.of(args));
        return ScoreCommandTest.run(all.toArray(String[]::new));
    }

    @Test
    void trainedRunWritesTheFrontAndItsPlotThenResumesFromTheStore() throws IOException {
        Path out = dir.resolve("run");
        ScoreCommandTest.Run run = search("--seed-model", "cnn", "--generations", "3", "--train-images", "128",
                "--test-images", "64", "--batch", "32", "--out", out.toString(), "--json");
        assertEquals(0, run.code(), run.err());
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertEquals(result, new ObjectMapper().readTree(Files.readString(out.resolve("alphanas.json"))));
        JsonNode individuals = result.get("individuals");
        assertEquals(3, individuals.size());
        assertTrue(individuals.get(0).get("parent").isNull());
        assertEquals(0, individuals.get(2).get("parent").asInt() / 2, "generation 2 descends from a seed");
        for (JsonNode individual : individuals) {
            double accuracy = individual.get("accuracy").asDouble();
            assertTrue(accuracy >= 0 && accuracy <= 1, individual.toString());
            assertEquals(accuracy, individual.get("quality").asDouble());
        }
        // The small CNN: conv 1→16 and 16→32 (3x3, no bias), two batch norms, dense 32·7·7→10 with bias.
        assertEquals(9 * 16 + 9 * 16 * 32 + 2 * 16 + 2 * 32 + 32 * 49 * 10 + 10,
                individuals.get(0).get("parameters").asLong());
        // MACs: the convs at 28x28 and 14x14, and the dense layer.
        assertEquals(28 * 28 * 16 * 9 + 14 * 14 * 32 * 9 * 16 + 32 * 49 * 10, individuals.get(0).get("macs").asLong());
        for (String front : List.of("front_parameters", "front_macs")) {
            assertFalse(result.get(front).isEmpty());
            for (JsonNode member : result.get(front)) {
                List<String> lines = new ArrayList<>();
                member.get("program").forEach(line -> lines.add(line.asText()));
                ProgramGraph program = ProgramText.parse(String.join("\n", lines));
                assertEquals("logits", program.outputs().get(0));
            }
        }
        BufferedImage plot = ImageIO.read(out.resolve("front.png").toFile());
        assertEquals(960, plot.getWidth());

        ScoreCommandTest.Run resumed = search("--seed-model", "cnn", "--generations", "4", "--train-images", "128",
                "--test-images", "64", "--batch", "32");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(3, resumed.out().lines().filter(line -> line.endsWith("(from the store)")).count(),
                resumed.out());
        assertTrue(resumed.out().contains("generation 3: child of "), resumed.out());
    }

    @Test
    void trainingFreeRunMeasuresKappaAndNaswot() throws IOException {
        ScoreCommandTest.Run run = search("--seed-model", "resnet20", "--generations", "3", "--fitness",
                "training-free", "--train-images", "64", "--probe-batch", "8", "--json");
        assertEquals(0, run.code(), run.err());
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertEquals("training-free", result.get("fitness").asText());
        for (JsonNode individual : result.get("individuals")) {
            assertTrue(individual.get("ntk_cond").asDouble() > 1, individual.toString());
            assertTrue(individual.get("linear_regions").asDouble() <= 8, individual.toString());
            assertEquals("NaN", individual.get("accuracy").asText());
            double quality = individual.get("quality").asDouble();
            assertTrue(quality > 0 && quality <= 1, individual.toString());
        }
        // The two seed evaluations draw different weights and batches.
        assertFalse(result.get("individuals").get(0).get("ntk_cond")
                .equals(result.get("individuals").get(1).get("ntk_cond")));
    }

    /**
     * Aging and targeting: no parent older than 3 generations, the options in the stored run's key, so that the same
     * options resume and the default ones start a run of their own.
     */
    @Test
    void agedTargetedRunResumesOnlyWithTheSameOptions() throws IOException {
        List<String> options = List.of("--seed-model", "cnn", "--fitness", "training-free", "--train-images", "64",
                "--probe-batch", "8", "--generations-to-live", "3", "--targeted", "--json");
        List<String> six = new ArrayList<>(options);
        six.addAll(List.of("--generations", "6"));
        ScoreCommandTest.Run run = search(six.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertTrue(result.get("run").asText().endsWith(";generations-to-live=3;targeted"), result.get("run").asText());
        JsonNode individuals = result.get("individuals");
        assertEquals(6, individuals.size(), "every generation made a child");
        for (int g = Evolution.SEED_INDIVIDUALS; g < 6; g++) {
            assertTrue(g - individuals.get(g).get("parent").asInt() <= 3, individuals.get(g).toString());
        }

        List<String> seven = new ArrayList<>(options);
        seven.addAll(List.of("--generations", "7"));
        ScoreCommandTest.Run resumed = search(seven.toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(6, resumed.err().lines().filter(line -> line.endsWith("(from the store)")).count(),
                resumed.err());

        ScoreCommandTest.Run untargeted = search("--seed-model", "cnn", "--fitness", "training-free", "--train-images",
                "64", "--probe-batch", "8", "--generations-to-live", "3", "--generations", "2");
        assertEquals(0, untargeted.code(), untargeted.err());
        assertFalse(untargeted.out().contains("(from the store)"), untargeted.out());
    }

    @Test
    void badArgumentsAreNamed() {
        assertError(search(), "Missing required option: '--seed-model=resnet20|cnn'");
        assertError(search("--seed-model", "vgg"), "unknown --seed-model 'vgg'; known: resnet20, cnn");
        assertError(search("--seed-model", "cnn", "--fitness", "zero-cost"),
                "unknown fitness 'zero-cost'; known: train, training-free");
        assertError(search("--seed-model", "cnn", "--proposer", "random"),
                "unknown --proposer 'random'; known: synthesis, channel-scaling");
        assertError(search("--seed-model", "cnn", "--generations", "0"), "--generations must be at least 1, got 0");
        assertError(search("--seed-model", "cnn", "--dataset", "cifar10"),
                "unknown dataset 'cifar10'; known: fashion-mnist");
        assertError(search("--seed-model", "cnn", "--min-accuracy", "80"),
                "the minimum accuracy lies in [0, 1], got 80.0");
        assertError(search("--seed-model", "cnn", "--fitness", "training-free", "--train-images", "10",
                "--probe-batch", "72"), "the probe batch needs 2 to 10 images");
        assertError(search("--seed-model", "cnn", "--generations-to-live", "-1"),
                "--generations-to-live cannot be negative (0 turns aging off), got -1");
        assertError(search("--seed-model", "cnn", "--generations-to-live", "old"),
                "Invalid value for option '--generations-to-live': 'old' is not an int");
        assertError(search("--seed-model", "cnn", "--targeted=maybe"),
                "Invalid value for option '--targeted': 'maybe' is not a boolean");
    }

    private static void assertError(ScoreCommandTest.Run run, String expected) {
        assertEquals(ExitCodes.USAGE, run.code(), run.err());
        assertTrue(run.err().startsWith("jnas: "), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }
}
