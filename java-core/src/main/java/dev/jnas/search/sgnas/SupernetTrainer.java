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
import dev.jnas.space.mbconv.MbconvArchitecture;
import dev.jnas.space.mbconv.PathSampler;
import dev.jnas.train.BatchTensors;
import dev.jnas.train.Shuffle;

/**
 * Trains the unified supernet by uniform single-path sampling (reference: SGNAS's supernet stage): every step runs
 * {@code pathsPerStep} sampled paths forward and backward on one mini-batch, accumulating their gradients, then
 * takes one SGD step. The data order and the paths of an epoch derive from (seed, epoch) alone, so a run resumed
 * from a checkpoint replays the draws it had made and continues with the same bits as one never interrupted.
 */
public final class SupernetTrainer {
    /** Per-step and per-epoch progress. */
    public interface Listener {
        void onStep(int epoch, int step, int steps, double loss);

        void onEpoch(Epoch epoch);
    }

    /**
     * One epoch's mean loss and accuracy over the sampled paths (each image counted once per path).
     *
     * @param resumed whether the epoch went on from a checkpoint (its sums include the steps before the stop)
     */
    public record Epoch(int epoch, double loss, double pathAccuracy, double seconds, boolean resumed) {
    }

    private static final String EPOCH = "epoch";
    private static final String STEP = "step";
    private static final String LOSS_SUM = "loss.sum";
    private static final String CORRECT = "correct";
    private static final String SEEN = "seen";

    private final Engine engine;
    private final SupernetSettings settings;

    public SupernetTrainer(Engine engine, SupernetSettings settings) {
        this.engine = engine;
        this.settings = settings;
    }

    /**
     * Trains a compiled supernet on the images, resuming from (and writing) checkpoints in checkpointDir.
     *
     * @return the epochs trained by this call (none when the checkpoint says training is complete)
     */
    public List<Epoch> train(SupernetNet supernet, LabeledImages data, Path checkpointDir, Listener listener) {
        Net net = supernet.net();
        int steps = Math.ceilDiv(data.count(), settings.batchSize());
        CosineSchedule schedule = new CosineSchedule(settings.learningRate(), (long) steps * settings.epochs());
        TrainingCheckpoint checkpoint = new TrainingCheckpoint(checkpointDir, "supernet");
        String fingerprint = settings + " " + supernet.layout().describe() + " images=" + data.count();
        List<Epoch> epochs = new ArrayList<>();
        try (Optimizer sgd = net.sgd(settings.learningRate(), settings.momentum(), settings.weightDecay(), false);
             BatchTensors batch = new BatchTensors(engine, net, data.channels(), data.height(), data.width())) {
            Optional<Properties> restored = checkpoint.restore(net, sgd, fingerprint);
            Properties progress = restored.orElseGet(Properties::new);
            int startEpoch = Integer.parseInt(progress.getProperty(EPOCH, "1"));
            int startStep = Integer.parseInt(progress.getProperty(STEP, "0"));
            for (int epoch = startEpoch; epoch <= settings.epochs(); epoch++) {
                long start = System.nanoTime();
                boolean resumed = epoch == startEpoch && startStep > 0;
                Sums sums = resumed ? Sums.from(progress) : new Sums();
                int[] order = Shuffle.permutation(data.count(), new SplittableRandom(
                        SeedStreams.derive(settings.seed(), epoch, SeedStreams.Stream.SUPERNET_ORDER)));
                PathSampler sampler = new PathSampler(supernet.layout(),
                        SeedStreams.derive(settings.seed(), epoch, SeedStreams.Stream.SUPERNET_PATHS));
                int firstStep = epoch == startEpoch ? startStep : 0;
                for (int skipped = 0; skipped < firstStep * settings.pathsPerStep(); skipped++) {
                    sampler.next();  // replays the draws made before the checkpoint
                }
                for (int step = firstStep; step < steps; step++) {
                    sgd.setLr(schedule.at((long) (epoch - 1) * steps + step));
                    double loss = step(supernet, sgd, sampler, batch, data, order, step * settings.batchSize(), sums);
                    listener.onStep(epoch, step + 1, steps, loss);
                    if ((step + 1) % settings.checkpointEvery() == 0 && step + 1 < steps) {
                        checkpoint.save(net, sgd, fingerprint, "e" + epoch + "s" + (step + 1),
                                sums.progress(epoch, step + 1));
                    }
                }
                checkpoint.save(net, sgd, fingerprint, "e" + (epoch + 1) + "s0", new Sums().progress(epoch + 1, 0));
                Epoch done = new Epoch(epoch, sums.lossSum / sums.seen, (double) sums.correct / sums.seen,
                        (System.nanoTime() - start) / 1e9, resumed);
                epochs.add(done);
                listener.onEpoch(done);
            }
        }
        return epochs;
    }

    /** One optimizer step over pathsPerStep sampled paths; returns the mean loss over the paths. */
    private double step(SupernetNet supernet, Optimizer sgd, PathSampler sampler, BatchTensors batch,
                        LabeledImages data, int[] order, int from, Sums sums) {
        Net net = supernet.net();
        int size = Math.min(settings.batchSize(), data.count() - from);
        int[] labels = batch.load(data, order, from, size);
        net.bindInput(supernet.input(), batch.images());
        net.zeroGrad();
        double loss = 0;
        for (int path = 0; path < settings.pathsPerStep(); path++) {
            MbconvArchitecture architecture = sampler.next();
            supernet.apply(architecture);
            net.forward(batch.logits());
            CrossEntropyResult result = engine.crossEntropy(batch.logits(), labels, settings.labelSmoothing(),
                    batch.gradLogits());
            net.backward(batch.gradLogits());
            loss += result.loss();
            sums.add(result, size);
        }
        sgd.step();
        return loss / settings.pathsPerStep();
    }

    /** Running sums of an epoch, kept in checkpoints so a resumed epoch reports the whole epoch. */
    private static final class Sums {
        double lossSum;
        long correct;
        long seen;

        static Sums from(Properties progress) {
            Sums sums = new Sums();
            sums.lossSum = Double.parseDouble(progress.getProperty(LOSS_SUM, "0"));
            sums.correct = Long.parseLong(progress.getProperty(CORRECT, "0"));
            sums.seen = Long.parseLong(progress.getProperty(SEEN, "0"));
            return sums;
        }

        void add(CrossEntropyResult result, int size) {
            lossSum += (double) result.loss() * size;
            correct += result.correct();
            seen += size;
        }

        Properties progress(int epoch, int step) {
            Properties p = new Properties();
            p.setProperty(EPOCH, Integer.toString(epoch));
            p.setProperty(STEP, Integer.toString(step));
            p.setProperty(LOSS_SUM, Double.toString(lossSum));
            p.setProperty(CORRECT, Long.toString(correct));
            p.setProperty(SEEN, Long.toString(seen));
            return p;
        }
    }
}
