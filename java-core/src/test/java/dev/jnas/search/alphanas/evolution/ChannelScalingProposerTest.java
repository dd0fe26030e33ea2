package dev.jnas.search.alphanas.evolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ProgramText;
import dev.jnas.space.program.SeedModels;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChannelScalingProposerTest {
    private static final TensorShape INPUT = TensorShape.of(1, 1, 28, 28);

    @Test
    void childrenKeepTheOutputShapeAndDifferFromTheirParent() {
        ChannelScalingProposer proposer = new ChannelScalingProposer(INPUT);
        ProgramGraph parent = SeedModels.resnet20(10);
        String parentText = ProgramText.format(parent);
        Set<String> children = new HashSet<>();
        int fewerOps = 0;
        for (int seed = 0; seed < 40; seed++) {
            ProgramGraph child = proposer.propose(parent, new SplittableRandom(seed)).orElseThrow();
            assertEquals(TensorShape.of(1, 10), ShapeInference.infer(child, INPUT).of(SeedModels.OUTPUT));
            String text = ProgramText.format(child);
            assertNotEquals(parentText, text);
            children.add(text);
            if (child.ops().size() < parent.ops().size()) {
                fewerOps++;
                assertEquals(parent.blocks().size() - 1, child.blocks().size());
            }
        }
        assertTrue(children.size() > 10, "only " + children.size() + " distinct children");
        assertTrue(fewerOps > 5 && fewerOps < 35, fewerOps + " of 40 children removed a block");
    }

    @Test
    void removesOnlyBlocksThatKeepShapes() {
        // ResNet-20's 9 blocks: the first of stages 2 and 3 change width and size, the other 7 can go.
        ChannelScalingProposer proposer = new ChannelScalingProposer(INPUT);
        ProgramGraph parent = SeedModels.resnet20(10);
        Set<String> removed = new HashSet<>();
        for (int seed = 0; seed < 200; seed++) {
            ProgramGraph child = proposer.propose(parent, new SplittableRandom(seed)).orElseThrow();
            parent.blocks().stream().filter(block -> !child.blocks().contains(block))
                    .forEach(block -> removed.add(block.name()));
        }
        assertEquals(Set.of("stage1.block0", "stage1.block1", "stage1.block2", "stage2.block1", "stage2.block2",
                "stage3.block1", "stage3.block2"), removed);
    }

    @Test
    void sameRandomSameChild() {
        ChannelScalingProposer proposer = new ChannelScalingProposer(INPUT);
        ProgramGraph parent = SeedModels.smallCnn(10);
        Optional<ProgramGraph> first = proposer.propose(parent, new SplittableRandom(9));
        Optional<ProgramGraph> second = proposer.propose(parent, new SplittableRandom(9));
        assertEquals(ProgramText.format(first.orElseThrow()), ProgramText.format(second.orElseThrow()));
    }
}
