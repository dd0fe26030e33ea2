package dev.jnas.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A float32 tensor of 1 to 4 dimensions (row-major NCHW) on its engine's device ({@code jnas_tensor}).
 * Data moves in and out as copies through off-heap memory.
 */
public final class Tensor extends NativeHandle {
    static final int MAX_DIMS = 4;

    private final Engine engine;
    private final long[] shape;
    private final long numel;

    private Tensor(Engine engine, MemorySegment tensor, long[] shape, long numel) {
        super(engine.lib, tensor, engine);
        this.engine = engine;
        this.shape = shape;
        this.numel = numel;
    }

    static Tensor create(Engine engine, long[] shape) {
        Arguments.notNull(shape, "shape");
        JnasNative lib = engine.lib;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment dims = shape.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_LONG, shape);
            lib.check(lib.tensorCreate(engine.address(), shape.length, dims, out));
            MemorySegment tensor = out.get(ADDRESS, 0);
            try {
                return new Tensor(engine, tensor, queryShape(lib, tensor, arena), queryNumel(lib, tensor, arena));
            } catch (RuntimeException e) {
                lib.tensorFree(tensor);
                throw e;
            }
        }
    }

    /** The shape as libjnas stores it, kept on the Java side so checks and messages need no native call. */
    private static long[] queryShape(JnasNative lib, MemorySegment tensor, Arena arena) {
        MemorySegment ndim = arena.allocate(JAVA_INT);
        lib.check(lib.tensorNdim(tensor, ndim));
        MemorySegment dims = arena.allocate(JAVA_LONG, MAX_DIMS);
        lib.check(lib.tensorShape(tensor, dims));
        return Arrays.copyOf(dims.toArray(JAVA_LONG), ndim.get(JAVA_INT, 0));
    }

    private static long queryNumel(JnasNative lib, MemorySegment tensor, Arena arena) {
        MemorySegment numel = arena.allocate(JAVA_LONG);
        lib.check(lib.tensorNumel(tensor, numel));
        return numel.get(JAVA_LONG, 0);
    }

    public Engine engine() {
        return engine;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int ndim() {
        return shape.length;
    }

    public long numel() {
        return numel;
    }

    /** Copies src (numel values, row-major) into the tensor. */
    public void write(float[] src) {
        MemorySegment tensor = address();
        requireLength(src, "src");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocateFrom(JAVA_FLOAT, src);
            lib.check(lib.tensorWrite(tensor, buffer, numel));
        }
    }

    /** A new array with the tensor's numel values, row-major. */
    public float[] read() {
        float[] dst = new float[Math.toIntExact(numel)];
        read(dst);
        return dst;
    }

    /** Copies the tensor into dst, which must hold exactly numel values. */
    public void read(float[] dst) {
        MemorySegment tensor = address();
        requireLength(dst, "dst");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(JAVA_FLOAT, numel);
            lib.check(lib.tensorRead(tensor, buffer, numel));
            MemorySegment.copy(buffer, JAVA_FLOAT, 0, dst, 0, dst.length);
        }
    }

    /** Fills from the Philox generator: the same (seed, stream) gives the same values on every backend. */
    public void fillNormal(long seed, long stream, float mean, float std) {
        lib.check(lib.tensorFillNormal(address(), seed, stream, mean, std));
    }

    public void fillUniform(long seed, long stream, float lo, float hi) {
        lib.check(lib.tensorFillUniform(address(), seed, stream, lo, hi));
    }

    private void requireLength(float[] array, String name) {
        Arguments.notNull(array, name);
        if (array.length != numel) {
            throw new InvalidArgumentException(
                    name + " has " + array.length + " values but " + describe() + " has " + numel);
        }
    }

    @Override
    String describe() {
        return "Tensor " + Arrays.toString(shape);
    }

    @Override
    void free(MemorySegment tensor) {
        lib.tensorFree(tensor);
    }
}
