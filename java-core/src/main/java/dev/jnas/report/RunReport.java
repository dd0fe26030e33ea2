package dev.jnas.report;

import dev.jnas.data.Nb201Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code jnas report}: an HTML page with PNG plots of the results a run directory holds. The kind of each
 * result is read from the files, not from their names: every top-level JSON file whose "method" names a run
 * (TE-NAS, SGNAS and its generated architectures, BayesNAS, compression, αNAS) gets a section, and so does every
 * SQLite evaluation store (a sweep of jnas score or correlate) that holds evaluations. Other files are left alone.
 */
public final class RunReport {
    public static final String DEFAULT_FILE = "report.html";

    /**
     * What was written.
     *
     * @param sections the methods shown, in page order ("sweep" for a store)
     */
    public record Written(Path page, List<String> sections, List<Path> figures) {
    }

    private RunReport() {
    }

    /**
     * @param page  the HTML file; the PNGs go next to it
     * @param table NB201's accuracies, to colour and correlate sweeps of NB201 cells
     * @throws IllegalArgumentException for a directory that does not exist or holds no run result, or a result
     *                                  file that is not what its method writes (naming file and member)
     */
    public static Written write(Path runDirectory, Path page, Optional<Nb201Table> table) {
        if (!Files.isDirectory(runDirectory)) {
            throw new IllegalArgumentException("run directory " + runDirectory + " does not exist");
        }
        ReportPage report = new ReportPage(page);
        List<String> sections = new ArrayList<>();
        for (Path file : files(runDirectory)) {
            String name = file.getFileName().toString();
            if (name.endsWith(".json")) {
                RunJson result = RunJson.read(file);
                if (section(result, report)) {
                    sections.add(result.method());
                }
            } else if (name.endsWith(".sqlite") && SweepSection.write(file, table, report)) {
                sections.add("sweep");
            }
        }
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("run directory " + runDirectory + " holds no run results: no JSON "
                    + "result of a search (--out of search tenas, sgnas, bayesnas, alphanas or compress) and no "
                    + "evaluation store (*.sqlite) with evaluations");
        }
        report.write("jnas report: " + runDirectory.toAbsolutePath().normalize().getFileName());
        return new Written(page, List.copyOf(sections), report.figures());
    }

    /** Writes the section of a result file; false for JSON that is no run result. */
    private static boolean section(RunJson result, ReportPage page) {
        switch (result.method()) {
            case TenasSection.METHOD -> TenasSection.write(result, page);
            case SgnasSection.METHOD -> SgnasSection.write(result, page);
            case SgnasSection.GENERATE_METHOD -> SgnasSection.writeGenerated(result, page);
            case BayesSection.METHOD -> BayesSection.write(result, page);
            case CompressSection.METHOD -> CompressSection.write(result, page);
            case AlphanasSection.METHOD -> AlphanasSection.write(result, page);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The directory's regular files by name, so that the page's order does not depend on the file system. */
    private static List<Path> files(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }
}
