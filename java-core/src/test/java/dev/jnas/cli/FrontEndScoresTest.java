package dev.jnas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Nb201ScoreOptions;
import dev.jnas.bindings.Nb201Scores;
import dev.jnas.metrics.GaussianProbeData;
import dev.jnas.metrics.InitScheme;
import dev.jnas.metrics.MetricFlags;
import dev.jnas.metrics.MetricKind;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.Score;
import dev.jnas.metrics.TrainingFreeScorer;
import dev.jnas.space.nb201.Nb201Architecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The front ends' numbers are the CLI's: {@code jnas score} and the library's own jnas_nb201_score (through
 * {@link Engine#nb201Score}) give exactly the rows of examples/expected-scores.csv, which the C and Python clients
 * must print too (ctest example_c_score and example_python_score), and jnas_nb201_score equals java-core's scorer
 * bit for bit on the default settings and with the paper's init. Exact equality: both sides run the same kernels on
 * the same floats (the library redraws java.util.Random's Gaussians; see native/src/java_random.hpp for the one
 * way a float could differ, which these seeds do not hit).
 */
class FrontEndScoresTest {
    private static final String ALL_SKIP_BUT_CONVS = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|"
            + "+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|";
    private static final String INDEX_1 = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|"
            + "+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";

    @TempDir
    Path dir;

    /** examples/expected-scores.csv: the options line and the rows (arch, ntk_cond, linear_regions, naswot, flags). */
    record ExpectedScores(List<String> options, List<String[]> rows) {
        static ExpectedScores read() throws IOException {
            List<String> options = null;
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(locate())) {
                if (line.startsWith("# options: ")) {
                    options = List.of(line.substring("# options: ".length()).strip().split(" +"));
                } else if (!line.startsWith("#") && !line.startsWith("arch,")) {
                    rows.add(line.split(",", -1));
                }
            }
            assertTrue(options != null && !rows.isEmpty(), "expected-scores.csv has no options line or no rows");
            return new ExpectedScores(options, rows);
        }

        /** From the working directory (a module's) or one of its parents. */
        private static Path locate() {
            for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
                Path file = d.resolve("examples").resolve("expected-scores.csv");
                if (Files.isRegularFile(file)) {
                    return file;
                }
            }
            throw new IllegalStateException("no examples/expected-scores.csv above " + Path.of("").toAbsolutePath());
        }

        String option(String name) {
            int at = options.indexOf(name);
            assertTrue(at >= 0 && at + 1 < options.size(), "no " + name + " in the options line " + options);
            return options.get(at + 1);
        }

        Nb201ScoreOptions nativeOptions() {
            Init init = InitScheme.parse(options.contains("--init") ? option("--init") : "pytorch-default").init();
            return new Nb201ScoreOptions(Long.parseLong(option("--seed")), Nb201ScoreOptions.DEFAULTS.metrics(),
                    Integer.parseInt(option("--batch")), Integer.parseInt(option("--repeat")), init,
                    BnCoupling.valueOf(option("--bn-coupling").toUpperCase(Locale.ROOT)));
        }
    }

    /** Equal as doubles, NaN equal to NaN: the file writes %.17g, which reads back as the same double. */
    private static void assertSameNumber(String expected, double actual, String what) {
        assertEquals(0, Double.compare(Double.parseDouble(expected), actual), what + ": expected " + expected
                + ", got " + actual);
    }

    @Test
    void theCliPrintsTheExpectedScores() throws IOException {
        ExpectedScores expected = ExpectedScores.read();
        List<String> args = new ArrayList<>(List.of("score", "--dataset", "synthetic", "--store",
                dir.resolve("store.sqlite").toString()));
        args.addAll(expected.options());
        for (String[] row : expected.rows()) {
            args.add("--arch");
            args.add(row[0]);
        }
        ScoreCommandTest.Run run = ScoreCommandTest.run(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().skip(1).toList();
        assertEquals(expected.rows().size(), lines.size(), run.out());
        for (int i = 0; i < lines.size(); i++) {
            String[] want = expected.rows().get(i);
            String[] got = lines.get(i).split(",", -1);  // index, arch, ntk_cond, linear_regions, naswot, flags, s
            assertEquals(want[0], got[1]);
            for (int column = 1; column <= 3; column++) {
                assertSameNumber(want[column], Double.parseDouble(got[column + 1]), want[0] + " column " + column);
            }
            assertEquals(want[4], got[5], want[0] + " flags");
        }
    }

    @Test
    void theLibraryCallGivesTheExpectedScores() throws IOException {
        ExpectedScores expected = ExpectedScores.read();
        try (Engine engine = Engine.open(Backend.CPU)) {
            for (String[] row : expected.rows()) {
                Nb201Scores scores = engine.nb201Score(row[0], expected.nativeOptions());
                assertSameNumber(row[1], scores.kappa(), row[0] + " kappa");
                assertSameNumber(row[2], scores.linearRegions(), row[0] + " linear regions");
                assertSameNumber(row[3], scores.naswot(), row[0] + " naswot");
                assertEquals(row[4], MetricFlags.format(scores.flags()), row[0] + " flags");
            }
        }
    }

    @Test
    void theLibraryCallEqualsTheJavaScorerOnTheDefaultsAndThePapersInit() {
        try (Engine engine = Engine.open(Backend.CPU)) {
            assertAgree(engine, ALL_SKIP_BUT_CONVS, Nb201ScoreOptions.DEFAULTS.withSeed(5),
                    new MetricSettings(EnumSet.allOf(MetricKind.class), MetricSettings.DEFAULT_BATCH,
                            MetricSettings.DEFAULT_REPEATS, InitScheme.PYTORCH_DEFAULT, BnCoupling.FROZEN,
                            GaussianProbeData.KEY));
            assertAgree(engine, INDEX_1, new Nb201ScoreOptions(-3, Nb201ScoreOptions.DEFAULTS.metrics(), 8, 1,
                            Init.KAIMING_NORMAL_FAN_IN, BnCoupling.EXACT),
                    new MetricSettings(EnumSet.allOf(MetricKind.class), 8, 1, InitScheme.KAIMING_NORMAL,
                            BnCoupling.EXACT, GaussianProbeData.KEY));
        }
    }

    private static void assertAgree(Engine engine, String architecture, Nb201ScoreOptions options,
                                     MetricSettings settings) {
        Score java = new TrainingFreeScorer(engine, settings, new GaussianProbeData())
                .score(Nb201Architecture.parse(architecture), options.seed());
        Nb201Scores scores = engine.nb201Score(architecture, options);
        String what = architecture + " " + options;
        assertEquals(java.value(MetricKind.NTK).orElseThrow(), scores.kappa(), 0.0, what);
        assertEquals(java.value(MetricKind.LINEAR_REGIONS).orElseThrow(), scores.linearRegions(), 0.0, what);
        assertEquals(java.value(MetricKind.NASWOT).orElseThrow(), scores.naswot(), 0.0, what);
        assertEquals(java.flags(), scores.flags(), what);
        assertTrue(scores.lambdaMin() > 0 && scores.lambdaMax() > scores.lambdaMin(), what);
        if (options.repeats() == 1) {
            assertEquals(scores.lambdaMax() / scores.lambdaMin(), scores.kappa(), 0.0, what);
        }
    }
}
