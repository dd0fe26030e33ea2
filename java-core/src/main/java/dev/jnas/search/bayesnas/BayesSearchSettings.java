package dev.jnas.search.bayesnas;

import dev.jnas.space.bayescell.BayesLayout;
import java.util.Objects;

/**
 * A BayesNAS search: the supernet's layout, λ_o and λ_c (as the {@link ArdUpdate} that uses them), the mini-batch,
 * how many joint epochs each followed by an ARD update (the public code 1, its fork's t_max) and the seed of
 * everything. The optimizers' settings are the reference's constants below.
 */
public record BayesSearchSettings(BayesLayout layout, ArdUpdate lambdas, int batch, int iterations, long seed) {
    /** The reference's mini-batch. */
    public static final int BATCH = 18;
    /** Share of the training images in the weights-only ("normal") split; the rest is the "switch" split. */
    public static final double NORMAL_FRACTION = 0.1;
    /** SGD of the weights in both epochs. */
    public static final float LEARNING_RATE = 0.1f;
    public static final float MOMENTUM = 0.9f;
    public static final float WEIGHT_DECAY = 1e-4f;
    /** Host SGD of the switches (no weight decay). */
    public static final float SWITCH_LEARNING_RATE = 0.1f;
    public static final float SWITCH_MOMENTUM = 0.9f;

    public BayesSearchSettings {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(lambdas, "lambdas");
        if (batch < 1 || iterations < 1) {
            throw new IllegalArgumentException("a BayesNAS search needs batch >= 1 and iterations >= 1, got batch "
                    + batch + " and " + iterations + " iterations");
        }
    }
}
