package dev.jnas.bindings;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An owned libjnas handle. Closing is idempotent and first closes the handles made from this one (the
 * header requires tensors and nets to be freed before their context, optimizers before their net), so no
 * order of close calls can free a handle that is still reachable from native code. Every use goes through
 * {@link #address()}, which refuses a closed handle before any native memory is touched.
 *
 * <p>Like the native objects, a handle is used by one thread at a time.
 */
abstract class NativeHandle implements AutoCloseable {
    final JnasNative lib;
    private final NativeHandle owner;
    private final Set<NativeHandle> dependents = new LinkedHashSet<>();
    private MemorySegment address;

    NativeHandle(JnasNative lib, MemorySegment address, NativeHandle owner) {
        this.lib = lib;
        this.address = address;
        this.owner = owner;
        if (owner != null) {
            owner.dependents.add(this);
        }
    }

    /** What this is, for messages; computed from Java-side state only, so it works after close. */
    abstract String describe();

    /** Frees the native object; called once. */
    abstract void free(MemorySegment address);

    /** The live native pointer; throws {@link StateException} naming this object once it is closed. */
    final MemorySegment address() {
        if (address == null) {
            throw new StateException(describe() + " is closed");
        }
        return address;
    }

    /**
     * The handles' native pointers as a C array (T* const*) in arena, for calls that take several at once; at least
     * one slot, so an empty list still gives a valid pointer for the callee to refuse.
     */
    static MemorySegment addresses(Arena arena, List<? extends NativeHandle> handles) {
        MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, Math.max(1, handles.size()));
        for (int i = 0; i < handles.size(); i++) {
            pointers.setAtIndex(ValueLayout.ADDRESS, i, handles.get(i).address());
        }
        return pointers;
    }

    /** Throws {@link StateException} if this handle is closed. */
    final void requireOpen() {
        address();
    }

    public final boolean isClosed() {
        return address == null;
    }

    @Override
    public final void close() {
        if (address == null) {
            return;
        }
        List<NativeHandle> newestFirst = new ArrayList<>(dependents);
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            newestFirst.get(i).close();
        }
        MemorySegment freed = address;
        address = null;
        if (owner != null) {
            owner.dependents.remove(this);
        }
        free(freed);
    }

    @Override
    public String toString() {
        return isClosed() ? describe() + " (closed)" : describe();
    }
}
