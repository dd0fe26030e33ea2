package dev.jnas.cli;

import dev.jnas.data.Nb201Table;
import dev.jnas.report.RunReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jnas report RUN_DIR}: an HTML page with PNG plots of the results in a run directory. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write an HTML page with PNG plots of a run directory's results (TE-NAS, SGNAS, BayesNAS, "
                + "compress, alphaNAS --out directories, and evaluation stores of score sweeps).")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "The directory a search wrote with --out, or one holding an "
            + "evaluation store (*.sqlite).")
    Path runDirectory;

    @Option(names = "--nb201-table", paramLabel = "CSV", description = "NB201's accuracy table: colours a sweep's "
            + "cells by CIFAR-10 accuracy and adds each metric's Kendall tau-b (default: none).")
    Path nb201Table;

    @Option(names = "--out", paramLabel = "FILE.html", description = "The page; its PNGs go next to it (default: "
            + "RUN_DIR/" + RunReport.DEFAULT_FILE + ").")
    Path out;

    @Override
    public Integer call() {
        Optional<Nb201Table> table = Optional.ofNullable(nb201Table).map(Nb201Table::read);
        RunReport.Written written = RunReport.write(runDirectory,
                out != null ? out : runDirectory.resolve(RunReport.DEFAULT_FILE), table);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("wrote %s: %s, %d plots%n", written.page(), String.join(", ", written.sections()),
                written.figures().size());
        stdout.flush();
        return ExitCodes.OK;
    }
}
