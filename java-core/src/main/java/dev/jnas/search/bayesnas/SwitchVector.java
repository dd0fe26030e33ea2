package dev.jnas.search.bayesnas;

import dev.jnas.bindings.Net;
import dev.jnas.space.bayescell.SwitchGroupSlots;
import dev.jnas.space.bayescell.SwitchSlot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Every switch scalar of a compiled supernet as one flat host vector: the switch parameters one after another (in
 * the order the groups first name them), and for each group the positions of its slots, in cell order. Reading
 * values, gradients or Hessians costs one native call per switch parameter.
 */
public final class SwitchVector {
    private final Net net;
    private final List<SwitchGroupSlots> groups;
    private final int[] parameters;
    private final int[] offsets;
    private final int[][] positions;
    private final int size;

    public SwitchVector(Net net, List<SwitchGroupSlots> groups) {
        this.net = net;
        this.groups = List.copyOf(groups);
        Map<String, Integer> offsetByName = new LinkedHashMap<>();
        Map<String, Integer> indexByName = new LinkedHashMap<>();
        int total = 0;
        positions = new int[groups.size()][];
        for (int g = 0; g < groups.size(); g++) {
            List<SwitchSlot> slots = groups.get(g).slots();
            positions[g] = new int[slots.size()];
            for (int c = 0; c < slots.size(); c++) {
                SwitchSlot slot = slots.get(c);
                if (!offsetByName.containsKey(slot.parameter())) {
                    int index = net.findParam(slot.parameter());
                    indexByName.put(slot.parameter(), index);
                    offsetByName.put(slot.parameter(), total);
                    total += (int) net.paramNumel(index);
                }
                positions[g][c] = offsetByName.get(slot.parameter()) + slot.index();
            }
        }
        parameters = indexByName.values().stream().mapToInt(Integer::intValue).toArray();
        offsets = offsetByName.values().stream().mapToInt(Integer::intValue).toArray();
        size = total;
    }

    public List<SwitchGroupSlots> groups() {
        return groups;
    }

    /** The net's indices of the switch parameters. */
    public int[] parameters() {
        return parameters.clone();
    }

    /** The number of switch scalars. */
    public int size() {
        return size;
    }

    /** The flat positions of group g's slots, in cell order. */
    public int[] positions(int group) {
        return positions[group].clone();
    }

    public float[] values() {
        return gather(net::readParam);
    }

    /** The accumulated gradients of the last backward pass. */
    public float[] gradients() {
        return gather(net::readGrad);
    }

    /** The last {@link Net#hessianDiag} pass's diagonal. */
    public float[] hessians() {
        return gather(net::readHessian);
    }

    /** Writes a flat vector back to the switch parameters. */
    public void write(float[] values) {
        if (values.length != size) {
            throw new IllegalArgumentException("the supernet has " + size + " switches, got " + values.length
                    + " values");
        }
        for (int p = 0; p < parameters.length; p++) {
            int end = p + 1 < parameters.length ? offsets[p + 1] : size;
            float[] part = new float[end - offsets[p]];
            System.arraycopy(values, offsets[p], part, 0, part.length);
            net.writeParam(parameters[p], part);
        }
    }

    /** Group g's entries of a flat vector, in cell order. */
    public double[] group(float[] flat, int group) {
        double[] out = new double[positions[group].length];
        for (int c = 0; c < out.length; c++) {
            out[c] = flat[positions[group][c]];
        }
        return out;
    }

    private float[] gather(IntFunction<float[]> read) {
        float[] flat = new float[size];
        for (int p = 0; p < parameters.length; p++) {
            float[] part = read.apply(parameters[p]);
            System.arraycopy(part, 0, flat, offsets[p], part.length);
        }
        return flat;
    }
}
