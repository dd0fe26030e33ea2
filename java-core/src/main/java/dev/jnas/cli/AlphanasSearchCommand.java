package dev.jnas.cli;

import dev.jnas.bindings.Engine;
import dev.jnas.data.FashionMnist;
import dev.jnas.data.LabeledImages;
import dev.jnas.data.Splits;
import dev.jnas.report.AlphanasReport;
import dev.jnas.report.ParetoPlot;
import dev.jnas.search.alphanas.evolution.Aging;
import dev.jnas.search.alphanas.evolution.ChannelScalingProposer;
import dev.jnas.search.alphanas.synthesis.Alphabet;
import dev.jnas.search.alphanas.synthesis.ProgramMutator;
import dev.jnas.search.alphanas.evolution.ChildProposer;
import dev.jnas.search.alphanas.evolution.Evolution;
import dev.jnas.search.alphanas.evolution.Fitness;
import dev.jnas.search.alphanas.evolution.FitnessEvaluator;
import dev.jnas.search.alphanas.evolution.FitnessKind;
import dev.jnas.search.alphanas.evolution.Individual;
import dev.jnas.search.alphanas.evolution.ParentSelection;
import dev.jnas.search.alphanas.evolution.ParetoFront;
import dev.jnas.search.alphanas.evolution.TrainingFitness;
import dev.jnas.search.alphanas.evolution.TrainingFreeFitness;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ProgramText;
import dev.jnas.space.program.SeedModels;
import dev.jnas.space.program.TensorShape;
import dev.jnas.store.EvaluationStore;
import dev.jnas.train.OptimizerKind;
import dev.jnas.train.TrainConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jnas search alphanas}: αNAS's steady-state evolution from a seed program on Fashion-MNIST, fitness by
 * short training or training-free, every individual stored so that a rerun with the same settings resumes; the
 * Pareto fronts go to JSON and a PNG.
 */
@Command(name = "alphanas", mixinStandardHelpOptions = true, sortOptions = false,
        description = "αNAS: evolve programs from a seed model, one child per generation, parents drawn by Pareto "
                + "weights of quality against parameters and MACs.")
final class AlphanasSearchCommand implements Callable<Integer> {
    static final String RESULT_FILE = "alphanas.json";
    static final String PLOT_FILE = "front.png";
    static final String PROGRAMS_DIR = "programs";
    private static final String SYNTHESIS = "synthesis";
    private static final String CHANNEL_SCALING = "channel-scaling";

    @Spec
    CommandSpec spec;

    @Option(names = "--seed-model", required = true, paramLabel = "resnet20|cnn",
            description = "The program evolution starts from: CIFAR ResNet-20 or the small CNN.")
    String seedModel;

    @Option(names = "--generations", defaultValue = "50",
            description = "Generations, the two seed-model evaluations included (default: ${DEFAULT-VALUE}, as the "
                    + "reference).")
    int generations;

    @Option(names = "--fitness", defaultValue = "train",
            description = "train (short training, test accuracy) or training-free (κ and NASWOT ranks at "
                    + "initialization) (default: ${DEFAULT-VALUE}).")
    String fitness;

    @Option(names = "--proposer", defaultValue = SYNTHESIS, paramLabel = SYNTHESIS + "|" + CHANNEL_SCALING,
            description = "How a child is made: " + SYNTHESIS + " (αNAS: a random subgraph's properties relaxed and a "
                    + "subgraph synthesized to satisfy them) or " + CHANNEL_SCALING + " (halve or double a conv's "
                    + "channels, or delete a block: the property-free baseline) (default: ${DEFAULT-VALUE}).")
    String proposerName;

    @Option(names = "--dataset", defaultValue = FashionMnist.NAME,
            description = "Data set (default: ${DEFAULT-VALUE}; the only one so far).")
    String dataset;

    @Mixin
    FashionMnistOptions fashionMnist;

    @Option(names = "--train-images", defaultValue = "2000",
            description = "Training images, the first ones (for training-free: the probe batches' pool) (default: "
                    + "${DEFAULT-VALUE}).")
    int trainImages;

