package dev.jnas.metrics;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.NaswotScore;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Patterns;
import dev.jnas.bindings.Spectrum;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.space.nb201.Nb201Architecture;
import dev.jnas.space.nb201.Nb201Network;
import dev.jnas.space.nb201.Nb201Skeleton;

/**
 * TE-NAS's κ network (NB201 skeleton C=3, N=1) for one architecture, compiled once and redrawn per repeat:
 * the NTK condition number over one batch and, from the same weights and batch, NASWOT's log|det K| (the thin
 * region network is useless for NASWOT: its few bits make K singular for any batch).
 */
final class KappaNetwork implements AutoCloseable {
    private final MetricSettings settings;
    private final Net net;
    private final Tensor input;
    private final Tensor theta;

    private KappaNetwork(MetricSettings settings, Net net, Tensor input, Tensor theta) {
        this.settings = settings;
        this.net = net;
        this.input = input;
        this.theta = theta;
    }

    static KappaNetwork build(Engine engine, Nb201Architecture architecture, MetricSettings settings) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = new Nb201Network(architecture, Nb201Skeleton.NTK).build(graph, ProbeData.CHANNELS,
                    ProbeData.SIZE, ProbeData.SIZE, MetricSettings.CLASSES);
            // Tensors before the net, each closed again if a later step fails (a batch too large for memory).
            Tensor input = null;
            Tensor theta = null;
            try {
                input = engine.tensor(settings.batch(), ProbeData.CHANNELS, ProbeData.SIZE, ProbeData.SIZE);
                theta = engine.tensor(settings.batch(), settings.batch());
                Net net = Net.compile(engine, graph, model.output(), settings.init().init(), 0);
                net.setTrain(true);
                net.bindInput(model.input(), input);
                return new KappaNetwork(settings, net, input, theta);
            } catch (RuntimeException e) {
                if (theta != null) {
                    theta.close();
                }
                if (input != null) {
                    input.close();
                }
                throw e;
            }
        }
    }

    /** Fresh weights and the batch for (seed, repeat), then the asked-for metrics into average. */
    void measure(long seed, int repeat, ProbeInputs inputs, RepeatAverage average) {
        net.reinitialize(settings.init().init(), SeedStreams.derive(seed, repeat, SeedStreams.Stream.KAPPA_WEIGHTS));
        input.write(inputs.kappaBatch(seed, repeat));
        if (settings.wants(MetricKind.NTK)) {
            net.ntk(settings.coupling(), theta);
            Spectrum spectrum = net.engine().spectrum(theta);
            average.add(MetricKind.NTK, spectrum.kappa());
            average.flag(spectrum.flags());
        }
        if (settings.wants(MetricKind.NASWOT)) {
            try (Patterns patterns = Patterns.create()) {
                patterns.collect(net);
                NaswotScore naswot = patterns.naswot(0, settings.batch());
                average.add(MetricKind.NASWOT, naswot.logDet());
                if (naswot.singular()) {
                    average.flag(MetricFlags.NASWOT_SINGULAR);
                }
            }
        }
    }

    @Override
    public void close() {
        net.close();
        theta.close();
        input.close();
    }
}
