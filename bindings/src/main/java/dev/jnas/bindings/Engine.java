package dev.jnas.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A libjnas context on one backend and device ({@code jnas_ctx}). Tensors and nets are made from it; closing
 * the engine closes every one of them that is still open.
 */
public final class Engine extends NativeHandle {
    private final Backend backend;
    private final int device;

    private Engine(JnasNative lib, MemorySegment ctx, Backend backend, int device) {
        super(lib, ctx, null);
        this.backend = backend;
        this.device = device;
    }

    public static Engine open(Backend backend) {
        return open(backend, 0);
    }

    /**
     * @param device the GPU ordinal for CUDA; ignored for CPU
     * @throws NoDeviceException for CUDA where no GPU or driver is present, or libjnas was built without it
     */
    public static Engine open(Backend backend, int device) {
        Arguments.notNull(backend, "backend");
        JnasNative lib = JnasNative.get();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            lib.check(lib.ctxCreate(backend.code(), device, out));
            return new Engine(lib, out.get(ADDRESS, 0), backend, device);
        }
    }

    /** The version of the loaded libjnas, "major.minor.patch". */
    public static String version() {
        return JnasNative.get().libraryVersion();
    }

    /** Whether the loaded libjnas was built with the CUDA backend. */
    public static boolean cudaCompiled() {
        return JnasNative.get().cudaCompiled() != 0;
    }

    /** The backend as libjnas reports it for this context. */
    public Backend backend() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            lib.check(lib.ctxBackend(address(), out));
            return Backend.of(out.get(JAVA_INT, 0));
        }
    }

    /** A readable description of the device, e.g. "cpu (2 threads)". */
    public String deviceName() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            lib.check(lib.ctxDeviceName(address(), out));
            return JnasNative.cString(out.get(ADDRESS, 0));
        }
    }

    /** CPU threads for this context's kernels; n <= 0 means all cores. Results do not depend on it. */
    public void setThreads(int n) {
        lib.check(lib.ctxSetThreads(address(), n));
    }

    /** A zero-filled tensor of 1 to 4 dimensions on this engine's device. */
    public Tensor tensor(long... shape) {
        return Tensor.create(this, shape);
    }

    /**
     * Softmax cross-entropy of logits [B, K] against B labels in [0, K), with label smoothing in [0, 1).
     *
     * @param gradLogits receives dLoss/dlogits ([B, K]) to seed {@link Net#backward}, or null
     */
    public CrossEntropyResult crossEntropy(Tensor logits, int[] labels, float smoothing, Tensor gradLogits) {
        requireOwn(logits, "logits");
        Arguments.notNull(labels, "labels");
        MemorySegment gradAddress = MemorySegment.NULL;
        if (gradLogits != null) {
            requireOwn(gradLogits, "gradLogits");
            gradAddress = gradLogits.address();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment labelSegment = arena.allocateFrom(JAVA_INT, labels);
            MemorySegment loss = arena.allocate(JAVA_FLOAT);
            MemorySegment correct = arena.allocate(JAVA_LONG);
            lib.check(lib.crossEntropy(address(), logits.address(), labelSegment, labels.length, smoothing, loss,
                    correct, gradAddress));
            return new CrossEntropyResult(loss.get(JAVA_FLOAT, 0), correct.get(JAVA_LONG, 0));
        }
    }

    /**
     * The diagonal of d²Loss/dlogits² of {@link #crossEntropy}'s mean loss over logits [B, K] into out ([B, K]):
     * p·(1 − p)/B per entry, p the row's softmax; it depends on neither labels nor smoothing. Seeds
     * {@link Net#hessianDiag}. (BayesNAS's public code keeps only each row's label entry; this is the whole
     * diagonal.)
     */
    public void crossEntropyHessianDiag(Tensor logits, Tensor out) {
        requireOwn(logits, "logits");
        requireOwn(out, "out");
        lib.check(lib.crossEntropyHessianDiag(address(), logits.address(), out.address()));
    }

    /**
     * BayesNAS's ARD hyperparameter update, batched over G switch groups of {@code cells} switches
     * ({@code jnas_ard_update}, whose comment in jnas.h gives the formulas): per group the posterior variances C, the
     * re-weighting factor ω and the new prior variance γ, an op group's γ capped by its parent (origin) group's.
     *
     * @param switches    [G, cells] switch values
     * @param hessians    [G, cells] the loss Hessian's diagonal at each switch
     * @param gammas      [G] prior variances before the update, each >= 0
     * @param lambdas     [G] each group's λ, > 0
     * @param parents     G entries: -1 for an origin group, else the index of its origin group
     * @param covariances [G, cells] receives C
     * @param omegas      [G] receives ω
     * @param newGammas   [G] receives γ; may be {@code gammas}
     */
    public void ardUpdate(Tensor switches, Tensor hessians, Tensor gammas, Tensor lambdas, int[] parents,
            Tensor covariances, Tensor omegas, Tensor newGammas) {
        requireOwn(switches, "switches");
        requireOwn(hessians, "hessians");
        requireOwn(gammas, "gammas");
        requireOwn(lambdas, "lambdas");
        requireOwn(covariances, "covariances");
        requireOwn(omegas, "omegas");
        requireOwn(newGammas, "newGammas");
        Arguments.notNull(parents, "parents");
        if (parents.length != switches.shape()[0]) {
            throw new ShapeException("parents has " + parents.length + " entries but switches has "
                    + switches.shape()[0] + " groups");
        }
        try (Arena arena = Arena.ofConfined()) {
            lib.check(lib.ardUpdate(address(), switches.address(), hessians.address(), gammas.address(),
                    lambdas.address(), arena.allocateFrom(JAVA_INT, parents), covariances.address(), omegas.address(),
                    newGammas.address()));
        }
    }

    /** c = alpha · op(a) · op(b) + beta · c on 2-D tensors, op being a transpose where asked. */
    public void gemm(boolean transposeA, boolean transposeB, float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        requireOwn(a, "a");
        requireOwn(b, "b");
        requireOwn(c, "c");
        lib.check(lib.gemm(address(), transposeA ? 1 : 0, transposeB ? 1 : 0, alpha, a.address(), b.address(), beta,
                c.address()));
    }

    /**
     * The spectrum of the symmetric [n, n] matrix theta (its upper triangle is read), e.g. an NTK from
     * {@link Net#ntk}: eigenvalues in double precision, ascending, and κ = λmax/λmin with its flags.
     */
    public Spectrum spectrum(Tensor theta) {
        requireOwn(theta, "theta");
        long[] shape = theta.shape();
        if (shape.length != 2 || shape[0] != shape[1]) {
            throw new ShapeException("theta has shape " + Arrays.toString(shape) + " but must be square [n, n]");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment eigenvalues = arena.allocate(JAVA_DOUBLE, shape[0]);
            MemorySegment kappa = arena.allocate(JAVA_DOUBLE);
            MemorySegment flags = arena.allocate(JAVA_INT);
            lib.check(lib.ntkSpectrum(address(), theta.address(), eigenvalues, kappa, flags));
            return new Spectrum(eigenvalues.toArray(JAVA_DOUBLE), kappa.get(JAVA_DOUBLE, 0), flags.get(JAVA_INT, 0));
        }
    }

    /** jnas_nb201_score_options: seed, metrics, batch, repeats, init, coupling (C layout, 32 bytes). */
    private static final StructLayout NB201_OPTIONS = MemoryLayout.structLayout(JAVA_LONG.withName("seed"),
            JAVA_INT.withName("metrics"), JAVA_INT.withName("batch"), JAVA_INT.withName("repeats"),
            JAVA_INT.withName("init"), JAVA_INT.withName("coupling"), MemoryLayout.paddingLayout(4));
    /** jnas_nb201_scores: five doubles and the flags (C layout, 48 bytes). */
    private static final StructLayout NB201_SCORES = MemoryLayout.structLayout(JAVA_DOUBLE.withName("kappa"),
            JAVA_DOUBLE.withName("lambda_min"), JAVA_DOUBLE.withName("lambda_max"),
            JAVA_DOUBLE.withName("linear_regions"), JAVA_DOUBLE.withName("naswot"), JAVA_INT.withName("flags"),
            MemoryLayout.paddingLayout(4));

    private static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /**
     * Scores an NB201 architecture string in libjnas alone (jnas_nb201_score): what java-core's scorer computes
     * on the synthetic data set, for clients in other languages; here to check that both agree.
     *
     * @throws InvalidArgumentException for a bad architecture string or option, naming it
     */
    public Nb201Scores nb201Score(String architecture, Nb201ScoreOptions options) {
        Arguments.notNull(architecture, "architecture");
        Arguments.notNull(options, "options");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(NB201_OPTIONS);
            in.set(JAVA_LONG, offset(NB201_OPTIONS, "seed"), options.seed());
            in.set(JAVA_INT, offset(NB201_OPTIONS, "metrics"), options.metrics());
            in.set(JAVA_INT, offset(NB201_OPTIONS, "batch"), options.batch());
            in.set(JAVA_INT, offset(NB201_OPTIONS, "repeats"), options.repeats());
            in.set(JAVA_INT, offset(NB201_OPTIONS, "init"), options.init().code());
            in.set(JAVA_INT, offset(NB201_OPTIONS, "coupling"), options.coupling().code());
            MemorySegment out = arena.allocate(NB201_SCORES);
            lib.check(lib.nb201Score(address(), arena.allocateFrom(architecture), in, out));
            return new Nb201Scores(out.get(JAVA_DOUBLE, offset(NB201_SCORES, "kappa")),
                    out.get(JAVA_DOUBLE, offset(NB201_SCORES, "lambda_min")),
                    out.get(JAVA_DOUBLE, offset(NB201_SCORES, "lambda_max")),
                    out.get(JAVA_DOUBLE, offset(NB201_SCORES, "linear_regions")),
                    out.get(JAVA_DOUBLE, offset(NB201_SCORES, "naswot")),
                    out.get(JAVA_INT, offset(NB201_SCORES, "flags")));
        }
    }

    /**
     * The spectra of several symmetric matrices of one shape [n, n] in one call, each as {@link #spectrum} gives
     * it, in the order given. A CUDA engine solves them all in one launch, a thread block per matrix.
     */
    public List<Spectrum> spectra(List<Tensor> thetas) {
        Arguments.notNull(thetas, "thetas");
        int count = thetas.size();
        if (count == 0) {
            throw new InvalidArgumentException("thetas is empty");
        }
        long n = -1;
        for (int i = 0; i < count; i++) {
            Tensor theta = thetas.get(i);
            requireOwn(theta, "thetas[" + i + "]");
            long[] shape = theta.shape();
            if (shape.length != 2 || shape[0] != shape[1] || (i > 0 && shape[0] != n)) {
                throw new ShapeException("thetas[" + i + "] has shape " + Arrays.toString(shape)
                        + " but every matrix must be square and of thetas[0]'s size");
            }
            n = shape[0];
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pointers = addresses(arena, thetas);
            MemorySegment eigenvalues = arena.allocate(JAVA_DOUBLE, count * n);
            MemorySegment kappas = arena.allocate(JAVA_DOUBLE, count);
            MemorySegment flags = arena.allocate(JAVA_INT, count);
            lib.check(lib.ntkSpectrumBatched(address(), count, pointers, eigenvalues, kappas, flags));
            double[] values = eigenvalues.toArray(JAVA_DOUBLE);
            List<Spectrum> spectra = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                spectra.add(new Spectrum(Arrays.copyOfRange(values, (int) (i * n), (int) ((i + 1) * n)),
                        kappas.getAtIndex(JAVA_DOUBLE, i), flags.getAtIndex(JAVA_INT, i)));
            }
            return spectra;
        }
    }

    /** Tensors live on one context's device; mixing contexts would hand libjnas memory it cannot use. */
    void requireOwn(Tensor tensor, String what) {
        Arguments.notNull(tensor, what);
        if (tensor.engine() != this) {
            throw new InvalidArgumentException(what + " (" + tensor.describe() + ") belongs to another engine");
        }
    }

    @Override
    String describe() {
        return backend == Backend.CPU ? "Engine cpu" : "Engine " + backend.name().toLowerCase() + ":" + device;
    }

    @Override
    void free(MemorySegment ctx) {
        lib.ctxFree(ctx);
    }
}