    @Option(names = "--test-images", defaultValue = "1000",
            description = "Held-out test images the accuracy is measured on, the first ones (default: "
                    + "${DEFAULT-VALUE}).")
    int testImages;

    @Option(names = "--epochs", defaultValue = "1", description = "Training epochs per program (default: "
            + "${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Training mini-batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--probe-batch", defaultValue = "" + TrainingFreeFitness.DEFAULT_BATCH,
            description = "Training-free fitness: images per probe batch (default: ${DEFAULT-VALUE}, TE-NAS's).")
    int probeBatch;

    @Option(names = "--min-accuracy", defaultValue = "0.5",
            description = "Trained programs below this test accuracy are never parents (default: ${DEFAULT-VALUE}; "
                    + "CIFAR's 0.8 would exclude the seed itself under a CPU-sized budget, while programs that "
                    + "failed to learn sit near chance, 0.1).")
    double minAccuracy;

    @Option(names = "--generations-to-live", defaultValue = "0", paramLabel = "N",
            description = "Aging: a program born more than N generations ago is no longer a parent; if none is that "
                    + "young, the N youngest are (default: ${DEFAULT-VALUE}, no aging, as the reference).")
    int generationsToLive;

    @Option(names = "--targeted", description = "Targeted evolution: half the draws weigh only the programs that "
            + "dominate the seed model (quality at least the seed's, cost at most the seed's) and as many others drawn "
            + "at random (off by default; the reference turns it on for its ImageNet models).")
    boolean targeted;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of everything (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--store", paramLabel = "FILE", description = "The SQLite store the individuals go to, so that "
            + "a rerun resumes (default: ~/.jnas/store.sqlite).")
    Path store;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory to write " + RESULT_FILE + " (every "
            + "individual and the Pareto fronts with their programs), " + PLOT_FILE + " and " + PROGRAMS_DIR
                    + "/generation-G.txt (each front member's program, for jnas train --model program) into.")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON instead of text.")
    boolean json;

