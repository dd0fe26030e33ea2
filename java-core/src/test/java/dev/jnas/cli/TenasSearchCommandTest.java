package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnas.data.Nb201Table;
import dev.jnas.space.nb201.Nb201Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jnas search tenas on NB201: JSON and text output, the result files, resuming from the store, bad options. */
class TenasSearchCommandTest {
    /** Small and quick: synthetic inputs, frozen coupling, a small batch, one repeat. */
    private static final List<String> QUICK = List.of("search", "tenas", "--dataset", "synthetic", "--batch", "8",
            "--repeat", "1", "--seed", "3");

    @TempDir
    Path dir;

    private ScoreCommandTest.Run search(String... more) {
        List<String> args = new ArrayList<>(QUICK);
        args.addAll(List.of("--store", dir.resolve("store.sqlite").toString()));
        args.addAll(List.of(more));
        return ScoreCommandTest.run(args.toArray(String[]::new));
    }

    @Test
    void searchesNb201ThenReadsTheSameSearchBackFromTheStore() throws IOException {
        Path out = dir.resolve("out");
        ScoreCommandTest.Run first = search("--json", "--out", out.toString());
        assertEquals(0, first.code(), first.err());
        JsonNode result = new ObjectMapper().readTree(first.out());
        Nb201Architecture architecture = Nb201Architecture.parse(result.get("architecture").asText());
        assertEquals(3, result.get("rounds").size());
        int[] candidates = {24, 18, 12};
        for (int r = 0; r < 3; r++) {
            JsonNode round = result.get("rounds").get(r);
            assertEquals(candidates[r], round.get("ranking").size());
            int pruned = 0;
            for (JsonNode row : round.get("ranking")) {
                pruned += row.get("pruned").asBoolean() ? 1 : 0;
            }
            assertEquals(6, pruned, "one op per edge per round");
        }
        Nb201Table table = Nb201Table.readDefault();
        int index = table.index(architecture);
        assertEquals(index, result.get("nb201").get("index").asInt());
        assertEquals(table.accuracy(index, Nb201Table.Benchmark.CIFAR100),
                result.get("nb201").get("cifar100").asDouble());
        assertEquals(first.out(), Files.readString(out.resolve("result.json")));
        assertTrue(Files.readString(out.resolve("rounds.log")).contains("round 3 (ops)"));

        ScoreCommandTest.Run again = search();
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("round 1 (ops): 24 candidates"), again.out());
        assertTrue(again.out().contains("(from the store)"), again.out());
        assertTrue(again.out().contains("searched architecture: " + architecture), again.out());
        assertTrue(again.out().contains("3 rounds (3 from the store)"), again.out());
    }

    @Test
    void anNb201TableForTheDartsSpaceIsOneClearLine() {
        ScoreCommandTest.Run run = search("--space", "darts", "--nb201-table", "x.csv");
        assertEquals(2, run.code(), run.err());
        assertEquals("jnas: --nb201-table looks up NB201 cells; it does not apply to --space darts", run.err().strip());
    }

    @Test
    void anUnknownSpaceIsOneClearLine() {
        ScoreCommandTest.Run run = search("--space", "nats");
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("jnas: unknown space 'nats'"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }
}
