package dev.jnas.search.sgnas;

import static dev.jnas.search.sgnas.ArchitectureMap.layersOf;
import static dev.jnas.search.sgnas.ArchitectureMap.requireShape;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The reference's prior pool: random architectures, each drawn to have about the FLOPs of its key, from which
 * the generator starts. {@link #closest} picks the prior for a target. With the reference's pool size 1 there is
 * a single key in the middle of the range (360 for 270–450).
 */
public final class PriorPool {
    /** The reference accepts a sampled architecture within ±1 MFLOP of its key: one unit of the range. */
    public static final double DEFAULT_BIAS = 1;
    /** Draws per key before giving up (the reference retries forever). */
    public static final int DEFAULT_MAX_TRIES = 100_000;

    private final double[] keys;
    private final float[][] priors;
    private final int layers;

    /**
     * @param keys   strictly increasing FLOPs keys
     * @param priors one architecture map per key, all with the same number of layers
     */
    PriorPool(double[] keys, float[][] priors) {
        if (keys.length == 0 || keys.length != priors.length) {
            throw new IllegalArgumentException("a prior pool needs one prior per key, at least one; got "
                    + keys.length + " keys and " + priors.length + " priors");
        }
        for (int i = 0; i < keys.length; i++) {
            if (!Double.isFinite(keys[i]) || i > 0 && !(keys[i] > keys[i - 1])) {
                throw new IllegalArgumentException("prior pool keys must be finite and strictly increasing, got "
                        + Arrays.toString(keys));
            }
        }
        this.layers = layersOf(priors[0], "the prior of key " + keys[0]);
        this.keys = keys.clone();
        this.priors = new float[priors.length][];
        for (int i = 0; i < priors.length; i++) {
            requireShape(priors[i], layers, "the prior of key " + keys[i]);
            this.priors[i] = priors[i].clone();
        }
    }

    /**
     * The reference's keys: interval = ⌊(high − low) / (size + 1)⌋, keys low + interval, low + 2·interval, ...
     * while below high − 1. This gives size keys for many sizes but not all (80–120 with size 5: six keys).
     * The 1s are the range's unit (1 MFLOP for the reference's ranges).
     */
    public static double[] keys(TargetRange range, int size) {
        Objects.requireNonNull(range, "range");
        if (size < 1) {
            throw new IllegalArgumentException("the prior pool size must be at least 1, got " + size);
        }
        double unit = range.unit();
        double interval = Math.floor((range.high() - range.low()) / unit / (size + 1)) * unit;
        if (interval < unit) {
            throw new IllegalArgumentException("a prior pool of size " + size + " does not fit in [" + range.low()
                    + ", " + range.high() + "): the key interval ⌊(high − low)/(size + 1)⌋ is 0");
        }
        double first = range.low() + interval;
        if (!(first < range.high() - unit)) {
            throw new IllegalArgumentException("a prior pool of size " + size + " in [" + range.low() + ", "
                    + range.high() + ") has no key: the first, " + first + ", is not below high − " + unit);
        }
        return new TargetRange(first, range.high() - unit).grid(interval);
    }

    /** {@link #build(TargetRange, int, Supplier, ToDoubleFunction, double, int)} with the reference's bias (1 unit). */
    public static PriorPool build(TargetRange range, int size, Supplier<float[]> sampler,
                                  ToDoubleFunction<float[]> flops) {
        return build(range, size, sampler, flops, DEFAULT_BIAS * range.unit(), DEFAULT_MAX_TRIES);
    }

    /**
     * For each of {@link #keys}, the first architecture from sampler whose FLOPs are within ±bias of the key.
     *
     * @param sampler  random one-hot architecture maps (the reference: expansion 2–6, kernels uniform, rest skip)
     * @param flops    an architecture's FLOPs in the range's unit
     * @param maxTries draws per key before giving up with an error naming the key
     */
    public static PriorPool build(TargetRange range, int size, Supplier<float[]> sampler,
                                  ToDoubleFunction<float[]> flops, double bias, int maxTries) {
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(flops, "flops");
        if (!(bias >= 0) || !Double.isFinite(bias)) {
            throw new IllegalArgumentException("the prior pool's FLOPs bias must be finite and not negative, got "
                    + bias);
        }
        if (maxTries < 1) {
            throw new IllegalArgumentException("the prior pool needs at least 1 try per key, got " + maxTries);
        }
        double[] keys = keys(range, size);
        float[][] priors = new float[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            priors[i] = sampleNear(keys[i], sampler, flops, bias, maxTries);
        }
        return new PriorPool(keys, priors);
    }

    private static float[] sampleNear(double key, Supplier<float[]> sampler, ToDoubleFunction<float[]> flops,
                                      double bias, int maxTries) {
        for (int attempt = 0; attempt < maxTries; attempt++) {
            float[] architecture = sampler.get();
            if (Math.abs(flops.applyAsDouble(architecture) - key) <= bias) {
                return architecture.clone();
            }
        }
        throw new IllegalArgumentException("no sampled architecture within ±" + bias + " MFLOPs of prior pool key "
                + key + " in " + maxTries + " tries");
    }

    /** The prior whose key is nearest to target (the lower key on a tie), as a copy. */
    public float[] closest(double target) {
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException("the target must be finite, got " + target);
        }
        int best = 0;
        for (int i = 1; i < keys.length; i++) {
            if (Math.abs(keys[i] - target) < Math.abs(keys[best] - target)) {
                best = i;
            }
        }
        return priors[best].clone();
    }

    public double[] keys() {
        return keys.clone();
    }

    /** The prior of keys()[index], as a copy. */
    float[] prior(int index) {
        return priors[index].clone();
    }

    public int layers() {
        return layers;
    }

    /** Writes the pool as JSON, atomically. */
    public void save(Path file) {
        PriorPoolJson.save(this, file);
    }

    /** @throws dev.jnas.data.DataException naming the file and what is wrong with it */
    public static PriorPool load(Path file) {
        return PriorPoolJson.load(file);
    }
}
