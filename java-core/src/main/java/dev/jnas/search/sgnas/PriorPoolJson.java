package dev.jnas.search.sgnas;

import dev.jnas.data.DataException;
import dev.jnas.report.JsonWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A prior pool's file:
 * <pre>
 * {"layers": L, "priors": [{"key": 360, "architecture": [L × 24 numbers, layer major]}, ...]}
 * </pre>
 * Numbers are written so that reading them back gives the same floats.
 */
final class PriorPoolJson {
    private PriorPoolJson() {
    }

    static void save(PriorPool pool, Path file) {
        JsonWriter json = new JsonWriter().beginObject()
                .name("layers").value(pool.layers())
                .name("priors").beginArray();
        double[] keys = pool.keys();
        for (int i = 0; i < keys.length; i++) {
            json.beginObject().name("key").value(keys[i]).name("architecture").beginArray();
            for (float value : pool.prior(i)) {
                json.value(value);
            }
            json.endArray().endObject();
        }
        String text = json.endArray().endObject() + "\n";
        AtomicFile.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    static PriorPool load(Path file) {
        JsonCursor json = new JsonCursor(read(file), file.toString());
        json.expect('{');
        json.expectName("layers");
        int layers = json.integer();
        if (layers < 1) {
            throw json.error("the number of layers must be at least 1, got " + layers);
        }
        json.expect(',');
        json.expectName("priors");
        json.expect('[');
        List<Double> keys = new ArrayList<>();
        List<float[]> priors = new ArrayList<>();
        if (!json.consume(']')) {
            do {
                json.expect('{');
                json.expectName("key");
                double key = json.number();
                json.expect(',');
                json.expectName("architecture");
                float[] architecture = numbers(json);
                if (architecture.length != (long) layers * ArchitectureMap.COLUMNS) {
                    throw json.error("the architecture of key " + key + " has " + architecture.length
                            + " values but " + layers + " layers need " + (long) layers * ArchitectureMap.COLUMNS);
                }
                keys.add(key);
                priors.add(architecture);
                json.expect('}');
            } while (json.consume(','));
            json.expect(']');
        }
        json.expect('}');
        json.end();
        try {
            return new PriorPool(keys.stream().mapToDouble(Double::doubleValue).toArray(),
                    priors.toArray(float[][]::new));
        } catch (IllegalArgumentException e) {
            throw new DataException(file + ": " + e.getMessage(), e);
        }
    }

    /** An array of numbers, as floats. */
    private static float[] numbers(JsonCursor json) {
        List<Float> values = new ArrayList<>();
        json.expect('[');
        if (!json.consume(']')) {
            do {
                values.add((float) json.number());
            } while (json.consume(','));
            json.expect(']');
        }
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    private static String read(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new DataException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
