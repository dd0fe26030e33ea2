package dev.jnas.search.alphanas.synthesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.SeedModels;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProgramMutatorTest {
    private static final TensorShape CIFAR = TensorShape.of(2, 3, 32, 32);
    private static final TensorShape FASHION = TensorShape.of(2, 1, 28, 28);

    @Test
    void sameSeedSameChild() {
        ProgramMutator mutator = ProgramMutator.cifar(SeedModels.INPUT, CIFAR, Alphabet.all());
        ProgramGraph parent = SeedModels.resnet20(10);
        for (int seed = 0; seed < 10; seed++) {
            Optional<ProgramGraph> first = mutator.mutate(parent, new SplittableRandom(seed));
            Optional<ProgramGraph> second = mutator.mutate(parent, new SplittableRandom(seed));
            assertEquals(first.map(ProgramGraph::ops), second.map(ProgramGraph::ops));
            assertEquals(first.map(ProgramGraph::blocks), second.map(ProgramGraph::blocks));
        }
    }

    /**
     * Evolution's use: a chain of children, each the parent of the next. Every child differs from its parent, its
     * shapes fit with the seed's logits, and the chain mostly moves (at least 3 in 5 generations give a child).
     */
    @Test
    void chainsOfChildrenStayValid() {
        assertChainValid(SeedModels.resnet20(10), CIFAR, Alphabet.all());
        assertChainValid(SeedModels.smallCnn(10), FASHION, Alphabet.all());
    }

    @Test
    void anAlphabetWithoutSomeTypesNeverPlacesThem() {
        Set<OpType> excluded = EnumSet.of(OpType.GELU, OpType.SWISH, OpType.SIGMOID, OpType.SOFTMAX,
                OpType.LAYER_NORM, OpType.GROUP_NORM, OpType.DROPOUT);
        Alphabet alphabet = Alphabet.all().excluding(excluded);
        ProgramGraph graph = assertChainValid(SeedModels.smallCnn(10), FASHION, alphabet);
        for (Op op : graph.ops()) {
            assertTrue(!excluded.contains(op.type()), op.describe());
        }
    }

    private static ProgramGraph assertChainValid(ProgramGraph seed, TensorShape input, Alphabet alphabet) {
        ProgramMutator mutator = ProgramMutator.cifar(SeedModels.INPUT, input, alphabet);
        TensorShape logits = ShapeInference.infer(seed, input).of(SeedModels.OUTPUT);
        SplittableRandom random = new SplittableRandom(7);
        ProgramGraph parent = seed;
        int children = 0;
        for (int generation = 0; generation < 40; generation++) {
            Optional<ProgramGraph> child = mutator.mutate(parent, random.split());
            if (child.isPresent()) {
                assertNotEquals(Fingerprint.of(parent), Fingerprint.of(child.get()));
                assertEquals(logits, ShapeInference.infer(child.get(), input).of(SeedModels.OUTPUT));
                parent = child.get();
                children++;
            }
        }
        assertTrue(children >= 24, children + " children in 40 generations");
        return parent;
    }
}
