package dev.jnas.cli;

import dev.jnas.bindings.JnasException;
import dev.jnas.bindings.LibraryNotFoundException;
import dev.jnas.data.DataException;
import dev.jnas.store.StoreException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures a user can fix (bad options, missing data, no GPU, no libjnas, an unusable store) into one
 * line on stderr and a non-zero exit code. Anything else is a bug and keeps its stack trace.
 */
final class ErrorReporter {
    private ErrorReporter() {
    }

    static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        command.getErr().println("jnas: " + e.getMessage() + " (see '" + command.getCommandSpec().qualifiedName()
                + " --help')");
        return ExitCodes.USAGE;
    }

    static int executionError(Exception e, CommandLine command, ParseResult parseResult) throws Exception {
        if (e instanceof IllegalArgumentException) {
            command.getErr().println("jnas: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (e instanceof JnasException || e instanceof LibraryNotFoundException || e instanceof DataException
                || e instanceof StoreException || e instanceof UncheckedIOException) {
            command.getErr().println("jnas: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        throw e;
    }
}
