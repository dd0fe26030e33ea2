package dev.jnas.space.mbconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class MbconvLayoutTest {
    private static int[] column(List<LayerSpec> layers, ToIntFunction<LayerSpec> field) {
        return layers.stream().mapToInt(field).toArray();
    }

    /** The reference's table: stage strides 1 (CIFAR), 2, 2, 1, 2, 1 on 2, 4, 4, 4, 4, 1 layers; 32 → 4 pixels. */
    @Test
    void cifarLayoutIsTheReferenceTable() {
        MbconvLayout layout = MbconvLayout.cifar(3, 32, 10);
        List<LayerSpec> layers = layout.layers();
        assertEquals(19, layout.layerCount());
        assertArrayEquals(new int[] {1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1},
                column(layers, LayerSpec::stride));
        assertArrayEquals(new int[] {16, 32, 32, 40, 40, 40, 40, 80, 80, 80, 80, 96, 96, 96, 96, 192, 192, 192, 192},
                column(layers, LayerSpec::inChannels));
        assertArrayEquals(new int[] {32, 32, 40, 40, 40, 40, 80, 80, 80, 80, 96, 96, 96, 96, 192, 192, 192, 192, 320},
                column(layers, LayerSpec::outChannels));
        assertArrayEquals(new int[] {32, 32, 32, 16, 16, 16, 16, 8, 8, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4},
                column(layers, LayerSpec::inputSize));
        assertArrayEquals(new int[] {32, 32, 16, 16, 16, 16, 8, 8, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 4},
                column(layers, LayerSpec::outputSize));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18},
                column(layers, LayerSpec::index));
        assertEquals(32, layout.stemChannels());
        assertEquals(1, layout.stemStride());
        assertEquals(32, layout.stemSize());
        assertEquals(16, layout.firstOutChannels());
        assertEquals(1280, layout.headChannels());
        assertEquals(4, layout.headSize());
    }

    /** 224 → 112 (stem) → 56 → 28 → 14 → 14 → 7 → 7. */
    @Test
    void imageNetLayoutHalvesInTheStemAndStageZero() {
        MbconvLayout layout = MbconvLayout.imageNet(3, 224, 1000);
        assertEquals(2, layout.stemStride());
        assertEquals(112, layout.stemSize());
        assertEquals(new LayerSpec(0, 16, 32, 2, 112, 56), layout.layers().get(0));
        assertEquals(new LayerSpec(2, 32, 40, 2, 56, 28), layout.layers().get(2));
        assertEquals(new LayerSpec(6, 40, 80, 2, 28, 14), layout.layers().get(6));
        assertEquals(new LayerSpec(10, 80, 96, 1, 14, 14), layout.layers().get(10));
        assertEquals(new LayerSpec(14, 96, 192, 2, 14, 7), layout.layers().get(14));
        assertEquals(new LayerSpec(18, 192, 320, 1, 7, 7), layout.layers().get(18));
        assertEquals(7, layout.headSize());
    }

    /**
     * Width 0.25 of 32, 16, 32, 40, 80, 96, 192, 320, 1280 gives 8, 4, 8, 10, 20, 24, 48, 80, 320; a 28-pixel
     * image halves to 14, 7 and ceil(7 / 2) = 4.
     */
    @Test
    void scaledLayoutNarrowsAndShortens() {
        MbconvLayout layout = MbconvLayout.cifar(1, 28, 10).scaled(0.25, new int[] {1, 2, 1, 1, 1, 1});
        assertEquals(7, layout.layerCount());
        assertEquals(8, layout.stemChannels());
        assertEquals(4, layout.firstOutChannels());
        assertEquals(320, layout.headChannels());
        List<LayerSpec> layers = layout.layers();
        assertArrayEquals(new int[] {4, 8, 10, 10, 20, 24, 48}, column(layers, LayerSpec::inChannels));
        assertArrayEquals(new int[] {8, 10, 10, 20, 24, 48, 80}, column(layers, LayerSpec::outChannels));
        assertArrayEquals(new int[] {1, 2, 1, 2, 1, 2, 1}, column(layers, LayerSpec::stride));
        assertArrayEquals(new int[] {28, 28, 14, 14, 7, 7, 4}, column(layers, LayerSpec::inputSize));
        assertArrayEquals(new int[] {28, 14, 14, 7, 7, 4, 4}, column(layers, LayerSpec::outputSize));
        assertEquals(4, layout.headSize());
        boolean[] residual = new boolean[layers.size()];
        for (int l = 0; l < residual.length; l++) {
            residual[l] = layers.get(l).residual();
        }
        assertArrayEquals(new boolean[] {false, false, true, false, false, false, false}, residual);
    }

    /** Scaling is relative to the reference, and no count drops below one channel. */
    @Test
    void scalingStartsFromTheReferenceAndKeepsOneChannel() {
        MbconvLayout narrow = MbconvLayout.cifar(3, 32, 10).scaled(0.5, new int[] {1, 1, 1, 1, 1, 1})
                .scaled(0.01, new int[] {1, 1, 1, 1, 1, 1});
        assertEquals(1, narrow.stemChannels());
        assertEquals(1, narrow.firstOutChannels());
        assertEquals(13, narrow.headChannels());
        assertArrayEquals(new int[] {1, 1, 1, 1, 2, 3}, column(narrow.layers(), LayerSpec::outChannels));
    }

    @Test
    void badScalingIsRejectedWithTheReason() {
        MbconvLayout layout = MbconvLayout.cifar(3, 32, 10);
        int[] stages = {1, 1, 1, 1, 1, 1};
        assertMessage("width multiplier", () -> layout.scaled(0, stages));
        assertMessage("width multiplier", () -> layout.scaled(Double.NaN, stages));
        assertMessage("width multiplier", () -> layout.scaled(Double.POSITIVE_INFINITY, stages));
        assertMessage("6 counts", () -> layout.scaled(1, new int[] {1, 1, 1, 1, 1}));
        assertMessage("stage 2 needs at least 1 layer", () -> layout.scaled(1, new int[] {1, 1, 0, 1, 1, 1}));
        assertMessage("image size", () -> MbconvLayout.cifar(3, 0, 10));
        assertMessage("classes", () -> MbconvLayout.imageNet(3, 224, 1));
        assertMessage("input channels", () -> MbconvLayout.imageNet(0, 224, 10));
    }

    @Test
    void describesItselfOnOneLine() {
        String line = MbconvLayout.cifar(1, 28, 10).scaled(0.25, new int[] {1, 1, 1, 1, 1, 1}).describe();
        assertEquals("cifar 1x28x28 -> 10 classes, width 0.25, 6 layers (stages 1,1,1,1,1,1), channels stem 8, "
                + "first 4, stages 8/10/20/24/48/80, head 320", line);
    }

    @Test
    void specRoundTripsAndBadSpecsSayWhy() {
        MbconvLayout layout = MbconvLayout.imageNet(3, 64, 100).scaled(0.5, new int[] {1, 2, 1, 1, 2, 1});
        assertEquals("imagenet 3x64x64 100 0.5 1,2,1,1,2,1", layout.spec());
        assertEquals(layout.describe(), MbconvLayout.parseSpec(layout.spec()).describe());
        assertMessage("expected e.g.", () -> MbconvLayout.parseSpec("cifar 1x28 10 0.25 1,1,1,1,1,1"));
        assertMessage("bad number", () -> MbconvLayout.parseSpec("cifar 1x28x28 ten 0.25 1,1,1,1,1,1"));
        assertMessage("unknown layout 'resnet'", () -> MbconvLayout.parseSpec("resnet 1x28x28 10 1 1,1,1,1,1,1"));
        assertMessage("stage layers", () -> MbconvLayout.parseSpec("cifar 1x28x28 10 1 1,1,1"));
    }

    private static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
