package dev.jnas.search.alphanas.synthesis;

import java.util.HashSet;
import java.util.Set;

/** Hands out tensor names no other tensor has: the base name, or base_2, base_3, ... when that is taken. */
final class FreshNames {
    private final Set<String> taken;

    FreshNames(Set<String> taken) {
        this.taken = new HashSet<>(taken);
    }

    String fresh(String base) {
        String name = base;
        for (int suffix = 2; taken.contains(name); suffix++) {
            name = base + "_" + suffix;
        }
        taken.add(name);
        return name;
    }

    /** Marks name as taken (by a tensor kept under its own name). */
    void reserve(String name) {
        taken.add(name);
    }
}
