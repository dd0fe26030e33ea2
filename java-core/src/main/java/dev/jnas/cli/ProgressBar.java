package dev.jnas.cli;

import java.io.Console;
import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr. On a terminal it is redrawn in place (at most every REDRAW_NANOS);
 * elsewhere (logs, pipes) only the finished bar is written, so logs get one line per epoch.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean interactive;
    private long lastDraw;

    /** A bar on err, redrawn in place when the process runs on a terminal. */
    static ProgressBar on(PrintWriter err) {
        Console console = System.console();
        return new ProgressBar(err, console != null && console.isTerminal());
    }

    ProgressBar(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    void update(String label, int done, int total, String status) {
        boolean finished = done >= total;
        long now = System.nanoTime();
        if (finished || (interactive && now - lastDraw >= REDRAW_NANOS)) {
            int filled = (int) ((long) WIDTH * done / total);
            String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
            String line = String.format("%s [%s] %d/%d %s", label, bar, done, total, status);
            err.print(interactive ? "\r" + line : line);
            if (finished) {
                err.println();
            }
            err.flush();
            lastDraw = now;
        }
    }
}
