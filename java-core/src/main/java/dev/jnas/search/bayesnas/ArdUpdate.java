package dev.jnas.search.bayesnas;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hyperparameter update of BayesNAS after a switch-training epoch (reference: {@code Algorithm.update}), the
 * re-weighted l1 form of sparse Bayesian learning with the Gram matrix replaced by the loss Hessian (Laplace):
 * <pre>
 *   H̃_c = H_c / λ                       (λ_o for an origin switch, λ_c for an op switch)
 *   C_c = (1/γ + H̃_c)⁻¹                 posterior variance per cell
 *   ω   = sqrt(Σ_c |1/γ − C_c/γ²|)      computed as sqrt(Σ_c H̃_c/(1 + γ·H̃_c)), the same without cancellation
 *   γ'  = ‖s‖₂ / ω
 *   origin switch: γ_new = γ'
 *   op switch:     γ_new = (1/γ' + 1/γ_origin)⁻¹   the edge's variance caps its ops' (the HARD prior)
 * </pre>
 * The arithmetic is the engine's batched kernel ({@link Engine#ardUpdate}, one call for all groups of a cell count),
 * which also fixes the two points outside the formulas' domain: a group at γ = 0 stays pruned, and a group the loss
 * does not feel at all (ω = 0) is pruned rather than given γ = ‖s‖/0 = ∞. γ is one value per group here, so the
 * reference's reading of γ from the last cell (a quirk that matters only before the first update, when its cells
 * hold different random draws) does not arise.
 */
public record ArdUpdate(double lambdaOrigin, double lambdaOp) {
    /** The reference's λ_o = λ_c = 0.01. */
    public static final double DEFAULT_LAMBDA = 0.01;

    public ArdUpdate {
        if (!(lambdaOrigin > 0) || !(lambdaOp > 0) || Double.isInfinite(lambdaOrigin) || Double.isInfinite(lambdaOp)) {
            throw new IllegalArgumentException("λ_o and λ_c must be positive and finite, got " + lambdaOrigin + " and "
                    + lambdaOp);
        }
    }

    /**
     * A group's updated hyperparameters.
     *
     * @param covariances C_c per cell
     * @param omega       ω, the group lasso's new weight
     * @param gamma       γ after the update (for an op switch, combined with its edge's)
     */
    public record Result(double[] covariances, double omega, double gamma) {
    }

    /**
     * Updates every group. parents[g] is -1 for an origin group, else the index of the origin group of g's edge,
     * which has as many cells as g.
     *
     * @return one result per group, in the order given
     */
    public List<Result> update(Engine engine, List<SwitchGroup> groups, int[] parents) {
        if (parents.length != groups.size()) {
            throw new IllegalArgumentException(groups.size() + " groups but " + parents.length + " parents");
        }
        Map<Integer, List<Integer>> byCells = new TreeMap<>();
        int[] positions = new int[groups.size()];  // each group's index within its batch
        for (int g = 0; g < groups.size(); g++) {
            requireParent(groups, parents, g);
            List<Integer> batch = byCells.computeIfAbsent(groups.get(g).switches().length, k -> new ArrayList<>());
            positions[g] = batch.size();
            batch.add(g);
        }
        Result[] results = new Result[groups.size()];
        for (Map.Entry<Integer, List<Integer>> batch : byCells.entrySet()) {
            update(engine, groups, parents, positions, batch.getKey(), batch.getValue(), results);
        }
        return List.of(results);
    }

    /**
     * One engine call over the groups `members` (all with `cells` cells), parents renumbered into the batch by
     * positions (a parent has its child's cell count, so it is in the same batch).
     */
    private void update(Engine engine, List<SwitchGroup> groups, int[] parents, int[] positions, int cells,
            List<Integer> members, Result[] results) {
        int count = members.size();
        float[] switches = new float[count * cells];
        float[] hessians = new float[count * cells];
        float[] gammas = new float[count];
        float[] lambdas = new float[count];
        int[] batchParents = new int[count];
        for (int i = 0; i < count; i++) {
            SwitchGroup group = groups.get(members.get(i));
            for (int c = 0; c < cells; c++) {
                switches[i * cells + c] = (float) group.switches()[c];
                hessians[i * cells + c] = (float) group.hessians()[c];
            }
            gammas[i] = (float) group.gamma();
            lambdas[i] = (float) (group.origin() ? lambdaOrigin : lambdaOp);
            int parent = parents[members.get(i)];
            batchParents[i] = parent < 0 ? -1 : positions[parent];
        }
        try (Tensor s = engine.tensor(count, cells); Tensor h = engine.tensor(count, cells);
                Tensor gamma = engine.tensor(count); Tensor lambda = engine.tensor(count);
                Tensor covariances = engine.tensor(count, cells); Tensor omegas = engine.tensor(count)) {
            s.write(switches);
            h.write(hessians);
            gamma.write(gammas);
            lambda.write(lambdas);
            engine.ardUpdate(s, h, gamma, lambda, batchParents, covariances, omegas, gamma);
            float[] c = covariances.read();
            float[] omega = omegas.read();
            float[] updated = gamma.read();
            for (int i = 0; i < count; i++) {
                double[] groupCovariances = new double[cells];
                for (int k = 0; k < cells; k++) {
                    groupCovariances[k] = c[i * cells + k];
                }
                results[members.get(i)] = new Result(groupCovariances, omega[i], updated[i]);
            }
        }
    }

    private static void requireParent(List<SwitchGroup> groups, int[] parents, int g) {
        SwitchGroup group = groups.get(g);
        int parent = parents[g];
        if (group.origin() != (parent == -1)) {
            throw new IllegalArgumentException("group " + g + " is " + (group.origin() ? "an origin" : "an op")
                    + " switch group but its parent is " + parent + (group.origin() ? "; must be -1" : ""));
        }
        if (parent == -1) {
            return;
        }
        if (parent < 0 || parent >= groups.size() || !groups.get(parent).origin()) {
            throw new IllegalArgumentException("group " + g + "'s parent " + parent
                    + " is not an origin switch group of " + groups.size());
        }
        if (groups.get(parent).switches().length != group.switches().length) {
            throw new IllegalArgumentException("group " + g + " has " + group.switches().length
                    + " cells but its parent " + parent + " has " + groups.get(parent).switches().length);
        }
    }
}
