package dev.jnas.space.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeedModelsTest {

    /** 1 stem conv, 2 convs per block, 2 projection shortcuts, 1 dense: 20 weighted layers in 9 blocks. */
    @Test
    void resnet20HasTwentyWeightedLayers() {
        ProgramGraph resnet = SeedModels.resnet20(10);
        assertEquals(20, count(resnet, OpType.CONV) - 2 + count(resnet, OpType.DENSE));
        assertEquals(9, resnet.blocks().size());
        assertEquals(List.of("stage2.block0.conv1", "stage2.block0.bn1", "stage2.block0.relu1", "stage2.block0.conv2",
                        "stage2.block0.bn2", "stage2.block0.shortcut.conv", "stage2.block0.shortcut.bn",
                        "stage2.block0.add", "stage2.block0.relu2"),
                resnet.block("stage2.block0").ops());
        assertEquals(7, resnet.block("stage1.block1").ops().size());
    }

    @Test
    void resnet18HasEightBlocksInFourStages() {
        ProgramGraph resnet = SeedModels.resnet18(10);
        assertEquals(8, resnet.blocks().size());
        assertEquals(18, count(resnet, OpType.CONV) - 3 + count(resnet, OpType.DENSE));
        assertEquals(TensorShape.of(1, 512, 4, 4),
                ShapeInference.infer(resnet, TensorShape.of(1, 3, 32, 32)).of("stage4.block1.relu2"));
    }

    @Test
    void smallCnnHasTwoConvBlocks() {
        ProgramGraph cnn = SeedModels.smallCnn(10);
        assertEquals(List.of("block1", "block2"), cnn.blocks().stream().map(Block::name).toList());
        assertEquals(List.of(SeedModels.INPUT), cnn.inputs());
        assertEquals(List.of(SeedModels.OUTPUT), cnn.outputs());
    }

    @Test
    void rejectsMismatchedStages() {
        assertEquals("a ResNet needs one width per stage, got 2 stages and 1 widths",
                assertThrows(IllegalArgumentException.class,
                        () -> SeedModels.resnet(new int[] {1, 1}, new int[] {8}, 10)).getMessage());
        assertEquals("stage 1 needs at least one block, got 0", assertThrows(IllegalArgumentException.class,
                () -> SeedModels.resnet(new int[] {1, 0}, new int[] {8, 16}, 10)).getMessage());
    }

    private static long count(ProgramGraph graph, OpType type) {
        return graph.ops().stream().filter(op -> op.type() == type).count();
    }
}
