package dev.jnas.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** An SGD or Adam optimizer over some of a net's parameters ({@code jnas_optimizer}); made by {@link Net}. */
public final class Optimizer extends NativeHandle {
    private final String kind;

    /** A jnas_optimizer_* constructor call, given the parameter index array (or NULL) and its length. */
    @FunctionalInterface
    interface Constructor {
        int call(MemorySegment params, int count, MemorySegment out);
    }

    private Optimizer(Net net, MemorySegment optimizer, String kind) {
        super(net.lib, optimizer, net);
        this.kind = kind;
    }

    static Optimizer create(Net net, String kind, int[] params, Constructor constructor) {
        net.requireOpen();
        try (Arena arena = Arena.ofConfined()) {
            boolean all = params == null || params.length == 0;
            MemorySegment indices = all ? MemorySegment.NULL : arena.allocateFrom(JAVA_INT, params);
            MemorySegment out = arena.allocate(ADDRESS);
            net.lib.check(constructor.call(indices, all ? 0 : params.length, out));
            return new Optimizer(net, out.get(ADDRESS, 0), kind);
        }
    }

    public void setLr(float lr) {
        lib.check(lib.optimizerSetLr(address(), lr));
    }

    /** One update from the current gradients; it does not zero them. */
    public void step() {
        lib.check(lib.optimizerStep(address()));
    }

    /**
     * The optimizer's state (SGD's velocities, or Adam's moments, parameter by parameter) and its step count, for a
     * checkpoint from which training resumes bit for bit.
     */
    public OptimizerState readState() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            lib.check(lib.optimizerStateSize(address(), size));
            long count = size.get(JAVA_LONG, 0);
            MemorySegment values = arena.allocate(JAVA_FLOAT, Math.max(1, count));
            MemorySegment steps = arena.allocate(JAVA_LONG);
            lib.check(lib.optimizerStateRead(address(), values, count, steps));
            float[] moments = count == 0 ? new float[0] : values.asSlice(0, count * Float.BYTES).toArray(JAVA_FLOAT);
            return new OptimizerState(moments, steps.get(JAVA_LONG, 0));
        }
    }

    /** Restores a state read from an optimizer of the same kind over the same parameters. */
    public void writeState(OptimizerState state) {
        Arguments.notNull(state, "state");
        try (Arena arena = Arena.ofConfined()) {
            float[] moments = state.moments();
            MemorySegment values = moments.length == 0 ? arena.allocate(JAVA_FLOAT)
                    : arena.allocateFrom(JAVA_FLOAT, moments);
            lib.check(lib.optimizerStateWrite(address(), values, moments.length, state.steps()));
        }
    }

    @Override
    String describe() {
        return "Optimizer " + kind;
    }

    @Override
    void free(MemorySegment optimizer) {
        lib.optimizerFree(optimizer);
    }
}
