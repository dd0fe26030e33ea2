package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.BnCoupling;
import dev.jnas.metrics.InitScheme;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.space.SharedDirectory;
import dev.jnas.store.EvaluationStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep in a child JVM is killed (SIGKILL) once some cells are stored; the rerun takes those from the store,
 * computes only the rest, and prints exactly the rows of a sweep that was never interrupted.
 */
class ResumeAfterKillTest {
    private static final int CELLS = 30;
    private static final long KILL_AFTER_STORED = 5;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    @TempDir
    Path dir;

    private List<String> sweepArgs(Path store) {
        List<String> args = new ArrayList<>(List.of("score", "--sample", "" + CELLS, "--seed", "4"));
        args.addAll(List.of(ScoreCommandTest.QUICK));
        args.addAll(List.of("--store", store.toString()));
        return args;
    }

    @Test
    void rerunAfterSigkillFinishesWithTheSameRows() throws Exception {
        Path store = dir.resolve("killed.sqlite");
        Process child = startChild(sweepArgs(store));
        long stored;
        try {
            stored = waitForStoredRows(store, child);
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        long afterKill = storedRows(store);
        assertTrue(afterKill >= stored && afterKill < CELLS, "killed mid-run with " + afterKill + " rows stored");

        ScoreCommandTest.Run resumed = ScoreCommandTest.run(sweepArgs(store).toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains(afterKill + " from the store, " + (CELLS - afterKill) + " computed"),
                resumed.err());

        ScoreCommandTest.Run uninterrupted = ScoreCommandTest.run(
                sweepArgs(dir.resolve("whole.sqlite")).toArray(String[]::new));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());
        assertEquals(withoutSeconds(uninterrupted.out()), withoutSeconds(resumed.out()));
        assertEquals(CELLS + 1, resumed.out().lines().count());
    }

    /** The same JVM, class path and libjnas as this test, running the command line. */
    private static Process startChild(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Djnas.library=" + System.getProperty("jnas.library"),
                "-D" + SharedDirectory.PROPERTY + "=" + SharedDirectory.locate(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static long waitForStoredRows(Path store, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the child sweep ended (exit " + child.exitValue() + ") before it was killed");
            }
            long rows = Files.exists(store) ? storedRows(store) : 0;
            if (rows >= KILL_AFTER_STORED) {
                return rows;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + KILL_AFTER_STORED + " rows stored within the timeout");
    }

    private static long storedRows(Path store) {
        MetricSettings settings = new MetricSettings(EnumSet.allOf(MetricKind.class), 16, 1,
                InitScheme.PYTORCH_DEFAULT, BnCoupling.FROZEN, "synthetic");
        try (EvaluationStore open = EvaluationStore.open(store)) {
            return open.findAll(ScoringOptions.NB201, settings.key(), 4).size();
        }
    }

    /** CSV rows without the seconds column, which is wall time and differs between runs. */
    private static List<String> withoutSeconds(String csv) {
        return csv.lines().map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }
}
