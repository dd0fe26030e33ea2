package dev.jnas.space.mbconv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The macro layout of SGNAS's supernet, optionally narrowed and shortened: a stem conv 3x3 to 32 channels, a
 * fixed MBConv of expansion 1 to 16 channels, six stages of searchable MBConv layers (2, 4, 4, 4, 4, 1 layers
 * of 32, 40, 80, 96, 192, 320 channels, the first layer of a stage carrying its stride), and a head conv 1x1
 * to 1280 channels before pooling and the classifier. Every channel count c becomes max(1, round(c · width)).
 *
 * <p>Spatial sizes follow the convolution arithmetic of a kernel k, padding k/2 and stride 2: ceil(size / 2).
 */
public final class MbconvLayout {
    /** Sub-blocks per searchable layer: each holds the layer's input width, so the maximum expansion is 6. */
    public static final int SUB_BLOCKS = 6;
    /** Choices per sub-block ({@link SubBlockChoice}). */
    public static final int CHOICES = SubBlockChoice.values().length;
    /** Architecture encoding columns per layer: sub-block b's choice c at b · CHOICES + c. */
    public static final int COLUMNS = SUB_BLOCKS * CHOICES;
    /** The smallest expansion supernet training samples (the reference's min_expansion). */
    public static final int MIN_SAMPLED_EXPANSION = 2;
    /** Searchable stages. */
    public static final int STAGES = 6;

    private static final int STEM_CHANNELS = 32;
    private static final int FIRST_CHANNELS = 16;
    private static final int HEAD_CHANNELS = 1280;
    private static final int[] STAGE_CHANNELS = {32, 40, 80, 96, 192, 320};
    /** The strides of stages 1..5; stage 0's is the variant's. */
    private static final int[] LATER_STAGE_STRIDES = {2, 2, 1, 2, 1};
    private static final int[] DEFAULT_STAGE_LAYERS = {2, 4, 4, 4, 4, 1};

    /** Where the resolution is first halved: ImageNet in the stem and stage 0, CIFAR-sized images not there. */
    private enum Variant {
        CIFAR("cifar", 1),
        IMAGENET("imagenet", 2);

        final String label;
        /** The stride of the stem and of stage 0's first layer. */
        final int earlyStride;

        Variant(String label, int earlyStride) {
            this.label = label;
            this.earlyStride = earlyStride;
        }
    }

    private final Variant variant;
    private final int inputChannels;
    private final int imageSize;
    private final int classes;
    private final double width;
    private final int[] stageLayers;
    private final int stemChannels;
    private final int firstOutChannels;
    private final int headChannels;
    private final List<LayerSpec> layers;

