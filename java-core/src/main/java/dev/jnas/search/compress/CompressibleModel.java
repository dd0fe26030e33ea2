package dev.jnas.search.compress;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A plain CNN whose conv filters and hidden neurons can be removed: conv stages, hidden fully connected layers (each
 * followed by ReLU), then the linear classifier. Its "unit layers" are the conv stages then the hidden layers, each
 * with a width (filters or neurons); a compressed model is the same one with smaller widths.
 *
 * <p>Gated, every unit layer gets one switch per unit: a [width] parameter {@code gate.<layer>} applied by the
 * engine's mul op right after the layer's conv (and batch norm) or linear output, before the ReLU. After the batch
 * norm, because a gate before it would be normalized away; before the ReLU, because then folding a gate g into the
 * layer (conv/linear weights and bias, or batch-norm γ and β, times g) is exact for either sign of g.
 *
 * @param name   the model's name on the command line
 * @param convs  the conv stages, first to last
 * @param hidden the hidden fully connected layers' widths
 */
public record CompressibleModel(String name, int channels, int height, int width, int classes, List<ConvStage> convs,
                                List<Integer> hidden) {
    /** The classifier layer's name (its parameters are {@code out.weight} and {@code out.bias}). */
    public static final String CLASSIFIER = "out";

    public CompressibleModel {
        Objects.requireNonNull(name, "name");
        convs = List.copyOf(convs);
        hidden = List.copyOf(hidden);
        if (channels < 1 || height < 1 || width < 1 || classes < 2) {
            throw new IllegalArgumentException("model " + name + " needs images of at least 1x1x1 and 2 classes, got "
                    + channels + "x" + height + "x" + width + " and " + classes);
        }
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i) < 1) {
                throw new IllegalArgumentException("model " + name + ": hidden layer fc" + (i + 1) + " has width "
                        + hidden.get(i));
            }
        }
    }

    /**
     * LeNet-5 (LeCun et al. 1998, as usually written today): conv 5×5 6 → ReLU → max pool 2 → conv 5×5 16 → ReLU →
     * max pool 2 → fc 120 → ReLU → fc 84 → ReLU → fc classes. For 28×28 inputs the first conv has padding 2 (the
     * 32×32 the original took), so the second sees 14×14 and the classifier part 16·5·5 = 400 features.
     */
    public static CompressibleModel lenet5(int channels, int height, int width, int classes) {
        int padding = height == 28 && width == 28 ? 2 : 0;
        return new CompressibleModel("lenet5", channels, height, width, classes,
                List.of(new ConvStage(6, 5, padding, false, true), new ConvStage(16, 5, 0, false, true)),
                List.of(120, 84));
    }

    /**
     * A CPU-sized VGG-like net: conv 3×3 (padding 1) + batch norm + ReLU at widths 16, 16, pool, 32, 32, pool, 64,
     * pool, then fc 128 → ReLU → fc classes (28×28 inputs: 64·3·3 = 576 features into fc 128).
     */
    public static CompressibleModel vggSmall(int channels, int height, int width, int classes) {
        List<ConvStage> convs = new ArrayList<>();
        int[] widths = {16, 16, 32, 32, 64};
        boolean[] pools = {false, true, false, true, true};
        for (int i = 0; i < widths.length; i++) {
            convs.add(new ConvStage(widths[i], 3, 1, true, pools[i]));
        }
        return new CompressibleModel("vgg-small", channels, height, width, classes, convs, List.of(128));
    }

    /** The models {@code jnas compress} knows, by name, for images of the given shape. */
    public static CompressibleModel byName(String name, int channels, int height, int width, int classes) {
        return switch (name) {
            case "lenet5" -> lenet5(channels, height, width, classes);
            case "vgg-small" -> vggSmall(channels, height, width, classes);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known: lenet5, vgg-small");
        };
    }

    /** Conv stages plus hidden layers: the layers whose units carry switches. */
    public int unitLayers() {
        return convs.size() + hidden.size();
    }

    /** Layer l's width (filters or neurons). */
    public int width(int layer) {
        return layer < convs.size() ? convs.get(layer).channels() : hidden.get(layer - convs.size());
    }

    /** Every unit layer's width, in order. */
    public int[] widths() {
        int[] widths = new int[unitLayers()];
        for (int l = 0; l < widths.length; l++) {
            widths[l] = width(l);
        }
        return widths;
    }

    /** The same model with each unit layer's width replaced. */
    public CompressibleModel withWidths(int[] widths) {
        if (widths.length != unitLayers()) {
            throw new IllegalArgumentException("model " + name + " has " + unitLayers() + " unit layers, got "
                    + widths.length + " widths");
        }
        List<ConvStage> newConvs = new ArrayList<>();
        for (int l = 0; l < convs.size(); l++) {
            newConvs.add(convs.get(l).withChannels(widths[l]));
        }
        List<Integer> newHidden = new ArrayList<>();
        for (int l = convs.size(); l < widths.length; l++) {
            newHidden.add(widths[l]);
        }
        return new CompressibleModel(name, channels, height, width, classes, newConvs, newHidden);
    }

    /** Layer l's name: conv1, conv2, ... then fc1, fc2, ...; the classifier is {@link #CLASSIFIER}. */
    public String layerName(int layer) {
        if (layer == unitLayers()) {
            return CLASSIFIER;
        }
        return layer < convs.size() ? "conv" + (layer + 1) : "fc" + (layer - convs.size() + 1);
    }

    /** The batch norm after conv layer l, if it has one: "bn" + its number. */
    public boolean hasBatchNorm(int layer) {
        return layer < convs.size() && convs.get(layer).batchNorm();
    }

    public String batchNormName(int layer) {
        return "bn" + (layer + 1);
    }

    /** The name of layer l's switch parameter. */
    public String gateName(int layer) {
        return "gate." + layerName(layer);
    }

    /** The nodes a compiled model needs: where the images go in and the logits come out. */
    public record Nodes(int input, int output) {
    }

    /** Adds the model to a graph, with a switch per unit when gated (all initialized to 1). */
    public Nodes build(GraphBuilder graph, boolean gated) {
        int input = graph.input(channels, height, width);
        int x = input;
        for (int l = 0; l < unitLayers(); l++) {
            if (l < convs.size()) {
                ConvStage stage = convs.get(l);
                x = graph.conv2d(layerName(l), x, stage.channels(), stage.kernel(), stage.kernel(), 1,
                        stage.padding(), 1, 1, !stage.batchNorm());
                if (stage.batchNorm()) {
                    x = graph.batchNorm(batchNormName(l), x);
                }
            } else {
                x = graph.linear(layerName(l), x, width(l));
            }
            if (gated) {
                x = graph.mul(x, graph.param(gateName(l), new long[] {width(l)}, Init.ONES, true));
            }
            x = graph.relu(x);
            if (l < convs.size() && convs.get(l).pool()) {
                x = graph.maxPool(x, 2, 2, 0);
            }
        }
        return new Nodes(input, graph.linear(CLASSIFIER, x, classes));
    }
}
