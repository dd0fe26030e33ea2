package dev.jnas.search.tenas;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.OutOfMemoryException;
import dev.jnas.bindings.Patterns;
import dev.jnas.bindings.Spectrum;
import dev.jnas.bindings.Tensor;
import dev.jnas.metrics.MetricSettings;
import dev.jnas.metrics.ProbeData;
import dev.jnas.metrics.ProbeInputs;
import dev.jnas.metrics.SeedStreams;
import dev.jnas.models.ModelGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A space's two supernets (κ and linear regions), compiled once for a whole search. A {@link #draw} fixes the
 * weights and inputs; every {@link #measure} until the next draw sees exactly those, whatever the masks, so the
 * unpruned network and each candidate of a round are compared on equal terms. A mask only rewrites the mixing
 * weights: pruned branches are skipped, never recompiled.
 *
 * <p>With more than one candidate per call (batched candidates, frozen coupling only), the mixing weights are
 * per-sample inputs and a call measures its masks as sample groups of one batch ({@link Net#setSampleGroups}):
 * one forward, one Jacobian walk and one pattern collection for all of them, each group normalized apart and
 * fed the same inputs. Where the batch does not fit the device, the call is split in halves until it does, and
 * later calls stay at that size.
 */
final class SupernetMetrics implements AutoCloseable {
    /**
     * κ (exactly as computed: possibly negative, infinite or NaN, with its spectrum flags), the region count, and
     * the seconds each took (a batched call's time shared equally by its candidates).
     */
    record Measurement(double kappa, double regions, int flags, double kappaSeconds, double regionSeconds) {
    }

    private final MetricSettings settings;
    private final ProbeInputs inputs;
    private final Supernet kappa;
    private final Supernet regions;
    private final List<Tensor> thetas = new ArrayList<>();
    private int candidatesPerCall;
    private float[] kappaBatch;
    private long inputSeed;

    private SupernetMetrics(MetricSettings settings, ProbeData data, Supernet kappa, Supernet regions,
                            int candidatesPerCall) {
        this.settings = settings;
        this.inputs = new ProbeInputs(settings, data);
        this.kappa = kappa;
        this.regions = regions;
        this.candidatesPerCall = candidatesPerCall;
    }

    /** @param candidatesPerCall at most this many masks in one call of the engine; above 1, frozen coupling only */
    static SupernetMetrics open(Engine engine, PruningSpace space, MetricSettings settings, ProbeData data,
                                int candidatesPerCall) {
        boolean batched = candidatesPerCall > 1;
        Supernet kappa = Supernet.compile(engine, space, SupernetKind.KAPPA, settings, settings.batch(), batched);
        try {
            Supernet regions = Supernet.compile(engine, space, SupernetKind.REGIONS, settings,
                    MetricSettings.REGION_BATCH_SIZE, batched);
            return new SupernetMetrics(settings, data, kappa, regions, candidatesPerCall);
        } catch (RuntimeException e) {
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
        this.kappaBatch = inputs.kappaBatch(inputSeed, 0);
        this.inputSeed = inputSeed;
    }

    /** κ and the linear-region count of the supernet with each mask's ops, on the current draw, in mask order. */
    List<Measurement> measure(List<OpMask> masks) {
        List<Measurement> measured = new ArrayList<>(masks.size());
        for (int first = 0; first < masks.size(); ) {
            int count = Math.min(candidatesPerCall, masks.size() - first);
            try {
                measured.addAll(measureCall(masks.subList(first, first + count)));
                first += count;
            } catch (OutOfMemoryException e) {
                if (count == 1) {
                    throw e;
                }
                candidatesPerCall = count / 2;
            }
        }
        return measured;
    }

    private List<Measurement> measureCall(List<OpMask> masks) {
        int groups = masks.size();
        long start = System.nanoTime();
        kappa.apply(masks);
        kappa.writeInputs(kappaBatch);
        while (thetas.size() < groups) {
            thetas.add(kappa.net.engine().tensor(settings.batch(), settings.batch()));
        }
        List<Tensor> used = thetas.subList(0, groups);
        if (kappa.batched) {
            kappa.net.ntkGroups(settings.coupling(), used);
        } else {
            kappa.net.ntk(settings.coupling(), used.get(0));
        }
        List<Spectrum> spectra = kappa.net.engine().spectra(used);
        long kappaDone = System.nanoTime();
        regions.apply(masks);
        List<Patterns> collected = new ArrayList<>(groups);
        try {
            for (int g = 0; g < groups; g++) {
                collected.add(Patterns.create());
            }
            for (float[] batch : inputs.regionBatches(inputSeed, 0)) {
                regions.writeInputs(batch);
                if (regions.batched) {
                    Patterns.collectGroups(regions.net, collected);
                } else {
                    collected.get(0).collect(regions.net);
                }
            }
            double kappaSeconds = (kappaDone - start) / 1e9 / groups;
            double regionSeconds = (System.nanoTime() - kappaDone) / 1e9 / groups;
            List<Measurement> measured = new ArrayList<>(groups);
            for (int g = 0; g < groups; g++) {
                long count = collected.get(g).countDistinct(regions.net.engine());
                measured.add(new Measurement(spectra.get(g).kappa(), count, spectra.get(g).flags(), kappaSeconds,
                        regionSeconds));
            }
            return measured;
        } finally {
            collected.forEach(Patterns::close);
        }
    }

    @Override
    public void close() {
        thetas.forEach(Tensor::close);
        regions.close();
        kappa.close();
    }

    /**
     * One compiled supernet and its bound inputs. Shared mixing weights are parameters written per mask; batched
     * ones are per-sample inputs [groups · batch, ops], each group's rows its mask's weights. Inputs are kept per
     * number of groups (a round's calls differ by a group at most, and rounds shrink), not reallocated per call.
     */
    private static final class Supernet implements AutoCloseable {
        final Net net;
        final boolean batched;
        private final SupernetKind kind;
        private final int batch;
        private final int inputNode;
        private final int[][] alphas; // per cell type and edge: a parameter index (shared) or an input node
        private final int ops;         // mixing weights per edge
        private final Map<Integer, Inputs> inputsByGroups = new HashMap<>();
        private Inputs bound;
        private float[] written; // the batch last written into bound's input, or null

        /** The input batch and, when batched, each edge's weights, for some number of sample groups. */
        private record Inputs(int groups, Tensor input, Tensor[][] alphas) {
            void close() {
                input.close();
                for (Tensor[] row : alphas) {
                    for (Tensor tensor : row) {
                        if (tensor != null) {
                            tensor.close();
                        }
                    }
                }
            }
        }

        private Supernet(Net net, boolean batched, SupernetKind kind, int batch, int inputNode, int[][] alphas,
                         int ops) {
            this.net = net;
            this.batched = batched;
            this.kind = kind;
            this.batch = batch;
            this.inputNode = inputNode;
            this.alphas = alphas;
            this.ops = ops;
        }

        static Supernet compile(Engine engine, PruningSpace space, SupernetKind kind, MetricSettings settings,
                                int batch, boolean batched) {
            Map<String, Integer> weightInputs = new HashMap<>(); // batched: each edge's weights node, by name
            Net net;
            int inputNode;
            try (GraphBuilder graph = GraphBuilder.create()) {
                // Batched weights are inputs, yet the parameters stay: every other parameter then keeps its index,
                // and with it its random stream, so both kinds of supernet draw the same weights.
                MixingWeights weights = !batched ? MixingWeights.PARAMETERS : (g, name, ops) -> {
                    MixingWeights.PARAMETERS.node(g, name, ops);
                    int node = g.input(ops);
                    weightInputs.put(name, node);
                    return node;
                };
                ModelGraph model = space.buildSupernet(graph, kind, MetricSettings.CLASSES, weights);
                inputNode = model.input();
                net = Net.compile(engine, graph, model.output(), settings.init().init(), 0);
            }
            int[][] alphas = new int[space.cellTypes().size()][space.edges()];
            for (int t = 0; t < alphas.length; t++) {
                for (int e = 0; e < alphas[t].length; e++) {
                    String name = PruningSpace.alphaName(space.cellTypes().get(t), e);
                    alphas[t][e] = batched ? weightInputs.get(name) : net.findParam(name);
                }
            }
            Supernet supernet = new Supernet(net, batched, kind, batch, inputNode, alphas, space.ops().size());
            try {
                net.setTrain(true);
                supernet.bind(1);
                return supernet;
            } catch (RuntimeException e) {
                supernet.close();
                throw e;
            }
        }

        /** Binds the inputs of groups sample groups of the batch. */
        private void bind(int groups) {
            Inputs inputs = inputsByGroups.get(groups);
            if (inputs == null) {
                Engine engine = net.engine();
                Tensor input = engine.tensor((long) groups * batch, kind.channels(), kind.size(), kind.size());
                inputs = new Inputs(groups, input, new Tensor[alphas.length][batched ? alphas[0].length : 0]);
                inputsByGroups.put(groups, inputs);
                for (Tensor[] row : inputs.alphas()) {
                    for (int e = 0; e < row.length; e++) {
                        row[e] = engine.tensor((long) groups * batch, ops);
                    }
                }
            }
            net.bindInput(inputNode, inputs.input());
            for (int t = 0; t < inputs.alphas().length; t++) {
                for (int e = 0; e < inputs.alphas()[t].length; e++) {
                    net.bindInput(alphas[t][e], inputs.alphas()[t][e]);
                }
            }
            if (batched) {
                net.setSampleGroups(groups);
            }
            bound = inputs;
            written = null;
        }

        void apply(List<OpMask> masks) {
            if (!batched) {
                if (masks.size() != 1) {
                    throw new IllegalStateException(masks.size() + " masks for a supernet of shared weights");
                }
                for (int t = 0; t < alphas.length; t++) {
                    for (int e = 0; e < alphas[t].length; e++) {
                        net.writeParam(alphas[t][e], masks.get(0).weights(t, e));
                    }
                }
                return;
            }
            int groups = masks.size();
            if (groups != bound.groups()) {
                bind(groups);
            }
            for (int t = 0; t < alphas.length; t++) {
                for (int e = 0; e < alphas[t].length; e++) {
                    float[] rows = new float[groups * batch * ops];
                    for (int g = 0; g < groups; g++) {
                        float[] w = masks.get(g).weights(t, e);
                        for (int s = 0; s < batch; s++) {
                            System.arraycopy(w, 0, rows, (g * batch + s) * ops, ops);
                        }
                    }
                    bound.alphas()[t][e].write(rows);
                }
            }
        }

        /** Writes one batch of inputs into every sample group, unless that very batch is there already. */
        void writeInputs(float[] values) {
            if (values == written) {
                return;
            }
            float[] all = values;
            if (bound.groups() > 1) {
                all = new float[values.length * bound.groups()];
                for (int g = 0; g < bound.groups(); g++) {
                    System.arraycopy(values, 0, all, g * values.length, values.length);
                }
            }
            bound.input().write(all);
            written = values;
        }

        @Override
        public void close() {
            net.close();
            inputsByGroups.values().forEach(Inputs::close);
        }
    }
}
