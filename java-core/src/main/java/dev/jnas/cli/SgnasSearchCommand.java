package dev.jnas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.jnas.bindings.Engine;
import dev.jnas.data.FashionMnist;
import dev.jnas.data.LabeledImages;
import dev.jnas.report.SgnasReport;
import dev.jnas.search.sgnas.GeneratorSettings;
import dev.jnas.search.sgnas.GeneratorTrainer;
import dev.jnas.search.sgnas.HardwareConstraintLoss;
import dev.jnas.search.sgnas.SgnasRun;
import dev.jnas.search.sgnas.SelectionGrid;
import dev.jnas.search.sgnas.SgnasSearch;
import dev.jnas.search.sgnas.SupernetSettings;
import dev.jnas.search.sgnas.SupernetTrainer;
import dev.jnas.search.sgnas.TargetRange;
import dev.jnas.space.mbconv.MbconvLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jnas search sgnas}: SGNAS end to end (supernet, prior pool, generator, evaluation) in a run directory. A
 * rerun with the same options resumes where the last one stopped.
 */
@Command(name = "sgnas", mixinStandardHelpOptions = true, sortOptions = false,
        description = "SGNAS: train a unified supernet, then a generator that maps FLOPs targets to architectures.")
final class SgnasSearchCommand implements Callable<Integer> {
    /** A supernet a 2-core CPU trains in minutes: a quarter of the width, one layer per stage. */
    static final double CPU_WIDTH = 0.25;
    static final int[] CPU_STAGE_LAYERS = {1, 1, 1, 1, 1, 1};

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", defaultValue = FashionMnist.NAME,
            description = "Data set (default: ${DEFAULT-VALUE}; the only one so far).")
    String dataset;

    @Mixin
    FashionMnistOptions fashionMnist;

    @Option(names = "--train-images", defaultValue = "10000",
            description = "Training images used, the first ones; 0 for all (default: ${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--held-out", defaultValue = "0.2",
            description = "Fraction of them held out for the generator and for scoring (reference: 0.2).")
    double heldOutFraction;

    @Mixin
    MbconvLayoutOptions layoutOptions;

    @Option(names = "--epochs", defaultValue = "6", description = "Supernet epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Supernet mini-batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--paths", defaultValue = "" + SupernetSettings.PATHS_PER_STEP,
            description = "Sampled paths per supernet step (default: ${DEFAULT-VALUE}).")
    int paths;

    @Option(names = "--lr", defaultValue = "" + SupernetSettings.LEARNING_RATE,
            description = "Supernet SGD learning rate, cosine schedule (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--generator-epochs", defaultValue = "50",
            description = "Generator epochs (default: ${DEFAULT-VALUE}, as the reference).")
    int generatorEpochs;

    @Option(names = "--generator-batch", defaultValue = "32",
            description = "Held-out images per generator step (default: ${DEFAULT-VALUE}).")
    int generatorBatch;

    @Option(names = "--selection-grid", defaultValue = "training",
            description = "Targets generators are compared on after each epoch: reference (range(low, high, 10 units)) "
                    + "or training (the training targets, every 5 units) (default: ${DEFAULT-VALUE}).")
    SelectionGrid selection;

    @Option(names = "--range", paramLabel = "LOW,HIGH", split = ",",
            description = "Generator FLOPs range in MFLOPs (default: 10th to 90th percentile of random "
                    + "architectures' FLOPs; the reference's CIFAR range is 80,120).")
    double[] range;

    @Option(names = "--prior-pool", defaultValue = "1",
            description = "Prior pool size (default: ${DEFAULT-VALUE}, as the reference).")
    int priorPoolSize;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of everything (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--out", defaultValue = "sgnas-run", paramLabel = "DIR",
            description = "Run directory: settings, checkpoints, supernet, generator, search.json (default: "
                    + "${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        FashionMnistOptions.requireFashionMnist(dataset);
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("--held-out must be a fraction in (0, 1), not " + heldOutFraction);
        }
        ResultFile.requireWritable(out);
        PrintWriter stdout = spec.commandLine().getOut();
        // With --json, stdout holds only the JSON; the progress lines go to stderr.
        PrintWriter text = json ? spec.commandLine().getErr() : stdout;
        FashionMnist data = fashionMnist.open();
        LabeledImages images = data.load(trainImages, 1).train();
        MbconvLayout layout = layoutOptions.layout(images.channels(), images.height(), images.classes(), CPU_WIDTH,
                CPU_STAGE_LAYERS);
        TargetRange targets = range == null ? SgnasSearch.defaultRange(layout, seed) : explicitRange();
        int heldOut = (int) Math.round(images.count() * heldOutFraction);
        SgnasRun run = new SgnasRun(out, layout, data.name(), images.count(), heldOut, targets, seed);
        SupernetSettings supernet = new SupernetSettings(epochs, batch, paths, learningRate, SupernetSettings.MOMENTUM,
                SupernetSettings.WEIGHT_DECAY, SupernetSettings.LABEL_SMOOTHING, seed, 100);
        GeneratorSettings generator = GeneratorSettings.reference(generatorEpochs, generatorBatch,
                new HardwareConstraintLoss().inUnits(targets.unit()), selection, seed);
        try (Engine engine = engineOptions.open()) {
            text.printf("SGNAS on %s (%s): %s%n", data.name(), engine.deviceName(), run.describe());
            text.printf("supernet: %s%n", layout.describe());
            text.flush();
            long start = System.nanoTime();
            SgnasSearch.Result result = new SgnasSearch(engine, run).run(supernet, generator, priorPoolSize, images,
                    new Reporter(text, ProgressBar.on(spec.commandLine().getErr())));
            double seconds = (System.nanoTime() - start) / 1e9;
            String report = SgnasReport.json(run, result, seconds);
            ResultFile.write(run.log(), report);
            stdout.print(json ? report + System.lineSeparator() : SgnasReport.text(result, seconds));
            stdout.flush();
        }
        return ExitCodes.OK;
    }

    private TargetRange explicitRange() {
        if (range.length != 2) {
            throw new IllegalArgumentException("--range takes LOW,HIGH in MFLOPs, got " + range.length + " values");
        }
        return TargetRange.scaledToWidth(range[0], range[1]);
    }

    /** Progress bars per epoch and one line per finished epoch. */
    private record Reporter(PrintWriter out, ProgressBar bar) implements SgnasSearch.Listener {
        @Override
        public void onStage(String stage) {
            out.printf("== %s%n", stage);
            out.flush();
        }

        @Override
        public void onStep(int epoch, int step, int steps, double loss) {
            bar.update("epoch " + epoch, step, steps, String.format("loss %.4f", loss));
        }

        @Override
        public void onEpoch(SupernetTrainer.Epoch epoch) {
            out.printf("supernet epoch %d: loss %.4f, path accuracy %.2f%%, %.1f s%s%n", epoch.epoch(), epoch.loss(),
                    100 * epoch.pathAccuracy(), epoch.seconds(), epoch.resumed() ? " (resumed)" : "");
            out.flush();
        }

        @Override
        public void onEpoch(GeneratorTrainer.Epoch epoch) {
            out.printf("generator epoch %d: tau %.3f, CE %.4f, constraint loss %.4f; grid: total constraint loss "
                            + "%.4f, Kendall tau %.3f%s, %.1f s%n", epoch.epoch(), epoch.temperature(),
                    epoch.crossEntropy(), epoch.constraintLoss(), epoch.evaluation().totalConstraintLoss(),
                    epoch.evaluation().kendallTau(), epoch.best() ? " (best)" : "", epoch.seconds());
            out.flush();
        }
    }
}
