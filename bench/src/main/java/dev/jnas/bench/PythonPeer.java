package dev.jnas.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PyTorch side of the peer comparison: Debian's python3 with python3-torch running the scripts of bench/peer,
 * each printing one JSON line (see bench/peer/peer.py). The interpreter and the scripts' folder come from the
 * system properties jnas.bench.python (default /usr/bin/python3) and jnas.bench.peer (default bench/peer).
 */
final class PythonPeer {
    /** Python's json writes NaN for a non-finite κ. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final String python;
    private final Path scripts;
    private final int threads;
    private final String version;

    private PythonPeer(String python, Path scripts, int threads, String version) {
        this.python = python;
        this.scripts = scripts;
        this.threads = threads;
        this.version = version;
    }

    /** The peer with torch running on the given number of threads, or why there is none. */
    static Optional<PythonPeer> find(int threads, StringBuilder whyNot) {
        String python = System.getProperty("jnas.bench.python", "/usr/bin/python3");
        Path scripts = Path.of(System.getProperty("jnas.bench.peer", "bench/peer"));
        if (!Files.isRegularFile(scripts.resolve("peer.py"))) {
            whyNot.append("no peer scripts at ").append(scripts.toAbsolutePath()).append(" (set -Djnas.bench.peer)");
            return Optional.empty();
        }
        try {
            Result probe = execute(List.of(python, "-c", "import torch; print(torch.__version__)"), scripts);
            if (probe.exitCode != 0) {
                whyNot.append(python).append(" cannot import torch: install Debian's python3-torch (./jnas bench does "
                        + "when run as root)");
                return Optional.empty();
            }
            return Optional.of(new PythonPeer(python, scripts, threads, probe.stdout.strip()));
        } catch (UncheckedIOException e) {
            whyNot.append("cannot run ").append(python).append(": ").append(e.getCause().getMessage());
            return Optional.empty();
        }
    }

    /** "PyTorch 1.13.0a0, 2 threads" */
    String describe() {
        return "PyTorch " + version + ", " + threads + " thread" + (threads == 1 ? "" : "s");
    }

    /**
     * Runs a script under the protocol with the given extra arguments and returns its JSON line, in which
     * "seconds" is replaced by the median of the timed runs.
     *
     * @throws IllegalStateException when the script fails, with its error output
     */
    JsonNode run(String script, PeerProtocol protocol, List<String> arguments) {
        // -B: no bytecode caches in the source tree.
        List<String> command = new ArrayList<>(List.of(python, "-B", script, "--threads", Integer.toString(threads)));
        command.addAll(protocol.arguments());
        command.addAll(arguments);
        Result result = execute(command, scripts);
        String[] lines = result.stdout.strip().split("\n");
        if (result.exitCode != 0 || lines[lines.length - 1].isBlank()) {
            throw new IllegalStateException("peer script " + scripts.resolve(script) + " failed (exit "
                    + result.exitCode + "):\n" + result.stderr);
        }
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(lines[lines.length - 1]);
            List<Double> seconds = new ArrayList<>();
            json.get("seconds").forEach(s -> seconds.add(s.asDouble()));
            json.put("seconds", PeerProtocol.median(seconds));
            return json;
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("peer script " + script + " printed no JSON object: "
                    + lines[lines.length - 1], e);
        }
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result execute(List<String> command, Path directory) {
        try {
            Path errors = Files.createTempFile("jnas-peer", ".err");
            try {
                Process process = new ProcessBuilder(command).directory(directory.toFile())
                        .redirectError(errors.toFile()).start();
                String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int exitCode = process.waitFor();
                return new Result(exitCode, stdout, Files.readString(errors));
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
