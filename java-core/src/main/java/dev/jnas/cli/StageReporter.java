package dev.jnas.cli;

import java.io.PrintWriter;

import dev.jnas.search.StageListener;

/** A line per stage and a progress bar over each stage's steps. */
record StageReporter(PrintWriter out, ProgressBar bar) implements StageListener {
    @Override
    public void onStage(String stage) {
        out.printf("== %s%n", stage);
        out.flush();
    }

    @Override
    public void onStep(String stage, int step, int steps, double loss) {
        bar.update(stage, step, steps, String.format("loss %.4f", loss));
    }
}
