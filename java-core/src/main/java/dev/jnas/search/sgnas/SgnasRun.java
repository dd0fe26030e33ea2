package dev.jnas.search.sgnas;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import dev.jnas.space.mbconv.MbconvLayout;

/**
 * An SGNAS run's directory: what it was started with ({@value #SETTINGS}), the trained supernet, the prior pool,
 * the generator (the best one by total constraint loss) and the checkpoints of both training stages. A search
 * rerun on the directory goes on where it stopped; {@code jnas generate} reads a finished one.
 *
 * @param dataset      the data set's name
 * @param trainImages  training images used (the first ones of the data set's training split)
 * @param heldOut      how many of them, the last ones, are held out: the generator trains and architectures are
 *                     scored on them, the supernet trains on the rest
 */
public record SgnasRun(Path directory, MbconvLayout layout, String dataset, int trainImages, int heldOut,
                       TargetRange range, long seed) {
    public static final String SETTINGS = "run.properties";

    public Path supernetParameters() {
        return directory.resolve("supernet.params");
    }

    public Path priorPool() {
        return directory.resolve("prior-pool.json");
    }

    public Path bestGenerator() {
        return directory.resolve("generator-best.params");
    }

    public Path checkpoints() {
        return directory.resolve("checkpoints");
    }

    public Path log() {
        return directory.resolve("search.json");
    }

    /**
     * Records this run in its directory, or checks that the one recorded there is the same (a run resumed with other
     * settings would mix two searches).
     */
    public void createOrCheck() {
        Path file = directory.resolve(SETTINGS);
        if (Files.exists(file)) {
            SgnasRun recorded = open(directory);
            if (!recorded.equals(this)) {
                throw new IllegalStateException(directory + " holds another search (" + recorded.describe()
                        + "); now asked for " + describe() + ". Use another --out directory, or the same options.");
            }
            return;
        }
        Properties p = new Properties();
        p.setProperty("layout", layout.spec());
        p.setProperty("dataset", dataset);
        p.setProperty("train.images", Integer.toString(trainImages));
        p.setProperty("held.out", Integer.toString(heldOut));
        p.setProperty("range.low", Double.toString(range.low()));
        p.setProperty("range.high", Double.toString(range.high()));
        p.setProperty("range.unit", Double.toString(range.unit()));
        p.setProperty("seed", Long.toString(seed));
        try {
            Files.createDirectories(directory);
            try (Writer out = Files.newBufferedWriter(file)) {
                p.store(out, "jnas SGNAS search");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The run recorded in directory. */
    public static SgnasRun open(Path directory) {
        Path file = directory.resolve(SETTINGS);
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(directory + " is no SGNAS run (it has no " + SETTINGS
                    + "); run 'jnas search sgnas --out " + directory + "' first");
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
            return new SgnasRun(directory, MbconvLayout.parseSpec(required(p, "layout")), required(p, "dataset"),
                    Integer.parseInt(required(p, "train.images")), Integer.parseInt(required(p, "held.out")),
                    new TargetRange(Double.parseDouble(required(p, "range.low")),
                            Double.parseDouble(required(p, "range.high")),
                            Double.parseDouble(required(p, "range.unit"))),
                    Long.parseLong(required(p, "seed")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no '" + key + "' entry");
        }
        return value;
    }

    /** One line: layout, data and range. */
    public String describe() {
        return "supernet " + layout.spec() + ", " + dataset + " " + trainImages + " images (" + heldOut
                + " held out), FLOPs range [" + range.low() + ", " + range.high() + ") MFLOPs, seed " + seed;
    }

    /** Runs are equal when they are the same search, wherever their directories are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof SgnasRun run && run.layout.spec().equals(layout.spec()) && run.dataset.equals(dataset)
                && run.trainImages == trainImages && run.heldOut == heldOut && run.range.equals(range)
                && run.seed == seed;
    }

    @Override
    public int hashCode() {
        return layout.spec().hashCode() ^ dataset.hashCode() ^ range.hashCode() ^ Long.hashCode(seed);
    }
}
