package dev.jnas.search.alphanas;

import dev.jnas.space.program.TensorShape;
import java.util.TreeSet;

/**
 * Which input elements each output element depends on, measured on a concrete instance (flat row-major indices,
 * batch dim included), and the {@link Pairing} that follows from {@link Pairing}'s definition. Only the output
 * elements on the 1-D slices through the output's centre are read, so a measurement may leave the rest empty.
 */
public final class Dependence {
    private final boolean[][] depends;
    private final TensorShape input;
    private final TensorShape output;

    /** An empty relation: nothing depends on anything yet. */
    public Dependence(TensorShape input, TensorShape output) {
        this.input = input;
        this.output = output;
        this.depends = new boolean[elements(output)][elements(input)];
    }

    public void add(int outputElement, int inputElement) {
        depends[outputElement][inputElement] = true;
    }

    /** The flat indices of the output elements on the slices through the centre, which {@link #pairing} reads. */
    public int[] centreSlices() {
        int[] centre = centre();
        TreeSet<Integer> elements = new TreeSet<>();
        for (int dim = 0; dim < output.rank(); dim++) {
            int[] position = centre.clone();
            for (int along = 0; along < output.dim(dim); along++) {
                position[dim] = along;
                elements.add(flat(output, position));
            }
        }
        return elements.stream().mapToInt(Integer::intValue).toArray();
    }

    public Pairing pairing() {
        int[] centre = centre();
        Mapping[][] mappings = Pairing.filled(input.rank(), output.rank());
        for (int i = 0; i < input.rank(); i++) {
            if (input.dim(i) == 1) {
                continue;
            }
            int count = 0;
            for (boolean seen : positionsSeen(flat(output, centre), i)) {
                count += seen ? 1 : 0;
            }
            Mapping level = count == input.dim(i) ? Mapping.ALL_TO_ONE
                    : count > 1 ? Mapping.MANY_TO_ONE : Mapping.ONE_TO_ONE;
            for (int j = 0; j < output.rank(); j++) {
                boolean[] seenBySlice = new boolean[input.dim(i)];
                int[] position = centre.clone();
                for (int along = 0; along < output.dim(j); along++) {
                    position[j] = along;
                    boolean[] seen = positionsSeen(flat(output, position), i);
                    for (int p = 0; p < seen.length; p++) {
                        seenBySlice[p] |= seen[p];
                    }
                }
                boolean paired = true;
                for (boolean seen : seenBySlice) {
                    paired &= seen;
                }
                mappings[i][j] = paired ? level : Mapping.NONE;
            }
        }
        return Pairing.of(mappings);
    }

    private int[] centre() {
        int[] centre = new int[output.rank()];
        for (int dim = 0; dim < output.rank(); dim++) {
            centre[dim] = output.dim(dim) / 2;
        }
        return centre;
    }

    /** Which positions along input dim i hold an element that one output element depends on. */
    private boolean[] positionsSeen(int outputElement, int i) {
        boolean[] seen = new boolean[input.dim(i)];
        int stride = 1;
        for (int dim = input.rank() - 1; dim > i; dim--) {
            stride *= input.dim(dim);
        }
        boolean[] dependsOn = depends[outputElement];
        for (int element = 0; element < dependsOn.length; element++) {
            if (dependsOn[element]) {
                seen[element / stride % input.dim(i)] = true;
            }
        }
        return seen;
    }

    private static int elements(TensorShape shape) {
        return Math.toIntExact(shape.batch() * shape.sampleSize());
    }

    private static int flat(TensorShape shape, int[] position) {
        int index = 0;
        for (int dim = 0; dim < shape.rank(); dim++) {
            index = index * shape.dim(dim) + position[dim];
        }
        return index;
    }
}
