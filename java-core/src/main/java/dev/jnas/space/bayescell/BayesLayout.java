package dev.jnas.space.bayescell;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a BayesNAS network (search supernet or stand-alone): C, the sequence of cells, their topology,
 * the input images and the classes. A cell's channels are C doubled at every reduction up to and including it;
 * it outputs 4 times that. The stem gives {@value BayesLayers#STEM_MULTIPLIER}·C channels.
 *
 * @param channels C, the first cells' channels
 * @param cells    the cell types in order
 */
public record BayesLayout(int channels, List<CellType> cells, CellTopology topology, int inputChannels,
                          int imageSize, int classes) {
    /** Stages of {@link #stacked} layouts, a reduction cell between two: the reference's two reductions. */
    public static final int STAGES = 3;

    public BayesLayout {
        cells = List.copyOf(Objects.requireNonNull(cells, "cells"));
        Objects.requireNonNull(topology, "topology");
        if (channels < 1 || cells.isEmpty() || inputChannels < 1 || imageSize < 1 || classes < 2) {
            throw new IllegalArgumentException("a BayesNAS layout needs C >= 1, at least one cell, input channels "
                    + ">= 1, image size >= 1 and classes >= 2; got C = " + channels + ", " + cells.size()
                    + " cells, input " + inputChannels + "x" + imageSize + "x" + imageSize + ", " + classes
                    + " classes");
        }
    }

    /** normalPerStage normal cells, a reduction, normalPerStage normal cells, a reduction, normalPerStage more. */
    public static BayesLayout stacked(int channels, int normalPerStage, CellTopology topology, int inputChannels,
                                      int imageSize, int classes) {
        if (normalPerStage < 0) {
            throw new IllegalArgumentException("normal cells per stage must be >= 0, got " + normalPerStage);
        }
        List<CellType> cells = new ArrayList<>();
        for (int stage = 0; stage < STAGES; stage++) {
            if (stage > 0) {
                cells.add(CellType.REDUCTION);
            }
            cells.addAll(Collections.nCopies(normalPerStage, CellType.NORMAL));
        }
        return new BayesLayout(channels, cells, topology, inputChannels, imageSize, classes);
    }

    /** The reference's search network on CIFAR-10: C = 36, norm norm red norm norm red norm norm, 8-edge cells. */
    public static BayesLayout reference() {
        return stacked(36, 2, CellTopology.PUBLIC_CODE_8, 3, 32, 10);
    }

    /** A CPU-sized search network for Fashion-MNIST: C = 8, norm red norm red norm, 8-edge cells. */
    public static BayesLayout fashionMnist() {
        return stacked(8, 1, CellTopology.PUBLIC_CODE_8, 1, 28, 10);
    }

    /** The same layout with another C. */
    public BayesLayout withChannels(int other) {
        return new BayesLayout(other, cells, topology, inputChannels, imageSize, classes);
    }

    /** The same layout with other cells' topology. */
    public BayesLayout withTopology(CellTopology other) {
        return new BayesLayout(channels, cells, other, inputChannels, imageSize, classes);
    }

    /** The channels of cell index's edges and nodes (its output has {@link BayesEdge#NODES} times that). */
    public int cellChannels(int index) {
        int reductions = (int) cells.subList(0, index + 1).stream().filter(type -> type == CellType.REDUCTION).count();
        return channels << reductions;
    }

    /** "cell3": the prefix of cell index's parameters and switches. */
    public static String cellName(int index) {
        return "cell" + index;
    }
}
