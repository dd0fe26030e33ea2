package dev.jnas.search.alphanas;

import java.util.Random;

/**
 * A property of a subgraph (its shapes, how it mixes, how deep it is) that synthesis must reproduce. Each kind
 * infers its value from a subgraph with a static infer method.
 *
 * @param <P> the property's own type, so that distances compare like with like
 */
public interface ProgramProperty<P extends ProgramProperty<P>> {

    /**
     * How much stricter this property is than candidate's: 0 or less when candidate satisfies it, and larger the
     * further it is from doing so. Signed and asymmetric: a candidate that exceeds a requirement is not penalized.
     */
    double distanceFrom(P candidate);

    /** Whether a subgraph whose inferred property is candidate satisfies this one. */
    default boolean satisfiedBy(P candidate) {
        return distanceFrom(candidate) <= 0;
    }

    /** This property changed at random, each requirement with probability p (0 keeps it as it is); see each kind. */
    P mutate(double p, Random random);
}
