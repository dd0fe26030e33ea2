package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnas.bindings.Devices;
import dev.jnas.bindings.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a command cannot have: memory for a huge batch, a GPU, a store or an --out directory it can write. Each is
 * one line on stderr and exit code 1, and leaves nothing behind that stops a rerun once the resource is there.
 */
class ResourceErrorsTest {
    private static final String SCORE_QUICK = "--dataset synthetic --repeat 1";
    private static final String SMALL_BATCH = "16";
    private static final String SEARCH_QUICK = "search tenas --dataset synthetic --batch 8 --repeat 1";

    @TempDir
    Path dir;

    private static ScoreCommandTest.Run run(String command, Object... more) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        Stream.of(more).map(Object::toString).forEach(args::add);
        return ScoreCommandTest.run(args.toArray(String[]::new));
    }

    private static void assertOneLineFailure(ScoreCommandTest.Run run, String... expected) {
        assertEquals(ExitCodes.FAILED, run.code(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().startsWith("jnas: "), run.err());
        for (String fragment : expected) {
            assertTrue(run.err().contains(fragment), () -> "'" + fragment + "' is not in " + run.err());
        }
        assertFalse(run.err().contains("Exception"), run.err());
    }

    private static ScoreCommandTest.Run score(Path store, String batch, String... more) {
        return run("score --arch " + ScoreCommandTest.BEST + " " + SCORE_QUICK, Stream.concat(
                Stream.of("--store", store, "--batch", batch), Stream.of(more)).toArray());
    }

    @Test
    void aHugeBatchIsOutOfMemoryFromTheNativeSideAndStoresNothing() {
        Path store = dir.resolve("store.sqlite");
        assertOneLineFailure(score(store, "100000000"), "cannot allocate", "bytes of memory");
        ScoreCommandTest.Run rerun = score(store, SMALL_BATCH);
        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.err().contains("0 from the store, 1 computed"), rerun.err());
    }

    /**
     * A batch larger than the training data is one step over all of it. Regression: at 2^31 - 1 every search's step
     * count overflowed to none, and BayesNAS and compression then failed with "out is null".
     */
    @Test
    void theLargestBatchIsOneStepOfEverySearchsTraining() {
        String largest = Integer.toString(Integer.MAX_VALUE);
        List<ScoreCommandTest.Run> runs = List.of(
                run("search bayesnas --train-images 20 --channels 2 --threads 1 --batch " + largest),
                run("compress --model lenet5 --train-images 32 --epochs 1 --prune-iterations 1 --fine-tune-epochs 1"
                        + " --no-baseline --threads 1 --batch " + largest),
                run("search sgnas --train-images 80 --held-out 0.25 --width 0.125 --epochs 1 --generator-epochs 1"
                        + " --batch " + largest + " --generator-batch " + largest, "--out", dir.resolve("sgnas")));
        for (ScoreCommandTest.Run run : runs) {
            assertEquals(0, run.code(), run.err());
        }
    }

    @Test
    void cudaWithoutAGpuStopsEachCommandBeforeItStoresAnything() {
        assumeTrue(Devices.discover().gpus().isEmpty() || !Engine.cudaCompiled(), "a GPU and a CUDA build are here");
        Path store = dir.resolve("store.sqlite");
        Path out = dir.resolve("out");
        List<ScoreCommandTest.Run> runs = List.of(
                score(store, SMALL_BATCH, "--backend", "cuda"),
                run("correlate --sample 2 " + SCORE_QUICK, "--store", store, "--backend", "cuda"),
                run(SEARCH_QUICK, "--store", store, "--out", out, "--backend", "cuda"),
                run("train --epochs 1 --backend cuda"));
        for (ScoreCommandTest.Run run : runs) {
            assertOneLineFailure(run, "CUDA");
        }
        assertFalse(Files.exists(store), "no store was created");
    }

    @Test
    void anOutDirectoryThatCannotBeMadeFailsBeforeTheSearchAndARerunFinishesIt() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a directory should be");
        Path store = dir.resolve("store.sqlite");
        Path out = blocker.resolve("out");
        assertOneLineFailure(run(SEARCH_QUICK, "--store", store, "--out", out),
                "cannot write results into " + out, "Not a directory");
        assertFalse(Files.exists(store), "the search did not start");

        Files.delete(blocker);
        ScoreCommandTest.Run rerun = run(SEARCH_QUICK, "--store", store, "--out", out, "--json");
        assertEquals(0, rerun.code(), rerun.err());
        assertEquals(rerun.out(), Files.readString(out.resolve("result.json")));
        new ObjectMapper().readTree(out.resolve("result.json").toFile());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("result.json", "rounds.log"),
                    files.map(file -> file.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void aStoreThatCannotBeOpenedIsOneLineAndARerunComputesTheCell() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where a directory should be");
        assertOneLineFailure(score(blocker.resolve("store.sqlite"), SMALL_BATCH),
                "cannot create the directory of store");
        Path directoryStore = Files.createDirectory(dir.resolve("store-is-a-directory"));
        assertOneLineFailure(score(directoryStore, SMALL_BATCH), "cannot open store " + directoryStore);

        Files.delete(blocker);
        ScoreCommandTest.Run rerun = score(blocker.resolve("store.sqlite"), SMALL_BATCH);
        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.err().contains("0 from the store, 1 computed"), rerun.err());
    }

    /** Read-only by its permissions, which only a user other than root is held to. */
    @Test
    void readOnlyStoreAndOutDirectoriesAreOneLineAndWorkOnceWritable() throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(readOnly), "root writes into read-only directories");
            Path store = readOnly.resolve("store.sqlite");
            assertOneLineFailure(score(store, SMALL_BATCH), "cannot open store " + store);
            Path out = readOnly.resolve("out");
            assertOneLineFailure(run(SEARCH_QUICK, "--store", dir.resolve("other.sqlite"), "--out", out),
                    "cannot write results into " + out, "permission denied");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ScoreCommandTest.Run rerun = score(readOnly.resolve("store.sqlite"), SMALL_BATCH);
        assertEquals(0, rerun.code(), rerun.err());
    }
}
