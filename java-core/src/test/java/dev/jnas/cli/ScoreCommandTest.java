package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnas.bindings.Devices;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jnas score: output formats, the store, and one clear line for every user error. */
class ScoreCommandTest {
    static final String BEST = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1"
            + "|nor_conv_1x1~2|";
    /** Small and quick: synthetic inputs, frozen coupling, a small batch, one repeat. */
    static final String[] QUICK = {"--dataset", "synthetic", "--batch", "16", "--repeat", "1"};

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run score(String... args) {
        String[] all = new String[args.length + QUICK.length + 3];
        all[0] = "score";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(QUICK, 0, all, 1 + args.length, QUICK.length);
        all[all.length - 2] = "--store";
        all[all.length - 1] = dir.resolve("store.sqlite").toString();
        return run(all);
    }

    private static void assertOneLineError(Run run, int code, String expected) {
        assertEquals(code, run.code(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("jnas: "), run.err());
        assertTrue(run.err().contains(expected), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void oneCellAsCsvWithItsTableIndexThenFromTheStore() {
        Run first = score("--arch", BEST);
        assertEquals(0, first.code(), first.err());
        List<String> lines = first.out().lines().toList();
        assertEquals("index,arch,ntk_cond,linear_regions,naswot,flags,seconds", lines.get(0));
        assertEquals(2, lines.size(), first.out());
        String[] fields = lines.get(1).split(",", -1);
        assertEquals("6111", fields[0]);
        assertEquals(BEST, fields[1]);
        assertTrue(Double.parseDouble(fields[2]) > 1, fields[2]);
        assertTrue(first.err().contains("0 from the store, 1 computed"), first.err());

        Run second = score("--arch", BEST);
        assertEquals(0, second.code(), second.err());
        assertEquals(first.out(), second.out(), "the stored row, seconds included");
        assertTrue(second.err().contains("1 from the store, 0 computed"), second.err());
    }

    @Test
    void jsonHasTheSameFieldsAndNullForMetricsNotAskedFor() throws IOException {
        Run run = score("--arch", BEST, "--metrics", "lr", "--json");
        assertEquals(0, run.code(), run.err());
        JsonNode rows = new ObjectMapper().readTree(run.out());
        assertEquals(1, rows.size());
        JsonNode row = rows.get(0);
        assertEquals(6111, row.get("index").asInt());
        assertEquals(BEST, row.get("arch").asText());
        assertTrue(row.get("ntk_cond").isNull());
        assertTrue(row.get("naswot").isNull());
        assertTrue(row.get("linear_regions").asDouble() >= 1);
        assertEquals("", row.get("flags").asText());
    }

    @Test
    void archsFileSkipsCommentsAndNamesTheBadLine() throws IOException {
        Path file = dir.resolve("archs.txt");
        Files.writeString(file, "# cells\n" + BEST + "\n\n|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|\n");
        Run good = score("--archs-file", file.toString(), "--metrics", "lr");
        assertEquals(0, good.code(), good.err());
        assertEquals(3, good.out().lines().count(), good.out());

        Files.writeString(file, BEST + "\n|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|\n");
        assertOneLineError(score("--archs-file", file.toString()), 2, file + ":2: ");
    }

    @Test
    void userErrorsAreOneLine() {
        assertOneLineError(score("--arch", "|nor_conv_3x3~0|+|"), 2, "jnas: ");
        assertOneLineError(score("--archs-file", dir.resolve("missing.txt").toString()), 1, "does not exist");
        assertOneLineError(score("--arch", BEST, "--metrics", "ntk,flops"), 2, "unknown metric 'flops'");
        assertOneLineError(score("--arch", BEST, "--init", "xavier"), 2, "unknown init 'xavier'");
        String store = dir.resolve("store.sqlite").toString();
        assertOneLineError(run("score", "--arch", BEST, "--dataset", "mnist", "--store", store), 2,
                "unknown dataset 'mnist'");
        assertOneLineError(run("score", "--arch", BEST, "--dataset", "cifar10:" + dir.resolve("nope"), "--store",
                store), 1, "CIFAR-10 directory");
        assertOneLineError(score("--arch", BEST, "--space", "darts"), 2, "unknown space 'darts'");
        assertOneLineError(score("--sample", "0"), 2, "--sample");
        assertOneLineError(score("--arch", BEST, "--all"), 2, "mutually exclusive");
        assertOneLineError(run("score", "--dataset", "synthetic"), 2, "Missing required");
    }

    @Test
    void cudaWithoutGpuIsOneLine() {
        if (!Devices.discover().gpus().isEmpty()) {
            return;
        }
        assertOneLineError(score("--arch", BEST, "--backend", "cuda"), 1, "jnas: ");
    }
}
