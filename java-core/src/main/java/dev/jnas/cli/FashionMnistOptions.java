package dev.jnas.cli;

import java.nio.file.Path;

import dev.jnas.data.FashionMnist;
import picocli.CommandLine.Option;

/** Where the Fashion-MNIST files are, for the commands that train on them. */
final class FashionMnistOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of Fashion-MNIST's files (default: -Djnas.fashion.dir, else "
                    + "/usr/share/datasets/fashion-mnist).")
    Path dataDir;

    /** The data set in --data-dir, or at its default location. */
    FashionMnist open() {
        return dataDir == null ? FashionMnist.atDefaultLocation() : new FashionMnist(dataDir);
    }

    /** Refuses a --dataset other than Fashion-MNIST, the only one these commands load so far. */
    static void requireFashionMnist(String dataset) {
        if (!FashionMnist.NAME.equals(dataset)) {
            throw new IllegalArgumentException("unknown dataset '" + dataset + "'; known: " + FashionMnist.NAME);
        }
    }
}
