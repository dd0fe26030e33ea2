package dev.jnas.space.mbconv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.GraphMacs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FLOPs table against the engine's exact MAC counter over the built graphs: a one-hot architecture's table
 * FLOPs are its stand-alone model's conv MACs / 1e6 (the classifier, the only linear layer, is excluded by both),
 * and the supernet's conv MACs are every branch of every sub-block.
 */
class ExactFlopsTest {
    private static final double RELATIVE = 1e-12;

    static Stream<MbconvLayout> layouts() {
        int[] shortStages = {1, 2, 1, 1, 2, 1};
        return Stream.of(FlopsTableTest.TINY,
                MbconvLayout.cifar(1, 28, 10).scaled(0.25, shortStages),
                MbconvLayout.cifar(3, 32, 100),
                MbconvLayout.imageNet(3, 224, 1000),
                MbconvLayout.imageNet(3, 97, 10).scaled(0.5, shortStages));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void tableFlopsOfOneHotArchitecturesAreTheModelsConvMacs(MbconvLayout layout) {
        FlopsTable table = new FlopsTable(layout);
        for (MbconvArchitecture architecture : architectures(layout)) {
            GraphMacs macs = MbconvModel.macs(layout, architecture);
            double exact = macs.conv() / 1e6;
            assertEquals(exact, table.flops(architecture), RELATIVE * exact, architecture.toString());
            assertEquals((long) layout.headChannels() * layout.classes(), macs.linear());
        }
    }

    /** base + Σ_l (6 · (dw3 + dw5 + dw7) + expand + project): the counter counts every branch of a mixed edge. */
    @ParameterizedTest
    @MethodSource("layouts")
    void supernetConvMacsAreEveryBranch(MbconvLayout layout) {
        FlopsTable table = new FlopsTable(layout);
        double expected = table.base();
        for (int l = 0; l < layout.layerCount(); l++) {
            for (SubBlockChoice kernel : SubBlockChoice.KERNELS) {
                expected += MbconvLayout.SUB_BLOCKS * table.depthwise(l, kernel);
            }
            expected += table.expand(l) + table.project(l);
        }
        try (GraphBuilder graph = GraphBuilder.create()) {
            int output = MbconvSupernet.build(graph, layout).output();
            assertEquals(expected, graph.macs(output).conv() / 1e6, RELATIVE * expected);
        }
    }

    /**
     * Random prior-pool architectures (expansions 2..6), sampler paths (scattered sub-blocks), and the extremes:
     * every layer at expansion 1 (no expand conv) and every layer at 6.
     */
    private static List<MbconvArchitecture> architectures(MbconvLayout layout) {
        List<MbconvArchitecture> architectures = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(layout.layerCount());
        PathSampler sampler = new PathSampler(layout, 2);
        for (int i = 0; i < 3; i++) {
            architectures.add(PathSampler.random(layout, random));
            architectures.add(sampler.next());
        }
        architectures.add(uniform(layout, "7xxxxx"));
        architectures.add(uniform(layout, "357357"));
        architectures.add(withExpansionOne(PathSampler.random(layout, random)));
        return architectures;
    }

    private static MbconvArchitecture uniform(MbconvLayout layout, String layer) {
        return MbconvArchitecture.parse(String.join("|", Collections.nCopies(layout.layerCount(), layer)),
                layout.layerCount());
    }

    /** The architecture with every other layer cut to its sub-block 0. */
    private static MbconvArchitecture withExpansionOne(MbconvArchitecture architecture) {
        SubBlockChoice[][] choices = new SubBlockChoice[architecture.layerCount()][MbconvLayout.SUB_BLOCKS];
        for (int l = 0; l < choices.length; l++) {
            for (int b = 0; b < MbconvLayout.SUB_BLOCKS; b++) {
                choices[l][b] = l % 2 == 0 && b > 0 ? SubBlockChoice.SKIP : architecture.choice(l, b);
            }
        }
        return new MbconvArchitecture(choices);
    }
}
