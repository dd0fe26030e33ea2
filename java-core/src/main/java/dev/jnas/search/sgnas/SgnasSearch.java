package dev.jnas.search.sgnas;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import dev.jnas.bindings.Engine;
import dev.jnas.data.LabeledImages;
import dev.jnas.metrics.SeedStreams;
import dev.jnas.space.mbconv.FlopsTable;
import dev.jnas.space.mbconv.MbconvArchitecture;
import dev.jnas.space.mbconv.MbconvLayout;
import dev.jnas.space.mbconv.MbconvModel;
import dev.jnas.space.mbconv.PathSampler;

/**
 * SGNAS end to end on one run directory: train the supernet, draw the prior pool, train the generator, then
 * generate for the evaluation grid and score what came out. Each stage's result is kept in the directory and a
 * rerun skips finished stages and resumes unfinished ones from their checkpoints.
 */
public final class SgnasSearch {
    /** Random architectures per generated one for the accuracy baseline, and how close their FLOPs must be. */
    public static final int BASELINE_ARCHITECTURES = 3;
    public static final double BASELINE_FLOPS_TOLERANCE = 0.05;
    /** The default target range covers the middle of random architectures' FLOPs: these percentiles. */
    private static final double RANGE_LOW_PERCENTILE = 0.1;
    private static final double RANGE_HIGH_PERCENTILE = 0.9;
    private static final int RANGE_SAMPLES = 2000;

    /** Progress of both training stages. */
    public interface Listener extends SupernetTrainer.Listener, GeneratorTrainer.Listener {
        void onStage(String stage);
    }

    /** The result: the chosen generator's architectures for the training targets, their Kendall τ and loss. */
    public record Result(List<GeneratedArchitecture> architectures, double kendallTau, double totalConstraintLoss) {
    }

    private final Engine engine;
    private final SgnasRun run;

    public SgnasSearch(Engine engine, SgnasRun run) {
        this.engine = engine;
        this.run = run;
    }

    /**
     * The default FLOPs range of a layout: the 10th to 90th percentile of the FLOPs of random architectures
     * (expansion uniform in 2..6, kernels uniform, as the prior pool draws them), to 3 significant digits, with
     * the unit that scales the reference's steps and loss to it ({@link TargetRange#scaledToWidth}).
     */
    public static TargetRange defaultRange(MbconvLayout layout, long seed) {
        FlopsTable table = new FlopsTable(layout);
        SplittableRandom random = new SplittableRandom(SeedStreams.derive(seed, 1, SeedStreams.Stream.PRIOR_POOL));
        double[] flops = new double[RANGE_SAMPLES];
        for (int i = 0; i < flops.length; i++) {
            flops[i] = table.flops(PathSampler.random(layout, random));
        }
        Arrays.sort(flops);
        double low = threeDigits(flops[(int) (RANGE_LOW_PERCENTILE * (flops.length - 1))]);
        double high = threeDigits(flops[(int) (RANGE_HIGH_PERCENTILE * (flops.length - 1))]);
        return TargetRange.scaledToWidth(low, high);
    }

    private static double threeDigits(double value) {
        return new BigDecimal(value).round(new MathContext(3)).doubleValue();
    }

    /** Runs (or resumes) every stage and returns the final evaluation. */
    public Result run(SupernetSettings supernetSettings, GeneratorSettings generatorSettings, int priorPoolSize,
                      LabeledImages trainImages, Listener listener) {
        run.createOrCheck();
        int supernetImages = trainImages.count() - run.heldOut();
        LabeledImages supernetData = trainImages.range(0, supernetImages);
        LabeledImages heldOut = trainImages.range(supernetImages, trainImages.count());
        MbconvLayout layout = run.layout();
        FlopsTable table = new FlopsTable(layout);
        try (SupernetNet supernet = SupernetNet.compile(engine, layout, run.seed())) {
            if (Files.exists(run.supernetParameters())) {
                ParameterFile.load(supernet.net(), run.supernetParameters());
            } else {
                listener.onStage("supernet");
                new SupernetTrainer(engine, supernetSettings).train(supernet, supernetData, run.checkpoints(),
                        listener);
                ParameterFile.save(supernet.net(), run.supernetParameters());
            }
            PriorPool pool = priorPool(table, priorPoolSize);
            try (ArchitectureGenerator generator = ArchitectureGenerator.create(engine, layout.layerCount(),
                    run.seed())) {
                listener.onStage("generator");
                new GeneratorTrainer(engine, generatorSettings).train(generator, supernet, table, pool, run.range(),
                        heldOut, run.checkpoints(), run.bestGenerator(), listener);
                ParameterFile.load(generator.net(), run.bestGenerator());
                listener.onStage("evaluation");
                // The training targets' grid: twice as fine as model selection's, and at least 5 targets.
                GeneratorEvaluation evaluation = GeneratorEvaluation.of(generator, run.range().trainingPool(),
                        run.range(), pool, table, generatorSettings.constraintLoss());
                List<GeneratedArchitecture> scored = score(supernet, table, evaluation, heldOut);
                return new Result(scored, evaluation.kendallTau(), evaluation.totalConstraintLoss());
            }
        }
    }

    private PriorPool priorPool(FlopsTable table, int size) {
        if (Files.exists(run.priorPool())) {
            return PriorPool.load(run.priorPool());
        }
        SplittableRandom random = new SplittableRandom(SeedStreams.derive(run.seed(), 0,
                SeedStreams.Stream.PRIOR_POOL));
        PriorPool pool = PriorPool.build(run.range(), size, () -> PathSampler.random(run.layout(), random).oneHot(),
                table::flops);
        pool.save(run.priorPool());
        return pool;
    }

    /**
     * Scores generated architectures: exact FLOPs, held-out accuracy of their paths in the supernet, and the mean
     * held-out accuracy of random architectures within ±5% of their table FLOPs.
     */
    public List<GeneratedArchitecture> score(SupernetNet supernet, FlopsTable table, GeneratorEvaluation evaluation,
                                             LabeledImages heldOut) {
        MbconvLayout layout = supernet.layout();
        SplittableRandom random = new SplittableRandom(SeedStreams.derive(run.seed(), 2,
                SeedStreams.Stream.PRIOR_POOL));
        GeneratedArchitecture[] scored = new GeneratedArchitecture[evaluation.targets().length];
        for (int i = 0; i < scored.length; i++) {
            MbconvArchitecture architecture = evaluation.architectures()[i];
            double flops = evaluation.flops()[i];
            double exact = MbconvModel.macs(layout, architecture).conv() / 1e6;
            double accuracy = supernet.accuracy(architecture, heldOut);
            double randomSum = 0;
            int randomCount = 0;
            for (int tries = 0; randomCount < BASELINE_ARCHITECTURES && tries < PriorPool.DEFAULT_MAX_TRIES; tries++) {
                MbconvArchitecture candidate = PathSampler.random(layout, random);
                if (Math.abs(table.flops(candidate) - flops) <= BASELINE_FLOPS_TOLERANCE * flops) {
                    randomSum += supernet.accuracy(candidate, heldOut);
                    randomCount++;
                }
            }
            double randomAccuracy = randomCount > 0 ? randomSum / randomCount : Double.NaN;
            scored[i] = new GeneratedArchitecture(evaluation.targets()[i], architecture, flops, exact, accuracy,
                    randomAccuracy, randomCount);
        }
        return List.of(scored);
    }
}
