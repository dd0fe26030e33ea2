package dev.jnas.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format): a big-endian magic number 0x0000TTNN (TT = data type, NN = number of
 * dimensions), NN big-endian 32-bit sizes, then the data. Only unsigned-byte data (TT = 0x08) is read.
 * Gzip-compressed files are recognized by their content, not their name.
 */
public final class IdxReader {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int GZIP_MAGIC = 0x8b1f;

    private IdxReader() {
    }

    /** Reads a file of [count, rows, cols] images. */
    public static IdxArray readImages(Path file) {
        return read(file, IMAGES_MAGIC);
    }

    /** Reads a file of [count] labels. */
    public static IdxArray readLabels(Path file) {
        return read(file, LABELS_MAGIC);
    }

    /** Reads a file whose magic number must be expectedMagic. */
    public static IdxArray read(Path file, int expectedMagic) {
        byte[] bytes = content(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length < Integer.BYTES) {
            throw new DataException(file + ": truncated IDX file (" + bytes.length + " bytes, no header)");
        }
        int magic = buffer.getInt();
        if (magic != expectedMagic) {
            throw new DataException(String.format("%s: wrong magic number 0x%08x, expected 0x%08x (%s)", file, magic,
                    expectedMagic, expectedMagic == IMAGES_MAGIC ? "IDX images" : "IDX labels"));
        }
        int ndims = magic & 0xff;
        if (bytes.length < Integer.BYTES * (1 + ndims)) {
            throw new DataException(file + ": truncated IDX header (" + bytes.length + " bytes for " + ndims
                    + " dimensions)");
        }
        int[] dims = new int[ndims];
        // Saturates at Long.MAX_VALUE, more than any file holds: a wrapped product could match the data's length.
        long expectedData = 1;
        for (int d = 0; d < ndims; d++) {
            dims[d] = buffer.getInt();
            if (dims[d] < 0) {
                throw new DataException(file + ": negative size " + dims[d] + " in dimension " + d);
            }
            expectedData = dims[d] == 0 ? 0 : Math.min(expectedData, Long.MAX_VALUE / dims[d]) * dims[d];
        }
        long actualData = bytes.length - buffer.position();
        if (actualData < expectedData) {
            throw new DataException(file + ": truncated IDX file: the header's sizes " + Arrays.toString(dims)
                    + " promise " + (expectedData >= Long.MAX_VALUE / 2 ? "more than 2^62" : expectedData)
                    + " data bytes but only " + actualData + " follow");
        }
        if (actualData > expectedData) {
            throw new DataException(file + ": " + (actualData - expectedData)
                    + " bytes beyond the data the header describes (" + expectedData + ")");
        }
        byte[] data = new byte[(int) expectedData];
        buffer.get(data);
        return new IdxArray(file, dims, data);
    }

    private static byte[] content(Path file) {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (EOFException | ZipException e) {
            throw new DataException(file + ": truncated or corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        boolean gzip = first >= 0 && second >= 0 && (first | second << 8) == GZIP_MAGIC;
        return gzip ? new GZIPInputStream(in) : in;
    }
}
