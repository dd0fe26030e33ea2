package dev.jnas.search.alphanas.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.search.alphanas.Subgraph;
import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.SeedModels;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import dev.jnas.space.program.TensorShapes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplicingTest {
    private static final TensorShape CIFAR = TensorShape.of(2, 3, 32, 32);
    private static final Map<String, TensorShape> INPUTS = Map.of(SeedModels.INPUT, CIFAR);
    private static final ProgramGraph RESNET = SeedModels.resnet20(10);

    @Test
    void childrenWhoseShapesDoNotFitAreRejected() {
        assertTrue(GraphEdits.shapesIfFits(RESNET, RESNET, INPUTS).isPresent());
        // The residual branch doubles its channels: the add sees 32 and 16 channels.
        assertTrue(GraphEdits.shapesIfFits(withConv("stage1.block1.conv2", FeatureCount.of(32)), RESNET, INPUTS)
                .isEmpty());
        // Every op fits, but the logits have 5 classes instead of 10.
        Op head = RESNET.op(SeedModels.OUTPUT);
        ProgramGraph fiveClasses = GraphEdits.replace(RESNET, Set.of(head.name()),
                List.of(Op.dense(head.name(), head.inputs().get(0), FeatureCount.of(5))), Map.of());
        assertTrue(GraphEdits.shapesIfFits(fiveClasses, RESNET, INPUTS).isEmpty());
    }

    /**
     * With shapes relaxed away entirely, edges may change their widths and resolutions; the children that come
     * back must still fit (each of their ops, and the logits' shape).
     */
    @Test
    void relaxedShapesNeverYieldAChildThatDoesNotFit() {
        MutationRates noShapes = new MutationRates(1, 0.5, 0.5);
        GraphSynthesizer synthesizer = new GraphSynthesizer(new ProgressiveSynthesizer(Alphabet.all()), noShapes);
        TensorShapes shapes = ShapeInference.infer(RESNET, INPUTS);
        int children = 0;
        for (int trial = 0; trial < 40; trial++) {
            SplittableRandom random = new SplittableRandom(trial);
            Subgraph region = SubgraphSelector.cifar().select(RESNET, random);
            PropertySet requested = PropertySet.infer(region, shapes).mutate(noShapes, random);
            Optional<GraphSynthesizer.Synthesis> synthesis = synthesizer.synthesize(region, INPUTS, requested, random);
            if (synthesis.isPresent()) {
                children++;
                assertEquals(TensorShape.of(2, 10),
                        ShapeInference.infer(synthesis.get().child(), INPUTS).of(SeedModels.OUTPUT));
            }
        }
        assertTrue(children > 0);
    }

    private static ProgramGraph withConv(String name, FeatureCount features) {
        Op conv = RESNET.op(name);
        return GraphEdits.replace(RESNET, Set.of(name), List.of(Op.conv(name, conv.inputs().get(0), features,
                conv.conv().kernel(), conv.conv().stride())), Map.of(name, name));
    }
}
