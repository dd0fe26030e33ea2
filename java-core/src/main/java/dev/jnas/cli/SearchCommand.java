package dev.jnas.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jnas search <method>}: the architecture searches. */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Run an architecture search.",
        subcommands = {SearchCommand.Tenas.class})
final class SearchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing search method");
    }

    /** TE-NAS is planned, not written: say so instead of printing made-up results. */
    @Command(name = "tenas", mixinStandardHelpOptions = true, description = "TE-NAS (not yet implemented).")
    static final class Tenas implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getErr().println(
                    "jnas search tenas: not yet implemented (the pruning search lands with issue 4; "
                            + "`jnas score` has its metrics)");
            return ExitCodes.USAGE;
        }
    }
}
