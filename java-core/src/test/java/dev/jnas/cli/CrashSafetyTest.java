package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jnas.store.EvaluationStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep, a TE-NAS search and an αNAS run, each started in a child JVM and SIGKILLed at seeded points (a random
 * moment early in the first child, then after a random number of stored rows, twice), then finished by a rerun.
 * After every kill the store keeps every finished row unchanged ({@link KilledRuns}) and each stored row equals
 * that of a run never interrupted; the final rerun computes exactly the rows the store lacks and prints the
 * uninterrupted run's result. One more kill is made to land inside a round's write transaction.
 */
class CrashSafetyTest {
    private static final long SCHEDULE_SEED = 20_261_125L;

    @TempDir
    Path dir;

    @Test
    void killedSweepLosesNoCellAndPrintsTheUninterruptedRows() throws Exception {
        Function<Path, List<String>> sweep = store -> {
            List<String> args = new ArrayList<>(List.of("score", "--sample", "24", "--seed", "4"));
            args.addAll(List.of(ScoreCommandTest.QUICK));
            args.addAll(List.of("--workers", "2", "--threads", "1", "--store", store.toString()));
            return args;
        };
        Resumed resumed = killAndResume(sweep, StoreTable.EVALUATIONS, List.of(), store -> { });
        long stored = resumed.storedBefore();
        assertTrue(resumed.last().err().contains(stored + " from the store, " + (resumed.total() - stored)
                + " computed"), resumed.last().err());
        assertEquals(withoutLastColumn(resumed.uninterrupted().out()), withoutLastColumn(resumed.last().out()),
                "the rows, without the seconds column");
    }

    @Test
    void killedTenasSearchResumesAfterItsLastWholeRound() throws Exception {
        Function<Path, List<String>> search = store -> List.of("search", "tenas", "--dataset", "synthetic",
                "--batch", "8", "--repeat", "1", "--seed", "3", "--workers", "1", "--threads", "1", "--json",
                "--store", store.toString());
        Resumed resumed = killAndResume(search, StoreTable.SEARCH_ROUNDS, List.of(StoreTable.SEARCH_CANDIDATES),
                CrashSafetyTest::everyRoundHasItsCandidates);
        JsonNode last = new ObjectMapper().readTree(resumed.last().out());
        assertEquals(resumed.storedBefore(), last.get("resumed_rounds").asLong());
        assertEquals(withoutWallTime(resumed.uninterrupted().out(), "resumed_rounds"),
                withoutWallTime(resumed.last().out(), "resumed_rounds"));
    }

    @Test
    void killedAlphanasRunResumesAfterItsLastIndividual() throws Exception {
        Function<Path, List<String>> evolution = store -> List.of("search", "alphanas", "--seed-model", "cnn",
                "--generations", "12", "--fitness", "training-free", "--train-images", "64", "--probe-batch", "8",
                "--threads", "1", "--seed", "2", "--json", "--store", store.toString());
        Resumed resumed = killAndResume(evolution, StoreTable.ALPHANAS_INDIVIDUALS, List.of(), store -> { });
        List<String> generations = resumed.last().err().lines().filter(line -> line.startsWith("generation "))
                .toList();
        assertEquals(resumed.total(), generations.size(), resumed.last().err());
        assertEquals(resumed.storedBefore(), generations.stream().filter(line -> line.endsWith("(from the store)"))
                .count(), resumed.last().err());
        assertEquals(withoutWallTime(resumed.uninterrupted().out()), withoutWallTime(resumed.last().out()));
    }

