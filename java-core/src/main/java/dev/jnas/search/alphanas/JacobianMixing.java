package dev.jnas.search.alphanas;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Init;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.space.program.ProgramGraph;
import dev.jnas.space.program.ProgramLowering;
import dev.jnas.space.program.ShapeInference;
import dev.jnas.space.program.TensorShape;

/**
 * The exact mixing of a whole program, measured on the native engine by Jacobian sparsity: for each output element
 * on the slices through the output's centre, one backward pass seeded with that element gives the input gradient,
 * whose non-zero entries are what the element depends on. A gradient can vanish where a dependence exists (a ReLU
 * off, a max pool's losing window element), so dependences are united over several draws of weights and inputs.
 * Batch norm runs in inference mode, as {@link OpPairings} assumes, so samples stay independent. The check of the
 * abstract {@link MixingProperty} through the lowering and the engine's own kernels.
 */
public final class JacobianMixing {
    private JacobianMixing() {
    }

    /** The pairing from the program's input to its output for inputs of shape input, over draws draws. */
    public static Pairing measure(Engine engine, ProgramGraph program, TensorShape input, int draws, long seed) {
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be >= 1, got " + draws);
        }
        TensorShape output = ShapeInference.infer(program, input).of(program.outputs().get(0));
        Dependence dependence = new Dependence(input, output);
        int[] elements = dependence.centreSlices();
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = ProgramLowering.lower(graph, program, input);
            try (Net net = Net.compile(engine, graph, model.output(), Init.PYTORCH_DEFAULT, seed);
                 Tensor images = engine.tensor(toLongs(input));
                 Tensor gradOutput = engine.tensor(toLongs(output))) {
                net.setTrain(false);
                net.bindInput(model.input(), images);
                float[] oneHot = new float[Math.toIntExact(output.batch() * output.sampleSize())];
                for (int draw = 0; draw < draws; draw++) {
                    net.reinitialize(Init.PYTORCH_DEFAULT, seed + draw);
                    images.fillNormal(seed, draw, 0f, 1f);
                    for (int element : elements) {
                        oneHot[element] = 1;
                        gradOutput.write(oneHot);
                        oneHot[element] = 0;
                        net.zeroGrad();
                        try (Tensor ignored = net.forward()) {
                            net.backward(gradOutput);
                        }
                        float[] gradient;
                        try (Tensor inputGradient = net.inputGrad(model.input())) {
                            gradient = inputGradient.read();
                        }
                        for (int at = 0; at < gradient.length; at++) {
                            if (gradient[at] != 0) {
                                dependence.add(element, at);
                            }
                        }
                    }
                }
            }
        }
        return dependence.pairing();
    }

    private static long[] toLongs(TensorShape shape) {
        return shape.dims().stream().mapToLong(Integer::longValue).toArray();
    }
}
