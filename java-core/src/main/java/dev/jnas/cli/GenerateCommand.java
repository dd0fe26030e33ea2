package dev.jnas.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jnas generate <method>}: architectures from a trained generator. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate architectures for hardware targets with a trained generator.",
        subcommands = {SgnasGenerateCommand.class})
final class GenerateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing method (sgnas)");
    }
}
