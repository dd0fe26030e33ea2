package dev.jnas.bindings;

/** One CUDA device as the driver reports it. */
public record GpuInfo(int ordinal, String name, int computeMajor, int computeMinor, long totalMemoryBytes) {
    /** e.g. "sm_90". */
    public String computeCapability() {
        return "sm_" + computeMajor + computeMinor;
    }
}
