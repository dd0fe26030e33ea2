package dev.jnas.search.compress;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import dev.jnas.search.bayesnas.ArdUpdate;
import dev.jnas.search.bayesnas.BayesSearchSettings;
import dev.jnas.search.bayesnas.EntropyRule;
import dev.jnas.search.bayesnas.GroupLasso;
import dev.jnas.search.bayesnas.SwitchGroup;
import dev.jnas.search.bayesnas.SwitchSgd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The switches of a gated {@link ModelNet}, one per unit, flattened layer after layer, with each one's prior: γ and ω
 * (every switch its own group of one, as the search's origin switches: no parent) and, to name it in logs, its
 * unit's index in the original model. Steps them on the host (BayesNAS's switch SGD with the lasso term), reads
 * their Hessians and runs the ARD update.
 */
final class UnitSwitches {
    private final Engine engine;
    private final ModelNet net;
    private final ArdUpdate ard;
    private final int[][] units;
    private final double[] gammas;
    private final double[] omegas;
    private final SwitchSgd sgd;

    /** Fresh priors: γ and ω drawn U(0, 1] per switch from priorSeed. */
    UnitSwitches(Engine engine, ModelNet net, ArdUpdate ard, long priorSeed) {
        this(engine, net, ard, identity(net.model()), new double[total(net.model())], new double[total(net.model())]);
        SplittableRandom priors = new SplittableRandom(priorSeed);
        for (int i = 0; i < gammas.length; i++) {
            // 1 − U[0, 1) lies in (0, 1]: γ must be positive.
            gammas[i] = 1 - priors.nextDouble();
            omegas[i] = 1 - priors.nextDouble();
        }
    }

    private UnitSwitches(Engine engine, ModelNet net, ArdUpdate ard, int[][] units, double[] gammas, double[] omegas) {
        this.engine = engine;
        this.net = net;
        this.ard = ard;
        this.units = units;
        this.gammas = gammas;
        this.omegas = omegas;
        this.sgd = new SwitchSgd(BayesSearchSettings.SWITCH_LEARNING_RATE, BayesSearchSettings.SWITCH_MOMENTUM,
                gammas.length);
    }

    int size() {
        return gammas.length;
    }

    /** One SGD step of every switch along its cross-entropy gradient plus λ·ω·sign(s). */
    void step() {
        float[] values = gather(net.net()::readParam);
        float[] gradients = gather(net.net()::readGrad);
        for (int i = 0; i < values.length; i++) {
            gradients[i] += (float) GroupLasso.gradient(ard.lambdaOrigin(), omegas[i], new double[] {values[i]})[0];
        }
        sgd.step(values, gradients);
        int at = 0;
        for (int l = 0; l < units.length; l++) {
            float[] layer = new float[units[l].length];
            System.arraycopy(values, at, layer, 0, layer.length);
            net.net().writeParam(net.gateParameter(l), layer);
            at += layer.length;
        }
    }

    /**
     * The switches' diagonal Hessian on a fresh forward of the last batch (still bound) whose logits are given. As
     * in the search, the Laplace approximation wants the Hessian of the batch's summed loss, so the engine's
     * mean-loss seed is scaled by the batch size.
     */
    float[] lastBatchHessians(Tensor logits) {
        Net model = net.net();
        model.forward(logits);
        try (Tensor seed = engine.tensor(logits.shape())) {
            engine.crossEntropyHessianDiag(logits, seed);
            model.hessianDiag(seed);
        }
        float[] hessians = gather(model::readHessian);
        long size = logits.shape()[0];
        for (int i = 0; i < hessians.length; i++) {
            hessians[i] *= size;
        }
        return hessians;
    }

    /**
     * The ARD update of every switch from its Hessian, all in one engine call. The kernel's two rules outside the
     * formulas' domain matter here: a switch already at γ = 0 stays there; and a switch whose Hessian is exactly 0
     * belongs to a unit the ReLU silenced on every sample of the batch (H_s = Σ z²·H_y and H_y is 0 wherever the ReLU
     * is off), where ω = 0 and γ = |s|/0 would keep a dead unit forever: it is pruned, since removing it leaves the
     * batch's loss unchanged.
     */
    List<UnitUpdate> update(float[] hessians) {
        float[] values = gather(net.net()::readParam);
        List<SwitchGroup> groups = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            groups.add(new SwitchGroup(new double[] {values[i]}, new double[] {hessians[i]}, gammas[i], true));
        }
        int[] noParents = new int[values.length];
        Arrays.fill(noParents, -1);
        List<ArdUpdate.Result> results = ard.update(engine, groups, noParents);
        List<UnitUpdate> updates = new ArrayList<>();
        int i = 0;
        for (int l = 0; l < units.length; l++) {
            for (int u = 0; u < units[l].length; u++, i++) {
                ArdUpdate.Result result = results.get(i);
                gammas[i] = result.gamma();
                omegas[i] = result.omega();
                updates.add(new UnitUpdate(net.model().layerName(l), units[l][u], values[i], hessians[i],
                        result.covariances()[0], omegas[i], gammas[i]));
            }
        }
        return updates;
    }

    /**
     * Which units the entropy rule keeps, per layer; a layer that would lose every unit keeps the one of largest γ,
     * since a layer of width 0 would cut the network.
     */
    boolean[][] kept() {
        boolean[][] kept = new boolean[units.length][];
        int i = 0;
        for (int l = 0; l < units.length; l++) {
            kept[l] = new boolean[units[l].length];
            int best = i;
            boolean any = false;
            for (int u = 0; u < kept[l].length; u++, i++) {
                kept[l][u] = !EntropyRule.pruned(gammas[i]);
                any |= kept[l][u];
                best = gammas[i] > gammas[best] ? i : best;
            }
            if (!any) {
                kept[l][best - (i - kept[l].length)] = true;
            }
        }
        return kept;
    }

    /** The kept switches' priors carried to smaller, the net the surgery made from this one with kept. */
    UnitSwitches keep(boolean[][] kept, ModelNet smaller) {
        int[][] keptUnits = new int[units.length][];
        List<Double> keptGammas = new ArrayList<>();
        List<Double> keptOmegas = new ArrayList<>();
        int i = 0;
        for (int l = 0; l < units.length; l++) {
            keptUnits[l] = new int[NetworkSurgery.count(kept[l])];
            int at = 0;
            for (int u = 0; u < units[l].length; u++, i++) {
                if (kept[l][u]) {
                    keptUnits[l][at++] = units[l][u];
                    keptGammas.add(gammas[i]);
                    keptOmegas.add(omegas[i]);
                }
            }
        }
        return new UnitSwitches(engine, smaller, ard, keptUnits,
                keptGammas.stream().mapToDouble(Double::doubleValue).toArray(),
                keptOmegas.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private float[] gather(IntFunction<float[]> read) {
        float[] flat = new float[gammas.length];
        int at = 0;
        for (int l = 0; l < units.length; l++) {
            float[] layer = read.apply(net.gateParameter(l));
            System.arraycopy(layer, 0, flat, at, layer.length);
            at += layer.length;
        }
        return flat;
    }

    private static int total(CompressibleModel model) {
        int total = 0;
        for (int width : model.widths()) {
            total += width;
        }
        return total;
    }

    private static int[][] identity(CompressibleModel model) {
        int[][] units = new int[model.unitLayers()][];
        for (int l = 0; l < units.length; l++) {
            units[l] = IntStream.range(0, model.width(l)).toArray();
        }
        return units;
    }
}
