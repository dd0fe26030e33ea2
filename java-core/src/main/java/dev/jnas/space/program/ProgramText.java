package dev.jnas.space.program;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A program graph as text, one line per item, that {@link #parse} turns back into the same graph: the form the
 * evolution store and the result files keep. Lines are
 * <pre>
 * input image
 * op conv stem.conv image features=16 kernel=3 stride=1 groups=1 dilation=1
 * op relu stem.relu stem.bn
 * output logits
 * block stage1.block0 stage1.block0.conv1 stage1.block0.bn1 ...
 * </pre>
 * with the ops in the graph's topological order, so the parsed graph orders its ops exactly as the original and
 * formatting it again gives the same text. Settings are written in a fixed order, doubles as Java writes them
 * (which parse back to the same bits). Names must not contain whitespace.
 */
public final class ProgramText {
    private ProgramText() {
    }

    /** The graph's lines, joined by '\n' (no trailing newline). */
    public static String format(ProgramGraph graph) {
        return String.join("\n", lines(graph));
    }

    public static List<String> lines(ProgramGraph graph) {
        List<String> lines = new ArrayList<>();
        for (String input : graph.inputs()) {
            lines.add("input " + name(input));
        }
        for (Op op : graph.ops()) {
            StringJoiner line = new StringJoiner(" ");
            line.add("op").add(op.type().name().toLowerCase(Locale.ROOT)).add(name(op.name()));
            op.inputs().forEach(input -> line.add(name(input)));
            settings(op.params()).forEach((key, value) -> line.add(key + "=" + value));
            lines.add(line.toString());
        }
        for (String output : graph.outputs()) {
            lines.add("output " + name(output));
        }
        for (Block block : graph.blocks()) {
            StringJoiner line = new StringJoiner(" ");
            line.add("block").add(name(block.name()));
            block.ops().forEach(op -> line.add(name(op)));
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * The graph that text describes.
     *
     * @throws IllegalArgumentException naming the line (1-based) that is malformed, or the graph's own error
     */
    public static ProgramGraph parse(String text) {
        ProgramGraph.Builder graph = ProgramGraph.builder();
        String[] lines = text.split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            String line = lines[index].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                parseLine(graph, line.split("\\s+"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("program text line " + (index + 1) + " '" + line + "': "
                        + e.getMessage(), e);
            }
        }
        return graph.build();
    }

    private static void parseLine(ProgramGraph.Builder graph, String[] words) {
        switch (words[0]) {
            case "input" -> graph.input(single(words));
            case "output" -> graph.output(single(words));
            case "block" -> graph.block(word(words, 1), Arrays.asList(words).subList(2, words.length));
            case "op" -> graph.add(op(words));
            default -> throw new IllegalArgumentException("a line starts with input, op, output or block, not '"
                    + words[0] + "'");
        }
    }

    private static Op op(String[] words) {
        OpType type = type(word(words, 1));
        String name = word(words, 2);
        int first = 3;
        if (words.length < first + type.arity()) {
            throw new IllegalArgumentException(type + " reads " + type.arity() + " tensors");
        }
        List<String> inputs = Arrays.asList(words).subList(first, first + type.arity());
        Map<String, String> settings = new LinkedHashMap<>();
        for (String word : Arrays.asList(words).subList(first + type.arity(), words.length)) {
            int equals = word.indexOf('=');
            if (equals < 1 || settings.put(word.substring(0, equals), word.substring(equals + 1)) != null) {
                throw new IllegalArgumentException("expected distinct key=value settings, got '" + word + "'");
            }
        }
        OpParams params = params(type, settings);
        if (!settings.keySet().equals(settings(params).keySet())) {
            throw new IllegalArgumentException(type + " takes the settings " + settings(params).keySet()
                    + ", got " + settings.keySet());
        }
        return new Op(name, type, inputs, params);
    }

    /** Reads the settings a type takes; {@link #parseLine} then checks that no others were given. */
    private static OpParams params(OpType type, Map<String, String> settings) {
        Class<? extends OpParams> kind = type.paramsType();
        if (kind == OpParams.Conv.class) {
            return new OpParams.Conv(FeatureCount.parse(get(settings, "features")), integer(settings, "kernel"),
                    integer(settings, "stride"), integer(settings, "groups"), integer(settings, "dilation"));
        }
        if (kind == OpParams.Dense.class) {
            return new OpParams.Dense(FeatureCount.parse(get(settings, "features")));
        }
        if (kind == OpParams.Pool.class) {
            return new OpParams.Pool(integer(settings, "window"), integer(settings, "stride"));
        }
        if (kind == OpParams.GroupNorm.class) {
            return new OpParams.GroupNorm(integer(settings, "groups"));
        }
        if (kind == OpParams.Scale.class) {
            return new OpParams.Scale(real(settings, "factor"));
        }
        if (kind == OpParams.Dropout.class) {
            return new OpParams.Dropout(real(settings, "rate"));
        }
        return new OpParams.None();
    }

    /** The settings of params as written, in their fixed order; {@link #format} and the parse check share it. */
    private static Map<String, String> settings(OpParams params) {
        Map<String, String> settings = new LinkedHashMap<>();
        switch (params) {
            case OpParams.Conv conv -> {
                settings.put("features", conv.features().toString());
                settings.put("kernel", Integer.toString(conv.kernel()));
                settings.put("stride", Integer.toString(conv.stride()));
                settings.put("groups", Integer.toString(conv.groups()));
                settings.put("dilation", Integer.toString(conv.dilation()));
            }
            case OpParams.Dense dense -> settings.put("features", dense.features().toString());
            case OpParams.Pool pool -> {
                settings.put("window", Integer.toString(pool.window()));
                settings.put("stride", Integer.toString(pool.stride()));
            }
            case OpParams.GroupNorm norm -> settings.put("groups", Integer.toString(norm.groups()));
            case OpParams.Scale scale -> settings.put("factor", Double.toString(scale.factor()));
            case OpParams.Dropout dropout -> settings.put("rate", Double.toString(dropout.rate()));
            case OpParams.None none -> {
            }
        }
        return settings;
    }

    private static OpType type(String word) {
        try {
            return OpType.valueOf(word.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown op type '" + word + "'; known: "
                    + Arrays.stream(OpType.values()).map(t -> t.name().toLowerCase(Locale.ROOT)).toList(), e);
        }
    }

    private static String get(Map<String, String> settings, String key) {
        String value = settings.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing setting '" + key + "'");
        }
        return value;
    }

    private static int integer(Map<String, String> settings, String key) {
        try {
            return Integer.parseInt(get(settings, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' is not an integer", e);
        }
    }

    private static double real(Map<String, String> settings, String key) {
        try {
            return Double.parseDouble(get(settings, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' is not a number", e);
        }
    }

    private static String single(String[] words) {
        if (words.length != 2) {
            throw new IllegalArgumentException("'" + words[0] + "' takes exactly one name");
        }
        return words[1];
    }

    private static String word(String[] words, int index) {
        if (index >= words.length) {
            throw new IllegalArgumentException("too few words");
        }
        return words[index];
    }

    private static String name(String name) {
        if (name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("the name '" + name + "' contains whitespace, which program text"
                    + " cannot hold");
        }
        return name;
    }
}
