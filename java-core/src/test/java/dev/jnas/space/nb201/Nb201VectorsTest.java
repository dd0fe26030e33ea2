package dev.jnas.space.nb201;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.ParamRole;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.space.SharedDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NB201 networks against ../shared/vectors (float64 PyTorch ground truth for four cells): the same
 * parameters by name, and with the file's weights and inputs the same train-mode logits.
 */
class Nb201VectorsTest {
    /** float32 forward against float64 ground truth: max |error| over max |logit|. */
    private static final double LOGIT_TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "nb201-{0}")
    @ValueSource(ints = {0, 1, 1835, 6111})
    void kappaNetworkGivesTheVectorsLogits(int index) throws IOException {
        JsonNode cell = readVectors(index);
        JsonNode ntk = cell.get("ntk");
        assertSkeleton(Nb201Skeleton.NTK, ntk.get("network"));
        float[] logits = forward(Nb201Architecture.parse(cell.get("arch").asText()), Nb201Skeleton.NTK, ntk);
        JsonNode expected = ntk.get("logits_train_bn");
        int classes = ntk.get("network").get("classes").asInt();
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
        System.out.printf("nb201-%d logits: max abs error %.3e, relative to max |logit| %.3e%n", index, maxError,
                relative);
        assertTrue(relative <= LOGIT_TOLERANCE, "nb201-" + index + ": relative logit error " + relative);
    }

    /** The file has no logits for the thin network, so this checks the build, the names and a finite forward. */
    @ParameterizedTest(name = "nb201-{0}")
    @ValueSource(ints = {0, 1, 1835, 6111})
    void linearRegionNetworkHasTheVectorsParameters(int index) throws IOException {
        JsonNode cell = readVectors(index);
        JsonNode regions = cell.get("linear_regions");
        assertSkeleton(Nb201Skeleton.LINEAR_REGIONS, regions.get("network"));
        float[] logits = forward(Nb201Architecture.parse(cell.get("arch").asText()), Nb201Skeleton.LINEAR_REGIONS,
                regions);
        long samples = regions.get("input_shape").get(0).asLong();
        assertEquals(samples * regions.get("network").get("classes").asInt(), logits.length);
        for (float logit : logits) {
            assertTrue(Float.isFinite(logit));
        }
    }

    /**
     * Builds the network for a vectors section, loads its params (after checking that the net has exactly
     * the file's parameters, in the file's order, running statistics aside) and input, and runs a train-mode
     * forward.
     */
    private static float[] forward(Nb201Architecture architecture, Nb201Skeleton skeleton, JsonNode section) {
        long[] inputShape = longs(section.get("input_shape"));
        int classes = section.get("network").get("classes").asInt();
        // Closing the engine closes the net and the tensors made from it.
        try (Engine engine = Engine.open(Backend.CPU); GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = new Nb201Network(architecture, skeleton).build(graph, (int) inputShape[1],
                    (int) inputShape[2], (int) inputShape[3], classes);
            Net net = Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, 1);
            JsonNode params = section.get("params");
            assertEquals(names(params), trainableParamNames(net), "parameters of " + architecture);
            for (JsonNode param : params) {
                int slot = net.findParam(param.get("name").asText());
                assertArrayEquals(longs(param.get("shape")), net.paramShape(slot), param.get("name").asText());
                net.writeParam(slot, floats(param.get("values")));
            }
            net.setTrain(true);
            Tensor input = engine.tensor(inputShape);
            input.write(floats(section.get("input")));
            net.bindInput(model.input(), input);
            return net.forward().read();
        }
    }

    private static void assertSkeleton(Nb201Skeleton skeleton, JsonNode network) {
        assertEquals(skeleton.channels(), network.get("C").asInt());
        assertEquals(skeleton.cellsPerStage(), network.get("N").asInt());
        assertEquals(skeleton.stem(), network.get("stem").asBoolean());
    }

    private static List<String> trainableParamNames(Net net) {
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

    private static JsonNode readVectors(int index) throws IOException {
        Path file = SharedDirectory.locate().resolve("vectors").resolve("nb201-" + index + ".json");
        JsonNode root = JSON.readTree(file.toFile());
        assertEquals(index, root.get("nb201_index").asInt());
        return root;
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }
}
