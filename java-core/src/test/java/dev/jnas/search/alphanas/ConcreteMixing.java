package dev.jnas.search.alphanas;

import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The mixing of a subgraph measured on a concrete instance, from the definition in {@link Pairing}: each input
 * element is moved by ±{@link #STEP} in turn and the output elements that change depend on it (a large step
 * so that max pools and ReLUs notice). The tests' brute-force check of {@link MixingProperty#infer}.
 */
final class ConcreteMixing {
    private static final double STEP = 4;
    private static final double TOLERANCE = 1e-9;

    private ConcreteMixing() {
    }

    /** The pairing from input to output, measured on inputs drawn from [0.5, 1.5) with seed. */
    static Pairing measure(Subgraph subgraph, TensorShapes shapes, String input, String output, long seed) {
        ReferenceInterpreter interpreter = new ReferenceInterpreter(subgraph, shapes);
        Random random = new Random(seed);
        Map<String, double[]> values = new HashMap<>();
        for (String name : subgraph.inputs()) {
            double[] x = new double[ReferenceInterpreter.size(shapes.of(name))];
            for (int at = 0; at < x.length; at++) {
                x[at] = 0.5 + random.nextDouble();
            }
            values.put(name, x);
        }
        double[] base = interpreter.run(values).get(output);
        double[] x = values.get(input);
        boolean[][] depends = new boolean[base.length][x.length];
        for (int element = 0; element < x.length; element++) {
            double original = x[element];
            for (double step : new double[] {STEP, -STEP}) {
                x[element] = original + step;
                double[] moved = interpreter.run(values).get(output);
                for (int at = 0; at < base.length; at++) {
                    depends[at][element] |= Math.abs(moved[at] - base[at]) > TOLERANCE * (1 + Math.abs(base[at]));
                }
            }
            x[element] = original;
        }
        return pairing(depends, shapes.of(input), shapes.of(output));
    }

    private static Pairing pairing(boolean[][] depends, TensorShape in, TensorShape out) {
        int[] centre = new int[out.rank()];
        for (int dim = 0; dim < out.rank(); dim++) {
            centre[dim] = out.dim(dim) / 2;
        }
        Mapping[][] mappings = Pairing.filled(in.rank(), out.rank());
        for (int i = 0; i < in.rank(); i++) {
            if (in.dim(i) == 1) {
                continue;
            }
            boolean[] seenByCentre = positionsSeen(depends[flat(out, centre)], in, i);
            int count = 0;
            for (boolean seen : seenByCentre) {
                count += seen ? 1 : 0;
            }
            Mapping level = count == in.dim(i) ? Mapping.ALL_TO_ONE
                    : count > 1 ? Mapping.MANY_TO_ONE : Mapping.ONE_TO_ONE;
            for (int j = 0; j < out.rank(); j++) {
                boolean[] seenBySlice = new boolean[in.dim(i)];
                int[] position = centre.clone();
                for (int along = 0; along < out.dim(j); along++) {
                    position[j] = along;
                    boolean[] seen = positionsSeen(depends[flat(out, position)], in, i);
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

    /** Which positions along input dim i hold an element that one output element depends on. */
    private static boolean[] positionsSeen(boolean[] dependsOn, TensorShape in, int i) {
        boolean[] seen = new boolean[in.dim(i)];
        int stride = 1;
        for (int dim = in.rank() - 1; dim > i; dim--) {
            stride *= in.dim(dim);
        }
        for (int element = 0; element < dependsOn.length; element++) {
            if (dependsOn[element]) {
                seen[element / stride % in.dim(i)] = true;
            }
        }
        return seen;
    }

    private static int flat(TensorShape shape, int[] position) {
        int index = 0;
        for (int dim = 0; dim < shape.rank(); dim++) {
            index = index * shape.dim(dim) + position[dim];
        }
        return index;
    }
}
