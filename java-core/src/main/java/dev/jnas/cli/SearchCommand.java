package dev.jnas.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jnas search <method>}: the architecture searches. */
@Command(name = "search", mixinStandardHelpOptions = true, description = "Run an architecture search.",
        subcommands = {TenasSearchCommand.class, SgnasSearchCommand.class, BayesSearchCommand.class,
                AlphanasSearchCommand.class})
final class SearchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing search method");
    }
}
