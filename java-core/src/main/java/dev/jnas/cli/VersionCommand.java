package dev.jnas.cli;

import java.util.concurrent.Callable;

import dev.jnas.bindings.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the versions of the loaded libjnas and of the Java runtime. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print the libjnas and Java versions.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : lines()) {
            spec.commandLine().getOut().println(line);
        }
        return ExitCodes.OK;
    }

    static String[] lines() {
        return new String[] {
            "libjnas " + Engine.version() + " (CUDA backend " + (Engine.cudaCompiled() ? "built" : "not built") + ")",
            "java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }

    /** Serves {@code jnas --version} with the same lines. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return lines();
        }
    }
}
