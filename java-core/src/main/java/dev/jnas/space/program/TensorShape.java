package dev.jnas.space.program;

import java.util.Arrays;
import java.util.List;

/**
 * The shape of a tensor, batch first: [B, F] or channels-first [B, C, H, W] like the engine's per-sample
 * layout with the batch in front.
 */
public record TensorShape(List<Integer> dims) {

    public TensorShape {
        dims = List.copyOf(dims);
        if (dims.size() < 2) {
            throw new IllegalArgumentException("a tensor has a batch and at least one more dim, got " + dims);
        }
        for (int dim : dims) {
            if (dim < 1) {
                throw new IllegalArgumentException("tensor dims must be positive, got " + dims);
            }
        }
    }

    public static TensorShape of(int... dims) {
        return new TensorShape(Arrays.stream(dims).boxed().toList());
    }

    public int rank() {
        return dims.size();
    }

    public int dim(int index) {
        return dims.get(index);
    }

    public int batch() {
        return dims.get(0);
    }

    /** The channel (or feature) count: dim 1. */
    public int features() {
        return dims.get(1);
    }

    /** The elements of one sample. */
    public long sampleSize() {
        long size = 1;
        for (int index = 1; index < dims.size(); index++) {
            size *= dims.get(index);
        }
        return size;
    }

    /** The dims without the batch, as the engine's per-sample shapes. */
    public long[] perSample() {
        return dims.subList(1, dims.size()).stream().mapToLong(Integer::longValue).toArray();
    }

    /** This shape with dim index set to value. */
    public TensorShape with(int index, int value) {
        Integer[] copy = dims.toArray(Integer[]::new);
        copy[index] = value;
        return new TensorShape(List.of(copy));
    }

    @Override
    public String toString() {
        return dims.toString();
    }
}
