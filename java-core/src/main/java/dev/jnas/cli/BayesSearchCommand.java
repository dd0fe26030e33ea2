package dev.jnas.cli;

import dev.jnas.bindings.Engine;
import dev.jnas.data.FashionMnist;
import dev.jnas.data.LabeledImages;
import dev.jnas.report.BayesReport;
import dev.jnas.search.bayesnas.ArdUpdate;
import dev.jnas.search.bayesnas.BayesSearch;
import dev.jnas.search.bayesnas.BayesSearchSettings;
import dev.jnas.space.bayescell.BayesLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jnas search bayesnas}: BayesNAS on Fashion-MNIST with the CPU-sized supernet
 * ({@link BayesLayout#fashionMnist()}, C configurable): weights-only epoch, joint epochs with ARD updates, then the
 * entropy rule derives the cells.
 */
@Command(name = "bayesnas", mixinStandardHelpOptions = true, sortOptions = false,
        description = "BayesNAS: train a switch-gated supernet, update hierarchical ARD priors on the switches from "
                + "the loss Hessian, and prune by the entropy rule.")
final class BayesSearchCommand implements Callable<Integer> {
    static final String LOG_FILE = "search.json";

    @Spec
    CommandSpec spec;

    @Mixin
    FashionMnistOptions fashionMnist;

    @Option(names = "--train-images", defaultValue = "4000",
            description = "Training images used, the first ones: the first 10%% train the weights alone, the rest "
                    + "weights and switches (default: ${DEFAULT-VALUE}; the reference uses all of CIFAR-10's).")
    int trainImages;

    @Option(names = "--lambda", defaultValue = "" + ArdUpdate.DEFAULT_LAMBDA,
            description = "λ of both the origin and the op switches (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--lambda-origin", description = "λ_o of the origin (edge) switches (default: --lambda).")
    Double lambdaOrigin;

    @Option(names = "--lambda-op", description = "λ_c of the op switches (default: --lambda).")
    Double lambdaOp;

    @Option(names = "--iterations", defaultValue = "1",
            description = "Joint epochs, each followed by an ARD update (default: ${DEFAULT-VALUE}, as the reference; "
                    + "its fork's t_max).")
    int iterations;

    @Option(names = "--channels", description = "C of the supernet's first cells (default: the CPU layout's).")
    Integer channels;

    @Option(names = "--batch", defaultValue = "" + BayesSearchSettings.BATCH,
            description = "Mini-batch (default: ${DEFAULT-VALUE}, as the reference).")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of everything (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory to write " + LOG_FILE + " into: every "
            + "iteration's γ, ω, C, H per switch group and the genotype.")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        if (trainImages < 1) {
            throw new IllegalArgumentException("--train-images must be >= 1, got " + trainImages);
        }
        if (out != null) {
            ResultFile.requireWritable(out);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        // With --json, stdout holds only the JSON; the progress lines go to stderr.
        PrintWriter text = json ? spec.commandLine().getErr() : stdout;
        FashionMnist data = fashionMnist.open();
        LabeledImages images = data.load(trainImages, 1).train();
        BayesLayout layout = channels == null ? BayesLayout.fashionMnist()
                : BayesLayout.fashionMnist().withChannels(channels);
        ArdUpdate lambdas = new ArdUpdate(lambdaOrigin == null ? lambda : lambdaOrigin,
                lambdaOp == null ? lambda : lambdaOp);
        BayesSearchSettings settings = new BayesSearchSettings(layout, lambdas, batch, iterations, seed);
        try (Engine engine = engineOptions.open()) {
            text.printf("BayesNAS on %s (%s): %d images, C = %d, %d cells, λ_o = %s, λ_c = %s, seed %d%n",
                    data.name(), engine.deviceName(), images.count(), layout.channels(), layout.cells().size(),
                    lambdas.lambdaOrigin(), lambdas.lambdaOp(), seed);
            text.flush();
            long start = System.nanoTime();
            BayesSearch.Result result = new BayesSearch(engine, settings).run(images,
                    new StageReporter(text, ProgressBar.on(spec.commandLine().getErr())));
            double seconds = (System.nanoTime() - start) / 1e9;
            String report = BayesReport.json(settings, data.name(), images.count(), result, seconds);
            if (out != null) {
                ResultFile.write(out.resolve(LOG_FILE), report);
            }
            stdout.print(json ? report + System.lineSeparator() : BayesReport.text(result, seconds));
            stdout.flush();
        }
        return ExitCodes.OK;
    }
}
