package dev.jnas.metrics;

import dev.jnas.bindings.Engine;
import dev.jnas.bindings.GraphBuilder;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.Patterns;
import dev.jnas.bindings.Tensor;
import dev.jnas.models.ModelGraph;
import dev.jnas.space.nb201.Nb201Architecture;
import dev.jnas.space.nb201.Nb201Network;
import dev.jnas.space.nb201.Nb201Skeleton;

/**
 * TE-NAS's thin linear-region network (one C=1 cell, no stem, on 1×3×3 inputs) for one architecture: per
 * repeat, fresh weights and {@value MetricSettings#REGION_BATCHES} train-mode batches of
 * {@value MetricSettings#REGION_BATCH_SIZE} patches, whose distinct ReLU sign patterns are counted together.
 */
final class RegionNetwork implements AutoCloseable {
    private final MetricSettings settings;
    private final Net net;
    private final Tensor input;

    private RegionNetwork(MetricSettings settings, Net net, Tensor input) {
        this.settings = settings;
        this.net = net;
        this.input = input;
    }

    static RegionNetwork build(Engine engine, Nb201Architecture architecture, MetricSettings settings) {
        try (GraphBuilder graph = GraphBuilder.create()) {
            ModelGraph model = new Nb201Network(architecture, Nb201Skeleton.LINEAR_REGIONS).build(graph, 1,
                    ProbeData.PATCH, ProbeData.PATCH, MetricSettings.CLASSES);
            // The tensor before the net, closed again if compiling fails.
            Tensor input = engine.tensor(MetricSettings.REGION_BATCH_SIZE, 1, ProbeData.PATCH, ProbeData.PATCH);
            try {
                Net net = Net.compile(engine, graph, model.output(), settings.init().init(), 0);
                net.setTrain(true);
                net.bindInput(model.input(), input);
                return new RegionNetwork(settings, net, input);
            } catch (RuntimeException e) {
                input.close();
                throw e;
            }
        }
    }

    void measure(long seed, int repeat, ProbeInputs inputs, RepeatAverage average) {
        net.reinitialize(settings.init().init(), SeedStreams.derive(seed, repeat, SeedStreams.Stream.REGION_WEIGHTS));
        try (Patterns patterns = Patterns.create()) {
            for (float[] patches : inputs.regionBatches(seed, repeat)) {
                input.write(patches);
                patterns.collect(net);
            }
            average.add(MetricKind.LINEAR_REGIONS, patterns.countDistinct(net.engine()));
        }
    }

    @Override
    public void close() {
        net.close();
        input.close();
    }
}
