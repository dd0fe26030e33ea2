package dev.jnas.search.alphanas.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.SeedModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void namesDoNotMatter() {
        ProgramGraph resnet = SeedModels.resnet20(10);
        ProgramGraph.Builder renamed = ProgramGraph.builder().input("pixels");
        GraphEdits.renamed(resnet.ops(), name -> name.equals(SeedModels.INPUT) ? "pixels" : "n/" + name)
                .forEach(renamed::add);
        ProgramGraph other = renamed.output("n/" + SeedModels.OUTPUT).build();
        assertEquals(Fingerprint.of(resnet), Fingerprint.of(other));
    }

    @Test
    void aChangedSettingChangesIt() {
        assertNotEquals(Fingerprint.of(residual(3, 0.5, false)), Fingerprint.of(residual(1, 0.5, false)));
        assertNotEquals(Fingerprint.of(residual(3, 0.5, false)), Fingerprint.of(residual(3, 0.25, false)));
    }

    @Test
    void addCommutesAndIdentityIsItsInput() {
        assertEquals(Fingerprint.of(residual(3, 0.5, false)), Fingerprint.of(residual(3, 0.5, true)));
        ProgramGraph.Builder withIdentity = ProgramGraph.builder().input("x");
        withIdentity.add(Op.conv("conv", withIdentity.add(Op.of(OpType.IDENTITY, "same", "x")),
                FeatureCount.same(), 3, 1));
        ProgramGraph.Builder without = ProgramGraph.builder().input("x");
        without.add(Op.conv("conv", "x", FeatureCount.same(), 3, 1));
        assertEquals(Fingerprint.of(without.output("conv").build()),
                Fingerprint.of(withIdentity.output("conv").build()));
    }

    /** x → conv (kernel) → scale (factor), added to x (in either order). */
    private static ProgramGraph residual(int kernel, double factor, boolean swapped) {
        ProgramGraph.Builder graph = ProgramGraph.builder().input("x");
        String y = graph.add(Op.scalarMul("scale", graph.add(Op.conv("conv", "x", FeatureCount.same(), kernel, 1)),
                factor));
        List<String> inputs = swapped ? List.of("x", y) : List.of(y, "x");
        graph.add(new Op("add", OpType.ADD, inputs, new dev.jnas.space.program.OpParams.None()));
        return graph.output("add").build();
    }
}
