package dev.jnas.models;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The models the CLI can train, by name. */
public final class Models {
    private static final Map<String, ModelBuilder> BY_NAME = new TreeMap<>(Map.of(SmallCnn.NAME, new SmallCnn()));

    private Models() {
    }

    public static Set<String> names() {
        return BY_NAME.keySet();
    }

    /** @throws IllegalArgumentException naming the known models */
    public static ModelBuilder byName(String name) {
        ModelBuilder builder = BY_NAME.get(name);
        if (builder == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", names()));
        }
        return builder;
    }
}
