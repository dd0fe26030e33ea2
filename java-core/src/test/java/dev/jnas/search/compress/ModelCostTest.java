package dev.jnas.search.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import org.junit.jupiter.api.Test;

/** Parameters and multiply-accumulates of LeNet-5 and its compressed versions, against hand-computed counts. */
class ModelCostTest {
    /**
     * LeNet-5 on 1×28×28 (conv1 padding 2), 10 classes. Parameters: conv1 6·25 + 6 = 156, conv2 16·6·25 + 16 = 2,416,
     * fc1 400·120 + 120 = 48,120, fc2 120·84 + 84 = 10,164, out 84·10 + 10 = 850: 61,706. MACs: conv1 28·28·6·25 =
     * 117,600, conv2 10·10·16·150 = 240,000, linear 48,000 + 10,080 + 840 = 58,920: 416,520. The switches count in
     * neither.
     */
    @Test
    void lenet5MatchesTheHandCount() {
        CompressibleModel lenet = CompressibleModel.lenet5(1, 28, 28, 10);
        assertArrayEquals(new int[] {6, 16, 120, 84}, lenet.widths());
        try (Engine engine = Engine.open(Backend.CPU)) {
            for (boolean gated : new boolean[] {false, true}) {
                try (ModelNet net = ModelNet.compile(engine, lenet, gated, 0)) {
                    assertEquals(61_706, net.parameters());
                    assertEquals(416_520, net.macs());
                }
            }
            // Widths 3, 8, 20, 30: conv1 3·25 + 3 = 78, conv2 8·3·25 + 8 = 608, fc1 8·25·20 + 20 = 4,020, fc2 20·30 +
            // 30 = 630, out 30·10 + 10 = 310: 5,646. MACs 28·28·3·25 = 58,800, 10·10·8·75 = 60,000, 4,000 + 600 + 300.
            try (ModelNet net = ModelNet.compile(engine, lenet.withWidths(new int[] {3, 8, 20, 30}), false, 0)) {
                assertEquals(5_646, net.parameters());
                assertEquals(58_800 + 60_000 + 4_900, net.macs());
            }
        }
    }

    @Test
    void unknownModelsAndWrongWidthsAreNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CompressibleModel.byName("alexnet", 1, 28, 28, 10));
        assertEquals("unknown model 'alexnet'; known: lenet5, vgg-small", unknown.getMessage());
        CompressibleModel lenet = CompressibleModel.lenet5(1, 28, 28, 10);
        assertThrows(IllegalArgumentException.class, () -> lenet.withWidths(new int[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> lenet.withWidths(new int[] {1, 2, 3, 0}));
    }
}
