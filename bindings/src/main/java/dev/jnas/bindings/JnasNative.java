package dev.jnas.bindings;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The downcalls into libjnas, one per function of native/include/jnas.h and in the header's order. Each
 * method passes its arguments through unchanged and returns the raw jnas_status; {@link #check} turns a
 * failure into the matching {@link JnasException}. Only the handle classes of this package call these, and
 * they guarantee that no freed handle is ever passed.
 */
final class JnasNative {
    /** The header version these bindings mirror; a library of another major.minor has another ABI. */
    static final String ABI_VERSION = "0.1";

    private static volatile JnasNative instance;

    private final String libraryVersion;

    private final MethodHandle version;
    private final MethodHandle lastError;
    private final MethodHandle statusName;

    private final MethodHandle ctxCreate;
    private final MethodHandle ctxFree;
    private final MethodHandle ctxBackend;
    private final MethodHandle ctxDeviceName;
    private final MethodHandle ctxSetThreads;
    private final MethodHandle cudaCompiled;

    private final MethodHandle tensorCreate;
    private final MethodHandle tensorFree;
    private final MethodHandle tensorNdim;
    private final MethodHandle tensorShape;
    private final MethodHandle tensorNumel;
    private final MethodHandle tensorWrite;
    private final MethodHandle tensorRead;
    private final MethodHandle tensorFillNormal;
    private final MethodHandle tensorFillUniform;
    private final MethodHandle gemm;
    private final MethodHandle crossEntropy;

    private final MethodHandle graphCreate;
    private final MethodHandle graphFree;
    private final MethodHandle graphNodeCount;
    private final MethodHandle graphNodeShape;
    private final MethodHandle graphInput;
    private final MethodHandle graphParam;
    private final MethodHandle graphConv2d;
    private final MethodHandle graphBatchNorm;
    private final MethodHandle graphActivation;
    private final MethodHandle graphAvgPool;
    private final MethodHandle graphMaxPool;
    private final MethodHandle graphGlobalAvgPool;
    private final MethodHandle graphLinear;
    private final MethodHandle graphAdd;
    private final MethodHandle graphConcat;
    private final MethodHandle graphScale;
    private final MethodHandle graphZero;
    private final MethodHandle graphMixed;
    private final MethodHandle graphShift;
    private final MethodHandle graphSoftmax;
    private final MethodHandle graphLayerNorm;
    private final MethodHandle graphGroupNorm;
    private final MethodHandle graphGlobalMaxPool;
    private final MethodHandle graphFlatten;
    private final MethodHandle graphMul;
    private final MethodHandle graphDropout;
    private final MethodHandle graphMacs;

    private final MethodHandle netCreate;
    private final MethodHandle netFree;
    private final MethodHandle netInit;
    private final MethodHandle netSetTrain;
    private final MethodHandle netSetSampleGroups;
    private final MethodHandle netSetRandom;
    private final MethodHandle netBindInput;
    private final MethodHandle netForward;
    private final MethodHandle netOutputShape;
    private final MethodHandle netBackward;
    private final MethodHandle netZeroGrad;
    private final MethodHandle netInputGrad;
    private final MethodHandle netParamCount;
    private final MethodHandle netParamFind;
    private final MethodHandle netParamName;
    private final MethodHandle netParamRole;
    private final MethodHandle netParamShape;
    private final MethodHandle netParamNumel;
    private final MethodHandle netParamTrainable;
    private final MethodHandle netParamSetTrainable;
    private final MethodHandle netParamRead;
    private final MethodHandle netParamWrite;
    private final MethodHandle netGradRead;
    private final MethodHandle netHessianDiag;
    private final MethodHandle netHessianRead;
    private final MethodHandle crossEntropyHessianDiag;
    private final MethodHandle ardUpdate;

    private final MethodHandle optimizerSgd;
    private final MethodHandle optimizerAdam;
    private final MethodHandle optimizerFree;
    private final MethodHandle optimizerSetLr;
    private final MethodHandle optimizerStep;
    private final MethodHandle optimizerStateSize;
    private final MethodHandle optimizerStateRead;
    private final MethodHandle optimizerStateWrite;

    private final MethodHandle patternsCreate;
    private final MethodHandle patternsFree;
    private final MethodHandle netCollectPatterns;
    private final MethodHandle netCollectPatternsGroups;
    private final MethodHandle patternsInfo;
    private final MethodHandle patternsCountDistinct;
    private final MethodHandle patternsNaswot;
    private final MethodHandle patternsCountDistinctOn;

    // ---- NTK ----
    private final MethodHandle netNtk;
    private final MethodHandle netNtkGroups;
    private final MethodHandle ntkSpectrum;
    private final MethodHandle ntkSpectrumBatched;

    private final MethodHandle nb201Score;

    /**
     * The bindings, loading libjnas on first use. A failed load is not remembered, so a caller that fixes
     * the cause (e.g. sets jnas.library) can retry.
     */
    static JnasNative get() {
        JnasNative loaded = instance;
        if (loaded == null) {
            synchronized (JnasNative.class) {
                loaded = instance;
                if (loaded == null) {
                    loaded = new JnasNative(NativeLibraryLoader.open());
                    instance = loaded;
                }
            }
        }
        return loaded;
    }

    private JnasNative(NativeLibraryLoader.Loaded library) {
        Binder b = new Binder(library.symbols());
        version = b.bind("jnas_version", FunctionDescriptor.of(ADDRESS));
        lastError = b.bind("jnas_last_error", FunctionDescriptor.of(ADDRESS));
        statusName = b.bind("jnas_status_name", FunctionDescriptor.of(ADDRESS, JAVA_INT));

        ctxCreate = b.bind("jnas_ctx_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        ctxFree = b.bind("jnas_ctx_free", FunctionDescriptor.ofVoid(ADDRESS));
        ctxBackend = b.bind("jnas_ctx_backend", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        ctxDeviceName = b.bind("jnas_ctx_device_name", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        ctxSetThreads = b.bind("jnas_ctx_set_threads", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        cudaCompiled = b.bind("jnas_cuda_compiled", FunctionDescriptor.of(JAVA_INT));

        tensorCreate = b.bind("jnas_tensor_create",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        tensorFree = b.bind("jnas_tensor_free", FunctionDescriptor.ofVoid(ADDRESS));
        tensorNdim = b.bind("jnas_tensor_ndim", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        tensorShape = b.bind("jnas_tensor_shape", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        tensorNumel = b.bind("jnas_tensor_numel", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        tensorWrite = b.bind("jnas_tensor_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        tensorRead = b.bind("jnas_tensor_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        tensorFillNormal = b.bind("jnas_tensor_fill_normal",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_FLOAT, JAVA_FLOAT));
        tensorFillUniform = b.bind("jnas_tensor_fill_uniform",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_FLOAT, JAVA_FLOAT));
        gemm = b.bind("jnas_gemm", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_FLOAT,
                ADDRESS, ADDRESS, JAVA_FLOAT, ADDRESS));
        crossEntropy = b.bind("jnas_cross_entropy", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                JAVA_LONG, JAVA_FLOAT, ADDRESS, ADDRESS, ADDRESS));

        graphCreate = b.bind("jnas_graph_create", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        graphFree = b.bind("jnas_graph_free", FunctionDescriptor.ofVoid(ADDRESS));
        graphNodeCount = b.bind("jnas_graph_node_count", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        graphNodeShape = b.bind("jnas_graph_node_shape",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        graphInput = b.bind("jnas_graph_input",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        graphParam = b.bind("jnas_graph_param", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        graphConv2d = b.bind("jnas_graph_conv2d", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        graphBatchNorm = b.bind("jnas_graph_batch_norm", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_FLOAT, JAVA_FLOAT, ADDRESS));
        graphActivation = b.bind("jnas_graph_activation",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        graphAvgPool = b.bind("jnas_graph_avg_pool", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        graphMaxPool = b.bind("jnas_graph_max_pool",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        graphGlobalAvgPool = b.bind("jnas_graph_global_avg_pool",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        graphLinear = b.bind("jnas_graph_linear",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        graphAdd = b.bind("jnas_graph_add", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        graphConcat = b.bind("jnas_graph_concat",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        graphScale = b.bind("jnas_graph_scale",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS));
        graphZero = b.bind("jnas_graph_zero", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        graphMixed = b.bind("jnas_graph_mixed", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_FLOAT, ADDRESS));
        graphShift = b.bind("jnas_graph_shift",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        graphSoftmax = b.bind("jnas_graph_softmax", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        graphLayerNorm = b.bind("jnas_graph_layer_norm",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS));
        graphGroupNorm = b.bind("jnas_graph_group_norm",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_FLOAT, ADDRESS));
        graphGlobalMaxPool = b.bind("jnas_graph_global_max_pool",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        graphFlatten = b.bind("jnas_graph_flatten", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        graphMul = b.bind("jnas_graph_mul", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        graphDropout = b.bind("jnas_graph_dropout", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT,
                ADDRESS));
        graphMacs = b.bind("jnas_graph_macs", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));

        netCreate = b.bind("jnas_net_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
                JAVA_INT, JAVA_LONG, ADDRESS));
        netFree = b.bind("jnas_net_free", FunctionDescriptor.ofVoid(ADDRESS));
        netInit = b.bind("jnas_net_init", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
        netSetTrain = b.bind("jnas_net_set_train", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        netSetSampleGroups = b.bind("jnas_net_set_sample_groups", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        netSetRandom = b.bind("jnas_net_set_random", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        netBindInput = b.bind("jnas_net_bind_input",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        netForward = b.bind("jnas_net_forward", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        netOutputShape = b.bind("jnas_net_output_shape",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));
        netBackward = b.bind("jnas_net_backward", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        netZeroGrad = b.bind("jnas_net_zero_grad", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        netInputGrad = b.bind("jnas_net_input_grad",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        netParamCount = b.bind("jnas_net_param_count", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        netParamFind = b.bind("jnas_net_param_find",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        netParamName = b.bind("jnas_net_param_name",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        netParamRole = b.bind("jnas_net_param_role",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        netParamShape = b.bind("jnas_net_param_shape",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        netParamNumel = b.bind("jnas_net_param_numel",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        netParamTrainable = b.bind("jnas_net_param_trainable",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        netParamSetTrainable = b.bind("jnas_net_param_set_trainable",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        netParamRead = b.bind("jnas_net_param_read",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
        netParamWrite = b.bind("jnas_net_param_write",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
        netGradRead = b.bind("jnas_net_grad_read",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
        netHessianDiag = b.bind("jnas_net_hessian_diag", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        netHessianRead = b.bind("jnas_net_hessian_read",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
        crossEntropyHessianDiag = b.bind("jnas_cross_entropy_hessian_diag",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        ardUpdate = b.bind("jnas_ard_update", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

        optimizerSgd = b.bind("jnas_optimizer_sgd", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_FLOAT, JAVA_FLOAT, JAVA_FLOAT, JAVA_INT, ADDRESS));
        optimizerAdam = b.bind("jnas_optimizer_adam", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                JAVA_FLOAT, JAVA_FLOAT, JAVA_FLOAT, JAVA_FLOAT, JAVA_FLOAT, ADDRESS));
        optimizerFree = b.bind("jnas_optimizer_free", FunctionDescriptor.ofVoid(ADDRESS));
        optimizerSetLr = b.bind("jnas_optimizer_set_lr", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_FLOAT));
        optimizerStep = b.bind("jnas_optimizer_step", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        optimizerStateSize = b.bind("jnas_optimizer_state_size", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        optimizerStateRead = b.bind("jnas_optimizer_state_read",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        optimizerStateWrite = b.bind("jnas_optimizer_state_write",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));

        patternsCreate = b.bind("jnas_patterns_create", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        patternsFree = b.bind("jnas_patterns_free", FunctionDescriptor.ofVoid(ADDRESS));
        netCollectPatterns = b.bind("jnas_net_collect_patterns", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        netCollectPatternsGroups = b.bind("jnas_net_collect_patterns_groups",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        patternsInfo = b.bind("jnas_patterns_info", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        patternsCountDistinct = b.bind("jnas_patterns_count_distinct",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        patternsNaswot = b.bind("jnas_patterns_naswot",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS));
        patternsCountDistinctOn = b.bind("jnas_patterns_count_distinct_on",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));

        // ---- NTK ----
        netNtk = b.bind("jnas_net_ntk", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        netNtkGroups = b.bind("jnas_net_ntk_groups",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        ntkSpectrum = b.bind("jnas_ntk_spectrum",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        ntkSpectrumBatched = b.bind("jnas_ntk_spectrum_batched",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

        // ---- NB201 ----
        nb201Score = b.bind("jnas_nb201_score", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

        libraryVersion = version();
        if (!libraryVersion.equals(ABI_VERSION) && !libraryVersion.startsWith(ABI_VERSION + ".")) {
            throw new LibraryNotFoundException("libjnas " + libraryVersion + " at "
                    + library.path() + " does not match these bindings (jnas.h " + ABI_VERSION
                    + ".x): rebuild it with ./jnas");
        }
    }

    /** Looks up symbols and builds downcall handles, naming a missing symbol (an older libjnas). */
    private record Binder(SymbolLookup lookup) {
        MethodHandle bind(String symbol, FunctionDescriptor descriptor) {
            MemorySegment address = lookup.find(symbol).orElseThrow(() -> new LibraryNotFoundException(
                    "libjnas lacks " + symbol + ": it is older than these bindings; rebuild it with ./jnas"));
            return Linker.nativeLinker().downcallHandle(address, descriptor);
        }
    }

    /** Throws the exception matching a failed status, with libjnas's message for this thread. */
    void check(int status) {
        if (status != Status.OK.code()) {
            String message = lastError();
            throw JnasException.forStatus(Status.of(status), message.isEmpty() ? statusName(status) : message);
        }
    }

    /** A NUL-terminated string owned by libjnas. */
    static String cString(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? "" : pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** invokeExact declares Throwable, but a downcall only throws unchecked exceptions and errors. */
    private static RuntimeException propagate(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    // ---- version and errors ------------------------------------------------------------------------------

    String version() {
        try {
            return cString((MemorySegment) version.invokeExact());
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    String libraryVersion() {
        return libraryVersion;
    }

    String lastError() {
        try {
            return cString((MemorySegment) lastError.invokeExact());
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    String statusName(int status) {
        try {
            return cString((MemorySegment) statusName.invokeExact(status));
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ---- contexts ----------------------------------------------------------------------------------------

    int ctxCreate(int backend, int device, MemorySegment out) {
        try {
            return (int) ctxCreate.invokeExact(backend, device, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void ctxFree(MemorySegment ctx) {
        try {
            ctxFree.invokeExact(ctx);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int ctxBackend(MemorySegment ctx, MemorySegment out) {
        try {
            return (int) ctxBackend.invokeExact(ctx, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int ctxDeviceName(MemorySegment ctx, MemorySegment out) {
        try {
            return (int) ctxDeviceName.invokeExact(ctx, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int ctxSetThreads(MemorySegment ctx, int n) {
        try {
            return (int) ctxSetThreads.invokeExact(ctx, n);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int cudaCompiled() {
        try {
            return (int) cudaCompiled.invokeExact();
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ---- tensors -----------------------------------------------------------------------------------------

    int tensorCreate(MemorySegment ctx, int ndim, MemorySegment shape, MemorySegment out) {
        try {
            return (int) tensorCreate.invokeExact(ctx, ndim, shape, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void tensorFree(MemorySegment tensor) {
        try {
            tensorFree.invokeExact(tensor);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int tensorNdim(MemorySegment tensor, MemorySegment out) {
        try {
            return (int) tensorNdim.invokeExact(tensor, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int tensorShape(MemorySegment tensor, MemorySegment shape) {
        try {
            return (int) tensorShape.invokeExact(tensor, shape);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int tensorNumel(MemorySegment tensor, MemorySegment out) {
        try {
            return (int) tensorNumel.invokeExact(tensor, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int tensorWrite(MemorySegment tensor, MemorySegment src, long count) {
        try {
            return (int) tensorWrite.invokeExact(tensor, src, count);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int tensorRead(MemorySegment tensor, MemorySegment dst, long count) {
        try {
            return (int) tensorRead.invokeExact(tensor, dst, count);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int tensorFillNormal(MemorySegment tensor, long seed, long stream, float mean, float std) {
        try {
            return (int) tensorFillNormal.invokeExact(tensor, seed, stream, mean, std);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int tensorFillUniform(MemorySegment tensor, long seed, long stream, float lo, float hi) {
        try {
            return (int) tensorFillUniform.invokeExact(tensor, seed, stream, lo, hi);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int gemm(MemorySegment ctx, int transA, int transB, float alpha, MemorySegment a, MemorySegment b,
             float beta, MemorySegment c) {
        try {
            return (int) gemm.invokeExact(ctx, transA, transB, alpha, a, b, beta, c);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int crossEntropy(MemorySegment ctx, MemorySegment logits, MemorySegment labels, long count, float smoothing,
                     MemorySegment loss, MemorySegment correct, MemorySegment gradLogits) {
        try {
            return (int) crossEntropy.invokeExact(ctx, logits, labels, count, smoothing, loss, correct, gradLogits);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ---- graphs ------------------------------------------------------------------------------------------

    int graphCreate(MemorySegment out) {
        try {
            return (int) graphCreate.invokeExact(out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void graphFree(MemorySegment graph) {
        try {
            graphFree.invokeExact(graph);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphNodeCount(MemorySegment graph, MemorySegment out) {
        try {
            return (int) graphNodeCount.invokeExact(graph, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphNodeShape(MemorySegment graph, int node, MemorySegment ndim, MemorySegment shape) {
        try {
            return (int) graphNodeShape.invokeExact(graph, node, ndim, shape);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphInput(MemorySegment graph, int ndim, MemorySegment shape, MemorySegment out) {
        try {
            return (int) graphInput.invokeExact(graph, ndim, shape, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphParam(MemorySegment graph, MemorySegment name, int ndim, MemorySegment shape, int init, int trainable,
                   MemorySegment out) {
        try {
            return (int) graphParam.invokeExact(graph, name, ndim, shape, init, trainable, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphConv2d(MemorySegment graph, MemorySegment name, int x, int outChannels, int kernelH, int kernelW,
                    int stride, int padding, int dilation, int groups, int bias, MemorySegment out) {
        try {
            return (int) graphConv2d.invokeExact(graph, name, x, outChannels, kernelH, kernelW, stride, padding,
                    dilation, groups, bias, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphBatchNorm(MemorySegment graph, MemorySegment name, int x, int flags, float eps, float momentum,
                       MemorySegment out) {
        try {
            return (int) graphBatchNorm.invokeExact(graph, name, x, flags, eps, momentum, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphActivation(MemorySegment graph, int x, int kind, MemorySegment out) {
        try {
            return (int) graphActivation.invokeExact(graph, x, kind, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphAvgPool(MemorySegment graph, int x, int kernel, int stride, int padding, int countIncludePad,
                     MemorySegment out) {
        try {
            return (int) graphAvgPool.invokeExact(graph, x, kernel, stride, padding, countIncludePad, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphMaxPool(MemorySegment graph, int x, int kernel, int stride, int padding, MemorySegment out) {
        try {
            return (int) graphMaxPool.invokeExact(graph, x, kernel, stride, padding, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphGlobalAvgPool(MemorySegment graph, int x, MemorySegment out) {
        try {
            return (int) graphGlobalAvgPool.invokeExact(graph, x, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphLinear(MemorySegment graph, MemorySegment name, int x, int outFeatures, int bias, MemorySegment out) {
        try {
            return (int) graphLinear.invokeExact(graph, name, x, outFeatures, bias, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphAdd(MemorySegment graph, int a, int b, MemorySegment out) {
        try {
            return (int) graphAdd.invokeExact(graph, a, b, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphConcat(MemorySegment graph, int n, MemorySegment nodes, MemorySegment out) {
        try {
            return (int) graphConcat.invokeExact(graph, n, nodes, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphScale(MemorySegment graph, int x, float factor, MemorySegment out) {
        try {
            return (int) graphScale.invokeExact(graph, x, factor, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphZero(MemorySegment graph, int x, int stride, MemorySegment out) {
        try {
            return (int) graphZero.invokeExact(graph, x, stride, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphMixed(MemorySegment graph, int n, MemorySegment ops, int weights, float threshold, MemorySegment out) {
        try {
            return (int) graphMixed.invokeExact(graph, n, ops, weights, threshold, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphShift(MemorySegment graph, int x, int dy, int dx, MemorySegment out) {
        try {
            return (int) graphShift.invokeExact(graph, x, dy, dx, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphSoftmax(MemorySegment graph, int x, MemorySegment out) {
        try {
            return (int) graphSoftmax.invokeExact(graph, x, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphLayerNorm(MemorySegment graph, MemorySegment name, int x, float eps, MemorySegment out) {
        try {
            return (int) graphLayerNorm.invokeExact(graph, name, x, eps, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphGroupNorm(MemorySegment graph, MemorySegment name, int x, int groups, float eps, MemorySegment out) {
        try {
            return (int) graphGroupNorm.invokeExact(graph, name, x, groups, eps, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphGlobalMaxPool(MemorySegment graph, int x, MemorySegment out) {
        try {
            return (int) graphGlobalMaxPool.invokeExact(graph, x, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphFlatten(MemorySegment graph, int x, MemorySegment out) {
        try {
            return (int) graphFlatten.invokeExact(graph, x, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphMul(MemorySegment graph, int a, int b, MemorySegment out) {
        try {
            return (int) graphMul.invokeExact(graph, a, b, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphDropout(MemorySegment graph, int x, float p, MemorySegment out) {
        try {
            return (int) graphDropout.invokeExact(graph, x, p, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int graphMacs(MemorySegment graph, int output, MemorySegment conv, MemorySegment linear) {
        try {
            return (int) graphMacs.invokeExact(graph, output, conv, linear);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ---- nets --------------------------------------------------------------------------------------------

    int netCreate(MemorySegment ctx, MemorySegment graph, int output, int init, long seed, MemorySegment out) {
        try {
            return (int) netCreate.invokeExact(ctx, graph, output, init, seed, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void netFree(MemorySegment net) {
        try {
            netFree.invokeExact(net);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netInit(MemorySegment net, int init, long seed) {
        try {
            return (int) netInit.invokeExact(net, init, seed);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netSetTrain(MemorySegment net, int train) {
        try {
            return (int) netSetTrain.invokeExact(net, train);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netSetSampleGroups(MemorySegment net, int groups) {
        try {
            return (int) netSetSampleGroups.invokeExact(net, groups);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netSetRandom(MemorySegment net, long seed, long step) {
        try {
            return (int) netSetRandom.invokeExact(net, seed, step);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netBindInput(MemorySegment net, int node, MemorySegment input) {
        try {
            return (int) netBindInput.invokeExact(net, node, input);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netForward(MemorySegment net, MemorySegment out) {
        try {
            return (int) netForward.invokeExact(net, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netOutputShape(MemorySegment net, long batch, MemorySegment ndim, MemorySegment shape) {
        try {
            return (int) netOutputShape.invokeExact(net, batch, ndim, shape);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netBackward(MemorySegment net, MemorySegment gradOutput) {
        try {
            return (int) netBackward.invokeExact(net, gradOutput);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netZeroGrad(MemorySegment net) {
        try {
            return (int) netZeroGrad.invokeExact(net);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netInputGrad(MemorySegment net, int node, MemorySegment out) {
        try {
            return (int) netInputGrad.invokeExact(net, node, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netParamCount(MemorySegment net, MemorySegment out) {
        try {
            return (int) netParamCount.invokeExact(net, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netParamFind(MemorySegment net, MemorySegment name, MemorySegment index) {
        try {
            return (int) netParamFind.invokeExact(net, name, index);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netParamName(MemorySegment net, int index, MemorySegment out) {
        try {
            return (int) netParamName.invokeExact(net, index, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netParamRole(MemorySegment net, int index, MemorySegment out) {
        try {
            return (int) netParamRole.invokeExact(net, index, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netParamShape(MemorySegment net, int index, MemorySegment ndim, MemorySegment shape) {
        try {
            return (int) netParamShape.invokeExact(net, index, ndim, shape);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netParamNumel(MemorySegment net, int index, MemorySegment out) {
        try {
            return (int) netParamNumel.invokeExact(net, index, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netParamTrainable(MemorySegment net, int index, MemorySegment out) {
        try {
            return (int) netParamTrainable.invokeExact(net, index, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netParamSetTrainable(MemorySegment net, int index, int trainable) {
        try {
            return (int) netParamSetTrainable.invokeExact(net, index, trainable);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netParamRead(MemorySegment net, int index, MemorySegment dst, long count) {
        try {
            return (int) netParamRead.invokeExact(net, index, dst, count);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netParamWrite(MemorySegment net, int index, MemorySegment src, long count) {
        try {
            return (int) netParamWrite.invokeExact(net, index, src, count);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netGradRead(MemorySegment net, int index, MemorySegment dst, long count) {
        try {
            return (int) netGradRead.invokeExact(net, index, dst, count);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netHessianDiag(MemorySegment net, MemorySegment seed) {
        try {
            return (int) netHessianDiag.invokeExact(net, seed);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netHessianRead(MemorySegment net, int index, MemorySegment dst, long count) {
        try {
            return (int) netHessianRead.invokeExact(net, index, dst, count);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int crossEntropyHessianDiag(MemorySegment ctx, MemorySegment logits, MemorySegment out) {
        try {
            return (int) crossEntropyHessianDiag.invokeExact(ctx, logits, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int ardUpdate(MemorySegment ctx, MemorySegment switches, MemorySegment hessians, MemorySegment gammas,
            MemorySegment lambdas, MemorySegment parents, MemorySegment covariances, MemorySegment omegas,
            MemorySegment newGammas) {
        try {
            return (int) ardUpdate.invokeExact(ctx, switches, hessians, gammas, lambdas, parents, covariances, omegas,
                    newGammas);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ---- optimizers --------------------------------------------------------------------------------------

    int optimizerSgd(MemorySegment net, int count, MemorySegment params, float lr, float momentum,
                     float weightDecay, int nesterov, MemorySegment out) {
        try {
            return (int) optimizerSgd.invokeExact(net, count, params, lr, momentum, weightDecay, nesterov, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int optimizerAdam(MemorySegment net, int count, MemorySegment params, float lr, float beta1, float beta2,
                      float eps, float weightDecay, MemorySegment out) {
        try {
            return (int) optimizerAdam.invokeExact(net, count, params, lr, beta1, beta2, eps, weightDecay, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void optimizerFree(MemorySegment optimizer) {
        try {
            optimizerFree.invokeExact(optimizer);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int optimizerSetLr(MemorySegment optimizer, float lr) {
        try {
            return (int) optimizerSetLr.invokeExact(optimizer, lr);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int optimizerStep(MemorySegment optimizer) {
        try {
            return (int) optimizerStep.invokeExact(optimizer);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int optimizerStateSize(MemorySegment optimizer, MemorySegment floats) {
        try {
            return (int) optimizerStateSize.invokeExact(optimizer, floats);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int optimizerStateRead(MemorySegment optimizer, MemorySegment dst, long count, MemorySegment steps) {
        try {
            return (int) optimizerStateRead.invokeExact(optimizer, dst, count, steps);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int optimizerStateWrite(MemorySegment optimizer, MemorySegment src, long count, long steps) {
        try {
            return (int) optimizerStateWrite.invokeExact(optimizer, src, count, steps);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ---- activation patterns -----------------------------------------------------------------------------

    int patternsCreate(MemorySegment out) {
        try {
            return (int) patternsCreate.invokeExact(out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    void patternsFree(MemorySegment patterns) {
        try {
            patternsFree.invokeExact(patterns);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netCollectPatterns(MemorySegment net, MemorySegment into) {
        try {
            return (int) netCollectPatterns.invokeExact(net, into);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netCollectPatternsGroups(MemorySegment net, int groups, MemorySegment into) {
        try {
            return (int) netCollectPatternsGroups.invokeExact(net, groups, into);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int patternsInfo(MemorySegment patterns, MemorySegment samples, MemorySegment bits) {
        try {
            return (int) patternsInfo.invokeExact(patterns, samples, bits);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int patternsCountDistinct(MemorySegment patterns, MemorySegment count) {
        try {
            return (int) patternsCountDistinct.invokeExact(patterns, count);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int patternsNaswot(MemorySegment patterns, long first, long count, MemorySegment logdet, MemorySegment flags) {
        try {
            return (int) patternsNaswot.invokeExact(patterns, first, count, logdet, flags);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int patternsCountDistinctOn(MemorySegment ctx, MemorySegment patterns, MemorySegment count) {
        try {
            return (int) patternsCountDistinctOn.invokeExact(ctx, patterns, count);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ---- NTK ---------------------------------------------------------------------------------------------

    int netNtk(MemorySegment net, int coupling, int count, MemorySegment params, MemorySegment theta) {
        try {
            return (int) netNtk.invokeExact(net, coupling, count, params, theta);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int netNtkGroups(MemorySegment net, int coupling, int count, MemorySegment params, int groups,
                     MemorySegment thetas) {
        try {
            return (int) netNtkGroups.invokeExact(net, coupling, count, params, groups, thetas);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int ntkSpectrum(MemorySegment ctx, MemorySegment theta, MemorySegment eigenvalues, MemorySegment kappa,
                    MemorySegment flags) {
        try {
            return (int) ntkSpectrum.invokeExact(ctx, theta, eigenvalues, kappa, flags);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    int ntkSpectrumBatched(MemorySegment ctx, int count, MemorySegment thetas, MemorySegment eigenvalues,
                           MemorySegment kappas, MemorySegment flags) {
        try {
            return (int) ntkSpectrumBatched.invokeExact(ctx, count, thetas, eigenvalues, kappas, flags);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }

    // ---- NB201 -------------------------------------------------------------------------------------------

    int nb201Score(MemorySegment ctx, MemorySegment arch, MemorySegment options, MemorySegment out) {
        try {
            return (int) nb201Score.invokeExact(ctx, arch, options, out);
        } catch (Throwable t) {
            throw propagate(t);
        }
    }
}
