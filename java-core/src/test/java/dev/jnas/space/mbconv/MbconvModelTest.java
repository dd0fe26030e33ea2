package dev.jnas.space.mbconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.InvalidArgumentException;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.ParamRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MbconvModelTest {
    private static final MbconvLayout TINY = FlopsTableTest.TINY;
    private static final MbconvArchitecture ARCHITECTURE =
            MbconvArchitecture.parse("357xxx|3xxxxx|55555x|777777|3x5x7x|5xxxxx", 6);

    private Engine engine;

    @BeforeEach
    void openEngine() {
        engine = Engine.open(Backend.CPU);
    }

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void runsForward() {
        NetFixture fixture = NetFixture.model(engine, TINY, ARCHITECTURE, 2);
        fixture.net().setTrain(true);
        float[] logits = fixture.logits();
        assertEquals(2 * 10, logits.length);
        for (float logit : logits) {
            assertTrue(Float.isFinite(logit));
        }
    }

    /**
     * Conv weights of layer 0 (357xxx, C = 2, 4 out): 3 expand convs 2·2 = 12, depthwise (9 + 25 + 49)·2 = 166,
     * projection 6·4 = 24: 202. Layer 1 (3xxxxx, C = 4, 5 out, expansion 1): no expand conv, depthwise 9·4 = 36,
     * projection 4·5 = 20: 56.
     */
    @Test
    void hasTheHandCountedConvWeights() {
        Net net = NetFixture.model(engine, TINY, ARCHITECTURE, 2).net();
        assertEquals(202, convWeights(net, "layer0."));
        assertEquals(56, convWeights(net, "layer1."));
        assertArrayEquals(new long[] {2, 1, 7, 7}, net.paramShape(net.findParam("layer0.block2.k7.conv.weight")));
        assertArrayEquals(new long[] {10, 25, 1, 1}, net.paramShape(net.findParam("layer2.project.conv.weight")));
        assertThrows(InvalidArgumentException.class, () -> net.findParam("layer1.block0.expand.conv.weight"));
        assertThrows(InvalidArgumentException.class, () -> net.findParam("layer0.block3.k3.conv.weight"));
    }

    @Test
    void rejectsAnArchitectureOfAnotherDepth() {
        try (GraphBuilder graph = GraphBuilder.create()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MbconvModel.build(graph, TINY, MbconvArchitecture.parse("333xxx", 1)));
            assertTrue(e.getMessage().startsWith("the architecture has 1 layers but the layout has 6"), e.getMessage());
        }
    }

    private static long convWeights(Net net, String prefix) {
        long count = 0;
        for (int index = 0; index < net.paramCount(); index++) {
            if (net.paramName(index).startsWith(prefix) && net.paramRole(index) == ParamRole.WEIGHT
                    && net.paramShape(index).length == 4) {
                count += net.paramNumel(index);
            }
        }
        return count;
    }
}
