package dev.jnas.bindings;

/**
 * Per-sample multiply-accumulates of a network ({@code jnas_graph_macs}): of its convolutions, and of its linear
 * layers, kept apart because FLOPs tables in the NAS literature usually count convolutions only.
 */
public record GraphMacs(long conv, long linear) {
    public long total() {
        return conv + linear;
    }
}
