package dev.jnas.cli;

import java.util.Arrays;

import dev.jnas.space.mbconv.MbconvLayout;
import picocli.CommandLine.Option;

/** The SGNAS supernet's macro layout: variant, width multiplier and layers per stage. */
final class MbconvLayoutOptions {
    @Option(names = "--layout", defaultValue = "cifar",
            description = "cifar (stride-1 stem and first stage) or imagenet (default: ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--width", paramLabel = "W",
            description = "Width multiplier of every channel count (default: ${COMMAND-NAME}'s, see its help).")
    Double width;

    @Option(names = "--stage-layers", paramLabel = "N,N,N,N,N,N", split = ",",
            description = "Searchable layers in each of the 6 stages (reference: 2,4,4,4,4,1).")
    int[] stageLayers;

    /** The layout for inputs of channels × size × size and classes, with the command's defaults where unset. */
    MbconvLayout layout(int channels, int size, int classes, double defaultWidth, int[] defaultStageLayers) {
        return MbconvLayout.of(variant, channels, size, classes, width != null ? width : defaultWidth,
                stageLayers != null ? stageLayers : defaultStageLayers.clone());
    }

    static String describe(int[] stageLayers) {
        return Arrays.toString(stageLayers).replaceAll("[\\[\\] ]", "");
    }
}
