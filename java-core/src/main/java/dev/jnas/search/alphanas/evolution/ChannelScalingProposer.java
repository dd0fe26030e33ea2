package dev.jnas.search.alphanas.evolution;

import dev.jnas.space.program.Block;
import dev.jnas.space.program.FeatureCount;
import dev.jnas.space.program.Op;
import dev.jnas.space.program.OpParams;
import dev.jnas.space.program.OpType;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A plain, property-free mutation for evolution without αNAS's synthesizer: half the time it halves or doubles
 * the output channels of a random convolution with a fixed width, otherwise it deletes a random block, wiring the
 * block's readers to the block's input. Blocks may only go if they read one tensor and one of their tensors is read
 * outside (e.g. a residual block), and at least one block stays. A child must infer shapes for the given input and
 * keep the parent's output shape; candidates that do not are passed over, and when none is left it tries the other
 * kind of change, then gives up (empty).
 */
public final class ChannelScalingProposer implements ChildProposer {
    private final TensorShape input;

    /** @param input the shape of the programs' input (batch included), to check that a child still fits */
    public ChannelScalingProposer(TensorShape input) {
        this.input = Objects.requireNonNull(input, "input");
    }

    @Override
    public Optional<ProgramGraph> propose(ProgramGraph parent, SplittableRandom random) {
        TensorShape output = outputShape(parent);
        boolean scaleFirst = random.nextBoolean();
        List<ProgramGraph> first = scaleFirst ? scaledChannels(parent, random) : withoutBlock(parent, random);
        List<ProgramGraph> second = scaleFirst ? withoutBlock(parent, random) : scaledChannels(parent, random);
        for (List<ProgramGraph> candidates : List.of(first, second)) {
            for (ProgramGraph child : candidates) {
                if (fits(child, output)) {
                    return Optional.of(child);
                }
            }
        }
        return Optional.empty();
    }

    /** One child per conv of fixed width, in random order, that conv's width halved or doubled (a coin each). */
    private List<ProgramGraph> scaledChannels(ProgramGraph parent, SplittableRandom random) {
        List<Op> convs = new ArrayList<>(parent.ops().stream().filter(op -> op.type() == OpType.CONV
                && op.conv().features() instanceof FeatureCount.Absolute).toList());
        shuffle(convs, random);
        List<ProgramGraph> children = new ArrayList<>();
        for (Op conv : convs) {
            OpParams.Conv params = conv.conv();
            int width = ((FeatureCount.Absolute) params.features()).count();
            boolean halve = random.nextBoolean() && width % 2 == 0;
            int scaled = halve ? width / 2 : width * 2;
            Op changed = new Op(conv.name(), OpType.CONV, conv.inputs(), new OpParams.Conv(FeatureCount.of(scaled),
                    params.kernel(), params.stride(), params.groups(), params.dilation()));
            children.add(rebuild(parent, op -> op.name().equals(conv.name()) ? changed : op, Set.of(), null, null));
        }
        return children;
    }

    /** One child per removable block, in random order, without that block. */
    private List<ProgramGraph> withoutBlock(ProgramGraph parent, SplittableRandom random) {
        List<ProgramGraph> children = new ArrayList<>();
        if (parent.blocks().size() < 2) {
            return children;
        }
        List<Block> blocks = new ArrayList<>(parent.blocks());
        shuffle(blocks, random);
        for (Block block : blocks) {
            Set<String> inside = new HashSet<>(block.ops());
            Set<String> reads = new HashSet<>();
            Set<String> readOutside = new HashSet<>();
            for (String name : block.ops()) {
                parent.op(name).inputs().stream().filter(tensor -> !inside.contains(tensor)).forEach(reads::add);
                boolean escapes = parent.outputs().contains(name)
                        || parent.consumers(name).stream().anyMatch(reader -> !inside.contains(reader.name()));
                if (escapes) {
                    readOutside.add(name);
                }
            }
            if (reads.size() == 1 && readOutside.size() == 1) {
                children.add(rebuild(parent, Function.identity(), inside, readOutside.iterator().next(),
                        reads.iterator().next()));
            }
        }
        return children;
    }

    /** parent with every op changed by change, the ops in removed dropped, and reads of from redirected to to. */
    private static ProgramGraph rebuild(ProgramGraph parent, Function<Op, Op> change, Set<String> removed,
                                        String from, String to) {
        Function<String, String> redirect = tensor -> tensor.equals(from) ? to : tensor;
        ProgramGraph.Builder child = ProgramGraph.builder();
        parent.inputs().forEach(child::input);
        for (Op op : parent.ops()) {
            if (!removed.contains(op.name())) {
                Op changed = change.apply(op);
                child.add(new Op(changed.name(), changed.type(), changed.inputs().stream().map(redirect).toList(),
                        changed.params()));
            }
        }
        parent.outputs().stream().map(redirect).forEach(child::output);
        parent.blocks().stream().filter(block -> !removed.containsAll(block.ops()))
                .forEach(block -> child.block(block.name(), block.ops()));
        return child.build();
    }

    private boolean fits(ProgramGraph child, TensorShape output) {
        try {
            return outputShape(child).equals(output);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private TensorShape outputShape(ProgramGraph graph) {
        return ShapeInference.infer(graph, input).of(graph.outputs().get(0));
    }

    private static <T> void shuffle(List<T> items, SplittableRandom random) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swap = items.get(i);
            items.set(i, items.get(j));
            items.set(j, swap);
        }
    }
}
