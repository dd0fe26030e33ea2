package dev.jnas.cli;

import dev.jnas.data.DataException;
import dev.jnas.data.Nb201Table;
import dev.jnas.space.nb201.ArchitectureFormatException;
import dev.jnas.space.nb201.Nb201Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jnas score}: training-free metrics of NB201 cells, through the store, as CSV or JSON on stdout. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score NB201 cells with training-free metrics (NTK condition number, linear regions, NASWOT).")
final class ScoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    @Mixin
    ScoringOptions scoring;

    @Option(names = "--json", description = "Write a JSON array instead of CSV.")
    boolean json;

    /** Which cells: exactly one of these. */
    static final class Selection {
        @Option(names = "--arch", paramLabel = "STR", description = "An NB201 architecture string (repeatable).")
        List<String> architectures;

        @Option(names = "--archs-file", paramLabel = "F",
                description = "A file of architecture strings, one a line ('#' comments and blank lines skipped).")
        Path architecturesFile;

        @Option(names = "--all", description = "All 15,625 cells, in canonical order.")
        boolean all;

        @Option(names = "--sample", paramLabel = "N", description = "A seeded random sample of N distinct cells.")
        Integer sample;
    }

    @Override
    public Integer call() {
        List<Nb201Architecture> architectures = architectures();
        scoring.settings(); // bad options fail here, before the header is written
        Optional<Nb201Table> table = OptionalTable.load();
        ScoreTable output = ScoreTable.of(spec.commandLine().getOut(), json);
        output.begin();
        ScoringSession.run(scoring, architectures, spec.commandLine().getErr(),
                (arch, score, stored, done, total) -> output.row(table.map(t -> t.index(arch)).orElse(null),
                        arch.toString(), score));
        output.end();
        return ExitCodes.OK;
    }

    private List<Nb201Architecture> architectures() {
        if (selection.architectures != null) {
            return selection.architectures.stream().map(Nb201Architecture::parse).toList();
        }
        if (selection.architecturesFile != null) {
            return readFile(selection.architecturesFile);
        }
        if (selection.all) {
            return Nb201Architecture.all().toList();
        }
        return ArchitectureSample.draw(selection.sample, scoring.measurement.seed);
    }

    /** @throws ArchitectureFormatException naming the file and line of a bad string */
    static List<Nb201Architecture> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new DataException("architectures file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new DataException("cannot read architectures file " + file + ": " + e.getMessage(), e);
        }
        List<Nb201Architecture> architectures = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                architectures.add(Nb201Architecture.parse(line));
            } catch (ArchitectureFormatException e) {
                throw new ArchitectureFormatException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        if (architectures.isEmpty()) {
            throw new IllegalArgumentException("architectures file " + file + " holds no architecture strings");
        }
        return architectures;
    }
}
