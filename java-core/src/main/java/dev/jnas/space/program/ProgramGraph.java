package dev.jnas.space.program;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A network as an immutable DAG of {@link Op}s over named tensors: the graph's inputs, one tensor per op (named
 * after it) and the outputs, plus the {@link Block}s evolution works on. Building checks every name, rejects
 * cycles, and orders the ops topologically (ties keep the order they were added in).
 */
public final class ProgramGraph {
    private final List<String> inputs;
    private final List<Op> ops;
    private final List<String> outputs;
    private final List<Block> blocks;
    private final Map<String, Op> byName;
    private final Map<String, List<Op>> consumers;

    private ProgramGraph(List<String> inputs, List<Op> ops, List<String> outputs, List<Block> blocks) {
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.blocks = List.copyOf(blocks);
        Map<String, Op> named = new LinkedHashMap<>();
        Set<String> tensors = new HashSet<>();
        if (this.inputs.isEmpty()) {
            throw new IllegalArgumentException("a program graph needs at least one input");
        }
        for (String input : this.inputs) {
            if (!tensors.add(input)) {
                throw new IllegalArgumentException("duplicate tensor name '" + input + "' among the graph inputs");
            }
        }
        for (Op op : ops) {
            if (!tensors.add(op.name())) {
                throw new IllegalArgumentException("duplicate tensor name '" + op.name() + "': " + op.describe()
                        + " reuses the name of an input or an earlier op");
            }
            named.put(op.name(), op);
        }
        for (Op op : ops) {
            for (String input : op.inputs()) {
                if (!tensors.contains(input)) {
                    throw new IllegalArgumentException(op.describe() + " reads unknown tensor '" + input + "'");
                }
            }
        }
        if (this.outputs.isEmpty()) {
            throw new IllegalArgumentException("a program graph needs at least one output");
        }
        for (String output : this.outputs) {
            if (!tensors.contains(output)) {
                throw new IllegalArgumentException("output '" + output + "' is not a tensor of the graph");
            }
        }
        this.byName = Collections.unmodifiableMap(named);
        this.ops = topologicalOrder(ops, named);
        this.consumers = consumersOf(this.ops);
        checkBlocks();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The graph's input tensors. */
    public List<String> inputs() {
        return inputs;
    }

    /** Every op, producers before consumers. */
    public List<Op> ops() {
        return ops;
    }

    public List<String> outputs() {
        return outputs;
    }

    public List<Block> blocks() {
        return blocks;
    }

    /** The op that writes tensor name; throws if it is a graph input or unknown. */
    public Op op(String name) {
        Op op = byName.get(name);
        if (op == null) {
            throw new IllegalArgumentException("no op '" + name + "' in the graph");
        }
        return op;
    }

    /** The ops that read tensor, in topological order. */
    public List<Op> consumers(String tensor) {
        return consumers.getOrDefault(tensor, List.of());
    }

    public Block block(String name) {
        return blocks.stream().filter(block -> block.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no block '" + name + "' in the graph"));
    }

    /** Kahn's algorithm, always taking the earliest-added ready op so that the order is deterministic. */
    private static List<Op> topologicalOrder(List<Op> added, Map<String, Op> named) {
        int[] pending = new int[added.size()];
        Map<String, List<Integer>> readers = new HashMap<>();
        for (int index = 0; index < added.size(); index++) {
            for (String input : added.get(index).inputs()) {
                if (named.containsKey(input)) {
                    pending[index]++;
                    readers.computeIfAbsent(input, key -> new ArrayList<>()).add(index);
                }
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int index = 0; index < added.size(); index++) {
            if (pending[index] == 0) {
                ready.add(index);
            }
        }
        List<Op> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            Op op = added.get(ready.poll());
            order.add(op);
            for (int reader : readers.getOrDefault(op.name(), List.of())) {
                if (--pending[reader] == 0) {
                    ready.add(reader);
                }
            }
        }
        if (order.size() < added.size()) {
            List<String> cyclic = new ArrayList<>();
            for (int index = 0; index < added.size(); index++) {
                if (pending[index] > 0) {
                    cyclic.add(added.get(index).name());
                }
            }
            throw new IllegalArgumentException("the ops " + cyclic + " form a cycle (or read one)");
        }
        return List.copyOf(order);
    }

    private static Map<String, List<Op>> consumersOf(List<Op> ordered) {
        Map<String, List<Op>> readers = new HashMap<>();
        for (Op op : ordered) {
            for (String input : new HashSet<>(op.inputs())) {
                readers.computeIfAbsent(input, key -> new ArrayList<>()).add(op);
            }
        }
        readers.replaceAll((tensor, list) -> List.copyOf(list));
        return Map.copyOf(readers);
    }

    private void checkBlocks() {
        Map<String, String> owner = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (Block block : blocks) {
            if (!names.add(block.name())) {
                throw new IllegalArgumentException("duplicate block name '" + block.name() + "'");
            }
            for (String op : block.ops()) {
                if (!byName.containsKey(op)) {
                    throw new IllegalArgumentException("block '" + block.name() + "' lists unknown op '" + op + "'");
                }
                String previous = owner.put(op, block.name());
                if (previous != null) {
                    throw new IllegalArgumentException("op '" + op + "' is in both block '" + previous
                            + "' and block '" + block.name() + "'");
                }
            }
        }
    }

    /** Collects inputs, ops, outputs and blocks in any order; {@link #build()} validates them. */
    public static final class Builder {
        private final List<String> inputs = new ArrayList<>();
        private final List<Op> ops = new ArrayList<>();
        private final List<String> outputs = new ArrayList<>();
        private final List<Block> blocks = new ArrayList<>();

        private Builder() {
        }

        public Builder input(String name) {
            inputs.add(name);
            return this;
        }

        /** Adds op and returns its output tensor's name (the op's name), for chaining ops. */
        public String add(Op op) {
            ops.add(op);
            return op.name();
        }

        public Builder output(String name) {
            outputs.add(name);
            return this;
        }

        public Builder block(String name, List<String> blockOps) {
            blocks.add(new Block(name, blockOps));
            return this;
        }

        public ProgramGraph build() {
            return new ProgramGraph(inputs, ops, outputs, blocks);
        }
    }
}
