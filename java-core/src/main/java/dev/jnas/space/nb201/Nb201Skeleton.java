package dev.jnas.space.nb201;

/**
 * The macro skeleton around NB201 cells: an optional stem (conv 3x3 + BN to {@code channels}), then
 * {@code stages} stages of {@code cellsPerStage} cells each, a ResNet basic block halving the resolution and
 * doubling the channels before every stage but the first, then the head (BN, ReLU, global pool, linear).
 */
public record Nb201Skeleton(int channels, int cellsPerStage, int stages, boolean stem) {
    /** TE-NAS's network for the NTK condition number: C=3, N=1, stem, all 3 stages (5 layers). */
    public static final Nb201Skeleton NTK = new Nb201Skeleton(3, 1, 3, true);
    /** TE-NAS's thin network for linear regions: C=1, one cell, no stem, fed the raw 1-channel input. */
    public static final Nb201Skeleton LINEAR_REGIONS = new Nb201Skeleton(1, 1, 1, false);

    public Nb201Skeleton {
        if (channels < 1 || cellsPerStage < 1 || stages < 1) {
            throw new IllegalArgumentException("an NB201 skeleton needs channels, cells per stage and stages >= 1,"
                    + " got C=" + channels + ", N=" + cellsPerStage + ", stages=" + stages);
        }
    }

    /** Channels of the cells in stage (from 0): C, 2C, 4C, ... */
    public int stageChannels(int stage) {
        return channels << stage;
    }
}
