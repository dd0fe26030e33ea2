// conv.cu — grouped 2-D convolution (NCHW, weights [c_out, c_in/groups, kh, kw]) as implicit GEMM on the tiled
// core of tiled_gemm.cuh, one GEMM problem per group (blockIdx.z). With cig = c_in/groups, cog = c_out/groups,
// taps = kh·kw, a column index j runs over (sample, output pixel) and a tap index over (ci, r, q):
//   forward          Y_g[co, j]      = Σ_{(ci,r,q)} W_g[co, (ci,r,q)] · X̃_g[(ci,r,q), j]       (X̃: im2col of x)
//   backward data    dX_g[ci, (n,ih,iw)] += Σ_{(co,r,q)} W_g[co, ci, r, q] · dY at the output pixel that tap
//                                         (r, q) maps onto (ih, iw), if any — a gather, so no atomics
//   backward weight  dW_g[co, (ci,r,q)] += Σ_j dY_g[co, j] · X̃_g[(ci,r,q), j]
// The weight gradient reduces over every sample and pixel onto a small matrix, so it splits K (split_k in
// tiled_gemm.cuh) and adds the partials in split order. The weight gradients of a per-sample Jacobian's rows
// (conv2d_backward_weight_rows) are one launch: rows that share their inputs (BN-coupled rows) stack into the rows
// of one GEMM per group, so each staged tile of im2col columns serves many rows; rows with inputs of their own
// (frozen rows) are a GEMM problem per row and group.
#include <algorithm>

#include "cuda_kernels.cuh"
#include "tiled_gemm.cuh"

