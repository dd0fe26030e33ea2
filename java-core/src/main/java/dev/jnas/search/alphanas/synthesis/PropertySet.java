package dev.jnas.search.alphanas.synthesis;

import dev.jnas.search.alphanas.DepthProperty;
import dev.jnas.search.alphanas.MixingProperty;
import dev.jnas.search.alphanas.ShapeProperty;
import dev.jnas.search.alphanas.Subgraph;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The three properties a synthesized subgraph must satisfy together. The distance of a candidate is the sum of
 * the three distances, +∞ when its shapes can never be completed into the required ones (so that a weight
 * 1 / (d + ε)² is 0 and such a candidate is never chosen).
 */
public record PropertySet(ShapeProperty shape, MixingProperty mixing, DepthProperty depth) {

    public static PropertySet infer(Subgraph subgraph, TensorShapes shapes) {
        return new PropertySet(ShapeProperty.infer(subgraph, shapes), MixingProperty.infer(subgraph, shapes),
                DepthProperty.infer(subgraph));
    }

    /** How far candidate is from satisfying this set: 0 when it does, +∞ when its shapes are infeasible. */
    public double distanceFrom(PropertySet candidate) {
        double shapeDistance = shape.distanceFrom(candidate.shape);
        if (shapeDistance == Double.POSITIVE_INFINITY) {
            return shapeDistance;
        }
        return Math.max(0, shapeDistance) + Math.max(0, mixing.distanceFrom(candidate.mixing))
                + Math.max(0, depth.distanceFrom(candidate.depth));
    }

    public boolean satisfiedBy(PropertySet candidate) {
        return distanceFrom(candidate) == 0;
    }

    /** Each property relaxed with its rate; the same random stream gives the same relaxation. */
    public PropertySet mutate(MutationRates rates, RandomGenerator random) {
        Random stream = Random.from(random);
        return new PropertySet(shape.mutate(rates.shape(), stream), mixing.mutate(rates.mixing(), stream),
                depth.mutate(rates.depth(), stream));
    }

    /**
     * This set for a candidate that reads inputs of the given shapes (what its producers now write) and, unless
     * keepOutputShapes, may write outputs of any shape.
     */
    public PropertySet withShapes(Map<String, TensorShape> inputShapes, boolean keepOutputShapes) {
        return new PropertySet(new ShapeProperty(inputShapes, keepOutputShapes ? shape.outputs() : Map.of()),
                mixing, depth);
    }
}