    /**
     * A kill inside a round's transaction: a trigger installed in the store makes writing round 1's sixth
     * candidate spin (a 10⁹-row join) far longer than the test waits. The child is SIGKILLed a second after its
     * progress bar finished round 1 (the round is saved right after) and before it printed the saved round; the
     * store then holds neither the round nor any candidate. With the trigger dropped, the rerun computes round 1
     * again and prints the uninterrupted search.
     */
    @Test
    void aKillInsideARoundsTransactionLeavesNoPartOfTheRound() throws Exception {
        Function<Path, List<String>> search = store -> List.of("search", "tenas", "--dataset", "synthetic",
                "--batch", "8", "--repeat", "1", "--seed", "3", "--workers", "1", "--threads", "1",
                "--store", store.toString());
        Path store = dir.resolve("spinning.sqlite");
        EvaluationStore.open(store).close(); // the tables, so that the trigger has one to watch
        StoreTable.execute(store, "CREATE TABLE spin (x INTEGER)",
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000) "
                        + "INSERT INTO spin SELECT x FROM n",
                "CREATE TRIGGER spin_on_the_sixth_candidate AFTER INSERT ON search_candidates "
                        + "WHEN NEW.position = 5 BEGIN "
                        + "SELECT count(*) FROM spin a, spin b, spin c WHERE a.x + b.x + c.x < 0; END");
        Path log = dir.resolve("spinning.log");
        Process child = KilledRuns.startChild(search.apply(store), log);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("round 1 (ops) [" + "#".repeat(30) + "] 25/25")) {
                assertTrue(child.isAlive() && System.nanoTime() < deadline, "round 1 never finished:\n"
                        + Files.readString(log));
                Thread.sleep(20);
            }
            Thread.sleep(1000);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(KilledRuns.KILLED_EXIT, child.exitValue(), "killed while writing round 1");
        assertFalse(Files.readString(log).contains("round 1 (ops): 24 candidates"), "round 1 was saved");
        assertEquals("ok", StoreTable.integrity(store));
        assertEquals("wal", StoreTable.journalMode(store));
        assertEquals(Map.of(), StoreTable.SEARCH_ROUNDS.rows(store));
        assertEquals(Map.of(), StoreTable.SEARCH_CANDIDATES.rows(store));

        StoreTable.execute(store, "DROP TRIGGER spin_on_the_sixth_candidate");
        ScoreCommandTest.Run rerun = run(search.apply(store));
        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.out().contains("3 rounds (0 from the store)"), rerun.out());
        ScoreCommandTest.Run uninterrupted = run(search.apply(dir.resolve("whole.sqlite")));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());
        for (StoreTable table : List.of(StoreTable.SEARCH_ROUNDS, StoreTable.SEARCH_CANDIDATES)) {
            assertEquals(table.results(dir.resolve("whole.sqlite")), table.results(store), table.name());
        }
    }

    /**
     * @param uninterrupted the run never killed, over its own store
     * @param last          the rerun after the kills, which finishes the work
     * @param total         rows of the counted table a whole run makes
     * @param storedBefore  rows the store held when the last rerun started
     */
    private record Resumed(ScoreCommandTest.Run uninterrupted, ScoreCommandTest.Run last, long total,
                           long storedBefore) {
    }

    /**
     * Runs the command line uninterrupted (timing it), then over a second store in children killed on the seeded
     * schedule (the random kill within the first half of the uninterrupted run's time), then once more to the
     * end. Checks after every kill and at the end that each stored row equals the uninterrupted run's.
     */
    private Resumed killAndResume(Function<Path, List<String>> commandLine, StoreTable counted,
                                  List<StoreTable> others, Consumer<Path> consistency) throws Exception {
        Path whole = dir.resolve("whole.sqlite");
        long start = System.nanoTime();
        ScoreCommandTest.Run uninterrupted = run(commandLine.apply(whole));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(0, uninterrupted.code(), uninterrupted.err());
        List<StoreTable> tables = new ArrayList<>(List.of(counted));
        tables.addAll(others);
        long total = counted.rows(whole).size();
        assertTrue(total >= 3, "a run of " + total + " rows leaves no room for kills");

        Path store = dir.resolve("killed.sqlite");
        KilledRuns runs = new KilledRuns(commandLine.apply(store), store, counted, others, total,
                consistency.andThen(file -> storedRowsAreTheUninterrupted(tables, whole, file)));
        KilledRuns.Kills kills = runs.run(KilledRuns.seededSchedule(SCHEDULE_SEED, total, Math.max(1, millis / 2)));
        assertTrue(kills.survived() >= 2, kills.toString());

        KilledRuns.Snapshot before = runs.snapshot();
        ScoreCommandTest.Run last = run(commandLine.apply(store));
        assertEquals(0, last.code(), last.err());
        assertEquals(total, runs.assertKept(before, "the last rerun").rows(counted).size());
        assertEquals("wal", StoreTable.journalMode(store));
        for (StoreTable table : tables) {
            assertEquals(table.results(whole), table.results(store), table.name());
        }
        return new Resumed(uninterrupted, last, total, before.rows(counted).size());
    }

    private static ScoreCommandTest.Run run(List<String> args) {
        return ScoreCommandTest.run(args.toArray(String[]::new));
    }

    /** Whatever a killed run stored is what the uninterrupted run stored under the same key. */
    private static void storedRowsAreTheUninterrupted(List<StoreTable> tables, Path whole, Path store) {
        for (StoreTable table : tables) {
            Map<String, Map<String, Object>> expected = table.results(whole);
            table.results(store).forEach((key, row) -> assertEquals(expected.get(key), row, table.name() + " " + key));
        }
    }

    /**
     * A round and its ranking are one transaction: a stored round has all its candidates (NB201 pruning one op
     * per edge: 24, 18 and 12), and there are no candidates of rounds not stored.
     */
    private static void everyRoundHasItsCandidates(Path store) {
        Map<String, Integer> perRound = new TreeMap<>();
        StoreTable.SEARCH_CANDIDATES.rows(store).values().forEach(row -> perRound.merge(
                row.get("search") + "|" + row.get("round"), 1, Integer::sum));
        assertEquals(StoreTable.SEARCH_ROUNDS.rows(store).keySet(), perRound.keySet());
        List<Integer> candidates = List.of(24, 18, 12);
        perRound.forEach((round, count) -> assertEquals(
                candidates.get(Integer.parseInt(round.substring(round.lastIndexOf('|') + 1))), count, round));
    }

    /** CSV rows without their last column (the seconds, wall time). */
    private static List<String> withoutLastColumn(String csv) {
        return csv.lines().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }

    /** The JSON without the wall-time fields (any name ending in "seconds") and the named others, at any depth. */
    private static JsonNode withoutWallTime(String json, String... others) throws Exception {
        JsonNode root = new ObjectMapper().readTree(json);
        strip(root, Set.of(others));
        return root;
    }

    private static void strip(JsonNode node, Set<String> others) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (name.endsWith("seconds") || others.contains(name)) {
                    object.remove(name);
                }
            }
        }
        node.forEach(child -> strip(child, others));
    }
}