namespace jnas::cuda {
namespace {

// Sizes derived once on the host, shared by all operands.
struct ConvGeometry {
    Conv2dShape s;
    int cig, cog, taps, hw_out;
    int64_t weights_per_group;  // cog · cig · taps
};

ConvGeometry geometry(const Conv2dShape& s) {
    ConvGeometry g{s, s.c_in / s.groups, s.c_out / s.groups, s.kh * s.kw, s.h_out * s.w_out, 0};
    g.weights_per_group = int64_t(g.cog) * g.cig * g.taps;
    return g;
}

// X̃_g[(ci, r, q), (sample, oh, ow)] = x[sample, g·cig + ci, oh·stride − pad + r·dil, ow·stride − pad + q·dil],
// zero outside the image.
__device__ __forceinline__ float image_column(const ConvGeometry& g, const float* x, int group, int tap_index,
                                              int column) {
    const Conv2dShape& s = g.s;
    const int ci = tap_index / g.taps, tap = tap_index % g.taps;
    const int sample = column / g.hw_out, pixel = column % g.hw_out;
    const int ih = (pixel / s.w_out) * s.stride - s.pad + (tap / s.kw) * s.dilation;
    const int iw = (pixel % s.w_out) * s.stride - s.pad + (tap % s.kw) * s.dilation;
    if (ih < 0 || ih >= s.h || iw < 0 || iw >= s.w) return 0.0f;
    return x[((int64_t(sample) * s.c_in + group * g.cig + ci) * s.h + ih) * s.w + iw];
}

// ---- forward: A = W_g (cog × cig·taps), B = X̃_g (cig·taps × n·hw_out) ----
struct ForwardWeights {
    static constexpr bool k_fastest = true;
    ConvGeometry g;
    const float* w;
    __device__ float operator()(int group, int co, int p) const {
        return w[int64_t(group) * g.weights_per_group + int64_t(co) * g.cig * g.taps + p];
    }
};

struct ForwardColumns {
    static constexpr bool k_fastest = false;  // consecutive columns are neighbouring output pixels
    ConvGeometry g;
    const float* x;
    __device__ float operator()(int group, int p, int j) const { return image_column(g, x, group, p, j); }
};

struct StoreOutput {
    ConvGeometry g;
    float* y;
    __device__ void operator()(int group, int, int co, int j, float value) const {
        const int sample = j / g.hw_out, pixel = j % g.hw_out;
        y[(int64_t(sample) * g.s.c_out + group * g.cog + co) * g.hw_out + pixel] = value;
    }
};

// ---- backward data: A = W_gᵀ (cig × cog·taps), B = dY gathered per tap (cog·taps × n·h·w) ----
struct TransposedWeights {
    static constexpr bool k_fastest = true;  // taps of one (co, ci) are contiguous
    ConvGeometry g;
    const float* w;
    __device__ float operator()(int group, int ci, int p) const {
        const int co = p / g.taps, tap = p % g.taps;
        return w[int64_t(group) * g.weights_per_group + (int64_t(co) * g.cig + ci) * g.taps + tap];
    }
};

// The dY element that tap (r, q) of output channel co reads input pixel (ih, iw) from: the output pixel (oh, ow)
// with oh·stride − pad + r·dil = ih, if that is a whole number inside the output.
struct GatheredOutputGrad {
    static constexpr bool k_fastest = false;
    ConvGeometry g;
    const float* dy;
    __device__ float operator()(int group, int p, int j) const {
        const Conv2dShape& s = g.s;
        const int co = p / g.taps, tap = p % g.taps;
        const int plane = s.h * s.w;
        const int sample = j / plane, pixel = j % plane;
        const int th = pixel / s.w + s.pad - (tap / s.kw) * s.dilation;
        const int tw = pixel % s.w + s.pad - (tap % s.kw) * s.dilation;
        if (th < 0 || tw < 0 || th % s.stride != 0 || tw % s.stride != 0) return 0.0f;
        const int oh = th / s.stride, ow = tw / s.stride;
        if (oh >= s.h_out || ow >= s.w_out) return 0.0f;
        return dy[((int64_t(sample) * s.c_out + group * g.cog + co) * s.h_out + oh) * s.w_out + ow];
    }
};

struct AddInputGrad {
    ConvGeometry g;
    float* dx;
    __device__ void operator()(int group, int, int ci, int j, float value) const {
        const int plane = g.s.h * g.s.w;
        const int sample = j / plane, pixel = j % plane;
        dx[(int64_t(sample) * g.s.c_in + group * g.cig + ci) * plane + pixel] += value;
    }
};

// ---- backward weight: A = dY_g (cog × n·hw_out), B = X̃_gᵀ (n·hw_out × cig·taps) ----
struct OutputGradRows {
    static constexpr bool k_fastest = true;  // a row of dY_g runs along the pixels of one plane
    ConvGeometry g;
    const float* dy;
    __device__ float operator()(int group, int co, int j) const {
        const int sample = j / g.hw_out, pixel = j % g.hw_out;
        return dy[(int64_t(sample) * g.s.c_out + group * g.cog + co) * g.hw_out + pixel];
    }
};

struct TransposedColumns {
    static constexpr bool k_fastest = true;
    ConvGeometry g;
    const float* x;
    __device__ float operator()(int group, int j, int p) const { return image_column(g, x, group, p, j); }
};

// splits == 1: dW += value directly; otherwise partial `split` of every weight, summed by add_weight_partials.
struct WeightGradOrPartial {
    ConvGeometry g;
    float* dw;
    float* partials;  // [splits][c_out · cig · taps], null when splits == 1
    __device__ void operator()(int group, int split, int co, int p, float value) const {
        const int64_t index = int64_t(group) * g.weights_per_group + int64_t(co) * g.cig * g.taps + p;
        if (partials == nullptr)
            dw[index] += value;
        else
            partials[int64_t(split) * g.s.groups * g.weights_per_group + index] = value;
    }
};

__global__ void add_weight_partials_kernel(int64_t weights, int splits, const float* partials, float* dw) {
    JNAS_GRID_STRIDE(i, weights) {
        float total = 0.0f;
        for (int split = 0; split < splits; ++split) total += partials[split * weights + i];
        dw[i] += total;
    }
}

// ---- Jacobian rows with inputs of their own: problem z = row·groups + group ----
// Row r is a weight gradient of its own s.n samples: it reads its cotangents from dy + r·dy_row_floats and its
// inputs from x + r·x_row_floats, and its gradient goes to dw + r·ldw.
struct RowsOutputGradRows {
    static constexpr bool k_fastest = true;
    ConvGeometry g;
    const float* dy;
    int64_t dy_row_floats;
    __device__ float operator()(int z, int co, int j) const {
        return OutputGradRows{g, dy + (z / g.s.groups) * dy_row_floats}(z % g.s.groups, co, j);
    }
};

struct RowsTransposedColumns {
    static constexpr bool k_fastest = true;
    ConvGeometry g;
    const float* x;
    int64_t x_row_floats;
    __device__ float operator()(int z, int j, int p) const {
        return image_column(g, x + (z / g.s.groups) * x_row_floats, z % g.s.groups, p, j);
    }
};

// splits == 1: dW rows += value directly; otherwise partial `split` of every row's weights, [splits][rows][weights].
struct RowsWeightGradOrPartial {
    ConvGeometry g;
    float* dw;
    int64_t ldw;
    float* partials;
    int rows;
    __device__ void operator()(int z, int split, int co, int p, float value) const {
        const int row = z / g.s.groups, group = z % g.s.groups;
        const int64_t index = int64_t(group) * g.weights_per_group + int64_t(co) * g.cig * g.taps + p;
        if (partials == nullptr)
            dw[row * ldw + index] += value;
        else
            partials[(int64_t(split) * rows + row) * g.s.groups * g.weights_per_group + index] = value;
    }
};

// ---- Jacobian rows sharing their inputs: problem z = group, A's row i = row·cog + co ----
struct StackedOutputGradRows {
    static constexpr bool k_fastest = true;
    ConvGeometry g;
    const float* dy;
    int64_t dy_row_floats;
    __device__ float operator()(int group, int i, int j) const {
        return OutputGradRows{g, dy + (i / g.cog) * dy_row_floats}(group, i % g.cog, j);
    }
};

// As RowsWeightGradOrPartial (the same partials layout), for A's rows stacked as (row, co).
struct StackedRowsWeightGradOrPartial {
    ConvGeometry g;
    float* dw;
    int64_t ldw;
    float* partials;
    int rows;
    __device__ void operator()(int group, int split, int i, int p, float value) const {
        RowsWeightGradOrPartial{g, dw, ldw, partials, rows}(i / g.cog * g.s.groups + group, split, i % g.cog, p,
                                                             value);
    }
};

__global__ void add_row_partials_kernel(int rows, int64_t weights, int splits, const float* partials, float* dw,
                                        int64_t ldw) {
    JNAS_GRID_STRIDE(i, rows * weights) {
        const int64_t row = i / weights, w = i % weights;
        float total = 0.0f;
        for (int split = 0; split < splits; ++split) total += partials[(split * rows + row) * weights + w];
        dw[row * ldw + w] += total;
    }
}

// ---- backward data of few input channels, directly ----
// The output row (or column) whose tap at offset tap_offset (r·dil) reads input row i, or −1 when no output does.
template <bool UnitStride>
__device__ __forceinline__ int output_index(int i, int pad, int tap_offset, int stride, int size_out) {
    int o = i + pad - tap_offset;
    if (!UnitStride) {
        if (o < 0 || o % stride != 0) return -1;
        o /= stride;
    }
    return o >= 0 && o < size_out ? o : -1;
}

// For cig ≤ MaxCig, a thread per (sample, input pixel) of group blockIdx.y sums its cig input gradients over
// (co, tap) in the GEMM's order of p = co·taps + tap, skipping the taps that reach no output pixel (the GEMM adds
// 0 for them), so it gives the GEMM's result. The GEMM would stage every gathered dY value in shared memory to
// use it for 3 rows; here it goes straight into registers, and the group's weights sit in shared memory.
template <int MaxCig, bool UnitStride>
__global__ void conv2d_backward_data_direct_kernel(ConvGeometry g, const float* dy, const float* w, float* dx) {
    extern __shared__ float w_group[];  // [cog][cig][taps] of this group
    const Conv2dShape& s = g.s;
    const int group = blockIdx.y;
    for (int e = threadIdx.x; e < g.weights_per_group; e += blockDim.x)
        w_group[e] = w[int64_t(group) * g.weights_per_group + e];
    __syncthreads();
    const int plane = s.h * s.w;
    JNAS_GRID_STRIDE(j, int64_t(s.n) * plane) {
        const int64_t sample = j / plane;
        const int pixel = int(j % plane), ih = pixel / s.w, iw = pixel % s.w;
        float acc[MaxCig] = {};
        for (int co = 0; co < g.cog; ++co) {
            const float* dy_plane = dy + (sample * s.c_out + group * g.cog + co) * g.hw_out;
            const float* w_co = w_group + co * g.cig * g.taps;
            for (int r = 0; r < s.kh; ++r) {
                const int oh = output_index<UnitStride>(ih, s.pad, r * s.dilation, s.stride, s.h_out);
                if (oh < 0) continue;
                for (int q = 0; q < s.kw; ++q) {
                    const int ow = output_index<UnitStride>(iw, s.pad, q * s.dilation, s.stride, s.w_out);
                    if (ow < 0) continue;
                    const float v = dy_plane[oh * s.w_out + ow];
                    const float* w_tap = w_co + r * s.kw + q;
#pragma unroll
                    for (int ci = 0; ci < MaxCig; ++ci)
                        if (ci < g.cig) acc[ci] += w_tap[ci * g.taps] * v;
                }
            }
        }
        float* dx_pixel = dx + (sample * s.c_in + group * g.cig) * plane + pixel;
#pragma unroll
        for (int ci = 0; ci < MaxCig; ++ci)
            if (ci < g.cig) dx_pixel[int64_t(ci) * plane] += acc[ci];
    }
}

// Whether the direct kernel takes this backward data: few input channels per group, and the group's weights fit
// comfortably in shared memory.
constexpr int kDirectMaxCig = 16, kDirectMaxWeights = 4096;

template <int MaxCig>
void launch_backward_data_direct(const Gpu& gpu, const ConvGeometry& g, const float* dy, const float* w, float* dx) {
    const dim3 grid(grid_for(int64_t(g.s.n) * g.s.h * g.s.w), g.s.groups);
    const size_t shared = size_t(g.weights_per_group) * sizeof(float);
    if (g.s.stride == 1)
        conv2d_backward_data_direct_kernel<MaxCig, true><<<grid, kThreads, shared, gpu.stream>>>(g, dy, w, dx);
    else
        conv2d_backward_data_direct_kernel<MaxCig, false><<<grid, kThreads, shared, gpu.stream>>>(g, dy, w, dx);
    check_launch("conv2d_backward_data");
}

}  // namespace

void conv2d_forward(const Gpu& gpu, const Conv2dShape& s, const float* x, const float* w, float* y) {
    const ConvGeometry g = geometry(s);
    const int m = g.cog, n = s.n * g.hw_out, k = g.cig * g.taps;
    if (m <= 0 || n <= 0) return;
    launch_tiled_gemm(gpu, "conv2d_forward", s.groups, m, n, k, k, 1, ForwardWeights{g, w}, ForwardColumns{g, x},
                      StoreOutput{g, y});
}

void conv2d_backward_data(const Gpu& gpu, const Conv2dShape& s, const float* dy, const float* w, float* dx) {
    const ConvGeometry g = geometry(s);
    const int m = g.cig, n = s.n * s.h * s.w, k = g.cog * g.taps;
    if (m <= 0 || n <= 0) return;
    if (m <= kDirectMaxCig && g.weights_per_group <= kDirectMaxWeights && s.groups <= kMaxGridY) {
        if (m <= 4) return launch_backward_data_direct<4>(gpu, g, dy, w, dx);
        if (m <= 8) return launch_backward_data_direct<8>(gpu, g, dy, w, dx);
        return launch_backward_data_direct<16>(gpu, g, dy, w, dx);
    }
    launch_tiled_gemm(gpu, "conv2d_backward_data", s.groups, m, n, k, k, 1, TransposedWeights{g, w},
                      GatheredOutputGrad{g, dy}, AddInputGrad{g, dx});
}

void conv2d_backward_weight(const Gpu& gpu, const Conv2dShape& s, const float* x, const float* dy, float* dw) {
    const ConvGeometry g = geometry(s);
    const int m = g.cog, n = g.cig * g.taps, k = s.n * g.hw_out;
    if (m <= 0 || n <= 0 || k <= 0) return;
    const int tiles = s.groups * ((m + kGemmTileM - 1) / kGemmTileM) * ((n + kGemmTileN - 1) / kGemmTileN);
    const KSplit split = split_k(tiles, k);
    const int splits = split.splits, k_split = split.k_split;

    const int64_t weights = int64_t(s.groups) * g.weights_per_group;
    float* partials =
        splits > 1 ? static_cast<float*>(gpu.scratch->get(size_t(splits) * size_t(weights) * sizeof(float))) : nullptr;
    launch_tiled_gemm(gpu, "conv2d_backward_weight", s.groups, m, n, k, k_split, splits, OutputGradRows{g, dy},
                      TransposedColumns{g, x}, WeightGradOrPartial{g, dw, partials});
    if (partials == nullptr) return;
    add_weight_partials_kernel<<<grid_for(weights), kThreads, 0, gpu.stream>>>(weights, splits, partials, dw);
    check_launch("conv2d_backward_weight");
}

namespace {

// Rows sharing their inputs: one GEMM per group of (rows · cog) × (cig · taps) over k = s.n · hw_out.
void stacked_weight_rows(const Gpu& gpu, const ConvGeometry& g, int rows, const float* x, const float* dy, float* dw,
                         int64_t ldw) {
    const Conv2dShape& s = g.s;
    const int m = rows * g.cog, n = g.cig * g.taps, k = s.n * g.hw_out;
    const int64_t tiles =
        int64_t(s.groups) * ((m + kGemmTileM - 1) / kGemmTileM) * ((n + kGemmTileN - 1) / kGemmTileN);
    KSplit split = split_k(tiles, k);
    if (split.splits > kMaxGridZ / s.groups) split = KSplit{1, k};  // groups · splits must fit gridDim.z
    const int64_t weights = int64_t(s.groups) * g.weights_per_group;
    const int64_t dy_row_floats = int64_t(s.n) * s.c_out * g.hw_out;
    float* partials = split.splits > 1 ? static_cast<float*>(gpu.scratch->get(size_t(split.splits) * rows *
                                                                              size_t(weights) * sizeof(float)))
                                       : nullptr;
    launch_tiled_gemm(gpu, "conv2d_backward_weight_rows", s.groups, m, n, k, split.k_split, split.splits,
                      StackedOutputGradRows{g, dy, dy_row_floats}, TransposedColumns{g, x},
                      StackedRowsWeightGradOrPartial{g, dw, ldw, partials, rows});
    if (partials == nullptr) return;
    add_row_partials_kernel<<<grid_for(rows * weights), kThreads, 0, gpu.stream>>>(rows, weights, split.splits,
                                                                                  partials, dw, ldw);
    check_launch("conv2d_backward_weight_rows");
}

}  // namespace

void conv2d_backward_weight_rows(const Gpu& gpu, const Conv2dShape& s, int rows, int x_row_step, const float* x,
                                 const float* dy, float* dw, int64_t ldw) {
    const ConvGeometry g = geometry(s);
    const int m = g.cog, n = g.cig * g.taps, k = s.n * g.hw_out;
    if (rows <= 0 || m <= 0 || n <= 0 || k <= 0) return;
    if (x_row_step == 0) return stacked_weight_rows(gpu, g, rows, x, dy, dw, ldw);
    const int64_t row_tiles =
        int64_t(s.groups) * ((m + kGemmTileM - 1) / kGemmTileM) * ((n + kGemmTileN - 1) / kGemmTileN);
    KSplit split = split_k(row_tiles * rows, k);
    if (split.splits > kMaxGridZ / s.groups) split = KSplit{1, k};
    // Rows per launch, so that rows · groups · splits fits gridDim.z.
    const int chunk = std::max(1, std::min(rows, kMaxGridZ / (s.groups * split.splits)));
    const int64_t weights = int64_t(s.groups) * g.weights_per_group;
    const int64_t x_row_floats = int64_t(x_row_step) * s.c_in * s.h * s.w;
    const int64_t dy_row_floats = int64_t(s.n) * s.c_out * g.hw_out;
    float* partials = split.splits > 1 ? static_cast<float*>(gpu.scratch->get(size_t(split.splits) * chunk *
                                                                              size_t(weights) * sizeof(float)))
                                       : nullptr;
    for (int row0 = 0; row0 < rows; row0 += chunk) {
        const int count = std::min(chunk, rows - row0);
        float* dw_rows = dw + row0 * ldw;
        launch_tiled_gemm(gpu, "conv2d_backward_weight_rows", count * s.groups, m, n, k, split.k_split, split.splits,
                          RowsOutputGradRows{g, dy + row0 * dy_row_floats, dy_row_floats},
                          RowsTransposedColumns{g, x + row0 * x_row_floats, x_row_floats},
                          RowsWeightGradOrPartial{g, dw_rows, ldw, partials, count});
        if (partials == nullptr) continue;
        add_row_partials_kernel<<<grid_for(count * weights), kThreads, 0, gpu.stream>>>(count, weights, split.splits,
                                                                                       partials, dw_rows, ldw);
        check_launch("conv2d_backward_weight_rows");
    }
}

}  // namespace jnas::cuda
