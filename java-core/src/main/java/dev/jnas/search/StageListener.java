package dev.jnas.search;

/** What a staged run (a BayesNAS search, a compression) reports while it runs: each stage, and its steps' losses. */
public interface StageListener {
    /** A listener that reports nothing. */
    StageListener QUIET = new StageListener() {
        @Override
        public void onStage(String stage) {
        }

        @Override
        public void onStep(String stage, int step, int steps, double loss) {
        }
    };

    void onStage(String stage);

    void onStep(String stage, int step, int steps, double loss);
}