    @Override
    public Integer call() {
        requireSeedModel();
        FitnessKind kind = FitnessKind.parse(fitness);
        FashionMnistOptions.requireFashionMnist(dataset);
        requirePositive(generations, "--generations");
        requirePositive(trainImages, "--train-images");
        requirePositive(testImages, "--test-images");
        ParentSelection selection = new ParentSelection(kind, minAccuracy, new Aging(generationsToLive), targeted);
        if (out != null) {
            ResultFile.requireWritable(out);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter text = json ? spec.commandLine().getErr() : stdout;
        FashionMnist data = fashionMnist.open();
        Splits splits = data.load(trainImages, testImages);
        LabeledImages train = splits.train();
        ProgramGraph seedProgram = seedModel.equals("resnet20") ? SeedModels.resnet20(train.classes())
                : SeedModels.smallCnn(train.classes());
        ChildProposer proposer = proposer(seedProgram, train);
        String run = runKey(kind);
        try (Engine engine = engineOptions.open();
             EvaluationStore evaluations = EvaluationStore.open(store == null ? EvaluationStore.DEFAULT_FILE : store)) {
            FitnessEvaluator evaluator = kind == FitnessKind.TRAIN
                    ? new TrainingFitness(engine, splits,
                            new TrainConfig(epochs, batch, OptimizerKind.ADAM, learningRate, seed))
                    : new TrainingFreeFitness(engine, train, probeBatch);
            text.printf("αNAS from %s on %s (%s): %s fitness, %d generations, store %s%n", seedModel, data.name(),
                    engine.deviceName(), kind.optionName(), generations, evaluations.file());
            text.flush();
            long start = System.nanoTime();
            List<Individual> population = new Evolution(seedProgram, proposer, evaluator, selection, seed)
                    .run(generations, evaluations.alphanasIndividuals(run),
                            new Reporter(text, ProgressBar.on(spec.commandLine().getErr())));
            double seconds = (System.nanoTime() - start) / 1e9;
            ParetoFront front = ParetoFront.of(population, kind);
            String report = AlphanasReport.json(run, kind, population, front, seconds);
            if (out != null) {
                ResultFile.write(out.resolve(RESULT_FILE), report);
                ParetoPlot.write(out.resolve(PLOT_FILE), population, front, kind);
                writePrograms(out.resolve(PROGRAMS_DIR), front);
            }
            stdout.print(json ? report + System.lineSeparator() : AlphanasReport.text(population, front, seconds));
            stdout.flush();
        }
        return ExitCodes.OK;
    }

    /** Each front member's program as text, generation-G.txt, for jnas train --model program --program FILE. */
    private static void writePrograms(Path dir, ParetoFront front) {
        Set<Individual> members = new LinkedHashSet<>(front.byParameters());
        members.addAll(front.byMacs());
        for (Individual member : members) {
            ResultFile.write(dir.resolve("generation-" + member.generation() + ".txt"),
                    ProgramText.format(member.graph()));
        }
    }

    /** Properties are inferred for a batch of 2, so that the batch dim is one a subgraph can mix (or not). */
    private ChildProposer proposer(ProgramGraph seedProgram, LabeledImages train) {
        TensorShape input = TensorShape.of(2, train.channels(), train.height(), train.width());
        return switch (proposerName) {
            case SYNTHESIS -> ProgramMutator.cifar(seedProgram.inputs().get(0), input, Alphabet.all())::mutate;
            case CHANNEL_SCALING -> new ChannelScalingProposer(input);
            default -> throw new IllegalArgumentException("unknown --proposer '" + proposerName + "'; known: "
                    + SYNTHESIS + ", " + CHANNEL_SCALING);
        };
    }

    private void requireSeedModel() {
        if (!List.of("resnet20", "cnn").contains(seedModel)) {
            throw new IllegalArgumentException("unknown --seed-model '" + seedModel + "'; known: resnet20, cnn");
        }
    }

    /** Everything the individuals depend on besides the generation count, so that a longer run extends a shorter. */
    private String runKey(FitnessKind kind) {
        String budget = kind == FitnessKind.TRAIN
                ? String.format(Locale.ROOT, "test-images=%d;epochs=%d;batch=%d;optimizer=adam;lr=%s;min-accuracy=%s",
                        testImages, epochs, batch, learningRate, minAccuracy)
                : "probe-batch=" + probeBatch;
        // The selection options appear only when on, so that runs without them keep the key they were stored under.
        String selection = (generationsToLive > 0 ? ";generations-to-live=" + generationsToLive : "")
                + (targeted ? ";targeted" : "");
        return "alphanas;seed-model=" + seedModel + ";proposer=" + proposerName + ";fitness=" + kind.optionName()
                + ";dataset=" + dataset + ";train-images=" + trainImages + ";" + budget + ";seed=" + seed + selection;
    }

    private static void requirePositive(int value, String option) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + value);
        }
    }

    /** A line per individual and a progress bar over the generations. */
    private record Reporter(PrintWriter out, ProgressBar bar) implements Evolution.Listener {
        @Override
        public void onIndividual(Individual individual, Optional<ParentSelection.Objective> objective,
                                 boolean fromLog, int generations) {
            String origin = individual.parent().isEmpty() ? "seed model"
                    : "child of " + individual.parent().getAsInt() + objective.map(o -> " (weighed by "
                    + o.name().toLowerCase(Locale.ROOT) + ")").orElse("");
            Fitness fitness = individual.fitness();
            String measured = Double.isNaN(fitness.accuracy())
                    ? String.format(Locale.ROOT, "κ %.4g, NASWOT %.4g, %.0f regions", fitness.ntkCondition(),
                            fitness.naswot(), fitness.linearRegions())
                    : String.format(Locale.ROOT, "accuracy %.4f", fitness.accuracy());
            String status = String.format(Locale.ROOT, "%s: %s, %,d parameters, %,d MACs, %.1f s%s", origin, measured,
                    fitness.parameters(), fitness.macs(), fitness.seconds(), fromLog ? " (from the store)" : "");
            out.printf("generation %d: %s%n", individual.generation(), status);
            out.flush();
            bar.update("generations", individual.generation() + 1, generations, "");
        }

        @Override
        public void onNoChild(int generation, int generations) {
            out.printf("generation %d: no child (the proposer found none the evaluator accepts)%n", generation);
            out.flush();
            bar.update("generations", generation + 1, generations, "");
        }
    }
}
