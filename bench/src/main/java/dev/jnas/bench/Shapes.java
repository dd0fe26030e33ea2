package dev.jnas.bench;

/** The benchmark shapes and their FLOP counts, in one place for the benchmarks and the summary table. */
final class Shapes {
    static final int BATCH = 64;
    static final int SIZE = 32;

    private Shapes() {
    }

    /** "MxNxK" → {m, n, k} */
    static int[] parseGemm(String shape) {
        String[] parts = shape.split("x");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    static double gemmFlops(String shape) {
        int[] mnk = parseGemm(shape);
        return 2.0 * mnk[0] * mnk[1] * mnk[2];
    }

    /** Forward, backward-data and backward-weight of a C→C 3×3 conv: three passes of 2·B·C·9C·H·W. */
    static double convFlops(int channels) {
        return 3 * 2.0 * BATCH * channels * 9.0 * channels * SIZE * SIZE;
    }

    /** The per-sample GEMM that a C→C 3×3 conv lowers to, as a GemmBench shape. */
    static String convGemmShape(int channels) {
        return channels + "x" + (SIZE * SIZE) + "x" + (9 * channels);
    }
}
