package dev.jnas.space.program;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.fuzz.Draw;
import dev.jnas.fuzz.Fuzz;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Program text, edited at random, parses into a graph whose text round-trips, or is refused with an
 * IllegalArgumentException; a parsed graph's shapes infer or are refused the same way; and a graph whose shapes
 * infer lowers onto the engine with exactly those shapes.
 */
class ProgramTextFuzzTest {
    private static final TensorShape INPUT = TensorShape.of(2, 3, 16, 16);
    /** Lowered only below this many values per tensor or weight, so the engine never allocates much. */
    private static final long SMALL = 1 << 20;
    private static final List<String> WORDS = List.of("op", "input", "output", "block", "conv", "dense", "add",
            "relu", "image", "features=8", "features=*2", "features=/0", "features=*2147483647", "kernel=3",
            "kernel=2", "stride=2147483647", "stride=0", "groups=3", "dilation=1073741824", "window=0", "window=-1",
            "factor=NaN", "factor=1e400", "rate=1", "groups=2147483647", "x", "=", "==", "");
    private static final String CHARACTERS = "abcop =*/0123456789\n\t.-_xe";

    @Test
    void editedProgramTextParsesConsistentlyOrIsRefused() {
        Fuzz.forAll("program text", ProgramTextFuzzTest::editedText, text -> {
            ProgramGraph graph;
            try {
                graph = ProgramText.parse(text);
            } catch (IllegalArgumentException e) {
                Fuzz.assertNames(e);
                return;
            }
            String formatted = ProgramText.format(graph);
            assertEquals(formatted, ProgramText.format(ProgramText.parse(formatted)));
            TensorShapes shapes;
            try {
                shapes = ShapeInference.infer(graph, INPUT);
            } catch (IllegalArgumentException e) {
                Fuzz.assertNames(e);
                return;
            }
            if (small(graph, shapes)) {
                lowersWithTheInferredShapes(graph, shapes);
            }
        });
    }

    /**
     * Regressions: a stride near 2^31 overflowed ceil(size / stride) into a refusal; a feature count or a flatten
     * past 2^31 - 1 wrapped around or threw an ArithmeticException instead of naming the op; and a dilation near 2^30
     * wrapped the SAME padding negative, which the engine then refused (found by the nightly run).
     */
    @Test
    void extremeSettingsInferExactlyOrAreRefusedNamingTheOp() {
        ProgramGraph.Builder strided = ProgramGraph.builder().input("x");
        strided.add(Op.conv("c", "x", FeatureCount.of(4), 3, Integer.MAX_VALUE));
        assertEquals(TensorShape.of(2, 4, 1, 1), ShapeInference.infer(strided.output("c").build(), INPUT).of("c"));

        ProgramGraph.Builder wide = ProgramGraph.builder().input("x");
        wide.add(Op.conv("w", "x", FeatureCount.times(Integer.MAX_VALUE), 1, 1));
        Fuzz.assertNames(assertThrows(IllegalArgumentException.class,
                () -> ShapeInference.infer(wide.output("w").build(), INPUT)), "op 'w'", "exceed 2^31 - 1");

        assertEquals(1_558_074_412, new OpParams.Conv(FeatureCount.same(), 3, 1, 1, 1_558_074_412).padding());
        Fuzz.assertNames(assertThrows(IllegalArgumentException.class,
                () -> new OpParams.Conv(FeatureCount.same(), 5, 1, 1, Integer.MAX_VALUE)), "dilation 2147483647",
                "more than 2^31 - 1");
        ProgramGraph.Builder dilated = ProgramGraph.builder().input("x");
        dilated.add(Op.conv("d", "x", FeatureCount.same(), 3, 2, 1, 1_558_074_412));
        ProgramGraph dilatedGraph = dilated.output("d").build();
        lowersWithTheInferredShapes(dilatedGraph, ShapeInference.infer(dilatedGraph, INPUT));

        ProgramGraph.Builder flat = ProgramGraph.builder().input("x");
        flat.add(Op.conv("c", "x", FeatureCount.of(1 << 24), 1, 1));
        flat.add(Op.of(OpType.FLATTEN, "f", "c"));
        Fuzz.assertNames(assertThrows(IllegalArgumentException.class,
                () -> ShapeInference.infer(flat.output("f").build(), INPUT)), "op 'f' (FLATTEN)", "2^31 - 1");
    }