    private MbconvLayout(Variant variant, int inputChannels, int imageSize, int classes, double width,
                         int[] stageLayers) {
        requireAtLeast(inputChannels, 1, "input channels");
        requireAtLeast(imageSize, 1, "image size");
        requireAtLeast(classes, 2, "classes");
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("the width multiplier must be finite and > 0, got " + width);
        }
        if (stageLayers == null || stageLayers.length != STAGES) {
            throw new IllegalArgumentException("stage layers must give " + STAGES + " counts, got "
                    + Arrays.toString(stageLayers));
        }
        for (int stage = 0; stage < STAGES; stage++) {
            if (stageLayers[stage] < 1) {
                throw new IllegalArgumentException("stage " + stage + " needs at least 1 layer, got "
                        + stageLayers[stage] + " in " + Arrays.toString(stageLayers));
            }
        }
        this.variant = variant;
        this.inputChannels = inputChannels;
        this.imageSize = imageSize;
        this.classes = classes;
        this.width = width;
        this.stageLayers = stageLayers.clone();
        this.stemChannels = scale(STEM_CHANNELS);
        this.firstOutChannels = scale(FIRST_CHANNELS);
        this.headChannels = scale(HEAD_CHANNELS);
        this.layers = buildLayers();
    }

    /** The reference's CIFAR layout (stride-1 stem and stage 0) at full width and depth. */
    public static MbconvLayout cifar(int inputChannels, int imageSize, int classes) {
        return new MbconvLayout(Variant.CIFAR, inputChannels, imageSize, classes, 1.0, DEFAULT_STAGE_LAYERS);
    }

    /** The reference's ImageNet layout (stride-2 stem and stage 0) at full width and depth. */
    public static MbconvLayout imageNet(int inputChannels, int imageSize, int classes) {
        return new MbconvLayout(Variant.IMAGENET, inputChannels, imageSize, classes, 1.0, DEFAULT_STAGE_LAYERS);
    }

    /**
     * A layout by its variant's name ("cifar" or "imagenet"), at a width and depth relative to the reference's.
     */
    public static MbconvLayout of(String variant, int inputChannels, int imageSize, int classes, double width,
                                  int[] stageLayers) {
        for (Variant v : Variant.values()) {
            if (v.label.equals(variant)) {
                return new MbconvLayout(v, inputChannels, imageSize, classes, width, stageLayers);
            }
        }
        throw new IllegalArgumentException("unknown layout '" + variant + "'; known: cifar, imagenet");
    }

    /**
     * Everything that defines this layout in one line, e.g. "cifar 1x28x28 10 0.25 1,1,2,2,2,1" (variant, input,
     * classes, width, stage layers), which {@link #parseSpec} reads back: how a search run records its supernet.
     */
    public String spec() {
        return variant.label + " " + inputChannels + "x" + imageSize + "x" + imageSize + " " + classes + " " + width
                + " " + Arrays.stream(stageLayers).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** The layout of a {@link #spec()} line. */
    public static MbconvLayout parseSpec(String spec) {
        String[] parts = spec.trim().split(" ");
        String[] input = parts.length == 5 ? parts[1].split("x") : new String[0];
        if (input.length != 3 || !input[1].equals(input[2])) {
            throw new IllegalArgumentException("bad layout spec '" + spec + "'; expected e.g. "
                    + "'cifar 1x28x28 10 0.25 1,1,2,2,2,1' (variant, CxHxW with H = W, classes, width, stage layers)");
        }
        try {
            int[] stages = Arrays.stream(parts[4].split(",")).mapToInt(Integer::parseInt).toArray();
            return of(parts[0], Integer.parseInt(input[0]), Integer.parseInt(input[1]), Integer.parseInt(parts[2]),
                    Double.parseDouble(parts[3]), stages);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in layout spec '" + spec + "': " + e.getMessage(), e);
        }
    }

    /**
     * The same layout at another width and depth, both relative to the reference's (not to this layout's).
     *
     * @param widthMultiplier > 0; every channel count c becomes max(1, round(c · widthMultiplier))
     * @param stageLayers     the number of layers of each of the {@value #STAGES} stages, each >= 1
     */
    public MbconvLayout scaled(double widthMultiplier, int[] stageLayers) {
        return new MbconvLayout(variant, inputChannels, imageSize, classes, widthMultiplier, stageLayers);
    }

    private List<LayerSpec> buildLayers() {
        List<LayerSpec> specs = new ArrayList<>();
        int channels = firstOutChannels;
        int size = stemSize();
        for (int stage = 0; stage < STAGES; stage++) {
            int out = scale(STAGE_CHANNELS[stage]);
            for (int i = 0; i < stageLayers[stage]; i++) {
                int stride = i > 0 ? 1 : stage == 0 ? variant.earlyStride : LATER_STAGE_STRIDES[stage - 1];
                int outSize = strided(size, stride);
                specs.add(new LayerSpec(specs.size(), channels, out, stride, size, outSize));
                channels = out;
                size = outSize;
            }
        }
        return List.copyOf(specs);
    }

    private int scale(int channels) {
        return (int) Math.max(1, Math.round(channels * width));
    }

    /** The output size of a conv of kernel k, padding k/2 and the given stride on a size-wide input. */
    private static int strided(int size, int stride) {
        return (size + stride - 1) / stride;
    }

    private static void requireAtLeast(int value, int min, String what) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", got " + value);
        }
    }

    public List<LayerSpec> layers() {
        return layers;
    }

    public int layerCount() {
        return layers.size();
    }

    public int stemChannels() {
        return stemChannels;
    }

    /** The stem's stride: 1 on CIFAR, 2 on ImageNet. */
    public int stemStride() {
        return variant.earlyStride;
    }

    /** The spatial size after the stem, at which the fixed first MBConv runs too. */
    public int stemSize() {
        return strided(imageSize, variant.earlyStride);
    }

    /** The output channels of the fixed first MBConv, the input of layer 0. */
    public int firstOutChannels() {
        return firstOutChannels;
    }

    public int headChannels() {
        return headChannels;
    }

    /** The spatial size the head conv runs at: the last layer's output size. */
    public int headSize() {
        return layers.getLast().outputSize();
    }

    public int classes() {
        return classes;
    }

    public int inputChannels() {
        return inputChannels;
    }

    public int imageSize() {
        return imageSize;
    }

    /** One line for logs, e.g. "cifar 1x28x28 -> 10 classes, width 0.25, 6 layers (stages 1,1,1,1,1,1) ...". */
    public String describe() {
        String stages = Arrays.stream(stageLayers).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String stageChannels = Arrays.stream(STAGE_CHANNELS).map(this::scale).mapToObj(Integer::toString)
                .collect(Collectors.joining("/"));
        return variant.label + " " + inputChannels + "x" + imageSize + "x" + imageSize + " -> " + classes
                + " classes, width " + width + ", " + layerCount() + " layers (stages " + stages + "), channels stem "
                + stemChannels + ", first " + firstOutChannels + ", stages " + stageChannels + ", head " + headChannels;
    }
}
