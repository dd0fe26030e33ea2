package dev.jnas.space.program;

import java.util.List;

/** A named group of ops that evolution may duplicate, delete or re-synthesize as a whole (e.g. a residual block). */
public record Block(String name, List<String> ops) {

    public Block {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a block needs a name, got '" + name + "'");
        }
        ops = List.copyOf(ops);
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("block '" + name + "' has no ops");
        }
    }
}
