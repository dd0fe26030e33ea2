package dev.jnas.cli;

/** The exit codes of the jnas command line. */
final class ExitCodes {
    static final int OK = 0;
    /** The command was fine but failed: missing data, no GPU, a libjnas error. */
    static final int FAILED = 1;
    /** Bad options or arguments, or a command that does not exist yet. */
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
