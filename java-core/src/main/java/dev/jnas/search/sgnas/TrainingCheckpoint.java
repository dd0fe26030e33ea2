package dev.jnas.search.sgnas;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

import dev.jnas.bindings.Net;
import dev.jnas.bindings.Optimizer;
import dev.jnas.bindings.OptimizerState;

/**
 * Where a training loop can stop and later go on bit for bit: the net's parameters (buffers included), the
 * optimizer's moments and the loop's own progress, in a directory. The progress file is replaced atomically last and
 * names the parameter and optimizer files it goes with, so a crash at any moment leaves the previous checkpoint
 * whole. The settings the run was started with are kept in it too: resuming with other settings is refused.
 */
final class TrainingCheckpoint {
    private static final String MAGIC = "JNASOPT1";
    private static final String SETTINGS = "settings";
    private static final String PARAMS_FILE = "params.file";
    private static final String OPTIMIZER_FILE = "optimizer.file";

    private final Path directory;
    private final String prefix;

    TrainingCheckpoint(Path directory, String prefix) {
        this.directory = directory;
        this.prefix = prefix;
    }

    private Path progressFile() {
        return directory.resolve(prefix + ".progress");
    }

    /**
     * Restores the net and optimizer from the last checkpoint and returns its progress, or empty when there is none.
     *
     * @param settings a description of the run's settings; a checkpoint made with other settings is an error
     */
    Optional<Properties> restore(Net net, Optimizer optimizer, String settings) {
        Path progressFile = progressFile();
        if (!Files.exists(progressFile)) {
            return Optional.empty();
        }
        Properties progress = new Properties();
        try (Reader in = Files.newBufferedReader(progressFile)) {
            progress.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the checkpoint " + progressFile + ": " + e.getMessage(), e);
        }
        String saved = progress.getProperty(SETTINGS);
        if (!settings.equals(saved)) {
            throw new IllegalStateException("the checkpoint in " + directory + " was made with other settings ("
                    + saved + "; now " + settings + "): use another --out directory, or the same settings to resume");
        }
        ParameterFile.load(net, directory.resolve(required(progress, PARAMS_FILE, progressFile)));
        optimizer.writeState(readOptimizerState(directory.resolve(required(progress, OPTIMIZER_FILE, progressFile))));
        return Optional.of(progress);
    }

    /** Writes a checkpoint tagged {@code tag} (e.g. the step) with the loop's progress; older files are removed. */
    void save(Net net, Optimizer optimizer, String settings, String tag, Properties progress) {
        try {
            Files.createDirectories(directory);
            Properties previous = new Properties();
            if (Files.exists(progressFile())) {
                try (Reader in = Files.newBufferedReader(progressFile())) {
                    previous.load(in);
                }
            }
            String params = prefix + "-" + tag + ".params";
            String moments = prefix + "-" + tag + ".optimizer";
            ParameterFile.save(net, directory.resolve(params));
            writeOptimizerState(optimizer.readState(), directory.resolve(moments));
            Properties next = new Properties();
            next.putAll(progress);
            next.setProperty(SETTINGS, settings);
            next.setProperty(PARAMS_FILE, params);
            next.setProperty(OPTIMIZER_FILE, moments);
            Path temp = directory.resolve(prefix + ".progress.tmp");
            try (Writer out = Files.newBufferedWriter(temp)) {
                next.store(out, "jnas training checkpoint");
            }
            Files.move(temp, progressFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            for (String key : new String[] {PARAMS_FILE, OPTIMIZER_FILE}) {
                String old = previous.getProperty(key);
                if (old != null && !old.equals(next.getProperty(key))) {
                    Files.deleteIfExists(directory.resolve(old));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint in " + directory, e);
        }
    }

    private static String required(Properties progress, String key, Path file) {
        String value = progress.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("the checkpoint " + file + " has no '" + key + "' entry");
        }
        return value;
    }

    static void writeOptimizerState(OptimizerState state, Path file) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
            out.writeBytes(MAGIC);
            out.writeLong(state.steps());
            out.writeInt(state.moments().length);
            for (float v : state.moments()) {
                out.writeFloat(v);
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static OptimizerState readOptimizerState(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            byte[] magic = new byte[MAGIC.length()];
            in.readFully(magic);
            if (!MAGIC.equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new IllegalStateException(file + " is not a jnas optimizer state file (bad header)");
            }
            long steps = in.readLong();
            int count = in.readInt();
            if (count < 0 || steps < 0) {
                throw new IllegalStateException(file + " is corrupt: " + count + " moments, " + steps + " steps");
            }
            float[] moments = new float[count];
            for (int i = 0; i < count; i++) {
                moments[i] = in.readFloat();
            }
            if (in.read() != -1) {
                throw new IllegalStateException(file + " is corrupt: data after the last of its " + count + " moments");
            }
            return new OptimizerState(moments, steps);
        } catch (EOFException e) {
            throw new IllegalStateException(file + " is truncated", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
