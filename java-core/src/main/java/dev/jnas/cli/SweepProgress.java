package dev.jnas.cli;

import dev.jnas.metrics.Score;
import dev.jnas.space.nb201.Nb201Architecture;
import dev.jnas.store.ResumableSweep;
import java.util.Locale;

/**
 * The progress bar of a sweep, with how many cells came from the store, the rate of the computed ones and
 * the time left at that rate.
 */
final class SweepProgress implements ResumableSweep.Listener {
    private final ProgressBar bar;
    private final long start = System.nanoTime();
    private int computed;
    private int fromStore;

    SweepProgress(ProgressBar bar) {
        this.bar = bar;
    }

    @Override
    public void onScore(Nb201Architecture architecture, Score score, boolean stored, int done, int total) {
        if (stored) {
            fromStore++;
        } else {
            computed++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = computed / Math.max(seconds, 1e-9);
        String eta = computed == 0 ? "?" : duration((total - done) / rate);
        bar.update("scoring", done, total,
                String.format(Locale.ROOT, "%d stored, %.2f cells/s, ETA %s", fromStore, rate, eta));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
