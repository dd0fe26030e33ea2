package dev.jnas.search.sgnas;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.SplittableRandom;

import dev.jnas.bindings.CrossEntropyResult;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Optimizer;
import dev.jnas.data.LabeledImages;
import dev.jnas.metrics.SeedStreams;
import dev.jnas.space.mbconv.FlopsTable;
import dev.jnas.train.BatchTensors;
import dev.jnas.train.Shuffle;

/**
 * Trains the architecture generator against the frozen supernet (reference: SGNAS's search stage). One step: a
 * target T (the next of the shuffled training pool, jittered), its closest prior, the generator's logits, a soft
 * Gumbel-softmax architecture p, the supernet's label-smoothed cross-entropy on a held-out mini-batch under p, plus
 * the constraint loss of the table FLOPs of p. Both gradients reach p exactly (the supernet's mixing-weight
 * gradients, the table's linear gradient), go back through the Gumbel-softmax into the logits and through the
 * generator, and Adam takes one step. After every epoch the generator's hard architectures for the selection
 * grid's targets are scored and the best generator (least total constraint loss) is saved apart. Epochs checkpoint; the draws of an epoch depend on (seed, epoch).
 */
public final class GeneratorTrainer {
    /** Per-step and per-epoch progress. */
    public interface Listener {
        void onStep(int epoch, int step, int steps, double loss);

        void onEpoch(Epoch epoch);
    }

    /**
     * One epoch: its temperature, mean cross-entropy and constraint loss over the steps, and the evaluation after it.
     *
     * @param best whether this epoch's generator became the saved best one
     */
    public record Epoch(int epoch, double temperature, double crossEntropy, double constraintLoss,
                        GeneratorEvaluation evaluation, boolean best, double seconds) {
    }

    private static final String EPOCH = "epoch";
    private static final String BEST_LOSS = "best.constraint.loss";

    private final Engine engine;
    private final GeneratorSettings settings;

    public GeneratorTrainer(Engine engine, GeneratorSettings settings) {
        this.engine = engine;
        this.settings = settings;
    }

    /**
     * Trains generator on data (the held-out split) against supernet, with checkpoints in directory; the best
     * generator's parameters go to bestGenerator.
     */
    public List<Epoch> train(ArchitectureGenerator generator, SupernetNet supernet, FlopsTable table, PriorPool pool,
                             TargetRange range, LabeledImages data, Path directory, Path bestGenerator,
                             Listener listener) {
        supernet.freeze();
        Net net = supernet.net();
        int steps = Math.ceilDiv(data.count(), settings.batchSize());
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(directory, "generator");
        String fingerprint = settings + " " + range + " " + supernet.layout().describe() + " images=" + data.count();
        List<Epoch> epochs = new ArrayList<>();
        try (Optimizer adam = generator.net().adam(settings.learningRate(), settings.beta1(), settings.beta2(),
                     1e-8f, 0f);
             BatchTensors batch = new BatchTensors(engine, net, data.channels(), data.height(), data.width())) {
            Properties progress = checkpoint.restore(generator.net(), adam, fingerprint).orElseGet(Properties::new);
            double bestLoss = Double.parseDouble(progress.getProperty(BEST_LOSS, "Infinity"));
            for (int epoch = Integer.parseInt(progress.getProperty(EPOCH, "1")); epoch <= settings.epochs(); epoch++) {
                long start = System.nanoTime();
                double tau = settings.temperatureAt(epoch);
                int[] order = Shuffle.permutation(data.count(), random(epoch, SeedStreams.Stream.GENERATOR_ORDER));
                SplittableRandom targetRandom = random(epoch, SeedStreams.Stream.GENERATOR_TARGETS);
                double[] targets = shuffled(range.trainingPool(), targetRandom);
                SplittableRandom gumbel = random(epoch, SeedStreams.Stream.GENERATOR_GUMBEL);
                double crossEntropy = 0;
                double constraint = 0;
                for (int step = 0; step < steps; step++) {
                    double target = targets[step % targets.length]
                            + range.jitter() * (2 * targetRandom.nextDouble() - 1);
                    StepLosses losses = step(generator, supernet, table, pool, range, adam, batch, data, order,
                            step * settings.batchSize(), target, tau, gumbel);
                    crossEntropy += losses.crossEntropy;
                    constraint += losses.constraint;
                    listener.onStep(epoch, step + 1, steps, losses.crossEntropy + losses.constraint);
                }
                GeneratorEvaluation evaluation = GeneratorEvaluation.of(generator, settings.selection().targets(range), range, pool,
                        table, settings.constraintLoss());
                boolean best = evaluation.totalConstraintLoss() < bestLoss;
                if (best) {
                    bestLoss = evaluation.totalConstraintLoss();
                    ParameterFile.save(generator.net(), bestGenerator);
                }
                Properties next = new Properties();
                next.setProperty(EPOCH, Integer.toString(epoch + 1));
                next.setProperty(BEST_LOSS, Double.toString(bestLoss));
                checkpoint.save(generator.net(), adam, fingerprint, "e" + (epoch + 1), next);
                Epoch done = new Epoch(epoch, tau, crossEntropy / steps, constraint / steps, evaluation, best,
                        (System.nanoTime() - start) / 1e9);
                epochs.add(done);
                listener.onEpoch(done);
            }
        }
        return epochs;
    }

    private record StepLosses(double crossEntropy, double constraint) {
    }

    private StepLosses step(ArchitectureGenerator generator, SupernetNet supernet, FlopsTable table, PriorPool pool,
                            TargetRange range, Optimizer adam, BatchTensors batch, LabeledImages data, int[] order,
                            int from, double target, double tau, SplittableRandom gumbel) {
        int layers = supernet.layout().layerCount();
        float[] logits = generator.forward(new float[][] {pool.closest(target)},
                new double[] {range.normalise(target)})[0];
        GumbelSoftmax.Sample sample = GumbelSoftmax.sample(logits, layers, tau, gumbel);
        float[] p = sample.p();

        Net net = supernet.net();
        int size = Math.min(settings.batchSize(), data.count() - from);
        int[] labels = batch.load(data, order, from, size);
        supernet.apply(p);
        net.bindInput(supernet.input(), batch.images());
        net.forward(batch.logits());
        CrossEntropyResult result = engine.crossEntropy(batch.logits(), labels, settings.labelSmoothing(),
                batch.gradLogits());
        net.zeroGrad();
        net.backward(batch.gradLogits());
        float[] dLossDp = supernet.mixingGradients();

        HardwareConstraintLoss constraintLoss = settings.constraintLoss();
        double flops = table.flops(p);
        double dLossDFlops = constraintLoss.derivative(flops, target);
        float[] dFlopsDp = table.gradient(p);
        for (int i = 0; i < dLossDp.length; i++) {
            dLossDp[i] += (float) (dLossDFlops * dFlopsDp[i]);
        }
        generator.net().zeroGrad();
        generator.backward(new float[][] {sample.backward(dLossDp)});
        adam.step();
        return new StepLosses(result.loss(), constraintLoss.value(flops, target));
    }

    private SplittableRandom random(int epoch, SeedStreams.Stream stream) {
        return new SplittableRandom(SeedStreams.derive(settings.seed(), epoch, stream));
    }

    private static double[] shuffled(double[] values, SplittableRandom random) {
        int[] order = Shuffle.permutation(values.length, random);
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[order[i]];
        }
        return result;
    }
}
