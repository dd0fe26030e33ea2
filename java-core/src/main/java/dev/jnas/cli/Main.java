package dev.jnas.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The jnas command line: {@code jnas <command> [options]}. */
@Command(name = "jnas", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Native-accelerated neural architecture search.",
        subcommands = {DevicesCommand.class, VersionCommand.class, TrainCommand.class, ScoreCommand.class,
                CorrelateCommand.class, SearchCommand.class, GenerateCommand.class, FlopsCommand.class,
                CompressCommand.class, ReportCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams and returns the exit code (for main and for tests). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(ErrorReporter::usageError)
                .setExecutionExceptionHandler(ErrorReporter::executionError);
        return commandLine.execute(args);
    }
}