    private static void lowersWithTheInferredShapes(ProgramGraph graph, TensorShapes shapes) {
        try (GraphBuilder builder = GraphBuilder.create()) {
            Map<String, Integer> nodes = ProgramLowering.nodes(builder, graph, INPUT);
            nodes.forEach((tensor, node) -> assertArrayEquals(shapes.of(tensor).perSample(), builder.nodeShape(node),
                    tensor));
        }
    }

    private static boolean small(ProgramGraph graph, TensorShapes shapes) {
        for (Op op : graph.ops()) {
            TensorShape out = shapes.of(op.name());
            long fanIn = shapes.of(op.inputs().get(0)).sampleSize();
            if (out.sampleSize() > SMALL || (op.type() == OpType.DENSE && fanIn * out.features() > SMALL)
                    || (op.type() == OpType.CONV && (long) out.features() * fanIn > SMALL)) {
                return false;
            }
        }
        return true;
    }

    /** A random program's text (a seed model's a tenth of the time), edited by lines, words or characters. */
    private static String editedText(SplittableRandom random) {
        ProgramGraph base = random.nextInt(10) == 0 ? SeedModels.smallCnn(10) : randomProgram(random);
        List<String> lines = new ArrayList<>(ProgramText.lines(base));
        int edits = random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(lines.size());
            switch (random.nextInt(5)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(random.nextInt(lines.size() + 1), lines.get(at));
                case 2 -> {
                    List<String> words = new ArrayList<>(Arrays.asList(lines.get(at).split(" ")));
                    words.set(random.nextInt(words.size()), Draw.oneOf(random, WORDS));
                    lines.set(at, String.join(" ", words));
                }
                case 3 -> lines.set(at, Draw.edit(random, lines.get(at), CHARACTERS));
                default -> lines.add(at, Draw.text(random, CHARACTERS, 30));
            }
            if (lines.isEmpty()) {
                break;
            }
        }
        return String.join("\n", lines);
    }

    /** A chain of random ops, each reading earlier tensors, with settings that are mostly sensible. */
    private static ProgramGraph randomProgram(SplittableRandom random) {
        ProgramGraph.Builder graph = ProgramGraph.builder().input(SeedModels.INPUT);
        List<String> tensors = new ArrayList<>(List.of(SeedModels.INPUT));
        int ops = 1 + random.nextInt(8);
        for (int i = 0; i < ops; i++) {
            OpType type = Draw.oneOf(random, List.of(OpType.values()));
            String name = type.name().toLowerCase(Locale.ROOT) + i;
            List<String> inputs = new ArrayList<>();
            for (int k = 0; k < type.arity(); k++) {
                inputs.add(tensors.get(random.nextInt(tensors.size())));
            }
            try {
                tensors.add(graph.add(new Op(name, type, inputs, params(random, type))));
            } catch (IllegalArgumentException e) {
                // settings the op refuses (an even kernel, a zero stride): leave it out
            }
        }
        return graph.output(tensors.getLast()).build();
    }

    private static OpParams params(SplittableRandom random, OpType type) {
        Class<? extends OpParams> kind = type.paramsType();
        if (kind == OpParams.Conv.class) {
            return new OpParams.Conv(features(random), 1 + 2 * random.nextInt(3), size(random), size(random),
                    size(random));
        }
        if (kind == OpParams.Dense.class) {
            return new OpParams.Dense(features(random));
        }
        if (kind == OpParams.Pool.class) {
            int window = random.nextInt(4);
            return new OpParams.Pool(window, window == 0 ? 1 : size(random));
        }
        if (kind == OpParams.GroupNorm.class) {
            return new OpParams.GroupNorm(size(random));
        }
        if (kind == OpParams.Scale.class) {
            return new OpParams.Scale(random.nextDouble(-4, 4));
        }
        if (kind == OpParams.Dropout.class) {
            return new OpParams.Dropout(random.nextDouble(0, 1));
        }
        return new OpParams.None();
    }

    /** Mostly 1 or 2, sometimes 3 or an edge value. */
    private static int size(SplittableRandom random) {
        int draw = random.nextInt(10);
        return draw < 5 ? 1 : draw < 8 ? 2 : draw == 8 ? 3 : Math.max(1, Math.abs(Draw.anyInt(random)));
    }

    private static FeatureCount features(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> FeatureCount.times(size(random));
            case 1 -> FeatureCount.dividedBy(size(random));
            case 2 -> FeatureCount.same();
            default -> FeatureCount.of(size(random) * 4);
        };
    }
}
