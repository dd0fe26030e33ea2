package dev.jnas.search.compress;

import dev.jnas.bindings.Net;
import java.util.Arrays;

/**
 * Copies a gated network's surviving units into a physically smaller one: every unit layer keeps the rows (filters
 * or neurons) its mask keeps, together with their bias, batch-norm parameters and running statistics, and the next
 * layer keeps only the matching input channels (for the first fully connected layer after the convolutions, the
 * channel's block of flattened positions). With switches folded, each kept unit's switch value multiplies its
 * weights and bias, or its batch-norm γ and β, which is exact since the switch sits before the ReLU; otherwise the
 * target is gated too and gets the kept switch values.
 *
 * <p>A pruned unit's switch multiplies its output by 0, so the smaller network computes exactly what the gated one
 * computes with the pruned switches at 0.
 */
public final class NetworkSurgery {
    private NetworkSurgery() {
    }

    /**
     * Writes source's kept units into target, whose model must be source's with each layer's width the count of
     * kept[l]; target must be gated exactly when foldSwitches is false.
     */
    public static void copy(ModelNet source, boolean[][] kept, boolean foldSwitches, ModelNet target) {
        CompressibleModel model = source.model();
        if (!source.gated()) {
            throw new IllegalArgumentException("the source of a network surgery must carry switches");
        }
        if (target.gated() == foldSwitches) {
            throw new IllegalArgumentException(foldSwitches ? "folded switches need an ungated target"
                    : "kept switches need a gated target");
        }
        if (kept.length != model.unitLayers()) {
            throw new IllegalArgumentException("model " + model.name() + " has " + model.unitLayers()
                    + " unit layers, got " + kept.length + " masks");
        }
        int[] widths = new int[kept.length];
        for (int l = 0; l < kept.length; l++) {
            if (kept[l].length != model.width(l)) {
                throw new IllegalArgumentException("layer " + model.layerName(l) + " has " + model.width(l)
                        + " units, its mask " + kept[l].length);
            }
            widths[l] = count(kept[l]);
        }
        if (!model.withWidths(widths).equals(target.model())) {
            throw new IllegalArgumentException("the target model " + target.model() + " is not " + model.name()
                    + " with the kept widths " + Arrays.toString(widths));
        }
        Net from = source.net();
        Net to = target.net();
        for (int l = 0; l <= model.unitLayers(); l++) {
            boolean classifier = l == model.unitLayers();
            boolean[] rows = classifier ? all(model.classes()) : kept[l];
            boolean[] inputs = l == 0 ? all(model.channels()) : kept[l - 1];
            float[] gate = classifier ? null : from.readParam(source.gateParameter(l));
            float[] scale = foldSwitches && !classifier ? gate : null;
            boolean batchNorm = model.hasBatchNorm(l);
            String layer = model.layerName(l);
            copyParam(from, to, layer + ".weight", rows, inputs, batchNorm ? null : scale);
            if (!batchNorm) {
                copyParam(from, to, layer + ".bias", rows, null, scale);
            } else {
                String bn = model.batchNormName(l);
                copyParam(from, to, bn + ".weight", rows, null, scale);
                copyParam(from, to, bn + ".bias", rows, null, scale);
                copyParam(from, to, bn + ".running_mean", rows, null, null);
                copyParam(from, to, bn + ".running_var", rows, null, null);
            }
            if (!classifier && !foldSwitches) {
                copyParam(from, to, model.gateName(l), rows, null, null);
            }
        }
    }

    /**
     * Copies the parameter called name, viewed as [rows, columns] with columns in blocks, one block per input unit
     * (conv: the input channel's kernel window; linear after a conv: the channel's flattened positions; else one
     * column): the kept rows, within them the blocks of kept inputs (all columns when keptInputs is null), each row
     * times scale[row] when scale is given.
     */
    private static void copyParam(Net from, Net to, String name, boolean[] keptRows, boolean[] keptInputs,
                                  float[] scale) {
        float[] values = from.readParam(from.findParam(name));
        int rows = keptRows.length;
        int columns = values.length / rows;
        int block = keptInputs == null ? columns : columns / keptInputs.length;
        int keptColumns = keptInputs == null ? columns : count(keptInputs) * block;
        float[] out = new float[count(keptRows) * keptColumns];
        int at = 0;
        for (int r = 0; r < rows; r++) {
            if (!keptRows[r]) {
                continue;
            }
            float factor = scale == null ? 1f : scale[r];
            for (int c = 0; c < columns; c++) {
                if (keptInputs == null || keptInputs[c / block]) {
                    out[at++] = factor * values[r * columns + c];
                }
            }
        }
        to.writeParam(to.findParam(name), out);
    }

    static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) {
            count += flag ? 1 : 0;
        }
        return count;
    }

    private static boolean[] all(int size) {
        boolean[] flags = new boolean[size];
        Arrays.fill(flags, true);
        return flags;
    }
}
