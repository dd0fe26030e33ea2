package dev.jnas.search.tenas;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Patterns;
import dev.jnas.bindings.Spectrum;
import dev.jnas.bindings.Tensor;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeData;
import dev.jnas.metrics.ProbeInputs;
import dev.jnas.metrics.SeedStreams;
import dev.jnas.models.ModelGraph;

/**
 * A space's two supernets (κ and linear regions), compiled once for a whole search. A {@link #draw} fixes the
 * weights and inputs; every {@link #measure} until the next draw sees exactly those, whatever the mask, so the
 * unpruned network and each candidate of a round are compared on equal terms. A mask only rewrites the mixing
 * weights: pruned branches are skipped, never recompiled.
 */
final class SupernetMetrics implements AutoCloseable {
    /**
     * κ (exactly as computed: possibly negative, infinite or NaN, with its spectrum flags), the region count, and
     * the seconds each took.
     */
    record Measurement(double kappa, double regions, int flags, double kappaSeconds, double regionSeconds) {
    }

    private final MetricSettings settings;
    private final ProbeInputs inputs;
    private final Supernet kappa;
    private final Supernet regions;
    private final Tensor theta;
    private long inputSeed;

    private SupernetMetrics(MetricSettings settings, ProbeData data, Supernet kappa,
                            Supernet regions, Tensor theta) {
        this.settings = settings;
        this.inputs = new ProbeInputs(settings, data);
        this.kappa = kappa;
        this.regions = regions;
        this.theta = theta;
    }

    static SupernetMetrics open(Engine engine, PruningSpace space, MetricSettings settings, ProbeData data) {
        Supernet kappa = Supernet.compile(engine, space, SupernetKind.KAPPA, settings, settings.batch());
        Supernet regions = null;
        try {
            regions = Supernet.compile(engine, space, SupernetKind.REGIONS, settings, MetricSettings.REGION_BATCH_SIZE);
            Tensor theta = engine.tensor(settings.batch(), settings.batch());
            return new SupernetMetrics(settings, data, kappa, regions, theta);
        } catch (RuntimeException e) {
            if (regions != null) {
                regions.close();
            }
            kappa.close();
            throw e;
        }
    }

    /**
     * Fresh weights for both supernets from weightSeed and fresh inputs (one κ batch, the region patches) from
     * inputSeed.
     */
    void draw(long weightSeed, long inputSeed) {
        kappa.net.reinitialize(settings.init().init(), SeedStreams.derive(weightSeed, 0,
                SeedStreams.Stream.KAPPA_WEIGHTS));
        regions.net.reinitialize(settings.init().init(), SeedStreams.derive(weightSeed, 0,
                SeedStreams.Stream.REGION_WEIGHTS));
        kappa.input.write(inputs.kappaBatch(inputSeed, 0));
        this.inputSeed = inputSeed;
    }

    /** κ and the linear-region count of the supernet with mask's ops, on the current draw. */
    Measurement measure(OpMask mask) {
        long start = System.nanoTime();
        kappa.apply(mask);
        kappa.net.ntk(settings.coupling(), theta);
        Spectrum spectrum = kappa.net.engine().spectrum(theta);
        long kappaDone = System.nanoTime();
        regions.apply(mask);
        try (Patterns collected = Patterns.create()) {
            for (float[] batch : inputs.regionBatches(inputSeed, 0)) {
                regions.input.write(batch);
                collected.collect(regions.net);
            }
            long count = collected.countDistinct(regions.net.engine());
            return new Measurement(spectrum.kappa(), count, spectrum.flags(), (kappaDone - start) / 1e9,
                    (System.nanoTime() - kappaDone) / 1e9);
        }
    }

    @Override
    public void close() {
        theta.close();
        regions.close();
        kappa.close();
    }

    /** One compiled supernet, its bound input and the parameter index of every edge's mixing weights. */
    private record Supernet(Net net, Tensor input, int[][] alphas) implements AutoCloseable {
        static Supernet compile(Engine engine, PruningSpace space, SupernetKind kind, MetricSettings settings,
                                int batch) {
            Net net;
            int inputNode;
            try (GraphBuilder graph = GraphBuilder.create()) {
                ModelGraph model = space.buildSupernet(graph, kind, MetricSettings.CLASSES);
                inputNode = model.input();
                net = Net.compile(engine, graph, model.output(), settings.init().init(), 0);
            }
            try {
                net.setTrain(true);
                int[][] alphas = new int[space.cellTypes().size()][space.edges()];
                for (int t = 0; t < alphas.length; t++) {
                    for (int e = 0; e < alphas[t].length; e++) {
                        alphas[t][e] = net.findParam(PruningSpace.alphaName(space.cellTypes().get(t), e));
                    }
                }
                Tensor input = engine.tensor(batch, kind.channels(), kind.size(), kind.size());
                net.bindInput(inputNode, input);
                return new Supernet(net, input, alphas);
            } catch (RuntimeException e) {
                net.close();
                throw e;
            }
        }

        void apply(OpMask mask) {
            for (int t = 0; t < alphas.length; t++) {
                for (int e = 0; e < alphas[t].length; e++) {
                    net.writeParam(alphas[t][e], mask.weights(t, e));
                }
            }
        }

        @Override
        public void close() {
            net.close();
            input.close();
        }
    }
}
