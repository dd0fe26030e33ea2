package dev.jnas.search.sgnas;

import static dev.jnas.search.sgnas.ArchitectureMap.COLUMNS;
import static dev.jnas.search.sgnas.ArchitectureMap.requireShape;
import static dev.jnas.search.sgnas.GeneratorGraph.CONSTRAINT_CHANNELS;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * The architecture generator ({@link GeneratorGraph}) compiled on an engine: N (prior, constraint) pairs go
 * through it in one batched forward pass, and dLoss/dlogits flows back into its parameters. The batch's input
 * tensors stay bound until the next forward, so that {@link #backward} can follow a forward.
 */
public final class ArchitectureGenerator implements AutoCloseable {
    private final Engine engine;
    private final Net net;
    private final GeneratorGraph nodes;
    private final int layers;
    private Tensor priors;
    private Tensor constraints;
    private Tensor logits;

    private ArchitectureGenerator(Engine engine, Net net, GeneratorGraph nodes, int layers) {
        this.engine = engine;
        this.net = net;
        this.nodes = nodes;
        this.layers = layers;
    }

    /** A generator for layers searchable layers with parameters drawn from seed by {@link GeneratorGraph#INIT}. */
    public static ArchitectureGenerator create(Engine engine, int layers, long seed) {
        Objects.requireNonNull(engine, "engine");
        try (GraphBuilder graph = GraphBuilder.create()) {
            GeneratorGraph nodes = GeneratorGraph.build(graph, layers);
            return new ArchitectureGenerator(engine, Net.compile(engine, graph, nodes.logits(), GeneratorGraph.INIT,
                    seed), nodes, layers);
        }
    }

    /** The compiled network, for optimizers and {@link ParameterFile}. */
    public Net net() {
        return net;
    }

    public int layers() {
        return layers;
    }

    /**
     * The logits for each (priors[i], constraints[i]) in one forward pass of batch N.
     *
     * @param priors      N architecture maps of layers × {@value ArchitectureMap#COLUMNS} values
     * @param constraints N normalised targets ({@link TargetRange#normalise})
     * @return N logit maps shaped like the priors
     */
    public float[][] forward(float[][] priors, double[] constraints) {
        Objects.requireNonNull(priors, "priors");
        Objects.requireNonNull(constraints, "constraints");
        if (priors.length == 0 || priors.length != constraints.length) {
            throw new IllegalArgumentException("the generator needs as many priors as constraints, at least one; got "
                    + priors.length + " priors and " + constraints.length + " constraints");
        }
        int batch = priors.length;
        int mapSize = layers * COLUMNS;
        float[] priorData = new float[batch * mapSize];
        float[] constraintData = new float[batch * CONSTRAINT_CHANNELS * mapSize];
        for (int i = 0; i < batch; i++) {
            requireShape(priors[i], layers, "priors[" + i + "]");
            if (!Double.isFinite(constraints[i])) {
                throw new IllegalArgumentException("constraints[" + i + "] is " + constraints[i]);
            }
            System.arraycopy(priors[i], 0, priorData, i * mapSize, mapSize);
            int from = i * CONSTRAINT_CHANNELS * mapSize;
            Arrays.fill(constraintData, from, from + CONSTRAINT_CHANNELS * mapSize, (float) constraints[i]);
        }
        resizeBatch(batch);
        this.priors.write(priorData);
        this.constraints.write(constraintData);
        net.bindInput(nodes.prior(), this.priors);
        net.bindInput(nodes.constraint(), this.constraints);
        net.forward(logits);
        return split(logits.read(), batch, mapSize);
    }

    /**
     * {@code jnas generate}'s path: for each target, the prior closest to it and the target normalised by range,
     * through the generator in one forward pass.
     */
    public float[][] generate(double[] targets, TargetRange range, PriorPool pool) {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(pool, "pool");
        if (pool.layers() != layers) {
            throw new IllegalArgumentException("the prior pool has " + pool.layers()
                    + " layers but the generator has " + layers);
        }
        float[][] priorMaps = new float[targets.length][];
        double[] normalised = new double[targets.length];
        for (int i = 0; i < targets.length; i++) {
            priorMaps[i] = pool.closest(targets[i]);
            normalised[i] = range.normalise(targets[i]);
        }
        return forward(priorMaps, normalised);
    }

    /**
     * Back-propagates dLoss/dlogits of the last forward's N samples, adding to the parameters' gradients (zero
     * them with {@code net().zeroGrad()} between steps).
     */
    public void backward(float[][] dLossDLogits) {
        Objects.requireNonNull(dLossDLogits, "dLossDLogits");
        if (logits == null) {
            throw new IllegalStateException("the generator's backward needs a forward first");
        }
        int batch = Math.toIntExact(logits.shape()[0]);
        if (dLossDLogits.length != batch) {
            throw new IllegalArgumentException("dLoss/dlogits has " + dLossDLogits.length
                    + " samples but the last forward had " + batch);
        }
        int mapSize = layers * COLUMNS;
        float[] gradData = new float[batch * mapSize];
        for (int i = 0; i < batch; i++) {
            requireShape(dLossDLogits[i], layers, "dLoss/dlogits[" + i + "]");
            System.arraycopy(dLossDLogits[i], 0, gradData, i * mapSize, mapSize);
        }
        try (Tensor grad = engine.tensor(logits.shape())) {
            grad.write(gradData);
            net.backward(grad);
        }
    }

    /** Makes the batch tensors hold batch samples, replacing them only when the size changes. */
    private void resizeBatch(int batch) {
        if (logits != null && logits.shape()[0] == batch) {
            return;
        }
        closeBatch();
        priors = engine.tensor(batch, 1, layers, COLUMNS);
        constraints = engine.tensor(batch, CONSTRAINT_CHANNELS, layers, COLUMNS);
        logits = engine.tensor(net.outputShape(batch));
    }

    private void closeBatch() {
        for (Tensor tensor : new Tensor[] {priors, constraints, logits}) {
            if (tensor != null) {
                tensor.close();
            }
        }
        priors = null;
        constraints = null;
        logits = null;
    }

    private static float[][] split(float[] data, int batch, int mapSize) {
        float[][] maps = new float[batch][];
        for (int i = 0; i < batch; i++) {
            maps[i] = Arrays.copyOfRange(data, i * mapSize, (i + 1) * mapSize);
        }
        return maps;
    }

    @Override
    public void close() {
        closeBatch();
        net.close();
    }
}
