package dev.jnas.search.alphanas.synthesis;

import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A structural hash of a program graph: each tensor hashes its op's type and settings with the hashes of its
 * inputs (in order, except for add and mul, which commute), graph inputs their position; the graph hashes its
 * outputs; an identity is its input. Names do not enter, so renaming ops keeps the fingerprint while any changed
 * setting changes it. Used to reject a child that computes what its parent does. 64-bit FNV-1a over fixed text,
 * so it is the same in every run.
 */
public final class Fingerprint {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Fingerprint() {
    }

    public static long of(ProgramGraph graph) {
        Map<String, Long> hashes = new HashMap<>();
        for (int index = 0; index < graph.inputs().size(); index++) {
            hashes.put(graph.inputs().get(index), mix(OFFSET, "input " + index));
        }
        for (Op op : graph.ops()) {
            if (op.type() == OpType.IDENTITY) {
                hashes.put(op.name(), hashes.get(op.inputs().get(0)));
                continue;
            }
            List<Long> inputs = op.inputs().stream().map(hashes::get).toList();
            if (op.type() == OpType.ADD || op.type() == OpType.MUL) {
                inputs = inputs.stream().sorted().toList();
            }
            long hash = mix(OFFSET, op.type().name() + " " + op.params());
            for (long input : inputs) {
                hash = mix(hash, input);
            }
            hashes.put(op.name(), hash);
        }
        long hash = OFFSET;
        for (String output : graph.outputs()) {
            hash = mix(hash, hashes.get(output));
        }
        return hash;
    }

    private static long mix(long hash, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * PRIME;
        }
        return hash;
    }

    private static long mix(long hash, long value) {
        for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
            hash = (hash ^ ((value >>> shift) & 0xff)) * PRIME;
        }
        return hash;
    }
}
