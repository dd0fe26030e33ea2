package dev.jnas.search.alphanas.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.program.Block;
import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.SeedModels;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockEditsTest {
    private static final TensorShape CIFAR = TensorShape.of(2, 3, 32, 32);
    private static final ProgramGraph RESNET = SeedModels.resnet20(10);
    private static final TensorShapes SHAPES = ShapeInference.infer(RESNET, CIFAR);

    @Test
    void onlyBlocksKeepingTheirShapeMayBeDuplicatedOrDeleted() {
        assertTrue(BlockEdits.shapePreserving(RESNET, RESNET.block("stage1.block1"), SHAPES));
        assertFalse(BlockEdits.shapePreserving(RESNET, RESNET.block("stage2.block0"), SHAPES));
    }

    @Test
    void blocksOfOneDesignAreOfOneKind() {
        long kind = BlockEdits.kind(RESNET, RESNET.block("stage1.block1"));
        assertEquals(kind, BlockEdits.kind(RESNET, RESNET.block("stage1.block2")));
        assertEquals(kind, BlockEdits.kind(RESNET, RESNET.block("stage1.block0")));
        assertNotEquals(kind, BlockEdits.kind(RESNET, RESNET.block("stage2.block1")));
    }

    @Test
    void aDuplicateFollowsItsBlockAndIsReadInItsPlace() {
        ProgramGraph child = BlockEdits.duplicate(RESNET, RESNET.block("stage1.block1"));
        assertEquals(RESNET.ops().size() + 7, child.ops().size());
        assertEquals(RESNET.blocks().size() + 1, child.blocks().size());
        Block copy = child.block("stage1.block1.copy");
        assertEquals(List.of("stage1.block1.copy.conv1", "stage1.block1.copy.bn1", "stage1.block1.copy.relu1",
                "stage1.block1.copy.conv2", "stage1.block1.copy.bn2", "stage1.block1.copy.add",
                "stage1.block1.copy.relu2"), copy.ops());
        assertEquals(List.of("stage1.block1.relu2"), child.op("stage1.block1.copy.conv1").inputs());
        assertEquals(List.of("stage1.block1.copy.relu2"), child.op("stage1.block2.conv1").inputs());
        assertTrue(GraphEdits.shapesIfFits(child, RESNET, Map.of(SeedModels.INPUT, CIFAR)).isPresent());
    }

    @Test
    void aDeletedBlockIsBypassed() {
        ProgramGraph child = BlockEdits.delete(RESNET, RESNET.block("stage1.block1"));
        assertEquals(RESNET.ops().size() - 7, child.ops().size());
        assertEquals(RESNET.blocks().size() - 1, child.blocks().size());
        assertEquals(List.of("stage1.block0.relu2"), child.op("stage1.block2.conv1").inputs());
        assertEquals(List.of("stage1.block2.bn2", "stage1.block0.relu2"), child.op("stage1.block2.add").inputs());
        assertTrue(GraphEdits.shapesIfFits(child, RESNET, Map.of(SeedModels.INPUT, CIFAR)).isPresent());
    }

    /** A block whose first conv became 1x1, copied over another instance of its kind. */
    @Test
    void aBlockCopiedOverAnotherReadsAndWritesTheOthersTensors() {
        Op conv = RESNET.op("stage1.block1.conv1");
        ProgramGraph changed = GraphEdits.replace(RESNET, Set.of(conv.name()),
                List.of(Op.conv(conv.name(), conv.inputs().get(0), FeatureCount.of(16), 1, 1)),
                Map.of(conv.name(), conv.name()));
        ProgramGraph child = BlockEdits.copyOver(changed, changed.block("stage1.block1"),
                changed.block("stage1.block2")).orElseThrow();
        assertEquals(1, child.op("stage1.block2.conv1").conv().kernel());
        assertEquals(List.of("stage1.block1.relu2"), child.op("stage1.block2.conv1").inputs());
        assertEquals(List.of("stage1.block2.relu2"), child.op("stage2.block0.conv1").inputs());
        assertEquals(RESNET.block("stage1.block2").ops().size(), child.block("stage1.block2").ops().size());
        long kind = BlockEdits.kind(child, child.block("stage1.block1"));
        assertEquals(kind, BlockEdits.kind(child, child.block("stage1.block2")));
        assertNotEquals(kind, BlockEdits.kind(child, child.block("stage1.block0")));
    }
}
