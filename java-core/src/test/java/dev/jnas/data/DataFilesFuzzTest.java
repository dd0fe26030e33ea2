package dev.jnas.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.fuzz.Draw;
import dev.jnas.fuzz.Fuzz;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IDX files (Fashion-MNIST) and CIFAR-10 binary batches, valid ones edited at random (truncated, wrong magic, wrong
 * sizes, flipped bits, trailing bytes, broken gzip) and random bytes: each read gives data that agrees with its
 * header, or a DataException naming the file.
 */
class DataFilesFuzzTest {
    @TempDir
    Path dir;

    /** A file's bytes, gzipped after editing (a valid stream) or before (a broken one), or plain. */
    private record FileBytes(byte[] bytes, int expectedMagic) {
        @Override
        public String toString() {
            String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64));
            return bytes.length + " bytes " + hex + (bytes.length > 64 ? "..." : "") + ", magic " + expectedMagic;
        }
    }

    @Test
    void idxFilesAgreeWithTheirHeaderOrAreRefusedNamingTheFile() {
        Path file = dir.resolve("fuzzed-idx");
        Fuzz.forAll("IDX files", random -> new FileBytes(idxBytes(random),
                random.nextBoolean() ? IdxReader.IMAGES_MAGIC : IdxReader.LABELS_MAGIC), input -> {
                    write(file, input.bytes());
                    IdxArray array;
                    try {
                        array = IdxReader.read(file, input.expectedMagic());
                    } catch (DataException e) {
                        Fuzz.assertNames(e, file.toString());
                        return;
                    }
                    assertEquals(input.expectedMagic() & 0xff, array.dims().length);
                    assertEquals(Arrays.stream(array.dims()).asLongStream().reduce(1, Math::multiplyExact),
                            array.data().length);
                });
    }

    @Test
    void fashionMnistLoadsConsistentSplitsOrIsRefusedNamingAFile() {
        Fuzz.forAll("Fashion-MNIST directories", DataFilesFuzzTest::fashionFiles, files -> {
            for (int i = 0; i < FASHION_FILES.size(); i++) {
                write(dir.resolve(FASHION_FILES.get(i)), files.get(i).bytes());
            }
            Splits splits;
            try {
                splits = new FashionMnist(dir).load(0, 0);
            } catch (DataException e) {
                Fuzz.assertNames(e, dir.toString());
                return;
            }
            for (LabeledImages images : List.of(splits.train(), splits.test())) {
                for (float pixel : images.pixels()) {
                    assertTrue(Float.isFinite(pixel), "pixel " + pixel);
                }
                assertTrue(Arrays.stream(images.labels()).allMatch(label -> label >= 0 && label < 10));
            }
            assertTrue(splits.train().count() > 0, "an empty training split has no statistics");
            assertEquals(splits.train().imageSize(), splits.test().imageSize());
        });
    }

    @Test
    void cifarBatchesHoldWholeRecordsOrAreRefusedNamingTheFile() {
        Fuzz.forAll("CIFAR-10 batches", random -> {
            List<byte[]> files = new ArrayList<>();
            int count = random.nextInt(4);
            for (int f = 0; f < count; f++) {
                byte[] valid = cifarRecords(random, random.nextInt(3));
                files.add(random.nextInt(3) == 0 ? Draw.edit(random, valid) : valid);
            }
            return files;
        }, files -> {
            Path batches;
            try {
                batches = Files.createTempDirectory(dir, "cifar");
                for (int f = 0; f < files.size(); f++) {
                    Files.write(batches.resolve("data_batch_" + (f + 1) + ".bin"), files.get(f));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Cifar10Binary.Images images;
            try {
                images = Cifar10Binary.readTraining(batches);
            } catch (DataException e) {
                Fuzz.assertNames(e, batches.toString());
                return;
            }
            int records = files.stream().mapToInt(bytes -> bytes.length / Cifar10Binary.RECORD_BYTES).sum();
            assertEquals(records, images.count());
            assertEquals((long) records * Cifar10Binary.IMAGE_BYTES, images.pixels().length);
        });
    }

    /**
     * Regression: sizes whose product wraps around 2^64 (2^21 · 2^21 · 2^22) passed the size check with no data at
     * all, so the reader returned 2^64 "images" in 0 bytes.
     */
    @Test
    void sizesBeyondTheFileAreRefusedWhateverTheirProduct() {
        Path file = dir.resolve("wrapping");
        write(file, IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {1 << 21, 1 << 21, 1 << 22}, new byte[0]));
        Fuzz.assertNames(assertThrows(DataException.class, () -> IdxReader.readImages(file)), file.toString(),
                "truncated IDX file");
    }

    /** Regression: an empty training split normalized every pixel to NaN (its mean is 0 / 0). */
    @Test
    void anEmptyTrainingSplitIsRefused() throws IOException {
        IdxFiles.writeFashionLike(dir, "train", 0, 0, 4, 4);
        IdxFiles.writeFashionLike(dir, "t10k", 3, 3, 4, 4);
        Fuzz.assertNames(assertThrows(DataException.class, () -> new FashionMnist(dir).load(0, 0)),
                "train-images-idx3-ubyte.gz", "holds no images");
    }

    private static final List<String> FASHION_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** The four Fashion-MNIST files, small and consistent, one of them (sometimes two) edited. */
    private static List<FileBytes> fashionFiles(SplittableRandom random) {
        int rows = random.nextInt(1, 5);
        int cols = random.nextInt(1, 5);
        List<FileBytes> files = new ArrayList<>();
        for (int split = 0; split < 2; split++) {
            int count = random.nextInt(1, 5);
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                labels[i] = (byte) random.nextInt(10);
            }
            files.add(new FileBytes(IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, cols},
                    Draw.bytes(random, count * rows * cols)), IdxReader.IMAGES_MAGIC));
            files.add(new FileBytes(IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {count}, labels),
                    IdxReader.LABELS_MAGIC));
        }
        int edits = random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int which = random.nextInt(files.size());
            FileBytes file = files.get(which);
            files.set(which, new FileBytes(Draw.edit(random, file.bytes()), file.expectedMagic()));
        }
        return files;
    }

    /** A valid IDX file (a quarter of the time random bytes), edited, and gzipped before or after the edits or not. */
    private static byte[] idxBytes(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            return Draw.bytes(random, random.nextInt(40));
        }
        boolean images = random.nextBoolean();
        int[] dims = images ? new int[] {random.nextInt(4), random.nextInt(5), random.nextInt(5)}
                : new int[] {random.nextInt(8)};
        int size = Arrays.stream(dims).reduce(1, Math::multiplyExact);
        byte[] valid = IdxFiles.idx(images ? IdxReader.IMAGES_MAGIC : IdxReader.LABELS_MAGIC, dims,
                Draw.bytes(random, size));
        return switch (random.nextInt(4)) {
            case 0 -> gzip(Draw.edit(random, valid));
            case 1 -> Draw.edit(random, gzip(valid));
            case 2 -> valid;
            default -> Draw.edit(random, valid);
        };
    }

    /** count records of a label 0..9 and random pixels. */
    private static byte[] cifarRecords(SplittableRandom random, int count) {
        ByteBuffer records = ByteBuffer.allocate(count * Cifar10Binary.RECORD_BYTES);
        for (int r = 0; r < count; r++) {
            records.put((byte) random.nextInt(10)).put(Draw.bytes(random, Cifar10Binary.IMAGE_BYTES));
        }
        return records.array();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
