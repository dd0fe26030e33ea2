package dev.jnas.search.compress;

import dev.jnas.bindings.CrossEntropyResult;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Optimizer;
import dev.jnas.data.LabeledImages;
import dev.jnas.data.Splits;
import dev.jnas.metrics.SeedStreams;
import dev.jnas.metrics.SeedStreams.Stream;
import dev.jnas.search.StageListener;
import dev.jnas.search.bayesnas.ArdUpdate;
import dev.jnas.train.Accuracy;
import dev.jnas.train.BatchTensors;
import dev.jnas.train.Shuffle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * BayesNAS's structured compression (paper section 5): one switch per conv filter and hidden neuron with the same
 * prior and updates as the architecture search, each switch its own group of one.
 * <ol>
 *   <li>the weights alone (switches frozen at 1) for {@link CompressionSettings#weightEpochs()};</li>
 *   <li>joint epochs: the weights by the engine's Adam, the switches by BayesNAS's host SGD along the cross-entropy
 *   gradient plus the re-weighted lasso λ·ω·|s| ({@link UnitSwitches}); after each, the diagonal Hessian of the last
 *   batch's summed loss w.r.t. the switches and the {@link ArdUpdate} of every switch;</li>
 *   <li>pruning by the entropy rule on γ (a layer whose units would all go keeps its largest-γ unit), and the
 *   {@link NetworkSurgery} into a gated net of the kept widths, with the kept switches, γ and ω;</li>
 * </ol>
 * steps 2 and 3 repeated {@link CompressionSettings#pruneIterations()} times, then the switches folded into an
 * ungated net that is fine-tuned (at its own learning rate). Optionally the uncompressed model is trained for the
 * same total epochs as the baseline. γ and ω start as U(0, 1] draws, as in {@code BayesSearch}.
 */
public final class Compression {
    private final Engine engine;
    private final CompressionSettings settings;

    public Compression(Engine engine, CompressionSettings settings) {
        this.engine = engine;
        this.settings = settings;
    }

    /** A network's widths, cost and test accuracy at one point of the run. */
    public record Measurement(String label, int[] widths, long parameters, long macs, double testAccuracy) {
        public Measurement {
            widths = widths.clone();
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }
    }

    /**
     * The measurements (the baseline if asked for, the trained network before pruning, the pruned one before and
     * after fine-tuning) and every ARD update's switches, in update order.
     */
    public record Result(List<Measurement> measurements, List<List<UnitUpdate>> updates) {
        public Result {
            measurements = List.copyOf(measurements);
            updates = updates.stream().map(List::copyOf).toList();
        }

        public Measurement measurement(String label) {
            return measurements.stream().filter(m -> m.label().equals(label)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no measurement '" + label + "'"));
        }
    }

    public static final String BASELINE = "baseline";
    public static final String TRAINED = "trained";
    public static final String PRUNED = "pruned";
    public static final String FINE_TUNED = "fine-tuned";

    public Result run(CompressibleModel model, Splits data, StageListener listener) {
        LabeledImages train = data.train();
        if (train.channels() != model.channels() || train.height() != model.height()
                || train.width() != model.width() || train.classes() != model.classes()) {
            throw new IllegalArgumentException("the images are " + train.channels() + "x" + train.height() + "x"
                    + train.width() + " in " + train.classes() + " classes but model " + model.name() + " expects "
                    + model.channels() + "x" + model.height() + "x" + model.width() + " in " + model.classes());
        }
        List<Measurement> measurements = new ArrayList<>();
        long initSeed = SeedStreams.derive(settings.seed(), 0, Stream.COMPRESS_INIT);
        if (settings.baseline()) {
            try (ModelNet baseline = ModelNet.compile(engine, model, false, initSeed)) {
                listener.onStage("baseline: uncompressed " + model.name() + " for " + settings.totalEpochs()
                        + " epochs");
                try (Optimizer adam = adam(baseline, settings.learningRate())) {
                    for (int epoch = 0; epoch < settings.totalEpochs(); epoch++) {
                        if (epoch == settings.totalEpochs() - settings.fineTuneEpochs()) {
                            adam.setLr(settings.fineTuneLearningRate());
                        }
                        epoch("baseline " + (epoch + 1), baseline, train, adam, epoch, null, listener);
                    }
                }
                measurements.add(measure(BASELINE, baseline, data.test()));
            }
        }
        ModelNet gated = ModelNet.compile(engine, model, true, initSeed);
        try {
            UnitSwitches switches = new UnitSwitches(engine, gated, new ArdUpdate(settings.lambda(), settings.lambda()),
                    SeedStreams.derive(settings.seed(), 0, Stream.COMPRESS_PRIORS));
            int epoch = 0;
            setSwitchesTrainable(gated, false);
            try (Optimizer adam = adam(gated, settings.learningRate())) {
                for (; epoch < settings.weightEpochs(); epoch++) {
                    listener.onStage("weights-only epoch " + (epoch + 1));
                    epoch("weights " + (epoch + 1), gated, train, adam, epoch, null, listener);
                }
            }
            setSwitchesTrainable(gated, true);
            List<List<UnitUpdate>> updates = new ArrayList<>();
            for (int iteration = 1; iteration <= settings.pruneIterations(); iteration++) {
                try (Optimizer adam = adam(gated, settings.learningRate())) {
                    for (int joint = 1; joint <= settings.jointEpochs(); joint++, epoch++) {
                        listener.onStage("iteration " + iteration + ": joint epoch " + joint + " of weights and "
                                + switches.size() + " switches");
                        updates.add(switches.update(epoch("joint " + iteration + "." + joint, gated, train, adam,
                                epoch, switches, listener)));
                    }
                }
                if (iteration == 1) {
                    measurements.add(measure(TRAINED, gated, data.test()));
                }
                boolean[][] kept = switches.kept();
                ModelNet smaller = ModelNet.compile(engine, model.withWidths(widths(kept)), true, initSeed);
                NetworkSurgery.copy(gated, kept, false, smaller);
                switches = switches.keep(kept, smaller);
                gated.close();
                gated = smaller;
                listener.onStage("iteration " + iteration + ": pruned to widths "
                        + Arrays.toString(gated.model().widths()));
            }
            measurements.add(measure(PRUNED, gated, data.test()));
            try (ModelNet folded = ModelNet.compile(engine, gated.model(), false, initSeed)) {
                NetworkSurgery.copy(gated, allKept(gated.model()), true, folded);
                try (Optimizer adam = adam(folded, settings.fineTuneLearningRate())) {
                    for (int tune = 1; tune <= settings.fineTuneEpochs(); tune++, epoch++) {
                        listener.onStage("fine-tuning epoch " + tune);
                        epoch("fine-tune " + tune, folded, train, adam, epoch, null, listener);
                    }
                }
                measurements.add(measure(FINE_TUNED, folded, data.test()));
            }
            return new Result(measurements, updates);
        } finally {
            gated.close();
        }
    }

    private static Optimizer adam(ModelNet net, float learningRate) {
        return net.net().adam(learningRate, 0.9f, 0.999f, 1e-8f, CompressionSettings.WEIGHT_DECAY,
                net.weightParameters());
    }

    private Measurement measure(String label, ModelNet net, LabeledImages test) {
        return new Measurement(label, net.model().widths(), net.parameters(), net.macs(),
                Accuracy.of(engine, net.net(), net.input(), test));
    }

    private static void setSwitchesTrainable(ModelNet net, boolean trainable) {
        for (int l = 0; l < net.model().unitLayers(); l++) {
            net.net().setTrainable(net.gateParameter(l), trainable);
        }
    }

    /**
     * One epoch over data in the order of epoch index epoch (the same orders for the baseline and the compression);
     * when switches is given they are stepped after the weights, and the Hessians of the last batch are returned.
     */
    private float[] epoch(String stage, ModelNet model, LabeledImages data, Optimizer adam, int epoch,
                          UnitSwitches switches, StageListener listener) {
        Net net = model.net();
        int[] order = Shuffle.permutation(data.count(),
                new SplittableRandom(SeedStreams.derive(settings.seed(), epoch, Stream.COMPRESS_ORDER)));
        int steps = Math.ceilDiv(data.count(), settings.batch());
        net.setTrain(true);
        try (BatchTensors batch = new BatchTensors(engine, net, data.channels(), data.height(), data.width())) {
            for (int step = 0; step < steps; step++) {
                int from = step * settings.batch();
                int size = Math.min(settings.batch(), data.count() - from);
                int[] labels = batch.load(data, order, from, size);
                net.bindInput(model.input(), batch.images());
                net.forward(batch.logits());
                CrossEntropyResult loss = engine.crossEntropy(batch.logits(), labels, 0f, batch.gradLogits());
                net.zeroGrad();
                net.backward(batch.gradLogits());
                adam.step();
                if (switches != null) {
                    switches.step();
                }
                listener.onStep(stage, step + 1, steps, loss.loss());
            }
            return switches == null ? null : switches.lastBatchHessians(batch.logits());
        }
    }

    private static int[] widths(boolean[][] kept) {
        int[] widths = new int[kept.length];
        for (int l = 0; l < kept.length; l++) {
            widths[l] = NetworkSurgery.count(kept[l]);
        }
        return widths;
    }

    private static boolean[][] allKept(CompressibleModel model) {
        boolean[][] kept = new boolean[model.unitLayers()][];
        for (int l = 0; l < kept.length; l++) {
            kept[l] = new boolean[model.width(l)];
            Arrays.fill(kept[l], true);
        }
        return kept;
    }
}
