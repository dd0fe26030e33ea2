package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnas.search.bayesnas.EntropyRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jnas compress end to end on a tiny run, and its argument errors. */
class CompressCommandTest {
    @TempDir
    Path dir;

    /**
     * The JSON on stdout is the log file; the networks are the baseline, the trained LeNet-5 (61,706 parameters),
     * the pruned and the fine-tuned one of the same widths; the update logs every unit of the 226 and each pruned
     * flag follows the entropy rule; the pruned widths count exactly the kept units per layer.
     */
    @Test
    void jsonLogMatchesTheFileAndThePrunedWidthsFollowTheEntropyRule() throws IOException {
        Path out = dir.resolve("run");
        ScoreCommandTest.Run run = ScoreCommandTest.run("compress", "--model", "lenet5", "--train-images", "96",
                "--epochs", "1", "--prune-iterations", "1", "--fine-tune-epochs", "1", "--batch", "32", "--lambda", "0.05",
                "--threads", "1",
                "--out", out.toString(), "--json");
        assertEquals(0, run.code(), run.err());
        JsonNode result = new ObjectMapper().readTree(run.out());
        assertEquals(result, new ObjectMapper().readTree(Files.readString(out.resolve("compress.json"))));
        JsonNode networks = result.get("networks");
        assertEquals(4, networks.size());
        assertEquals("baseline", networks.get(0).get("network").asText());
        assertEquals(61_706, networks.get(0).get("parameters").asLong());
        assertEquals(61_706, networks.get(1).get("parameters").asLong());
        assertEquals(416_520, networks.get(1).get("macs").asLong());
        assertEquals(networks.get(2).get("widths"), networks.get(3).get("widths"));
        assertEquals(networks.get(2).get("parameters"), networks.get(3).get("parameters"));
        JsonNode update = result.get("updates").get(0);
        assertEquals(6 + 16 + 120 + 84, update.size());
        Map<String, Integer> kept = new HashMap<>();
        for (JsonNode unit : update) {
            double gamma = unit.get("gamma").asDouble();
            boolean pruned = gamma <= EntropyRule.VARIANCE_THRESHOLD;
            assertEquals(pruned, unit.get("pruned").asBoolean(), unit.toString());
            kept.merge(unit.get("layer").asText(), pruned ? 0 : 1, Integer::sum);
        }
        String[] layers = {"conv1", "conv2", "fc1", "fc2"};
        for (int l = 0; l < layers.length; l++) {
            // A layer the rule would empty keeps one unit.
            assertEquals(Math.max(1, kept.get(layers[l])), networks.get(2).get("widths").get(l).asInt(), layers[l]);
        }
    }

    @Test
    void textOutputIsATableOfTheNetworks() {
        ScoreCommandTest.Run run = ScoreCommandTest.run("compress", "--model", "vgg-small", "--train-images", "64",
                "--epochs", "0", "--fine-tune-epochs", "0", "--batch", "32", "--no-baseline", "--threads", "1");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("trained     [16, 16, 32, 32, 64, 128]"), run.out());
        assertTrue(run.out().contains("fine-tuned"), run.out());
        assertTrue(run.out().contains("parameters removed: "), run.out());
    }

    @Test
    void badArgumentsAreNamed() {
        expectError("unknown model 'alexnet'; known: lenet5, vgg-small", "--model", "alexnet");
        expectError("Missing required option: '--model=<model>'");
        expectError("λ must be positive and finite, got -1.0", "--model", "lenet5", "--lambda", "-1");
        expectError("joint epochs >= 1", "--model", "lenet5", "--joint-epochs", "0");
        expectError("positive finite learning rates, got 64, 0.001 and 0.0", "--model", "lenet5",
                "--fine-tune-lr", "0");
        expectError("--train-images must be >= 0, got -5", "--model", "lenet5", "--train-images", "-5");
        expectError("unknown dataset 'cifar10'; known: fashion-mnist", "--model", "lenet5", "--dataset", "cifar10");
    }

    private static void expectError(String message, String... options) {
        String[] args = new String[options.length + 1];
        args[0] = "compress";
        System.arraycopy(options, 0, args, 1, options.length);
        ScoreCommandTest.Run run = ScoreCommandTest.run(args);
        assertNotEquals(0, run.code());
        assertTrue(run.err().contains(message), run.err());
    }
}
