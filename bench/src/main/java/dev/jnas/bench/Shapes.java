package dev.jnas.bench;

import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.GraphMacs;

/**
 * The benchmark shapes and their FLOP counts, in one place for the benchmarks and the summary table. FLOPs are
 * counted analytically, 2 per multiply-add of the convolutions and linear layers (from the engine's
 * {@code jnas_graph_macs} where a whole network is timed); elementwise work (batch norm, activations, pools,
 * sums) is not counted.
 */
final class Shapes {
    static final int BATCH = 64;
    static final int SIZE = 32;
    /** The best NB201 cell on CIFAR-10 (index 6111): the cell of the NTK, spectrum and pattern benchmarks. */
    static final String CELL = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1"
            + "|nor_conv_1x1~2|";
    /** TE-NAS's NTK batch on NB201. */
    static final int NTK_BATCH = 72;
    /** The OpenBLAS sgemm shape whose rate, measured in the same run, stands for the machine's peak. */
    static final String PEAK_GEMM = "512x512x512";

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

    static double forwardFlops(GraphMacs macs, int batch) {
        return 2.0 * macs.total() * batch;
    }

    /**
     * A forward and a backward over batch samples: the backward's data and weight gradients each cost what the
     * forward costs (the first layer's data gradient, which nothing needs, is counted too).
     */
    static double trainingFlops(GraphMacs macs, int batch) {
        return 3 * forwardFlops(macs, batch);
    }

    /**
     * Θ = J·Jᵀ over batch B with J of width P (as bench/native/ntk_bench.cpp counts it): a forward of B samples,
     * then the backward data and weight gradients of B² samples for exact coupling (B full-batch backward passes)
     * or B for frozen (one pass, per-sample weight gradients), plus the Gram matrix's 2·B²·P.
     */
    static double ntkFlops(GraphMacs macs, int batch, long jacobianWidth, BnCoupling coupling) {
        double b = batch;
        double backwardSamples = coupling == BnCoupling.EXACT ? b * b : b;
        return 2.0 * macs.total() * (b + 2 * backwardSamples) + 2.0 * b * b * jacobianWidth;
    }

    /** Eigenvalues of a symmetric n×n matrix: LAPACK's 4n³/3 for the reduction to tridiagonal form, which dominates. */
    static double eigenvalueFlops(int n) {
        return 4.0 * n * n * n / 3;
    }
}
