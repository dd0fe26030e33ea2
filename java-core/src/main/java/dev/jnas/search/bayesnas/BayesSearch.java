package dev.jnas.search.bayesnas;

import dev.jnas.bindings.CrossEntropyResult;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Optimizer;
import dev.jnas.bindings.Tensor;
import dev.jnas.data.LabeledImages;
import dev.jnas.metrics.SeedStreams;
import dev.jnas.metrics.SeedStreams.Stream;
import dev.jnas.search.StageListener;
import dev.jnas.space.bayescell.BayesEdge;
import dev.jnas.space.bayescell.BayesGenotype;
import dev.jnas.space.bayescell.BayesGraph;
import dev.jnas.space.bayescell.BayesLayout;
import dev.jnas.space.bayescell.BayesSupernet;
import dev.jnas.space.bayescell.BayesSwitches;
import dev.jnas.space.bayescell.CellType;
import dev.jnas.space.bayescell.SwitchGroupSlots;
import dev.jnas.train.BatchTensors;
import dev.jnas.train.Shuffle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * BayesNAS's search schedule (reference: search/main.py with Algorithm.py) on one engine:
 * <ol>
 *   <li>one epoch of the weights alone (switches frozen at 1) on the "normal" split;</li>
 *   <li>one joint epoch on the "switch" split: the weights by the native SGD, the switches on the host along the
 *   cross-entropy gradient plus the group-lasso term ({@link GroupLasso}) with the current ω;</li>
 *   <li>the diagonal Hessian on the epoch's last mini-batch, then the {@link ArdUpdate} of every switch group (origin
 *   groups before their edge's op groups);</li>
 * </ol>
 * steps 2 and 3 repeated {@link BayesSearchSettings#iterations()} times (the fork's t_max), then
 * {@link GenotypeDerivation} prunes by the entropy rule. Every group's γ and ω start as independent U(0, 1] draws
 * (the reference draws U(0, 1) per cell; here a group shares one γ and ω from the start). The splits are the first
 * {@link BayesSearchSettings#NORMAL_FRACTION} of the images and the rest, without the reference's overlap.
 */
public final class BayesSearch {
    private final Engine engine;
    private final BayesSearchSettings settings;

    public BayesSearch(Engine engine, BayesSearchSettings settings) {
        this.engine = engine;
        this.settings = settings;
    }

    /** Every iteration's group updates, in {@link BayesSwitches#groups} order, and the genotype of the last. */
    public record Result(List<List<GroupUpdate>> iterations, BayesGenotype genotype) {
        public Result {
            iterations = iterations.stream().map(List::copyOf).toList();
        }

        public List<GroupUpdate> last() {
            return iterations.getLast();
        }
    }

    public Result run(LabeledImages images, StageListener listener) {
        BayesLayout layout = settings.layout();
        if (images.channels() != layout.inputChannels() || images.height() != layout.imageSize()
                || images.width() != layout.imageSize() || images.classes() != layout.classes()) {
            throw new IllegalArgumentException("the images are " + images.channels() + "x" + images.height() + "x"
                    + images.width() + " in " + images.classes() + " classes but the layout expects "
                    + layout.inputChannels() + "x" + layout.imageSize() + "x" + layout.imageSize() + " in "
                    + layout.classes());
        }
        int normalCount = (int) Math.round(images.count() * BayesSearchSettings.NORMAL_FRACTION);
        if (normalCount < 1 || normalCount >= images.count()) {
            throw new IllegalArgumentException(images.count() + " images cannot be split "
                    + BayesSearchSettings.NORMAL_FRACTION + " / rest with both splits non-empty");
        }
        LabeledImages normal = images.range(0, normalCount);
        LabeledImages switchSplit = images.range(normalCount, images.count());
        BayesGraph nodes;
        Net net;
        try (GraphBuilder graph = GraphBuilder.create()) {
            nodes = BayesSupernet.build(graph, layout);
            net = Net.compile(engine, graph, nodes.output(), Init.PYTORCH_DEFAULT,
                    SeedStreams.derive(settings.seed(), 0, Stream.BAYES_INIT));
        }
        try (net) {
            SwitchVector switches = new SwitchVector(net, BayesSwitches.groups(layout));
            int[] weights = IntStream.range(0, net.paramCount())
                    .filter(p -> net.isTrainable(p) && !BayesSwitches.isSwitch(net.paramName(p)))
                    .toArray();
            return new Run(net, nodes.input(), switches, weights, listener).search(normal, switchSplit);
        }
    }

    /** The state of one search: the net, the optimizers and the groups' current γ and ω. */
    private final class Run {
        private final Net net;
        private final int input;
        private final SwitchVector switches;
        private final int[] weights;
        private final StageListener listener;
        private final SwitchSgd switchSgd;
        private final double[] gammas;
        private final double[] omegas;

        Run(Net net, int input, SwitchVector switches, int[] weights, StageListener listener) {
            this.net = net;
            this.input = input;
            this.switches = switches;
            this.weights = weights;
            this.listener = listener;
            this.switchSgd = new SwitchSgd(BayesSearchSettings.SWITCH_LEARNING_RATE,
                    BayesSearchSettings.SWITCH_MOMENTUM, switches.size());
            int groups = switches.groups().size();
            gammas = new double[groups];
            omegas = new double[groups];
            SplittableRandom priors = new SplittableRandom(SeedStreams.derive(settings.seed(), 0, Stream.BAYES_PRIORS));
            for (int g = 0; g < groups; g++) {
                // 1 − U[0, 1) lies in (0, 1]: γ must be positive.
                gammas[g] = 1 - priors.nextDouble();
                omegas[g] = 1 - priors.nextDouble();
            }
        }

        Result search(LabeledImages normal, LabeledImages switchSplit) {
            List<List<GroupUpdate>> iterations = new ArrayList<>();
            try (Optimizer weightSgd = net.sgd(BayesSearchSettings.LEARNING_RATE, BayesSearchSettings.MOMENTUM,
                    BayesSearchSettings.WEIGHT_DECAY, false, weights);
                 BatchTensors batch = new BatchTensors(engine, net,
                         normal.channels(), normal.height(), normal.width())) {
                net.setTrain(true);
                setSwitchesTrainable(false);
                listener.onStage("weights-only epoch on " + normal.count() + " images");
                epoch("weights", normal, weightSgd, batch, SeedStreams.derive(settings.seed(), 0,
                        Stream.BAYES_WEIGHT_ORDER), false);
                setSwitchesTrainable(true);
                for (int iteration = 1; iteration <= settings.iterations(); iteration++) {
                    listener.onStage("iteration " + iteration + ": joint epoch on " + switchSplit.count() + " images");
                    epoch("joint " + iteration, switchSplit, weightSgd, batch, SeedStreams.derive(settings.seed(),
                            iteration, Stream.BAYES_SWITCH_ORDER), true);
                    iterations.add(update(lastBatchHessians(batch)));
                }
            }
            return new Result(iterations, GenotypeDerivation.derive(settings.layout().topology(),
                    iterations.getLast()));
        }

        private void setSwitchesTrainable(boolean trainable) {
            for (int parameter : switches.parameters()) {
                net.setTrainable(parameter, trainable);
            }
        }

        private void epoch(String stage, LabeledImages data, Optimizer weightSgd, BatchTensors batch,
                           long orderSeed, boolean stepSwitches) {
            int[] order = Shuffle.permutation(data.count(), new SplittableRandom(orderSeed));
            int steps = Math.ceilDiv(data.count(), settings.batch());
            for (int step = 0; step < steps; step++) {
                int from = step * settings.batch();
                int size = Math.min(settings.batch(), data.count() - from);
                int[] labels = batch.load(data, order, from, size);
                net.bindInput(input, batch.images());
                net.forward(batch.logits());
                CrossEntropyResult loss = engine.crossEntropy(batch.logits(), labels, 0f, batch.gradLogits());
                net.zeroGrad();
                net.backward(batch.gradLogits());
                weightSgd.step();
                if (stepSwitches) {
                    stepSwitches();
                }
                listener.onStep(stage, step + 1, steps, loss.loss());
            }
        }

        /** The switches' step on the cross-entropy gradient plus the group-lasso gradient with the current ω. */
        private void stepSwitches() {
            float[] values = switches.values();
            float[] gradients = switches.gradients();
            for (int g = 0; g < gammas.length; g++) {
                double[] penalty = GroupLasso.gradient(lambda(g), omegas[g], switches.group(values, g));
                int[] positions = switches.positions(g);
                for (int c = 0; c < positions.length; c++) {
                    gradients[positions[c]] += (float) penalty[c];
                }
            }
            switchSgd.step(values, gradients);
            switches.write(values);
        }

        private double lambda(int group) {
            return switches.groups().get(group).origin() ? settings.lambdas().lambdaOrigin()
                    : settings.lambdas().lambdaOp();
        }

        /**
         * A fresh forward of the epoch's last mini-batch (still bound), then the Hessian pass seeded by its CE. The
         * Laplace approximation wants the Hessian of the batch's summed loss (the likelihood of its samples), as the
         * reference's seed p(1 − p) per row and its sum over rows give; the engine's seed is for the mean loss, so
         * the diagonal is scaled by the batch size.
         */
        private float[] lastBatchHessians(BatchTensors batch) {
            net.forward(batch.logits());
            try (Tensor seed = engine.tensor(batch.logits().shape())) {
                engine.crossEntropyHessianDiag(batch.logits(), seed);
                net.hessianDiag(seed);
            }
            float[] hessians = switches.hessians();
            int size = Math.toIntExact(batch.logits().shape()[0]);
            for (int i = 0; i < hessians.length; i++) {
                hessians[i] *= size;
            }
            return hessians;
        }

        /** The ARD update of every group, in one batched engine call; each op group's parent is its edge's origin. */
        private List<GroupUpdate> update(float[] hessians) {
            float[] values = switches.values();
            Map<String, Integer> originOfEdge = new HashMap<>();
            List<SwitchGroup> groups = new ArrayList<>();
            int[] parents = new int[gammas.length];
            for (int g = 0; g < gammas.length; g++) {
                SwitchGroupSlots slots = switches.groups().get(g);
                groups.add(new SwitchGroup(switches.group(values, g), switches.group(hessians, g), gammas[g],
                        slots.origin()));
                // An edge's origin group comes before its op groups in the group order.
                String edge = edgeKey(slots.cellType(), slots.edge());
                if (slots.origin()) {
                    originOfEdge.put(edge, g);
                }
                parents[g] = slots.origin() ? -1 : originOfEdge.get(edge);
            }
            List<ArdUpdate.Result> results = settings.lambdas().update(engine, groups, parents);
            List<GroupUpdate> updates = new ArrayList<>();
            for (int g = 0; g < gammas.length; g++) {
                ArdUpdate.Result result = results.get(g);
                gammas[g] = result.gamma();
                omegas[g] = result.omega();
                updates.add(new GroupUpdate(switches.groups().get(g), groups.get(g).switches(),
                        groups.get(g).hessians(), result.covariances(), result.omega(), result.gamma()));
            }
            return updates;
        }
    }

    private static String edgeKey(CellType type, BayesEdge edge) {
        return type.label() + "/" + edge.name();
    }
}
