package dev.jnas.search.bayesnas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jnas.bindings.Backend;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import dev.jnas.space.bayescell.BayesGraph;
import dev.jnas.space.bayescell.BayesSupernet;
import dev.jnas.space.bayescell.BayesSwitches;
import dev.jnas.space.bayescell.SwitchGroupSlots;
import dev.jnas.space.bayescell.SwitchSlot;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SwitchVectorTest {
    private static final int BATCH = 4;

    /**
     * After a Hessian pass, each group's Hessians are the slots' own entries read straight from the net, in cell
     * order; every switch scalar sits in exactly one group, so the groups' Hessians sum to the switches' total.
     */
    @Test
    void groupHessiansLineUpWithTheirSlots() {
        try (Engine engine = Engine.open(Backend.CPU); GraphBuilder graph = GraphBuilder.create()) {
            BayesGraph nodes = BayesSupernet.build(graph, TinySearch.LAYOUT);
            Net net = Net.compile(engine, graph, nodes.output(), Init.PYTORCH_DEFAULT, 3);
            Tensor images = engine.tensor(BATCH, 1, TinySearch.LAYOUT.imageSize(), TinySearch.LAYOUT.imageSize());
            images.fillNormal(3, 0, 0f, 1f);
            net.bindInput(nodes.input(), images);
            List<SwitchGroupSlots> groups = BayesSwitches.groups(TinySearch.LAYOUT);
            SwitchVector vector = new SwitchVector(net, groups);
            // Distinct switch values make a mix-up of slots visible in the Hessians (H_s depends on the other gates).
            float[] values = new float[vector.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = 0.5f + i / (float) values.length;
            }
            vector.write(values);
            assertArrayEquals(values, vector.values());
            try (Tensor logits = net.forward(); Tensor seed = engine.tensor(logits.shape())) {
                engine.crossEntropyHessianDiag(logits, seed);
                net.hessianDiag(seed);
            }
            float[] hessians = vector.hessians();
            int[] covered = new int[vector.size()];
            double groupTotal = 0;
            for (int g = 0; g < groups.size(); g++) {
                List<SwitchSlot> slots = groups.get(g).slots();
                double[] groupHessians = vector.group(hessians, g);
                double[] groupValues = vector.group(values, g);
                for (int c = 0; c < slots.size(); c++) {
                    int parameter = net.findParam(slots.get(c).parameter());
                    assertEquals(net.readHessian(parameter)[slots.get(c).index()], groupHessians[c], 0.0,
                            groups.get(g).label() + " cell " + c);
                    assertEquals(net.readParam(parameter)[slots.get(c).index()], groupValues[c], 0.0);
                    groupTotal += groupHessians[c];
                }
                for (int position : vector.positions(g)) {
                    covered[position]++;
                }
            }
            assertArrayEquals(filled(vector.size()), covered);
            double total = 0;
            for (int parameter : vector.parameters()) {
                for (float h : net.readHessian(parameter)) {
                    total += h;
                }
            }
            assertEquals(total, groupTotal, 1e-9 * Math.abs(total));
            assertNotEquals(0.0, total);
            // 5 cells × 8 edges × (1 origin + 7 ops).
            assertEquals(5 * 8 * 8, vector.size());
        }
    }

    private static int[] filled(int size) {
        int[] ones = new int[size];
        Arrays.fill(ones, 1);
        return ones;
    }
}
