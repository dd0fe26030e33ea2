package dev.jnas.search.alphanas.evolution;

import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Patterns;
import dev.jnas.bindings.Spectrum;
import dev.jnas.bindings.Tensor;
import dev.jnas.data.LabeledImages;
import dev.jnas.metrics.InitScheme;
import dev.jnas.models.ModelGraph;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.train.Shuffle;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Training-free fitness of the program itself (not of a TE-NAS-style proxy network): at initialization
 * (PyTorch's defaults, as TE-NAS's public code) on one probe batch of training images, the NTK condition number
 * κ (batch norm in train mode, its statistics frozen in the per-sample gradients, about B times cheaper than the
 * exact coupling), and from the same weights and batch the ReLU sign patterns' NASWOT log|det K| and their
 * distinct count. An evaluation costs one compile, one NTK and one forward: milliseconds to seconds.
 */
public final class TrainingFreeFitness implements FitnessEvaluator {
    /** TE-NAS's NTK batch. */
    public static final int DEFAULT_BATCH = 72;

    private final Engine engine;
    private final LabeledImages probe;
    private final int batch;

    /** @param probe the images the probe batches are drawn from; at least batch of them */
    public TrainingFreeFitness(Engine engine, LabeledImages probe, int batch) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.probe = Objects.requireNonNull(probe, "probe");
        if (batch < 2 || batch > probe.count()) {
            throw new IllegalArgumentException("the probe batch needs 2 to " + probe.count()
                    + " images (an NTK needs two samples), got " + batch);
        }
        this.batch = batch;
    }

    @Override
    public FitnessKind kind() {
        return FitnessKind.TRAINING_FREE;
    }

    @Override
    public Optional<String> rejection(ProgramGraph program) {
        return new ProgramModel(program).rejection(probe.channels(), probe.height(), probe.width(), probe.classes());
    }

    @Override
    public Fitness evaluate(ProgramGraph program, long seed) {
        long start = System.nanoTime();
        ProgramModel model = new ProgramModel(program);
        ModelProbe measured;
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph nodes = model.build(graph, probe.channels(), probe.height(), probe.width(), probe.classes());
            try (Net net = Net.compile(engine, graph, nodes.output(), InitScheme.PYTORCH_DEFAULT.init(), seed)) {
                measured = measure(net, nodes.input(), seed);
            }
        }
        ProgramModel.Cost cost = model.cost(engine, probe.channels(), probe.height(), probe.width(), probe.classes());
        return Fitness.trainingFree(cost.parameters(), cost.macs(), measured.kappa(), measured.regions(),
                measured.naswot(), (System.nanoTime() - start) / 1e9);
    }

    /** κ (NaN when the spectrum gives no valid condition number), regions and NASWOT on a batch drawn by seed. */
    private ModelProbe measure(Net net, int inputNode, long seed) {
        int[] order = Shuffle.permutation(probe.count(), new SplittableRandom(seed));
        float[] pixels = new float[batch * probe.imageSize()];
        probe.gather(order, 0, pixels, new int[batch]);
        try (Tensor input = engine.tensor(batch, probe.channels(), probe.height(), probe.width());
             Tensor theta = engine.tensor(batch, batch);
             Patterns patterns = Patterns.create()) {
            input.write(pixels);
            net.setTrain(true);
            net.bindInput(inputNode, input);
            net.ntk(BnCoupling.FROZEN, theta);
            Spectrum spectrum = engine.spectrum(theta);
            patterns.collect(net);
            return new ModelProbe(spectrum.isValid() ? spectrum.kappa() : Double.NaN,
                    patterns.countDistinct(engine), patterns.naswot(0, batch).logDet());
        }
    }

    private record ModelProbe(double kappa, double regions, double naswot) {
    }
}
