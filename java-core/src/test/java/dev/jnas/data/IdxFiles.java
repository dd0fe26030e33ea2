package dev.jnas.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {
    private IdxFiles() {
    }

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.putInt(magic);
        for (int d : dims) {
            header.putInt(d);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(header.array());
        bytes.writeBytes(data);
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }

    /** count images of rows x cols with pixel value (image + row + col) and labels image % 10. */
    static void writeFashionLike(Path dir, String prefix, int images, int labels, int rows, int cols)
            throws IOException {
        byte[] pixels = new byte[images * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 251);
        }
        byte[] classes = new byte[labels];
        for (int i = 0; i < labels; i++) {
            classes[i] = (byte) (i % 10);
        }
        write(dir.resolve(prefix + "-images-idx3-ubyte.gz"),
                idx(IdxReader.IMAGES_MAGIC, new int[] {images, rows, cols}, pixels), true);
        write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), idx(IdxReader.LABELS_MAGIC, new int[] {labels}, classes),
                true);
    }
}
