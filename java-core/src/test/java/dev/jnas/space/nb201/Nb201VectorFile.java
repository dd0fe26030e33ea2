package dev.jnas.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.ParamRole;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.space.SharedDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One cell of ../shared/vectors (float64 PyTorch ground truth for four NB201 cells) and its sections ("ntk",
 * "linear_regions") loaded into jnas nets: the same parameters by name and order, the file's weights and inputs.
 */
record Nb201VectorFile(int index, JsonNode root) {
    static final int[] INDICES = {0, 1, 1835, 6111};
    private static final ObjectMapper JSON = new ObjectMapper();

    static Nb201VectorFile read(int index) {
        Path file = SharedDirectory.locate().resolve("vectors").resolve("nb201-" + index + ".json");
        try {
            JsonNode root = JSON.readTree(file.toFile());
            assertEquals(index, root.get("nb201_index").asInt());
            return new Nb201VectorFile(index, root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    Nb201Architecture architecture() {
        return Nb201Architecture.parse(root.get("arch").asText());
    }

    JsonNode ntk() {
        return root.get("ntk");
    }

    JsonNode linearRegions() {
        return root.get("linear_regions");
    }

    /** A section's network on an engine, with the file's parameters written and its input bound. */
    record LoadedNet(Net net, int inputNode, Tensor input, int classes) {
    }

    /**
     * Builds the network of a section, checks that the net has exactly the file's parameters (in the file's
     * order, running statistics aside), writes them and binds the file's input. The engine owns the result.
     */
    LoadedNet load(Engine engine, Nb201Skeleton skeleton, JsonNode section) {
        assertSkeleton(skeleton, section.get("network"));
        long[] inputShape = longs(section.get("input_shape"));
        int classes = section.get("network").get("classes").asInt();
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = new Nb201Network(architecture(), skeleton).build(graph, (int) inputShape[1],
                    (int) inputShape[2], (int) inputShape[3], classes);
            Net net = Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, 1);
            JsonNode params = section.get("params");
            assertEquals(names(params), nonRunningParamNames(net), "parameters of " + architecture());
            for (JsonNode param : params) {
                int slot = net.findParam(param.get("name").asText());
                assertArrayEquals(longs(param.get("shape")), net.paramShape(slot), param.get("name").asText());
                net.writeParam(slot, floats(param.get("values")));
            }
            net.setTrain(true);
            Tensor input = engine.tensor(inputShape);
            input.write(floats(section.get("input")));
            net.bindInput(model.input(), input);
            return new LoadedNet(net, model.input(), input, classes);
        }
    }

    private static void assertSkeleton(Nb201Skeleton skeleton, JsonNode network) {
        assertEquals(skeleton.channels(), network.get("C").asInt());
        assertEquals(skeleton.cellsPerStage(), network.get("N").asInt());
        assertEquals(skeleton.stem(), network.get("stem").asBoolean());
    }

    private static List<String> nonRunningParamNames(Net net) {
        List<String> names = new ArrayList<>();
        for (int slot = 0; slot < net.paramCount(); slot++) {
            if (net.paramRole(slot) != ParamRole.BN_RUNNING) {
                names.add(net.paramName(slot));
            }
        }
        return names;
    }

    private static List<String> names(JsonNode params) {
        List<String> names = new ArrayList<>();
        params.forEach(param -> names.add(param.get("name").asText()));
        return names;
    }

    static double[][] matrix(JsonNode rows) {
        double[][] values = new double[rows.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = doubles(rows.get(i));
        }
        return values;
    }

    static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }
}
