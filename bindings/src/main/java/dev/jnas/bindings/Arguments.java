package dev.jnas.bindings;

/** Java-side argument checks, reported like libjnas's own: as {@link InvalidArgumentException}. */
final class Arguments {
    private Arguments() {
    }

    static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new InvalidArgumentException(name + " is null");
        }
        return value;
    }
}
