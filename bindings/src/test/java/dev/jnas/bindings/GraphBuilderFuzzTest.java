package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.fuzz.Draw;
import dev.jnas.fuzz.Fuzz;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Random sequences of graph-builder calls with random arguments (unknown node ids, zero, negative and huge sizes,
 * duplicate or missing names, mismatched shapes, wrong input counts), then, where the graph is small, a net
 * compiled from it, bound to inputs of random shapes, run forward and backward. Every call either works (a new
 * node, numbered in order, of a valid shape) or fails with a typed exception that names the function, leaving the
 * graph as it was; libjnas never reports an internal error and the JVM survives.
 */
class GraphBuilderFuzzTest {
    private static final Set<Class<? extends JnasException>> BAD_INPUT = Set.of(InvalidArgumentException.class,
            ShapeException.class, UnsupportedException.class);
    private static final Set<Class<? extends JnasException>> BAD_RUN = Set.of(InvalidArgumentException.class,
            ShapeException.class, UnsupportedException.class, StateException.class);
    private static final int MAX_CALLS = 14;
    /** Nets are compiled only from graphs whose arguments all stay below this, so nothing large is allocated. */
    private static final int SMALL_ARGUMENT = 64;

    private Engine engine;

    @BeforeEach
    void open() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void builderCallsWorkOrAreRefusedByName() {
        Fuzz.forAll("graph builder calls", SplittableRandom::nextLong, seed -> {
            Session session = new Session(new SplittableRandom(seed));
            try {
                session.run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("after the calls " + session.transcript, e);
            }
        });
    }

    /** One graph's calls, drawn as they are made so that node ids can refer to the nodes made so far. */
    private final class Session {
        private final SplittableRandom random;
        private final List<String> transcript = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        private final List<Integer> inputs = new ArrayList<>();
        private boolean small = true;

        Session(SplittableRandom random) {
            this.random = random;
        }

        void run() {
            try (GraphBuilder graph = GraphBuilder.create()) {
                int calls = 1 + random.nextInt(MAX_CALLS);
                for (int c = 0; c < calls; c++) {
                    call(graph);
                }
                if (small && graph.nodeCount() > 0) {
                    runNet(graph);
                }
            }
        }

        private void call(GraphBuilder graph) {
            int before = graph.nodeCount();
            int kind = random.nextInt(24);
            int node;
            try {
                node = switch (kind) {
                    case 0, 1, 2 -> call("input", () -> graph.input(shape()));
                    case 3 -> call("param", () -> graph.param(name(), shape(),
                            Draw.oneOf(random, List.of(Init.values())), random.nextBoolean()));
                    case 4, 5 -> call("conv2d", () -> graph.conv2d(name(), id(graph), size(), size(), size(), size(),
                            size() - 1, size(), size(), random.nextBoolean()));
                    case 6 -> call("batchNorm", () -> graph.batchNorm(name(), id(graph), random.nextBoolean(),
                            random.nextBoolean(), Draw.anyFloat(random), Draw.anyFloat(random)));
                    case 7 -> call("activation", () -> graph.activation(id(graph),
                            Draw.oneOf(random, List.of(Activation.values()))));
                    case 8 -> call("avgPool", () -> graph.avgPool(id(graph), size(), size(), size() - 1,
                            random.nextBoolean()));
                    case 9 -> call("maxPool", () -> graph.maxPool(id(graph), size(), size(), size() - 1));
                    case 10 -> call("globalAvgPool", () -> graph.globalAvgPool(id(graph)));
                    case 11 -> call("linear", () -> graph.linear(name(), id(graph), size(), random.nextBoolean()));
                    case 12 -> call("add", () -> graph.add(id(graph), id(graph)));
                    case 13 -> call("concat", () -> graph.concat(ids(graph)));
                    case 14 -> call("scale", () -> graph.scale(id(graph), Draw.anyFloat(random)));
                    case 15 -> call("zero", () -> graph.zero(id(graph), size()));
                    case 16 -> call("mixed", () -> graph.mixed(ids(graph), id(graph), Draw.anyFloat(random)));
                    case 17 -> call("shift", () -> graph.shift(id(graph), size() - 2, size() - 2));
                    case 18 -> call("softmax", () -> graph.softmax(id(graph)));
                    case 19 -> call("layerNorm", () -> graph.layerNorm(name(), id(graph), Draw.anyFloat(random)));
                    case 20 -> call("groupNorm", () -> graph.groupNorm(name(), id(graph), size(),
                            Draw.anyFloat(random)));
                    case 21 -> call("globalMaxPool", () -> graph.globalMaxPool(id(graph)));
                    case 22 -> call("flatten", () -> graph.flatten(id(graph)));
                    default -> call("mul", () -> graph.mul(id(graph), id(graph)));
                };
            } catch (JnasException e) {
                refused(e, BAD_INPUT, "jnas_graph_");
                assertEquals(before, graph.nodeCount(), "a refused call adds no node");
                return;
            }
            transcript.add("-> node " + node);
            if (kind <= 2) {
                inputs.add(node);
            }
            assertEquals(before, node, "nodes are numbered in order");
            assertEquals(before + 1, graph.nodeCount());
            long[] shape = graph.nodeShape(node);
            assertTrue(shape.length >= 1 && shape.length <= 4 && Arrays.stream(shape).allMatch(d -> d >= 1),
                    () -> "node " + node + " has shape " + Arrays.toString(shape));
            graph.macs(node);
        }

