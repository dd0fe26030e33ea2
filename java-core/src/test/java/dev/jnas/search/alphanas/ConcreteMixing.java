package dev.jnas.search.alphanas;

import dev.jnas.space.program.TensorShapes;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The mixing of a subgraph measured on a concrete instance in double precision: each input element is moved by
 * ±{@link #STEP} in turn and the output elements that change depend on it (a large step so that max pools and
 * ReLUs notice). The tests' brute-force check of {@link MixingProperty#infer}; {@link JacobianMixing} measures
 * whole programs on the native engine instead.
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
        Dependence dependence = new Dependence(shapes.of(input), shapes.of(output));
        for (int element = 0; element < x.length; element++) {
            double original = x[element];
            for (double step : new double[] {STEP, -STEP}) {
                x[element] = original + step;
                double[] moved = interpreter.run(values).get(output);
                for (int at = 0; at < base.length; at++) {
                    if (Math.abs(moved[at] - base[at]) > TOLERANCE * (1 + Math.abs(base[at]))) {
                        dependence.add(at, element);
                    }
                }
            }
            x[element] = original;
        }
        return dependence.pairing();
    }
}
