package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.jnas.bindings.Devices;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

/** The command line's exit codes and messages, run in-process. */
class MainTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void devicesExitsZeroAndExplainsAnEmptyList() {
        Run run = run("devices");
        assertEquals(0, run.code());
        if (Devices.discover().gpus().isEmpty()) {
            assertTrue(run.out().startsWith("no CUDA GPUs: "), run.out());
        } else {
            assertTrue(run.out().startsWith("gpu 0: "), run.out());
        }
    }

    /** A stray '%' in an option's description makes picocli warn on stderr instead of printing the help. */
    @Test
    void everyCommandsHelpRendersWithoutWarnings() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            List<CommandLine> pending = new ArrayList<>(List.of(new CommandLine(new Main())));
            while (!pending.isEmpty()) {
                CommandLine command = pending.removeLast();
                assertFalse(command.getUsageMessage().isBlank(), command.getCommandName());
                pending.addAll(command.getSubcommands().values());
            }
        } finally {
            System.setErr(original);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionNamesLibjnas() {
        Run run = run("version");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("libjnas 0.1."), run.out());
    }

    @Test
    void badOptionIsOneLineAndExitTwo() {
        Run run = run("train", "--epochs", "many");
        assertEquals(2, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("--epochs"), run.err());
    }

    @Test
    void unknownModelIsOneLine() {
        Run run = run("train", "--model", "resnet-9000");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown model 'resnet-9000'"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void missingDataIsOneLineAndExitOne() {
        Run run = run("train", "--data-dir", dir.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("jnas: Fashion-MNIST file not found: " + dir), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void cudaWithoutGpuIsOneLineAndExitOne() {
        if (!Devices.discover().gpus().isEmpty()) {
            return;
        }
        Run run = run("train", "--backend", "cuda");
        assertEquals(1, run.code());
        assertTrue(run.err().startsWith("jnas: "), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}
