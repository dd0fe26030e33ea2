package dev.jnas.cli;

import dev.jnas.bindings.Engine;
import dev.jnas.data.FashionMnist;
import dev.jnas.data.LabeledImages;
import dev.jnas.data.Splits;
import dev.jnas.report.CompressReport;
import dev.jnas.search.compress.CompressibleModel;
import dev.jnas.search.compress.Compression;
import dev.jnas.search.compress.CompressionSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jnas compress}: BayesNAS's structured compression of LeNet-5 or a small VGG on Fashion-MNIST: a switch per
 * filter and neuron, ARD updates from the Hessian, entropy pruning, a physically smaller network, fine-tuning.
 */
@Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false,
        description = "BayesNAS compression: one switch per conv filter and hidden neuron, ARD priors updated from the "
                + "loss Hessian, pruning by the entropy rule, then the smaller network fine-tuned.")
final class CompressCommand implements Callable<Integer> {
    static final String LOG_FILE = "compress.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "lenet5 or vgg-small.")
    String model;

    @Option(names = "--dataset", defaultValue = FashionMnist.NAME,
            description = "Data set (default: ${DEFAULT-VALUE}; the only one so far).")
    String dataset;

    @Mixin
    FashionMnistOptions fashionMnist;

    @Option(names = "--train-images", defaultValue = "0",
            description = "Use the first N training images; 0 for all (default: ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--lambda", defaultValue = "0.005",
            description = "λ of every switch (default: ${DEFAULT-VALUE}, measured on LeNet-5, see README).")
    double lambda;

    @Option(names = "--epochs", defaultValue = "1",
            description = "Epochs of the weights alone, switches at 1 (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--joint-epochs", defaultValue = "1",
            description = "Joint epochs of weights and switches per prune iteration, each followed by an ARD update "
                    + "(default: ${DEFAULT-VALUE}).")
    int jointEpochs;

    @Option(names = "--prune-iterations", defaultValue = "2",
            description = "Rounds of joint epochs then pruning (default: ${DEFAULT-VALUE}).")
    int pruneIterations;

    @Option(names = "--fine-tune-epochs", defaultValue = "3",
            description = "Epochs of the compressed network (default: ${DEFAULT-VALUE}).")
    int fineTuneEpochs;

    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001",
            description = "Adam learning rate of the weights (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--fine-tune-lr", defaultValue = "0.0003", description = "Adam learning rate of the fine-tuning "
            + "epochs, and of the baseline's last as many epochs (default: ${DEFAULT-VALUE}).")
    float fineTuneLearningRate;

    @Option(names = "--no-baseline", description = "Skip training the uncompressed model for the same total epochs.")
    boolean noBaseline;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of everything (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory to write " + LOG_FILE + " into: the "
            + "networks' sizes and accuracies, and every ARD update's s, H, C, ω, γ per switch.")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        if (trainImages < 0) {
            throw new IllegalArgumentException("--train-images must be >= 0, got " + trainImages);
        }
        FashionMnistOptions.requireFashionMnist(dataset);
        CompressionSettings settings = new CompressionSettings(lambda, epochs, jointEpochs, pruneIterations,
                fineTuneEpochs, batch, learningRate, fineTuneLearningRate, !noBaseline, seed);
        if (out != null) {
            ResultFile.requireWritable(out);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        // With --json, stdout holds only the JSON; the progress lines go to stderr.
        PrintWriter text = json ? spec.commandLine().getErr() : stdout;
        FashionMnist data = fashionMnist.open();
        Splits splits = data.load(trainImages, 0);
        LabeledImages train = splits.train();
        CompressibleModel network = CompressibleModel.byName(model, train.channels(), train.height(), train.width(),
                train.classes());
        try (Engine engine = engineOptions.open()) {
            text.printf("compressing %s on %s (%s): %d training, %d test images, λ = %s, epochs %d + %d×%d + %d, "
                            + "seed %d%n", network.name(), data.name(), engine.deviceName(), train.count(),
                    splits.test().count(), lambda, epochs, jointEpochs, pruneIterations, fineTuneEpochs, seed);
            text.flush();
            long start = System.nanoTime();
            Compression.Result result = new Compression(engine, settings).run(network, splits,
                    new StageReporter(text, ProgressBar.on(spec.commandLine().getErr())));
            double seconds = (System.nanoTime() - start) / 1e9;
            String report = CompressReport.json(settings, network.name(), data.name(), train.count(), result, seconds);
            if (out != null) {
                ResultFile.write(out.resolve(LOG_FILE), report);
            }
            stdout.print(json ? report + System.lineSeparator() : CompressReport.text(result, seconds));
            stdout.flush();
        }
        return ExitCodes.OK;
    }
}
