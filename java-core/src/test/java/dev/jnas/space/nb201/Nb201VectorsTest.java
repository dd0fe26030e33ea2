package dev.jnas.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The NB201 networks against ../shared/vectors: the same parameters by name, and with the file's weights and
 * inputs the same train-mode logits.
 */
class Nb201VectorsTest {
    /** float32 forward against float64 ground truth: max |error| over max |logit|. */
    private static final double LOGIT_TOLERANCE = 1e-4;

    @ParameterizedTest(name = "nb201-{0}")
    @FieldSource("dev.jnas.space.nb201.Nb201VectorFile#INDICES")
    void kappaNetworkGivesTheVectorsLogits(int index) {
        Nb201VectorFile file = Nb201VectorFile.read(index);
        try (Engine engine = Engine.open(Backend.CPU)) {
            Nb201VectorFile.LoadedNet loaded = file.load(engine, Nb201Skeleton.NTK, file.ntk());
            float[] logits = loaded.net().forward().read();
            JsonNode expected = file.ntk().get("logits_train_bn");
            int classes = loaded.classes();
            double maxError = 0;
            double maxLogit = 0;
            for (int sample = 0; sample < expected.size(); sample++) {
                for (int k = 0; k < classes; k++) {
                    double truth = expected.get(sample).get(k).asDouble();
                    maxError = Math.max(maxError, Math.abs(logits[sample * classes + k] - truth));
                    maxLogit = Math.max(maxLogit, Math.abs(truth));
                }
            }
            double relative = maxError / maxLogit;
            System.out.printf("nb201-%d logits: max abs error %.3e, relative to max |logit| %.3e%n", index,
                    maxError, relative);
            assertTrue(relative <= LOGIT_TOLERANCE, "nb201-" + index + ": relative logit error " + relative);
        }
    }

    /** The file has no logits for the thin network, so this checks the build, the names and a finite forward. */
    @ParameterizedTest(name = "nb201-{0}")
    @FieldSource("dev.jnas.space.nb201.Nb201VectorFile#INDICES")
    void linearRegionNetworkHasTheVectorsParameters(int index) {
        Nb201VectorFile file = Nb201VectorFile.read(index);
        JsonNode regions = file.linearRegions();
        try (Engine engine = Engine.open(Backend.CPU)) {
            Nb201VectorFile.LoadedNet loaded = file.load(engine, Nb201Skeleton.LINEAR_REGIONS, regions);
            float[] logits = loaded.net().forward().read();
            long samples = regions.get("input_shape").get(0).asLong();
            assertEquals(samples * loaded.classes(), logits.length);
            for (float logit : logits) {
                assertTrue(Float.isFinite(logit));
            }
        }
    }
}
