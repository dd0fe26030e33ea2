package dev.jnas.bindings;

/** How batch-norm statistics enter the per-sample gradients of {@link Net#ntk} ({@code jnas_bn_coupling}). */
public enum BnCoupling {
    /**
     * Statistics differentiated: each sample's gradient flows through the whole batch, as in the TE-NAS paper
     * and code; costs B full-batch backward passes.
     */
    EXACT(0),
    /** Statistics used in the forward but constants in the backward: samples independent, one backward pass. */
    FROZEN(1);

    private final int code;

    BnCoupling(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
