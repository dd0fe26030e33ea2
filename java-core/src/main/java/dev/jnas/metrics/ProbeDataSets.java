package dev.jnas.metrics;

import dev.jnas.data.Cifar10Binary;
import dev.jnas.data.DataException;
import dev.jnas.data.FashionMnist;
import dev.jnas.data.IdxArray;
import dev.jnas.data.IdxReader;
import java.nio.file.Files;
import java.nio.file.Path;

/** The data sets of {@code --dataset}: "fashion-mnist" (default), "synthetic", "cifar10:DIR". */
public final class ProbeDataSets {
    public static final String DEFAULT = FashionMnist.NAME;
    private static final String CIFAR10_PREFIX = "cifar10:";
    private static final String FASHION_TRAIN_IMAGES = "train-images-idx3-ubyte";

    private ProbeDataSets() {
    }

    /**
     * The canonical key of a --dataset value without loading anything, for the settings key: CIFAR-10's
     * directory becomes absolute and normalized.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static String key(String spec) {
        if (spec.equals(FashionMnist.NAME) || spec.equals(GaussianProbeData.KEY)) {
            return spec;
        }
        if (spec.startsWith(CIFAR10_PREFIX) && spec.length() > CIFAR10_PREFIX.length()) {
            return CIFAR10_PREFIX + cifarDirectory(spec);
        }
        throw new IllegalArgumentException("unknown dataset '" + spec + "'; known: " + FashionMnist.NAME + ", "
                + GaussianProbeData.KEY + ", " + CIFAR10_PREFIX + "DIR");
    }

    /**
     * Loads the data set.
     *
     * @throws DataException for missing or malformed files
     */
    public static ProbeData load(String spec) {
        String key = key(spec);
        if (key.equals(GaussianProbeData.KEY)) {
            return new GaussianProbeData();
        }
        if (key.equals(FashionMnist.NAME)) {
            return fashionMnist(FashionMnist.atDefaultLocation().directory());
        }
        Cifar10Binary.Images images = Cifar10Binary.readTraining(cifarDirectory(spec));
        return new ImageProbeData(key, images.pixels(), images.count(), Cifar10Binary.CHANNELS, Cifar10Binary.SIZE,
                Cifar10Binary.SIZE, Cifar10Binary.MEAN, Cifar10Binary.STD);
    }

    private static Path cifarDirectory(String spec) {
        return Path.of(spec.substring(CIFAR10_PREFIX.length())).toAbsolutePath().normalize();
    }

    /** The training images, normalized with their own mean and standard deviation (labels unused). */
    static ImageProbeData fashionMnist(Path directory) {
        Path gzipped = directory.resolve(FASHION_TRAIN_IMAGES + ".gz");
        Path file = Files.exists(gzipped) ? gzipped : directory.resolve(FASHION_TRAIN_IMAGES);
        if (!Files.exists(file)) {
            throw new DataException("Fashion-MNIST file not found: " + gzipped + " (install the Debian package "
                    + "dataset-fashion-mnist, set -D" + FashionMnist.DIRECTORY_PROPERTY + ", or use --dataset "
                    + GaussianProbeData.KEY + ")");
        }
        IdxArray images = IdxReader.readImages(file);
        if (images.dims().length != 3) {
            throw new DataException(file + ": expected [count, rows, cols] images, found " + images.dims().length
                    + " dimensions");
        }
        byte[] pixels = images.data();
        double sum = 0;
        double squares = 0;
        for (byte pixel : pixels) {
            double value = (pixel & 0xff) / 255.0;
            sum += value;
            squares += value * value;
        }
        double mean = sum / pixels.length;
        double std = Math.sqrt(Math.max(squares / pixels.length - mean * mean, 0));
        return new ImageProbeData(FashionMnist.NAME, pixels, images.count(), 1, images.dims()[1], images.dims()[2],
                new float[] {(float) mean}, new float[] {(float) (std > 0 ? std : 1)});
    }
}
