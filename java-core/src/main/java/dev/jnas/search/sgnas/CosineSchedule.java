package dev.jnas.search.sgnas;

/** PyTorch's CosineAnnealingLR with eta_min 0, stepped once per iteration: lr(t) = lr0·(1 + cos(π·t/T))/2. */
record CosineSchedule(float initial, long totalSteps) {
    float at(long step) {
        return (float) (initial * (1 + Math.cos(Math.PI * step / totalSteps)) / 2);
    }
}
