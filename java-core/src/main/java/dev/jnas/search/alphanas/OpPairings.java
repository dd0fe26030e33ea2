package dev.jnas.search.alphanas;

import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpParams;
import dev.jnas.space.program.TensorShape;
import java.util.Arrays;

/**
 * The {@link Pairing} of one op from each of its inputs to its output, written from the ops' definitions. Every
 * op is described the same way: how many positions along each input dim its centre output element reads, and
 * which (input dim, output dim) pairs are paired. Window ops (conv, local pool) count exactly over their
 * concrete size, stride, dilation and padding, so a 3x3 conv on a 3x3 input mixes ALL_TO_ONE. Batch norm and
 * dropout are taken in their inference form (a per-channel affine map, the identity): their coupling of samples
 * while training is not part of the function the network computes.
 */
public final class OpPairings {
    private OpPairings() {
    }

    /** The pairing of op from one of its inputs, of shape in, to its output, of shape out. */
    public static Pairing of(Op op, TensorShape in, TensorShape out) {
        int rank = in.rank();
        int[] dims = in.dims().stream().mapToInt(Integer::intValue).toArray();
        int[] centreCounts = new int[rank];
        Arrays.fill(centreCounts, 1);
        boolean[][] paired = new boolean[rank][out.rank()];
        switch (op.type()) {
            case CONV -> {
                OpParams.Conv conv = op.conv();
                centreCounts[1] = in.features() / conv.groups();
                pairBatchAndFeatures(paired);
                window(in, out, conv.kernel(), conv.stride(), conv.dilation(), conv.padding(), centreCounts, paired);
            }
            case DENSE, SOFTMAX, LAYER_NORM -> {
                centreCounts[1] = in.features();
                pairDiagonal(paired);
            }
            case GROUP_NORM -> {
                centreCounts[1] = in.features() / ((OpParams.GroupNorm) op.params()).groups();
                for (int dim = 2; dim < rank; dim++) {
                    centreCounts[dim] = dims[dim];
                }
                pairDiagonal(paired);
            }
            case AVG_POOL, MAX_POOL -> {
                OpParams.Pool pool = op.pool();
                pairBatchAndFeatures(paired);
                if (pool.global()) {
                    centreCounts[2] = dims[2];
                    centreCounts[3] = dims[3];
                } else {
                    window(in, out, pool.window(), pool.stride(), 1, 0, centreCounts, paired);
                }
            }
            case FLATTEN -> {
                // The centre of [B, F] is one element of one sample; the feature slice through it holds the whole
                // sample, so every sample dim reaches it, one position per element.
                paired[0][0] = true;
                for (int dim = 1; dim < rank; dim++) {
                    paired[dim][1] = true;
                }
            }
            case ADD, MUL, SCALAR_MUL, RELU, GELU, SWISH, SIGMOID, BATCH_NORM, DROPOUT, IDENTITY ->
                    pairDiagonal(paired);
        }
        return assemble(dims, out.rank(), centreCounts, paired);
    }

    /**
     * A row whose centre count covers the whole dim is ALL_TO_ONE everywhere: every slice through the centre holds
     * an element that sees all positions. Other rows map their paired entries by the centre count.
     */
    private static Pairing assemble(int[] dims, int outRank, int[] centreCounts, boolean[][] paired) {
        Mapping[][] mappings = Pairing.filled(dims.length, outRank);
        for (int in = 0; in < dims.length; in++) {
            if (dims[in] == 1) {
                continue;
            }
            Mapping mapping = Mapping.ofCentreCount(centreCounts[in], dims[in]);
            for (int out = 0; out < outRank; out++) {
                if (mapping == Mapping.ALL_TO_ONE || paired[in][out]) {
                    mappings[in][out] = mapping;
                }
            }
        }
        return Pairing.of(mappings);
    }

    private static void pairDiagonal(boolean[][] paired) {
        for (int dim = 0; dim < paired.length; dim++) {
            paired[dim][dim] = true;
        }
    }

    private static void pairBatchAndFeatures(boolean[][] paired) {
        paired[0][0] = true;
        paired[1][1] = true;
    }

    /**
     * The spatial dims (2 and 3) of a sliding window: output position o reads o·stride − padding + t·dilation for
     * t below kernel, where that lies inside the input. The dims pair when every input position is read.
     */
    private static void window(TensorShape in, TensorShape out, int kernel, int stride, int dilation, int padding,
                               int[] centreCounts, boolean[][] paired) {
        for (int dim = 2; dim <= 3; dim++) {
            int size = in.dim(dim);
            boolean[] read = new boolean[size];
            for (int position = 0; position < out.dim(dim); position++) {
                int count = 0;
                for (int tap = 0; tap < kernel; tap++) {
                    int source = position * stride - padding + tap * dilation;
                    if (source >= 0 && source < size) {
                        read[source] = true;
                        count++;
                    }
                }
                if (position == out.dim(dim) / 2) {
                    centreCounts[dim] = count;
                }
            }
            boolean covered = true;
            for (boolean seen : read) {
                covered &= seen;
            }
            paired[dim][dim] = covered;
        }
    }
}
