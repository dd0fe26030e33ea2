package dev.jnas.space.bayescell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BayesLayersTest {
    private static final int C = 4;

    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /**
     * Trainable scalars of one op on C = 4 channels (BN: gamma and beta, 2C = 8):
     * sep3 = 2 × (BN 8 + depthwise 4·9 + pointwise 4·4) = 2 × 60 = 120; sep5 = 2 × (8 + 4·25 + 16) = 248;
     * dil3 = BN 8 + dense 4·4·9 + pointwise 16 = 168; dil5 = 8 + 4·4·25 + 16 = 424; pools 0;
     * identity 0 at stride 1, BN 8 + conv 1x1 16 = 24 at stride 2. The stride keeps the other counts.
     */
    @ParameterizedTest
    @CsvSource({"SEP_CONV_3X3, 1, 120", "SEP_CONV_5X5, 2, 248", "DIL_CONV_3X3, 1, 168", "DIL_CONV_5X5, 2, 424",
            "MAX_POOL_3X3, 2, 0", "AVG_POOL_3X3, 1, 0", "IDENTITY, 1, 0", "IDENTITY, 2, 24"})
    void opHasTheHandCountedParametersAndShape(BayesOp op, int stride, long parameters) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            int x = graph.input(C, 8, 8);
            // The scale gives the identity at stride 1 a node of its own to compile as the output.
            int out = graph.scale(BayesLayers.op(graph, "op", op, x, C, stride), 1f);
            assertArrayEquals(new long[] {C, 8 / stride, 8 / stride}, graph.nodeShape(out));
            Net net = Net.compile(engine, graph, out, Init.PYTORCH_DEFAULT, 1);
            long trainable = 0;
            for (int slot = 0; slot < net.paramCount(); slot++) {
                trainable += net.isTrainable(slot) ? net.paramNumel(slot) : 0;
            }
            assertEquals(parameters, trainable);
        }
    }
}
