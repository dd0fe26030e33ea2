package dev.jnas.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Patterns;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * TE-NAS's linear-region count against ../shared/vectors: the thin network (C=1, one cell, no stem) with the
 * file's weights, its 1,000 inputs of 1×3×3 in one train-mode forward (batch-norm statistics over the whole
 * batch), gives the file's pattern length and, exactly, its number of distinct patterns.
 */
class Nb201LinearRegionVectorsTest {
    @ParameterizedTest(name = "nb201-{0}")
    @FieldSource("dev.jnas.space.nb201.Nb201VectorFile#INDICES")
    void regionCountEqualsTheVectors(int index) {
        Nb201VectorFile file = Nb201VectorFile.read(index);
        JsonNode regions = file.linearRegions();
        try (Engine engine = Engine.open(Backend.CPU); Patterns patterns = Patterns.create()) {
            Nb201VectorFile.LoadedNet loaded = file.load(engine, Nb201Skeleton.LINEAR_REGIONS, regions);
            patterns.collect(loaded.net());
            assertEquals(regions.get("input_shape").get(0).asLong(), patterns.samples());
            assertEquals(regions.get("relu_bits_per_sample").asLong(), patterns.bitsPerSample(),
                    "bits per sample of " + file.architecture());
            long count = patterns.countDistinct();
            System.out.printf("nb201-%d: %d bits per sample, %d distinct patterns of %d%n", index,
                    patterns.bitsPerSample(), count, patterns.samples());
            assertEquals(regions.get("count").asLong(), count, "linear regions of " + file.architecture());
        }
    }
}
