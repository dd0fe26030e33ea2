package dev.jnas.search.tenas;

/** The two networks TE-NAS measures a supernet with. */
public enum SupernetKind {
    /** The NTK condition-number network, fed normalized 3×32×32 images. */
    KAPPA(3, 32),
    /** The thin linear-region network, fed single-channel 3×3 patches, without a stem. */
    REGIONS(1, 3);

    private final int channels;
    private final int size;

    SupernetKind(int channels, int size) {
        this.channels = channels;
        this.size = size;
    }

    /** Input channels per sample. */
    public int channels() {
        return channels;
    }

    /** Input height and width. */
    public int size() {
        return size;
    }
}