        private int call(String method, IntSupplier call) {
            transcript.add(method);
            return call.getAsInt();
        }

        /** Compiles the graph with a random output, binds inputs of random (often right) shapes, runs it. */
        private void runNet(GraphBuilder graph) {
            int output = random.nextInt(graph.nodeCount());
            transcript.add("compile with output " + output);
            try (Net net = Net.compile(engine, graph, output, Draw.oneOf(random, List.of(Init.values())),
                    random.nextLong())) {
                int batch = 1 + random.nextInt(3);
                List<Tensor> tensors = new ArrayList<>();
                List<Integer> bound = new ArrayList<>(inputs);
                if (random.nextInt(8) == 0) {
                    bound.add(random.nextInt(graph.nodeCount())); // perhaps not an input
                }
                if (!bound.isEmpty() && random.nextInt(8) == 0) {
                    bound.remove(random.nextInt(bound.size())); // an input left unbound
                }
                try {
                    for (int node : bound) {
                        long[] perSample = graph.nodeShape(node);
                        long[] shape = new long[perSample.length + 1];
                        shape[0] = random.nextInt(10) == 0 ? batch + 1 : batch;
                        System.arraycopy(perSample, 0, shape, 1, perSample.length);
                        if (random.nextInt(10) == 0) {
                            shape[shape.length - 1]++;
                        }
                        Tensor input = engine.tensor(shape);
                        tensors.add(input);
                        input.fillNormal(random.nextLong(), 0, 0, 1);
                        transcript.add("bind node " + node + " to " + Arrays.toString(shape));
                        net.bindInput(node, input);
                    }
                    try (Tensor out = net.forward()) {
                        transcript.add("forward -> " + Arrays.toString(out.shape()));
                        out.fillUniform(random.nextLong(), 1, -1, 1);
                        net.backward(out);
                    }
                } catch (JnasException e) {
                    refused(e, BAD_RUN, "jnas_");
                } finally {
                    tensors.forEach(Tensor::close);
                }
            } catch (JnasException e) {
                refused(e, BAD_RUN, "jnas_net_create");
            }
        }

        private void refused(JnasException e, Set<Class<? extends JnasException>> allowed, String function) {
            transcript.add("-> " + e.getClass().getSimpleName() + ": " + e.getMessage());
            assertTrue(allowed.contains(e.getClass()), () -> "unexpected " + e);
            Fuzz.assertNames(e);
            assertTrue(e.getMessage().startsWith(function) || e.getMessage().contains(" is null")
                    || e.getClass() == StateException.class, () -> "the message does not name " + function + ": " + e);
        }

        /** An existing node most of the time, else an id that names none. */
        private int id(GraphBuilder graph) {
            int count = graph.nodeCount();
            int id = count > 0 && random.nextInt(6) != 0 ? random.nextInt(count)
                    : Draw.oneOf(random, List.of(-1, count, count + 7, Integer.MAX_VALUE, Integer.MIN_VALUE));
            transcript.add("node " + id);
            return id;
        }

        private int[] ids(GraphBuilder graph) {
            int[] ids = new int[random.nextInt(4)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = id(graph);
            }
            return ids;
        }

        /** Mostly 1 to 8, sometimes any int (which makes the graph too large to compile). */
        private int size() {
            int size = random.nextInt(6) == 0 ? Draw.anyInt(random) : 1 + random.nextInt(8);
            small &= Math.abs((long) size) < SMALL_ARGUMENT;
            transcript.add(Integer.toString(size));
            return size;
        }

        private long[] shape() {
            long[] shape = new long[random.nextInt(8) == 0 ? random.nextInt(6) : 1 + random.nextInt(3)];
            IntSupplier dim = () -> random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(6);
            for (int d = 0; d < shape.length; d++) {
                shape[d] = random.nextInt(20) == 0 ? Draw.anyLong(random) : dim.getAsInt();
                small &= Math.abs(shape[d]) < SMALL_ARGUMENT;
            }
            transcript.add(Arrays.toString(shape));
            return shape;
        }

        /** A fresh name, an earlier one (a duplicate), or none. */
        private String name() {
            String name = switch (random.nextInt(10)) {
                case 0 -> names.isEmpty() ? "" : Draw.oneOf(random, names);
                case 1 -> null;
                case 2 -> "";
                default -> "p" + names.size();
            };
            if (name != null) {
                names.add(name);
            }
            transcript.add("name " + name);
            return name;
        }
    }
}
