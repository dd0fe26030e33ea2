package dev.jnas.search.sgnas;

import dev.jnas.metrics.KendallTau;
import dev.jnas.space.mbconv.FlopsTable;
import dev.jnas.space.mbconv.MbconvArchitecture;

/**
 * Model selection of the generator (reference: evaluate after every epoch): hard architectures for every target of
 * the evaluation grid, generated in one forward pass, scored by the summed constraint loss of their table FLOPs
 * and by the Kendall τ between targets and FLOPs.
 */
public record GeneratorEvaluation(double[] targets, MbconvArchitecture[] architectures, double[] flops,
                                  double totalConstraintLoss, double kendallTau) {

    /** Generates and scores the architectures for targets. */
    public static GeneratorEvaluation of(ArchitectureGenerator generator, double[] targets, TargetRange range,
                                         PriorPool pool, FlopsTable table, HardwareConstraintLoss loss) {
        float[][] logits = generator.generate(targets, range, pool);
        MbconvArchitecture[] architectures = new MbconvArchitecture[targets.length];
        double[] flops = new double[targets.length];
        double total = 0;
        for (int i = 0; i < targets.length; i++) {
            architectures[i] = MbconvArchitecture.fromLogits(logits[i], generator.layers());
            flops[i] = table.flops(architectures[i]);
            total += loss.value(flops[i], targets[i]);
        }
        double tau = targets.length > 1 ? KendallTau.tauB(targets, flops) : Double.NaN;
        return new GeneratorEvaluation(targets, architectures, flops, total, tau);
    }
}
