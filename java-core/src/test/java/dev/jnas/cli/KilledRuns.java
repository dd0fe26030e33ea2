package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.SharedDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One jnas command line started again and again in a child JVM over one store, each child SIGKILLed at the next
 * point of a schedule. After every kill the store must be a consistent WAL file that still holds every row it
 * held before that child started, each unchanged: no finished row lost, none computed again (a recomputed row
 * would be rewritten with a new finished_at).
 */
final class KilledRuns {
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final long POLL_MILLIS = 20;
    /** How Java reports a child ended by SIGKILL (9): 128 + the signal. */
    static final int KILLED_EXIT = 128 + 9;

    /** Where a child is killed. */
    sealed interface KillPoint {
        /** Once the counted table holds this many rows, and at least one the child added itself. */
        record AfterRows(long rows) implements KillPoint {
        }

        /** This long after the child started, whatever it is doing then (starting, computing, writing). */
        record AfterMillis(long millis) implements KillPoint {
        }
    }

    /** How the kills went: children killed while running, and kills left out because too few rows remained. */
    record Kills(int survived, int skipped) {
    }

    /** Every checked table's rows at one moment, as {@link StoreTable#rows} gives them. */
    record Snapshot(Map<StoreTable, Map<String, Map<String, Object>>> tables) {
        Map<String, Map<String, Object>> rows(StoreTable table) {
            return tables.get(table);
        }
    }

    private enum Outcome { KILLED, FINISHED_FIRST, SKIPPED }

    private final List<String> args;
    private final Path store;
    private final StoreTable counted;
    private final List<StoreTable> tables;
    private final long total;
    private final Consumer<Path> consistency;

    /**
     * @param counted     the table whose rows are the unit of work (kill points count them)
     * @param others      further tables that must keep their rows unchanged
     * @param total       the rows of counted a whole run makes
     * @param consistency a check of the whole file after each kill, e.g. that every round has its candidates
     */
    KilledRuns(List<String> args, Path store, StoreTable counted, List<StoreTable> others, long total,
               Consumer<Path> consistency) {
        this.args = List.copyOf(args);
        this.store = store;
        this.counted = counted;
        this.tables = new ArrayList<>(List.of(counted));
        this.tables.addAll(others);
        this.total = total;
        this.consistency = consistency;
    }

    /**
     * A kill at a random moment within the first millisBound ms of the first child (the whole run still ahead of
     * it), then kills after a random number of rows in the first third of the run and again within the next third;
     * all drawn from the seed.
     */
    static List<KillPoint> seededSchedule(long seed, long total, long millisBound) {
        SplittableRandom random = new SplittableRandom(seed);
        long third = Math.max(1, total / 3);
        long first = 1 + random.nextLong(third);
        return List.of(new KillPoint.AfterMillis(random.nextLong(millisBound)),
                new KillPoint.AfterRows(first), new KillPoint.AfterRows(first + 1 + random.nextLong(third)));
    }

    Kills run(List<KillPoint> schedule) throws Exception {
        int survived = 0;
        int skipped = 0;
        for (int i = 0; i < schedule.size(); i++) {
            Snapshot before = snapshot();
            Outcome outcome = runOnce(schedule.get(i), before.rows(counted).size(), i);
            if (outcome == Outcome.SKIPPED) {
                skipped++;
                continue;
            }
            survived += outcome == Outcome.KILLED ? 1 : 0;
            checkAfterKill(before, schedule.get(i));
        }
        return new Kills(survived, skipped);
    }

    /** A row kill point is skipped when the child would have to finish to reach it. */
    private Outcome runOnce(KillPoint point, long rowsBefore, int index) throws Exception {
        long target = point instanceof KillPoint.AfterRows(long rows) ? Math.max(rows, rowsBefore + 1) : 0;
        if (point instanceof KillPoint.AfterRows && target >= total) {
            return Outcome.SKIPPED;
        }
        Path log = store.resolveSibling(store.getFileName() + ".child" + index + ".log");
        Process child = startChild(args, log);
        long start = System.nanoTime();
        try {
            while (child.isAlive()) {
                if (System.nanoTime() - start > TIMEOUT_NANOS) {
                    throw new AssertionError("child " + index + " reached no kill point (" + point
                            + ") within the timeout");
                }
                boolean reached = switch (point) {
                    case KillPoint.AfterRows _ -> counted.rows(store).size() >= target;
                    case KillPoint.AfterMillis m -> System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(
                            m.millis());
                };
                if (reached) {
                    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                    child.waitFor(30, TimeUnit.SECONDS);
                    if (child.exitValue() == KILLED_EXIT) {
                        return Outcome.KILLED;
                    }
                    break; // it ended just before the kill
                }
                Thread.sleep(POLL_MILLIS);
            }
        } finally {
            child.destroyForcibly();
        }
        if (child.exitValue() != 0) {
            throw new AssertionError("child " + index + " failed (exit " + child.exitValue() + ") before its kill "
                    + "point " + point + ":\n" + Files.readString(log));
        }
        return Outcome.FINISHED_FIRST; // it finished the work between two polls
    }

    private void checkAfterKill(Snapshot before, KillPoint point) {
        if (!Files.exists(store)) {
            return; // killed before it opened the store (opening it here would create it)
        }
        assertEquals("ok", StoreTable.integrity(store), "integrity after a kill at " + point);
        Snapshot after = assertKept(before, "a kill at " + point);
        if (!after.rows(counted).isEmpty()) { // a kill while opening may come before WAL is switched on
            assertEquals("wal", StoreTable.journalMode(store), "journal mode after a kill at " + point);
        }
        assertTrue(after.rows(counted).size() <= total, after.rows(counted).size() + " rows of " + total);
        consistency.accept(store);
    }

    /** Checks that every row of before is still stored, unchanged, and returns the rows now. */
    Snapshot assertKept(Snapshot before, String after) {
        Snapshot now = snapshot();
        for (StoreTable table : tables) {
            Map<String, Map<String, Object>> rows = now.rows(table);
            before.rows(table).forEach((key, row) -> assertEquals(row, rows.get(key),
                    table.name() + " row " + key + " after " + after + " (lost or rewritten)"));
        }
        return now;
    }

    Snapshot snapshot() {
        Map<StoreTable, Map<String, Map<String, Object>>> rows = new LinkedHashMap<>();
        for (StoreTable table : tables) {
            rows.put(table, table.rows(store));
        }
        return new Snapshot(rows);
    }

    /** The same JVM, class path and libjnas as the tests, running the command line; output goes to log. */
    static Process startChild(List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Djnas.library=" + System.getProperty("jnas.library"),
                "-D" + SharedDirectory.PROPERTY + "=" + SharedDirectory.locate(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
