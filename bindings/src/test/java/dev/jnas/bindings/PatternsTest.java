package dev.jnas.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pattern collector through the bindings: counts, NASWOT, and libjnas's errors as typed exceptions. */
class PatternsTest {
    /** x [4] → ReLU, or with both: x → ReLU and −x → ReLU (8 bits). */
    private static Net reluNet(Engine engine, boolean both) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            int x = graph.input(4);
            int out = graph.relu(x);
            if (both) {
                out = graph.add(out, graph.relu(graph.scale(x, -1f)));
            }
            return Net.compile(engine, graph, out, Init.PYTORCH_DEFAULT, 1);
        }
    }

    private static Tensor batch(Engine engine, float... values) {
        Tensor t = engine.tensor(values.length / 4, 4);
        t.write(values);
        return t;
    }

    @Test
    void countsDistinctPatternsAndScoresNaswot() {
        try (Engine engine = Engine.open(Backend.CPU); Patterns patterns = Patterns.create()) {
            Net net = reluNet(engine, false);
            net.bindInput(0, batch(engine, 1, -1, 2, -2, -1, 1, -2, 2, 3, -3, 4, -4));
            patterns.collect(net);
            net.bindInput(0, batch(engine, 0, 0, 0, 0));
            patterns.collect(net);
            assertEquals(4, patterns.samples());
            assertEquals(4, patterns.bitsPerSample());
            assertEquals(3, patterns.countDistinct());
            assertEquals(3, patterns.countDistinct(engine));
            NaswotScore regular = patterns.naswot(0, 2);  // K = [[4, 0], [0, 4]]
            assertEquals(Math.log(16), regular.logDet(), 1e-12);
            assertEquals(0, regular.flags());
            NaswotScore repeated = patterns.naswot(0, 3);  // samples 0 and 2 share a pattern
            assertTrue(repeated.singular());
            assertEquals(Double.NEGATIVE_INFINITY, repeated.logDet());
        }
    }

    @Test
    void errorsAreTypedExceptions() {
        try (Engine engine = Engine.open(Backend.CPU); Patterns patterns = Patterns.create()) {
            assertThrows(StateException.class, patterns::countDistinct);
            assertThrows(StateException.class, () -> patterns.countDistinct(engine));
            Net four = reluNet(engine, false);
            four.bindInput(0, batch(engine, 1, -1, 2, -2));
            patterns.collect(four);
            assertThrows(InvalidArgumentException.class, () -> patterns.naswot(0, 2));
            Net eight = reluNet(engine, true);
            eight.bindInput(0, batch(engine, 1, -1, 2, -2));
            ShapeException e = assertThrows(ShapeException.class, () -> patterns.collect(eight));
            assertTrue(e.getMessage().contains("8 bits"), e.getMessage());
            assertEquals(1, patterns.samples());
            patterns.close();
            assertThrows(StateException.class, patterns::samples);
        }
    }
}
