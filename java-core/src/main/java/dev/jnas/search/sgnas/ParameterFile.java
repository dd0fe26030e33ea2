package dev.jnas.search.sgnas;

import dev.jnas.bindings.Net;
import dev.jnas.data.DataException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Every parameter of a {@link Net} (trainable or not, batch-norm running statistics included) in a file, so a
 * trained supernet or generator can be kept and read back. The format, big-endian as Java's DataOutput:
 * <pre>
 *   magic "JNASPARM", int version = 1, int parameter count, then per parameter in the net's order:
 *   int name length, the name in UTF-8, int ndim, ndim longs (the shape), numel floats (row major)
 * </pre>
 * Loading checks every name and shape against the net and reads the whole file before it changes anything,
 * so a net is either loaded completely or left as it was.
 */
public final class ParameterFile {
    private static final byte[] MAGIC = "JNASPARM".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private ParameterFile() {
    }

    /** Writes net's parameters to file, atomically. */
    public static void save(Net net, Path file) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(file, "file");
        int count = net.paramCount();
        AtomicFile.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(count);
            for (int index = 0; index < count; index++) {
                byte[] name = net.paramName(index).getBytes(StandardCharsets.UTF_8);
                long[] shape = net.paramShape(index);
                out.writeInt(name.length);
                out.write(name);
                out.writeInt(shape.length);
                for (long dim : shape) {
                    out.writeLong(dim);
                }
                float[] values = net.readParam(index);
                ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
                bytes.asFloatBuffer().put(values);
                out.write(bytes.array());
            }
            out.flush();
        });
    }

    /**
     * Reads file into net's parameters.
     *
     * @throws DataException naming the file and the parameter or byte offset when the file is not a parameter
     *                       file, is truncated, or holds parameters whose names or shapes differ from net's
     */
    public static void load(Net net, Path file) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(file, "file");
        Reader in = new Reader(read(file), file);
        in.header();
        int count = in.readInt("the parameter count");
        if (count != net.paramCount()) {
            throw new DataException(file + " holds " + count + " parameters but the net has " + net.paramCount());
        }
        float[][] values = new float[count][];
        for (int index = 0; index < count; index++) {
            values[index] = in.parameter(index, net.paramName(index), net.paramShape(index));
        }
        in.end();
        for (int index = 0; index < count; index++) {
            net.writeParam(index, values[index]);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The file's bytes, read in order; every failure names the file and the byte offset. */
    private static final class Reader {
        private final ByteBuffer bytes;
        private final Path file;

        Reader(byte[] content, Path file) {
            this.bytes = ByteBuffer.wrap(content);
            this.file = file;
        }

        void header() {
            byte[] magic = new byte[MAGIC.length];
            require(magic.length, "the magic number");
            bytes.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new DataException(file + ": not a jnas parameter file (no \"JNASPARM\" at its start)");
            }
            int version = readInt("the version");
            if (version != VERSION) {
                throw new DataException(file + ": parameter file version " + version + ", this jnas reads version "
                        + VERSION);
            }
        }

        /** Parameter index's values, after checking that its name and shape are the expected ones. */
        float[] parameter(int index, String expectedName, long[] expectedShape) {
            String what = "parameter " + index + " ('" + expectedName + "')";
            int nameLength = readInt("the name length of " + what);
            if (nameLength < 0) {
                throw corrupt("a negative name length " + nameLength + " for " + what);
            }
            require(nameLength, "the name of " + what);
            byte[] name = new byte[nameLength];
            bytes.get(name);
            String found = new String(name, StandardCharsets.UTF_8);
            if (!found.equals(expectedName)) {
                throw new DataException(file + ": parameter " + index + " is '" + found + "' in the file but '"
                        + expectedName + "' in the net");
            }
            int ndim = readInt("the number of dimensions of " + what);
            if (ndim < 0) {
                throw corrupt("a negative number of dimensions " + ndim + " for " + what);
            }
            require((long) ndim * Long.BYTES, "the shape of " + what);
            long[] shape = new long[ndim];
            for (int d = 0; d < ndim; d++) {
                shape[d] = bytes.getLong();
            }
            if (!Arrays.equals(shape, expectedShape)) {
                throw new DataException(file + ": " + what + " has shape " + Arrays.toString(shape)
                        + " in the file but " + Arrays.toString(expectedShape) + " in the net");
            }
            long numel = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            require(numel * Float.BYTES, "the values of " + what);
            float[] values = new float[(int) numel];
            bytes.asFloatBuffer().get(values);
            bytes.position(bytes.position() + values.length * Float.BYTES);
            return values;
        }

        int readInt(String what) {
            require(Integer.BYTES, what);
            return bytes.getInt();
        }

        void end() {
            if (bytes.hasRemaining()) {
                throw corrupt(bytes.remaining() + " bytes after the last parameter");
            }
        }

        private void require(long count, String what) {
            if (count > bytes.remaining()) {
                throw new DataException(file + ": truncated at byte " + bytes.position() + ": " + what + " needs "
                        + count + " bytes but " + bytes.remaining() + " remain");
            }
        }

        private DataException corrupt(String problem) {
            return new DataException(file + ": corrupt at byte " + bytes.position() + ": " + problem);
        }
    }
}
