package dev.jnas.search.sgnas;

import dev.jnas.space.mbconv.MbconvArchitecture;

/**
 * What the generator made for one target, and how it fares: its FLOPs by the table and by the engine's exact
 * count over the stand-alone network, and the supernet's held-out accuracy of its path next to that of random
 * architectures of about the same FLOPs (NaN where not measured).
 */
public record GeneratedArchitecture(double target, MbconvArchitecture architecture, double tableFlops,
                                    double exactFlops, double accuracy, double randomAccuracy, int randomCount) {
    /** (table FLOPs − target) / target. */
    public double relativeError() {
        return (tableFlops - target) / target;
    }
}
