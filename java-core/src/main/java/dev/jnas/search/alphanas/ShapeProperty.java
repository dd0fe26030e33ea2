package dev.jnas.search.alphanas;

import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The exact shapes of a subgraph's inputs and outputs (batch included). A candidate whose shapes can never be
 * completed into the required ones by appending ops is infeasible, and its distance is +∞ (so that a sum of
 * distances stays infeasible and a 1 / (d + ε)² weight is 0): different inputs, a required output missing, a
 * different rank or batch, or spatial dims that are not one common integer down-sampling of the required ones
 * (down-sampling to 1 is always possible, super-resolution never is). Otherwise the distance is the mean over
 * required outputs of the fraction of dims that differ.
 */
public record ShapeProperty(Map<String, TensorShape> inputs, Map<String, TensorShape> outputs)
        implements ProgramProperty<ShapeProperty> {

    public ShapeProperty {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    public static ShapeProperty infer(Subgraph subgraph, TensorShapes shapes) {
        Map<String, TensorShape> inputs = new LinkedHashMap<>();
        subgraph.inputs().forEach(input -> inputs.put(input, shapes.of(input)));
        Map<String, TensorShape> outputs = new LinkedHashMap<>();
        subgraph.outputs().forEach(output -> outputs.put(output, shapes.of(output)));
        return new ShapeProperty(inputs, outputs);
    }

    /** Whether candidate can still be turned into these shapes: its distance is finite. */
    public boolean feasibleFor(ShapeProperty candidate) {
        return distanceFrom(candidate) < Double.POSITIVE_INFINITY;
    }

    @Override
    public double distanceFrom(ShapeProperty candidate) {
        if (!inputs.equals(candidate.inputs)) {
            return Double.POSITIVE_INFINITY;
        }
        double total = 0;
        for (Map.Entry<String, TensorShape> required : outputs.entrySet()) {
            TensorShape got = candidate.outputs.get(required.getKey());
            if (got == null || !reachable(required.getValue(), got)) {
                return Double.POSITIVE_INFINITY;
            }
            int differing = 0;
            for (int dim = 0; dim < got.rank(); dim++) {
                differing += got.dim(dim) != required.getValue().dim(dim) ? 1 : 0;
            }
            total += (double) differing / got.rank();
        }
        return outputs.isEmpty() ? 0 : total / outputs.size();
    }

    /** Same rank and batch, and every spatial dim of got is the same integer multiple of required's (or that is 1). */
    private static boolean reachable(TensorShape required, TensorShape got) {
        if (required.rank() != got.rank() || required.batch() != got.batch()) {
            return false;
        }
        int factor = 0;
        for (int dim = 2; dim < required.rank(); dim++) {
            int want = required.dim(dim);
            if (want == 1) {
                continue;
            }
            if (got.dim(dim) % want != 0 || factor != 0 && got.dim(dim) / want != factor) {
                return false;
            }
            factor = got.dim(dim) / want;
        }
        return true;
    }

    /** Drops each required output shape with probability p: the reference keeps shapes fixed (p = 0). */
    @Override
    public ShapeProperty mutate(double p, Random random) {
        Map<String, TensorShape> kept = new LinkedHashMap<>();
        for (Map.Entry<String, TensorShape> output : outputs.entrySet()) {
            if (random.nextDouble() >= p) {
                kept.put(output.getKey(), output.getValue());
            }
        }
        return new ShapeProperty(inputs, kept);
    }
}
