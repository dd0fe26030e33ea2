package dev.jnas.store;

import java.util.Objects;

/**
 * What identifies one stored evaluation: the search space, the architecture's string in that space, the
 * canonical metric settings ({@code MetricSettings.key()}) and the seed.
 */
public record EvaluationKey(String space, String architecture, String settings, long seed) {
    public EvaluationKey {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(settings, "settings");
    }
}
