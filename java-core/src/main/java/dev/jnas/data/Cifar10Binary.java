package dev.jnas.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CIFAR-10's training images from the "binary version" of the data set: files data_batch_*.bin of 3,073-byte
 * records, one label byte (0-9) then 3,072 pixel bytes (the red, green and blue 32×32 planes). Reading checks
 * the format and says what is wrong in which file. Labels are checked but not kept.
 */
public final class Cifar10Binary {
    public static final int CHANNELS = 3;
    public static final int SIZE = 32;
    public static final int IMAGE_BYTES = CHANNELS * SIZE * SIZE;
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    private static final int CLASSES = 10;
    private static final String GLOB = "data_batch_*.bin";

    /** The usual CIFAR-10 per-channel statistics (also TE-NAS's), in units of 1/255 of the 0-255 range. */
    public static final float[] MEAN = {125.3f / 255, 123.0f / 255, 113.9f / 255};
    public static final float[] STD = {63.0f / 255, 62.1f / 255, 66.7f / 255};

    private Cifar10Binary() {
    }

    /** count images of [3, 32, 32] bytes, in file-name then record order. */
    public record Images(byte[] pixels, int count) {
    }

    /** Reads every data_batch_*.bin in directory. */
    public static Images readTraining(Path directory) {
        List<Path> files = batchFiles(directory);
        List<byte[]> contents = new ArrayList<>();
        long total = 0;
        for (Path file : files) {
            byte[] bytes = read(file);
            if (bytes.length == 0 || bytes.length % RECORD_BYTES != 0) {
                throw new DataException(file + ": " + bytes.length + " bytes is not a whole number of CIFAR-10 "
                        + "records of " + RECORD_BYTES + " bytes (1 label + 3072 pixels); is this the binary version?");
            }
            total += bytes.length / RECORD_BYTES;
            contents.add(bytes);
        }
        byte[] pixels = new byte[Math.toIntExact(total * IMAGE_BYTES)];
        int image = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] bytes = contents.get(f);
            for (int record = 0; record < bytes.length / RECORD_BYTES; record++) {
                int label = bytes[record * RECORD_BYTES] & 0xff;
                if (label >= CLASSES) {
                    throw new DataException(files.get(f) + ": record " + record + " has label " + label
                            + ", outside 0.." + (CLASSES - 1) + "; not a CIFAR-10 binary batch");
                }
                System.arraycopy(bytes, record * RECORD_BYTES + 1, pixels, image++ * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new Images(pixels, image);
    }

    private static List<Path> batchFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new DataException("CIFAR-10 directory " + directory + " does not exist or is not a directory");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(directory)) {
            listing.filter(path -> path.getFileSystem().getPathMatcher("glob:" + GLOB).matches(path.getFileName()))
                    .sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            throw new DataException("cannot list CIFAR-10 directory " + directory + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new DataException("no " + GLOB + " in " + directory + " (expected CIFAR-10's binary version, "
                    + "cifar-10-batches-bin)");
        }
        return files;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
