package dev.jnas.bindings;

/**
 * What an {@link Optimizer} remembers between steps: its moments (SGD's velocity, or Adam's first then second
 * moments, per updated parameter in order) and how many steps it has taken (Adam's bias correction needs it).
 */
public record OptimizerState(float[] moments, long steps) {
    public OptimizerState {
        Arguments.notNull(moments, "moments");
        if (steps < 0) {
            throw new IllegalArgumentException("steps = " + steps + " < 0");
        }
    }
}
