package dev.jnas.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A node of a run's JSON result, as {@link JsonWriter} wrote it, read strictly: a missing member or one of the
 * wrong type is an {@link IllegalArgumentException} naming the file and the member's path, never a silent zero.
 * Numbers written as "NaN", "Infinity" or "-Infinity" read back as those values.
 */
final class RunJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final String path;
    private final JsonNode node;

    private RunJson(Path file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** The file's top-level value; a file that is not JSON is named. */
    static RunJson read(Path file) {
        try {
            return new RunJson(file, "", MAPPER.readTree(file.toFile()));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    Path file() {
        return file;
    }

    boolean has(String name) {
        return node.has(name) && !node.get(name).isNull();
    }

    /** The "method" member, which names the kind of run; "" for JSON without one (no run result). */
    String method() {
        return node.isObject() && node.path("method").isTextual() ? node.get("method").asText() : "";
    }

    String text(String name) {
        JsonNode value = member(name);
        if (!value.isTextual()) {
            throw wrong(name, "a string");
        }
        return value.asText();
    }

    double number(String name) {
        return number(member(name), name);
    }

    long integer(String name) {
        JsonNode value = member(name);
        if (!value.canConvertToExactIntegral()) {
            throw wrong(name, "an integer");
        }
        return value.asLong();
    }

    boolean flag(String name) {
        JsonNode value = member(name);
        if (!value.isBoolean()) {
            throw wrong(name, "true or false");
        }
        return value.asBoolean();
    }

    RunJson object(String name) {
        JsonNode value = member(name);
        if (!value.isObject()) {
            throw wrong(name, "an object");
        }
        return new RunJson(file, qualified(name), value);
    }

    /** The elements of an array member. */
    List<RunJson> list(String name) {
        return new RunJson(file, qualified(name), member(name)).items();
    }

    /** The elements of this array. */
    List<RunJson> items() {
        if (!node.isArray()) {
            throw new IllegalArgumentException(file + ": " + path + " should be an array");
        }
        List<RunJson> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            items.add(new RunJson(file, path + "[" + i + "]", node.get(i)));
        }
        return items;
    }

    /** An array member of numbers. */
    double[] numbers(String name) {
        List<RunJson> items = list(name);
        double[] values = new double[items.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(items.get(i).node, name + "[" + i + "]");
        }
        return values;
    }

    /** An array member of integers. */
    long[] integers(String name) {
        List<RunJson> items = list(name);
        long[] values = new long[items.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = items.get(i).node;
            if (!value.canConvertToExactIntegral()) {
                throw wrong(name + "[" + i + "]", "an integer");
            }
            values[i] = value.asLong();
        }
        return values;
    }

    private double number(JsonNode value, String name) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            switch (value.asText()) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    // not a number's name: reported below
                }
            }
        }
        throw wrong(name, "a number");
    }

    private JsonNode member(String name) {
        if (!node.isObject() || !node.has(name)) {
            throw new IllegalArgumentException(file + ": " + qualified(name) + " is missing");
        }
        return node.get(name);
    }

    private IllegalArgumentException wrong(String name, String expected) {
        return new IllegalArgumentException(file + ": " + qualified(name) + " should be " + expected);
    }

    private String qualified(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
