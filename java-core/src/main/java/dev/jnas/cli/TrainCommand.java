package dev.jnas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;

import dev.jnas.bindings.Engine;
import dev.jnas.data.Dataset;
import dev.jnas.data.FashionMnist;
import dev.jnas.data.LabeledImages;
import dev.jnas.data.Splits;
import dev.jnas.models.ModelBuilder;
import dev.jnas.models.Models;
import dev.jnas.models.ParameterCount;
import dev.jnas.models.SmallCnn;
import dev.jnas.search.alphanas.evolution.ProgramModel;
import dev.jnas.space.bayescell.BayesGenotype;
import dev.jnas.space.bayescell.BayesModel;
import dev.jnas.space.bayescell.CellTopology;
import dev.jnas.space.program.ProgramText;
import dev.jnas.train.EpochStats;
import dev.jnas.train.OptimizerKind;
import dev.jnas.train.TrainConfig;
import dev.jnas.train.TrainListener;
import dev.jnas.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a fixed model on a data set and prints each epoch's loss and accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model and report per-epoch loss and accuracy.")
final class TrainCommand implements Callable<Integer> {
    private static final String PROGRAM = "program";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", defaultValue = SmallCnn.NAME,
            description = "Model to train: small-cnn, bayes (a BayesNAS genotype, see --genotype) or program (an "
                    + "αNAS program, see --program) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--program", paramLabel = "FILE", description = "For --model program: a program in jnas's text "
            + "form, e.g. one of the programs/ files that jnas search alphanas --out writes for its Pareto fronts.")
    Path program;

    @Option(names = "--genotype", paramLabel = "TEXT",
            description = "For --model bayes: 'normal = in0_0: sep5 | ... ; reduction = ...' as jnas search bayesnas "
                    + "prints it (8-edge cells).")
    String genotype;

    @Option(names = "--random-like", description = "For --model bayes: train instead a random genotype with as many "
            + "ops per cell type as --genotype and about as many parameters (see --match; drawn from --seed): the "
            + "control for a derived cell.")
    boolean randomLike;

    @Option(names = "--match", defaultValue = "0.05", description = "For --random-like: the largest relative "
            + "difference in parameters from --genotype's model (default: ${DEFAULT-VALUE}).")
    double matchTolerance;

    @Option(names = "--channels", defaultValue = "8", description = "For --model bayes: C (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--dataset", defaultValue = FashionMnist.NAME,
            description = "Data set (default: ${DEFAULT-VALUE}; the only one so far).")
    String dataset;

    @Mixin
    FashionMnistOptions fashionMnist;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--train-limit", defaultValue = "10000",
            description = "Use the first N training images; 0 for all (default: ${DEFAULT-VALUE}).")
    int trainLimit;

    @Option(names = "--test-limit", defaultValue = "0",
            description = "Evaluate on the first N test images; 0 for all (default: ${DEFAULT-VALUE}).")
    int testLimit;

    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "adam",
            description = "adam or sgd (default: ${DEFAULT-VALUE}).")
    OptimizerKind optimizer;

    @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--seed", defaultValue = "0",
            description = "Seed of the weights and the data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    EngineOptions engineOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        TrainConfig config = new TrainConfig(epochs, batch, optimizer, learningRate, seed);
        Dataset data = dataset();
        try (Engine engine = engineOptions.open()) {
            Splits splits = data.load(trainLimit, testLimit);
            LabeledImages images = splits.train();
            ToLongFunction<ModelBuilder> parameters = builder -> ParameterCount.trainable(engine, builder,
                    images.channels(), images.height(), images.width(), images.classes());
            ModelBuilder modelBuilder = switch (model) {
                case BayesModel.NAME -> bayesModel(parameters);
                case PROGRAM -> programModel(images);
                default -> Models.byName(model);
            };
            out.printf("%s on %s: %d training, %d test images; %,d parameters; %s; %s lr %s, batch %d, seed %d%n",
                    model, data.name(), splits.train().count(), splits.test().count(),
                    parameters.applyAsLong(modelBuilder), engine.deviceName(), optimizer.name().toLowerCase(),
                    learningRate, batch, seed);
            out.flush();
            new Trainer(engine, config).train(modelBuilder, splits, 
                    new Reporter(out, ProgressBar.on(spec.commandLine().getErr())));
        }
        return ExitCodes.OK;
    }

    private BayesModel bayesModel(ToLongFunction<ModelBuilder> parameters) {
        if (genotype == null) {
            throw new IllegalArgumentException("--model bayes needs --genotype");
        }
        BayesGenotype parsed = BayesGenotype.parse(genotype, CellTopology.PUBLIC_CODE_8);
        BayesGenotype trained = randomLike ? BayesModel.randomMatched(parsed,
                drawn -> parameters.applyAsLong(new BayesModel(drawn, channels)), matchTolerance,
                new SplittableRandom(seed)) : parsed;
        spec.commandLine().getOut().printf("genotype: %s%n", trained);
        return new BayesModel(trained, channels);
    }

    /** The program, refused by name where it does not fit the data set's images and classes. */
    private ProgramModel programModel(LabeledImages images) {
        if (program == null) {
            throw new IllegalArgumentException("--model program needs --program FILE");
        }
        String text;
        try {
            text = Files.readString(program);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --program " + program + ": " + e.getMessage(), e);
        }
        ProgramModel parsed;
        try {
            parsed = new ProgramModel(ProgramText.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--program " + program + ": " + e.getMessage(), e);
        }
        parsed.rejection(images.channels(), images.height(), images.width(), images.classes()).ifPresent(reason -> {
            throw new IllegalArgumentException("--program " + program + " does not fit " + images.channels() + "×"
                    + images.height() + "×" + images.width() + " images in " + images.classes() + " classes: "
                    + reason);
        });
        return parsed;
    }

    private Dataset dataset() {
        FashionMnistOptions.requireFashionMnist(dataset);
        return fashionMnist.open();
    }

    /** Draws the progress bar per step and prints one line per epoch. */
    private record Reporter(PrintWriter out, ProgressBar bar) implements TrainListener {
        @Override
        public void onStep(int epoch, int step, int steps, float loss) {
            bar.update("epoch " + epoch, step, steps, String.format("loss %.4f", loss));
        }

        @Override
        public void onEpoch(EpochStats stats) {
            out.printf("epoch %d: loss %.4f, train accuracy %.2f%%, test accuracy %.2f%%, %.1f s%n", stats.epoch(),
                    stats.trainLoss(), 100 * stats.trainAccuracy(), 100 * stats.testAccuracy(), stats.seconds());
            out.flush();
        }
    }
}
