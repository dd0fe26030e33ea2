package dev.jnas.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.data.Cifar10Binary;
import dev.jnas.data.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Padding, channel repetition, normalization and crops of image probes; the CIFAR-10 format checks. */
class ImageProbeDataTest {
    @TempDir
    Path dir;

    /** Image i of 28x28 has every pixel equal to i + 1 (so images are told apart by value). */
    private static ImageProbeData grey(int count) {
        byte[] pixels = new byte[count * 28 * 28];
        for (int i = 0; i < count; i++) {
            Arrays.fill(pixels, i * 784, (i + 1) * 784, (byte) (i + 1));
        }
        return new ImageProbeData("grey", pixels, count, 1, 28, 28, new float[] {0.5f}, new float[] {0.25f});
    }

    private static float normalized(int value) {
        return (value / 255f - 0.5f) / 0.25f;
    }

    @Test
    void imagesArePaddedWithBlackRepeatedToThreeChannelsAndDistinct() {
        ImageProbeData data = grey(5);
        float[] images = new float[5 * ProbeData.IMAGE_VALUES];
        data.images(new Random(1), images, 5);
        Set<Float> centres = new HashSet<>();
        for (int b = 0; b < 5; b++) {
            int base = b * ProbeData.IMAGE_VALUES;
            float centre = images[base + 16 * 32 + 16];
            centres.add(centre);
            for (int c = 0; c < 3; c++) {
                assertEquals(normalized(0), images[base + c * 1024], "corner is padding");
                assertEquals(normalized(0), images[base + c * 1024 + 1 * 32 + 1], "2-pixel border is padding");
                assertEquals(centre, images[base + c * 1024 + 2 * 32 + 2], "first image pixel");
                assertEquals(centre, images[base + c * 1024 + 29 * 32 + 29], "last image pixel");
            }
        }
        assertEquals(5, centres.size(), "a batch holds distinct images");
        assertThrows(IllegalArgumentException.class, () -> data.images(new Random(1), images, 6));
    }

    @Test
    void patchesAreCropsOfOneImageAndTheSameForASeed() {
        ImageProbeData data = grey(50);
        float[] patches = new float[40 * ProbeData.PATCH_VALUES];
        float[] again = new float[patches.length];
        data.patches(new Random(3), patches, 40);
        data.patches(new Random(3), again, 40);
        assertEquals(Arrays.toString(patches), Arrays.toString(again));
        Set<Float> allowed = new HashSet<>();
        allowed.add(normalized(0));
        for (int i = 1; i <= 50; i++) {
            allowed.add(normalized(i));
        }
        for (float value : patches) {
            assertTrue(allowed.contains(value), "value " + value);
        }
    }

    @Test
    void eachPatchIsTheCropOfItsImagesCanvasAtTheDrawnChannelAndCorner() {
        // Three channels of 29x30 (padded unevenly on the canvas), every pixel a different value mod 256.
        int count = 4;
        int height = 29;
        int width = 30;
        byte[] pixels = new byte[count * 3 * height * width];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7 + i / 256);
        }
        ImageProbeData data = new ImageProbeData("rgb", pixels, count, 3, height, width,
                new float[] {0.4f, 0.5f, 0.6f}, new float[] {0.2f, 0.25f, 0.3f});
        for (int seed = 0; seed < 20; seed++) {
            float[] patch = new float[ProbeData.PATCH_VALUES];
            data.patches(new Random(seed), patch, 1);
            // The same draws: the image (images() draws it as patches() does), then channel, row and column.
            Random draws = new Random(seed);
            float[] canvas = new float[ProbeData.IMAGE_VALUES];
            data.images(draws, canvas, 1);
            int channel = draws.nextInt(ProbeData.CHANNELS);
            int top = draws.nextInt(ProbeData.SIZE - ProbeData.PATCH + 1);
            int left = draws.nextInt(ProbeData.SIZE - ProbeData.PATCH + 1);
            for (int y = 0; y < ProbeData.PATCH; y++) {
                for (int x = 0; x < ProbeData.PATCH; x++) {
                    float want = canvas[(channel * ProbeData.SIZE + top + y) * ProbeData.SIZE + left + x];
                    assertEquals(want, patch[y * ProbeData.PATCH + x], "seed " + seed + " at " + y + "," + x);
                }
            }
        }
    }

    @Test
    void cifarBinaryFormatIsChecked() throws IOException {
        assertThrows(DataException.class, () -> Cifar10Binary.readTraining(dir.resolve("missing")));
        DataException none = assertThrows(DataException.class, () -> Cifar10Binary.readTraining(dir));
        assertTrue(none.getMessage().contains("data_batch_*.bin"), none.getMessage());
        Files.write(dir.resolve("data_batch_1.bin"), new byte[Cifar10Binary.RECORD_BYTES + 1]);
        DataException size = assertThrows(DataException.class, () -> Cifar10Binary.readTraining(dir));
        assertTrue(size.getMessage().contains("3073"), size.getMessage());
        byte[] records = new byte[2 * Cifar10Binary.RECORD_BYTES];
        records[Cifar10Binary.RECORD_BYTES] = 10;
        Files.write(dir.resolve("data_batch_1.bin"), records);
        DataException label = assertThrows(DataException.class, () -> Cifar10Binary.readTraining(dir));
        assertTrue(label.getMessage().contains("record 1 has label 10"), label.getMessage());
        records[Cifar10Binary.RECORD_BYTES] = 9;
        records[Cifar10Binary.RECORD_BYTES + 1] = 7;
        Files.write(dir.resolve("data_batch_1.bin"), records);
        Cifar10Binary.Images images = Cifar10Binary.readTraining(dir);
        assertEquals(2, images.count());
        assertEquals(7, images.pixels()[Cifar10Binary.IMAGE_BYTES]);
    }
}
