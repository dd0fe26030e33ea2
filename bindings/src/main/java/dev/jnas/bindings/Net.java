package dev.jnas.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A graph compiled on an engine, with its parameters, activations and gradients ({@code jnas_net}).
 * Closing a net closes its optimizers; closing its engine closes the net.
 *
 * <p>Input tensors are borrowed by libjnas from {@link #bindInput} until the backward pass that uses them,
 * so the net remembers them and refuses to run once one of them is closed.
 */
public final class Net extends NativeHandle {
    private final Engine engine;
    private final int output;
    private final Map<Integer, Tensor> boundInputs = new TreeMap<>();

    private Net(Engine engine, MemorySegment net, int output) {
        super(engine.lib, net, engine);
        this.engine = engine;
        this.output = output;
    }

    /**
     * Compiles graph for engine with output as the net's output node and initializes every parameter from
     * seed (batch norm: gamma 1, beta 0, running mean 0, running var 1). The graph may be closed afterwards.
     */
    public static Net compile(Engine engine, GraphBuilder graph, int output, Init init, long seed) {
        Arguments.notNull(engine, "engine");
        Arguments.notNull(graph, "graph");
        Arguments.notNull(init, "init");
        JnasNative lib = engine.lib;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            lib.check(lib.netCreate(engine.address(), graph.address(), output, init.code(), seed, out));
            return new Net(engine, out.get(ADDRESS, 0), output);
        }
    }

    public Engine engine() {
        return engine;
    }

    /** Re-initializes every parameter as {@link #compile} does. */
    public void reinitialize(Init init, long seed) {
        Arguments.notNull(init, "init");
        lib.check(lib.netInit(address(), init.code(), seed));
    }

    /** Batch-norm mode of the following forward passes: batch statistics (train) or running ones (eval). */
    public void setTrain(boolean train) {
        lib.check(lib.netSetTrain(address(), train ? 1 : 0));
    }

    /**
     * Batched candidates: following forwards split the bound batch into groups of consecutive samples (B/groups
     * each) that batch norm normalizes apart, so one forward equals that many forwards of the groups one after
     * another. With per-sample mixing weights each group can be another masked variant of one supernet, measured
     * in one call ({@link #ntkGroups}, {@link Patterns#collectGroups}). Default 1.
     */
    public void setSampleGroups(int groups) {
        lib.check(lib.netSetSampleGroups(address(), groups));
    }

    /**
     * Where the next train-mode forward draws its dropout masks: Philox keyed by seed, at step, which each train-mode
     * forward then advances. A new net starts at (its init seed, 0); setting it back replays a forward's masks.
     */
    public void setRandom(long seed, long step) {
        lib.check(lib.netSetRandom(address(), seed, step));
    }

    /** Binds the batch [B, per-sample shape...] for an input node; keep it open until backward is done. */
    public void bindInput(int node, Tensor input) {
        MemorySegment net = address();
        engine.requireOwn(input, "input");
        lib.check(lib.netBindInput(net, node, input.address()));
        boundInputs.put(node, input);
    }

    /** The output shape, batch dimension first, for a batch of the given size. */
    public long[] outputShape(long batch) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ndim = arena.allocate(JAVA_INT);
            MemorySegment shape = arena.allocate(JAVA_LONG, Tensor.MAX_DIMS);
            lib.check(lib.netOutputShape(address(), batch, ndim, shape));
            return Arrays.copyOf(shape.toArray(JAVA_LONG), ndim.get(JAVA_INT, 0));
        }
    }

    /** Runs forward at the bound batch size and copies the output into out. */
    public void forward(Tensor out) {
        MemorySegment net = address();
        engine.requireOwn(out, "out");
        requireBoundInputsOpen();
        lib.check(lib.netForward(net, out.address()));
    }

    /** Runs forward into a new tensor, which the caller closes. */
    public Tensor forward() {
        requireOpen();
        if (boundInputs.isEmpty()) {
            throw new StateException("bind every input node of the net before forward");
        }
        long batch = boundInputs.values().iterator().next().shape()[0];
        Tensor out = engine.tensor(outputShape(batch));
        try {
            forward(out);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * Back-propagates gradOutput (shaped like the last forward's output), adding to the parameter and input
     * gradients; needs a forward since the last backward.
     */
    public void backward(Tensor gradOutput) {
        MemorySegment net = address();
        engine.requireOwn(gradOutput, "gradOutput");
        requireBoundInputsOpen();
        lib.check(lib.netBackward(net, gradOutput.address()));
    }

    public void zeroGrad() {
        lib.check(lib.netZeroGrad(address()));
    }

    /** Copies dLoss/dinput for an input node into out (shaped like the bound input), summed since {@link #zeroGrad}. */
    public void inputGrad(int node, Tensor out) {
        MemorySegment net = address();
        engine.requireOwn(out, "out");
        requireBoundInputsOpen();
        lib.check(lib.netInputGrad(net, node, out.address()));
    }

    /** dLoss/dinput for an input node, summed since {@link #zeroGrad}, in a new tensor the caller closes. */
    public Tensor inputGrad(int node) {
        requireOpen();
        Tensor input = boundInputs.get(node);
        if (input == null) {
            throw new InvalidArgumentException("node " + node + " has no bound input");
        }
        Tensor out = engine.tensor(input.shape());
        try {
            inputGrad(node, out);
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    void requireBoundInputsOpen() {
        boundInputs.forEach((node, tensor) -> {
            if (tensor.isClosed()) {
                throw new StateException(tensor.describe() + " bound to input node " + node + " is closed");
            }
        });
    }

    // ---- parameters, numbered 0..paramCount()-1 in graph order ------------------------------------------

    public int paramCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            lib.check(lib.netParamCount(address(), out));
            return out.get(JAVA_INT, 0);
        }
    }

    /** The index of the parameter called name, e.g. "conv1.weight". */
    public int findParam(String name) {
        Arguments.notNull(name, "name");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            lib.check(lib.netParamFind(address(), arena.allocateFrom(name), out));
            return out.get(JAVA_INT, 0);
        }
    }

    public String paramName(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            lib.check(lib.netParamName(address(), index, out));
            return JnasNative.cString(out.get(ADDRESS, 0));
        }
    }

    public ParamRole paramRole(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            lib.check(lib.netParamRole(address(), index, out));
            return ParamRole.of(out.get(JAVA_INT, 0));
        }
    }

    public long[] paramShape(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ndim = arena.allocate(JAVA_INT);
            MemorySegment shape = arena.allocate(JAVA_LONG, Tensor.MAX_DIMS);
            lib.check(lib.netParamShape(address(), index, ndim, shape));
            return Arrays.copyOf(shape.toArray(JAVA_LONG), ndim.get(JAVA_INT, 0));
        }
    }

    public long paramNumel(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            lib.check(lib.netParamNumel(address(), index, out));
            return out.get(JAVA_LONG, 0);
        }
    }

    /** Whether optimizers update the parameter and backward accumulates its gradient. */
    public boolean isTrainable(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            lib.check(lib.netParamTrainable(address(), index, out));
            return out.get(JAVA_INT, 0) != 0;
        }
    }

    public void setTrainable(int index, boolean trainable) {
        lib.check(lib.netParamSetTrainable(address(), index, trainable ? 1 : 0));
    }

    public float[] readParam(int index) {
        return readFloats(index, ValueSource.PARAM);
    }

    /** The accumulated gradient of a parameter. */
    public float[] readGrad(int index) {
        return readFloats(index, ValueSource.GRAD);
    }

    public void writeParam(int index, float[] values) {
        MemorySegment net = address();
        long numel = paramNumel(index);
        Arguments.notNull(values, "values");
        if (values.length != numel) {
            throw new InvalidArgumentException("values has " + values.length + " entries but parameter "
                    + paramName(index) + " has " + numel);
        }
        try (Arena arena = Arena.ofConfined()) {
            lib.check(lib.netParamWrite(net, index, arena.allocateFrom(JAVA_FLOAT, values), numel));
        }
    }

    /**
     * The diagonal Hessian of a loss w.r.t. every trainable parameter over the last forward pass (BayesNAS's
     * backward recursion, Gauss-Newton plus the activations' f''·gradient term; jnas.h lists each op's rule and
     * the terms it drops), seeded with the loss's diagonal d²L/d(output)², shaped like the last output (e.g.
     * {@link Engine#crossEntropyHessianDiag}). Read the results with {@link #readHessian}. Leaves the forward ready
     * for {@link #backward}. An hswish, sigmoid, swish or gelu reads dL/dy from a {@link #backward} with the loss
     * gradient after the same forward: without one, a {@link StateException}; ReLU nets need none.
     */
    public void hessianDiag(Tensor seed) {
        MemorySegment net = address();
        engine.requireOwn(seed, "seed");
        requireBoundInputsOpen();
        lib.check(lib.netHessianDiag(net, seed.address()));
    }

    /** The last {@link #hessianDiag}'s diagonal for a parameter (zeros where it was frozen or skipped). */
    public float[] readHessian(int index) {
        return readFloats(index, ValueSource.HESSIAN);
    }

    private enum ValueSource { PARAM, GRAD, HESSIAN }

    private float[] readFloats(int index, ValueSource source) {
        MemorySegment net = address();
        long numel = paramNumel(index);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(JAVA_FLOAT, numel);
            lib.check(switch (source) {
                case PARAM -> lib.netParamRead(net, index, buffer, numel);
                case GRAD -> lib.netGradRead(net, index, buffer, numel);
                case HESSIAN -> lib.netHessianRead(net, index, buffer, numel);
            });
            return buffer.toArray(JAVA_FLOAT);
        }
    }

    // ---- NTK ---------------------------------------------------------------------------------------------

    /**
     * Θ = J·Jᵀ over the bound batch of B samples into theta ([B, B]): row i of J is the gradient of the sum of
     * sample i's outputs w.r.t. the parameters. Runs one forward first (in the net's batch-norm mode; a train
     * forward updates running statistics). The net's own gradients are left as they were.
     *
     * @param params J's columns in order (weights, biases, gammas or betas of conv, linear or batch-norm nodes);
     *               none means every parameter of role {@link ParamRole#WEIGHT} or {@link ParamRole#BN_WEIGHT}
     */
    public void ntk(BnCoupling coupling, Tensor theta, int... params) {
        Arguments.notNull(coupling, "coupling");
        Arguments.notNull(params, "params");
        MemorySegment net = address();
        engine.requireOwn(theta, "theta");
        requireBoundInputsOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment indices = params.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_INT, params);
            lib.check(lib.netNtk(net, coupling.code(), params.length, indices, theta.address()));
        }
    }

    /**
     * {@link #ntk(BnCoupling, Tensor, int...)} for a net of {@link #setSampleGroups sample groups}: one forward
     * and one walk, then group g's Θ [B/G, B/G] into thetas[g], one tensor per group. Frozen coupling only (exact
     * coupling over several groups is {@link UnsupportedException}).
     */
    public void ntkGroups(BnCoupling coupling, List<Tensor> thetas, int... params) {
        Arguments.notNull(coupling, "coupling");
        Arguments.notNull(thetas, "thetas");
        Arguments.notNull(params, "params");
        MemorySegment net = address();
        for (int i = 0; i < thetas.size(); i++) {
            engine.requireOwn(thetas.get(i), "thetas[" + i + "]");
        }
        requireBoundInputsOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment indices = params.length == 0 ? MemorySegment.NULL : arena.allocateFrom(JAVA_INT, params);
            lib.check(lib.netNtkGroups(net, coupling.code(), params.length, indices, thetas.size(),
                    addresses(arena, thetas)));
        }
    }

    /** {@link #ntk(BnCoupling, Tensor, int...)} into a new [B, B] tensor, which the caller closes. */
    public Tensor ntk(BnCoupling coupling, int... params) {
        requireOpen();
        if (boundInputs.isEmpty()) {
            throw new StateException("bind every input node of the net before ntk");
        }
        long batch = boundInputs.values().iterator().next().shape()[0];
        Tensor theta = engine.tensor(batch, batch);
        try {
            ntk(coupling, theta, params);
            return theta;
        } catch (RuntimeException e) {
            theta.close();
            throw e;
        }
    }

    // ---- optimizers --------------------------------------------------------------------------------------

    /**
     * SGD as PyTorch's: g += wd·w; v = momentum·v + g; w -= lr·(nesterov ? g + momentum·v : v).
     *
     * @param params the parameter indices to update; none means every trainable parameter
     */
    public Optimizer sgd(float lr, float momentum, float weightDecay, boolean nesterov, int... params) {
        return Optimizer.create(this, "sgd", params, (indices, count, out) -> lib.optimizerSgd(address(),
                count, indices, lr, momentum, weightDecay, nesterov ? 1 : 0, out));
    }

    /** Adam as PyTorch's (L2 weight decay, bias-corrected moments). */
    public Optimizer adam(float lr, float beta1, float beta2, float eps, float weightDecay, int... params) {
        return Optimizer.create(this, "adam", params, (indices, count, out) -> lib.optimizerAdam(address(),
                count, indices, lr, beta1, beta2, eps, weightDecay, out));
    }

    /** Adam with PyTorch's defaults (betas 0.9, 0.999, eps 1e-8, no weight decay) on every parameter. */
    public Optimizer adam(float lr) {
        return adam(lr, 0.9f, 0.999f, 1e-8f, 0f);
    }

    @Override
    String describe() {
        return "Net (output node " + output + ")";
    }

    @Override
    void free(MemorySegment net) {
        boundInputs.clear();
        lib.netFree(net);
    }
}
