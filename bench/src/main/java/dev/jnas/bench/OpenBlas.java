package dev.jnas.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The peer: OpenBLAS's cblas_sgemm called straight through FFM, so the benchmarks can measure jnas against
 * the same library in the same JVM, on the same shapes and the same buffers layout.
 */
final class OpenBlas {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final SymbolLookup LIBRARY = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
    private static final MethodHandle SGEMM = downcall("cblas_sgemm", FunctionDescriptor.ofVoid(JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
            JAVA_FLOAT, ADDRESS, JAVA_INT));
    private static final MethodHandle SET_THREADS = downcall("openblas_set_num_threads",
            FunctionDescriptor.ofVoid(JAVA_INT));

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(LIBRARY.find(name).orElseThrow(
                () -> new IllegalStateException(name + " not found in libopenblas.so.0")), descriptor);
    }

    private OpenBlas() {
    }

    /**
     * Lets OpenBLAS use its own threads over every core, as a user calling it directly would. (libjnas keeps
     * OpenBLAS single-threaded and splits GEMMs itself, so that results do not depend on the thread count;
     * it sets the process-wide count back to 1 before each of its own GEMMs.)
     */
    static void useAllCores() {
        try {
            SET_THREADS.invokeExact(Runtime.getRuntime().availableProcessors());
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
    }

    /** c[m,n] = a[m,k] · b[k,n], row-major, no transposes. */
    static void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, MemorySegment c) {
        try {
            SGEMM.invokeExact(ROW_MAJOR, NO_TRANS, NO_TRANS, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed", t);
        }
    }
}
