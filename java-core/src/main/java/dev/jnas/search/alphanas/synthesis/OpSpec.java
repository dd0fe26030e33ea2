package dev.jnas.search.alphanas.synthesis;

import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpParams;
import dev.jnas.space.program.OpType;
import java.util.List;

/** A unary op not yet placed in a graph: its type and settings, without a name or an input. */
public record OpSpec(OpType type, OpParams params) {

    public OpSpec {
        if (type.arity() != 1) {
            throw new IllegalArgumentException("synthesized sequences hold unary ops, got " + type);
        }
        if (!type.paramsType().isInstance(params)) {
            throw new IllegalArgumentException(type + " takes " + type.paramsType().getSimpleName()
                    + " settings, got " + params);
        }
    }

    /** This op named name, reading input. */
    public Op toOp(String name, String input) {
        return new Op(name, type, List.of(input), params);
    }
}
