package dev.jnas.space.mbconv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnas.fuzz.Draw;
import dev.jnas.fuzz.Fuzz;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SGNAS architecture encodings: the text form and the logits a generator emits. */
class MbconvArchitectureFuzzTest {
    private static final String CHARACTERS = "357x|0 2-";

    private record Text(String text, int layers) {
    }

    private record Logits(float[] logits, int layers) {
        @Override
        public String toString() {
            return java.util.Arrays.toString(logits) + " for " + layers + " layers";
        }
    }

    @Test
    void editedTextParsesToItselfOrIsRefusedNamingTheLayer() {
        Fuzz.forAll("SGNAS architecture text", random -> {
            int layers = 1 + random.nextInt(6);
            String valid = randomArchitecture(random, layers).toString();
            int expected = random.nextInt(8) == 0 ? random.nextInt(-1, 8) : layers;
            return new Text(random.nextInt(5) == 0 ? Draw.text(random, CHARACTERS, 50)
                    : Draw.edit(random, valid, CHARACTERS), expected);
        }, input -> {
            try {
                assertEquals(input.text(), MbconvArchitecture.parse(input.text(), input.layers()).toString());
            } catch (IllegalArgumentException e) {
                Fuzz.assertNames(e, "layer");
            }
        });
    }

    @Test
    void logitsGiveTheirArgmaxOrAreRefusedNamingTheEntry() {
        Fuzz.forAll("SGNAS architecture logits", random -> {
            int layers = random.nextInt(-1, 5);
            int length = random.nextInt(8) == 0 ? random.nextInt(60) : Math.max(0, layers) * MbconvLayout.COLUMNS;
            float[] logits = new float[length];
            for (int i = 0; i < length; i++) {
                logits[i] = random.nextInt(50) == 0 ? Draw.anyFloat(random) : (float) random.nextGaussian();
            }
            return new Logits(logits, layers);
        }, input -> {
            MbconvArchitecture architecture;
            try {
                architecture = MbconvArchitecture.fromLogits(input.logits(), input.layers());
            } catch (IllegalArgumentException e) {
                Fuzz.assertNames(e, "logit");
                return;
            }
            assertEquals(input.layers(), architecture.layerCount());
            assertEquals(architecture, MbconvArchitecture.fromLogits(architecture.oneHot(), input.layers()));
        });
    }

    private static MbconvArchitecture randomArchitecture(SplittableRandom random, int layers) {
        SubBlockChoice[][] choices = new SubBlockChoice[layers][MbconvLayout.SUB_BLOCKS];
        for (int layer = 0; layer < layers; layer++) {
            choices[layer][0] = Draw.oneOf(random, SubBlockChoice.KERNELS);
            for (int block = 1; block < MbconvLayout.SUB_BLOCKS; block++) {
                choices[layer][block] = SubBlockChoice.values()[random.nextInt(SubBlockChoice.values().length)];
            }
        }
        return new MbconvArchitecture(choices);
    }
}
