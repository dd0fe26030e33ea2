package dev.jnas.search.alphanas;

import dev.jnas.space.program.Op;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * How a subgraph mixes its inputs into its outputs: a {@link Pairing} per (output, input) that the input reaches,
 * inferred abstractly by composing the ops' {@link OpPairings} along every path and joining paths. The distance
 * asks the candidate to mix at least as much: per required pair, the fraction of its non-NONE entries that the
 * candidate maps lower, averaged over the required pairs (a pair the candidate lacks counts as all NONE).
 */
public record MixingProperty(Map<String, Map<String, Pairing>> pairings) implements ProgramProperty<MixingProperty> {

    public MixingProperty {
        Map<String, Map<String, Pairing>> copy = new LinkedHashMap<>();
        pairings.forEach((output, byInput) ->
                copy.put(output, Collections.unmodifiableMap(new LinkedHashMap<>(byInput))));
        pairings = Collections.unmodifiableMap(copy);
    }

    public static MixingProperty infer(Subgraph subgraph, TensorShapes shapes) {
        Map<String, Map<String, Pairing>> pairings = new LinkedHashMap<>();
        for (String output : subgraph.outputs()) {
            pairings.put(output, new LinkedHashMap<>());
        }
        for (String input : subgraph.inputs()) {
            Map<String, Pairing> reached = new HashMap<>();
            reached.put(input, Pairing.identity(dims(shapes.of(input))));
            for (Op op : subgraph.orderedOps()) {
                Pairing joined = null;
                for (String source : op.inputs()) {
                    Pairing toSource = reached.get(source);
                    if (toSource != null) {
                        Pairing path = toSource.then(OpPairings.of(op, shapes.of(source), shapes.of(op.name())));
                        joined = joined == null ? path : joined.join(path);
                    }
                }
                if (joined != null) {
                    reached.put(op.name(), joined);
                }
            }
            for (String output : subgraph.outputs()) {
                if (reached.containsKey(output)) {
                    pairings.get(output).put(input, reached.get(output));
                }
            }
        }
        return new MixingProperty(pairings);
    }

    /** The pairing from input to output, or null where input does not reach output. */
    public Pairing pairing(String output, String input) {
        return pairings.getOrDefault(output, Map.of()).get(input);
    }

    @Override
    public double distanceFrom(MixingProperty candidate) {
        double total = 0;
        int pairs = 0;
        for (Map.Entry<String, Map<String, Pairing>> output : pairings.entrySet()) {
            for (Map.Entry<String, Pairing> input : output.getValue().entrySet()) {
                Pairing required = input.getValue();
                Pairing got = candidate.pairing(output.getKey(), input.getKey());
                int exceeding = got == null ? required.pairedCount() : required.exceedingCount(got);
                total += (double) exceeding / Math.max(1, required.pairedCount());
                pairs++;
            }
        }
        return pairs == 0 ? 0 : total / pairs;
    }

    /** Drops each (output, input) requirement with probability p. */
    @Override
    public MixingProperty mutate(double p, Random random) {
        Map<String, Map<String, Pairing>> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Pairing>> output : pairings.entrySet()) {
            Map<String, Pairing> byInput = new LinkedHashMap<>();
            for (Map.Entry<String, Pairing> input : output.getValue().entrySet()) {
                if (random.nextDouble() >= p) {
                    byInput.put(input.getKey(), input.getValue());
                }
            }
            kept.put(output.getKey(), byInput);
        }
        return new MixingProperty(kept);
    }

    private static int[] dims(TensorShape shape) {
        return shape.dims().stream().mapToInt(Integer::intValue).toArray();
    }
}
