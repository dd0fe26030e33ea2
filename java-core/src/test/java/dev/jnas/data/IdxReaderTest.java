package dev.jnas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private static final byte[] PIXELS = {1, 2, 3, 4, 5, 6, (byte) 255, 0, 9, 10, 11, 12};

    @Test
    void readsPlainAndGzippedImages() throws IOException {
        byte[] content = IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 2}, PIXELS);
        for (boolean gzip : new boolean[] {false, true}) {
            Path file = IdxFiles.write(dir.resolve("images" + gzip), content, gzip);
            IdxArray array = IdxReader.readImages(file);
            assertArrayEquals(new int[] {3, 2, 2}, array.dims());
            assertArrayEquals(PIXELS, array.data());
            assertEquals(3, array.count());
        }
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nothing-here-idx3-ubyte.gz");
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("no such file"),
                e.getMessage());
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        Path labels = IdxFiles.write(dir.resolve("labels"),
                IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {12}, PIXELS), false);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(labels));
        assertTrue(e.getMessage().contains("wrong magic number 0x00000801, expected 0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains(labels.toString()), e.getMessage());
    }

    @Test
    void truncatedDataIsNamed() throws IOException {
        byte[] content = IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 2}, PIXELS);
        Path file = IdxFiles.write(dir.resolve("short"), Arrays.copyOf(content, content.length - 5), false);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("12")
                && e.getMessage().contains("7"), e.getMessage());
    }

    @Test
    void truncatedHeaderIsNamed() throws IOException {
        byte[] content = IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 2}, PIXELS);
        Path file = IdxFiles.write(dir.resolve("header"), Arrays.copyOf(content, 9), false);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsNamed() throws IOException {
        byte[] content = IdxFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 2}, PIXELS);
        Path whole = IdxFiles.write(dir.resolve("whole.gz"), content, true);
        byte[] gzip = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gzip, gzip.length - 12));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] content = IdxFiles.idx(IdxReader.LABELS_MAGIC, new int[] {10}, PIXELS);
        Path file = IdxFiles.write(dir.resolve("long"), content, false);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(file));
        assertTrue(e.getMessage().contains("2 bytes beyond"), e.getMessage());
    }

    @Test
    void emptyFileIsTruncated() throws IOException {
        Path file = Files.write(dir.resolve("empty"), new byte[0]);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(file));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
