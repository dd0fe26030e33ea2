// conv.cpp — 2-D convolution as im2col/col2im + GEMM, one GEMM per (sample, group).
//
// Threads: the (sample, group) items are shared out over OpenMP, each GEMM running its fixed tiles (see
// gemm.cpp) on its own thread; with a single item (batch 1, one group) the item runs on the calling thread and
// the GEMM's tiles get the threads instead. The tiles are the same either way, so results do not depend on the
// thread count. Depthwise convolutions go to the direct kernels of conv_direct.cpp, stride-1 ones with few channels
// to conv_few_channels.cpp.
#include <omp.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <new>
#include <vector>

#include "cpu/cpu_kernels.hpp"
#include "error.hpp"

namespace jnas::cpu {
namespace {

struct ConvGeometry {
    int cin_g, cout_g;        // channels per group
    int64_t patch;            // rows of the im2col matrix: cin_g · kh · kw (the GEMM's K for forward)
    int64_t hw_in, hw_out;
    bool pointwise;           // 1×1, stride 1, no padding: the input already is the im2col matrix
};

ConvGeometry geometry(const Conv2dShape& s) {
    ConvGeometry g;
    g.cin_g = s.c_in / s.groups;
    g.cout_g = s.c_out / s.groups;
    g.patch = int64_t(g.cin_g) * s.kh * s.kw;
    g.hw_in = int64_t(s.h) * s.w;
    g.hw_out = int64_t(s.h_out) * s.w_out;
    g.pointwise = s.kh == 1 && s.kw == 1 && s.stride == 1 && s.pad == 0;
    return g;
}

// col[(c·kh + i)·kw + j, oh·w_out + ow] = x[c, oh·stride - pad + i·dil, ow·stride - pad + j·dil] (0 outside),
// for the cin_g channels of one group of one sample; col's rows are ld floats apart (ld >= h_out·w_out).
void im2col(const Conv2dShape& s, int channels, const float* x, float* col, int64_t ld) {
    for (int c = 0; c < channels; ++c) {
        const float* plane = x + int64_t(c) * s.h * s.w;
        for (int i = 0; i < s.kh; ++i) {
            for (int j = 0; j < s.kw; ++j) {
                float* row = col + ((int64_t(c) * s.kh + i) * s.kw + j) * ld;
                int w_offset = j * s.dilation - s.pad;
                int lo, hi;
                valid_range(w_offset, s.stride, s.w, s.w_out, &lo, &hi);
                for (int oh = 0; oh < s.h_out; ++oh) {
                    float* out = row + int64_t(oh) * s.w_out;
                    int ih = oh * s.stride - s.pad + i * s.dilation;
                    if (ih < 0 || ih >= s.h) {
                        std::fill(out, out + s.w_out, 0.0f);
                        continue;
                    }
                    const float* in = plane + int64_t(ih) * s.w + w_offset;
                    std::fill(out, out + lo, 0.0f);
                    if (s.stride == 1) {  // the common case as a plain copy: the strided loop does not vectorize
                        std::copy(in + lo, in + hi, out + lo);
                    } else {
                        for (int ow = lo; ow < hi; ++ow) out[ow] = in[ow * s.stride];
                    }
                    std::fill(out + hi, out + s.w_out, 0.0f);
                }
            }
        }
    }
}

// The adjoint of im2col: dx[c, ih, iw] += every col entry that im2col copied from (c, ih, iw).
void col2im_add(const Conv2dShape& s, int channels, const float* col, float* dx) {
    int64_t hw_out = int64_t(s.h_out) * s.w_out;
    for (int c = 0; c < channels; ++c) {
        float* plane = dx + int64_t(c) * s.h * s.w;
        for (int i = 0; i < s.kh; ++i) {
            for (int j = 0; j < s.kw; ++j) {
                const float* row = col + ((int64_t(c) * s.kh + i) * s.kw + j) * hw_out;
                int w_offset = j * s.dilation - s.pad;
                int lo, hi;
                valid_range(w_offset, s.stride, s.w, s.w_out, &lo, &hi);
                for (int oh = 0; oh < s.h_out; ++oh) {
                    int ih = oh * s.stride - s.pad + i * s.dilation;
                    if (ih < 0 || ih >= s.h) continue;
                    const float* in = row + int64_t(oh) * s.w_out;
                    float* out = plane + int64_t(ih) * s.w + w_offset;
                    if (s.stride == 1) {  // as in im2col: only the unit-stride loop vectorizes
                        for (int ow = lo; ow < hi; ++ow) out[ow] += in[ow];
                    } else {
                        for (int ow = lo; ow < hi; ++ow) out[ow * s.stride] += in[ow];
                    }
                }
            }
        }
    }
}

// Runs body(item, thread, gemm_threads) for every item in [0, items): over OpenMP threads when there are
// several items (each GEMM then single-threaded, so threads are not oversubscribed), else on the calling thread
// with the GEMM's tiles parallel.
template <typename Body>
void for_each_item(int threads, int64_t items, Body body) {
    set_blas_threads(1);
    int team = int(std::min<int64_t>(threads, items));
    if (team <= 1) {
        for (int64_t item = 0; item < items; ++item) body(item, 0, threads);
        return;
    }
#pragma omp parallel for num_threads(team) schedule(dynamic, 1)
    for (int64_t item = 0; item < items; ++item) body(item, omp_get_thread_num(), 1);
}

int team_size(int threads, int64_t items) { return int(std::max<int64_t>(1, std::min<int64_t>(threads, items))); }

}  // namespace

float* conv_workspace(size_t floats) {
    thread_local std::vector<float> buffer;
    if (buffer.size() < floats) {
        try {
            buffer.resize(floats);
        } catch (const std::bad_alloc&) {
            fail(JNAS_ERR_OUT_OF_MEMORY, "cpu conv: cannot allocate ", floats * sizeof(float),
                 " bytes of workspace");
        }
    }
    return buffer.data();
}

void conv2d_forward(int threads, const Conv2dShape& s, const float* x, const float* w, float* y) {
    if (is_depthwise(s)) return depthwise_forward(threads, s, x, w, y);
    if (has_few_channels(s)) return few_channel_forward(threads, s, x, w, y);
    ConvGeometry g = geometry(s);
    int64_t items = int64_t(s.n) * s.groups;
    size_t col_floats = g.pointwise ? 0 : size_t(g.patch * g.hw_out);
    float* scratch = conv_workspace(col_floats * size_t(team_size(threads, items)));
    for_each_item(threads, items, [&](int64_t item, int thread, int gemm_threads) {
        int64_t sample = item / s.groups, group = item % s.groups;
        const float* x_g = x + (sample * s.c_in + group * g.cin_g) * g.hw_in;
        const float* col = x_g;
        if (!g.pointwise) {
            float* own = scratch + size_t(thread) * col_floats;
            im2col(s, g.cin_g, x_g, own, g.hw_out);
            col = own;
        }
        const float* w_g = w + group * g.cout_g * g.patch;
        float* y_g = y + (sample * s.c_out + group * g.cout_g) * g.hw_out;
        gemm_tiles(gemm_threads, false, false, g.cout_g, int(g.hw_out), int(g.patch), 1.0f, w_g, int(g.patch), col,
                   int(g.hw_out), 0.0f, y_g, int(g.hw_out));
    });
}

void conv2d_backward_data(int threads, const Conv2dShape& s, const float* dy, const float* w, float* dx) {
    if (is_depthwise(s)) return depthwise_backward_data(threads, s, dy, w, dx);
    if (has_few_channels(s)) return few_channel_backward_data(threads, s, dy, w, dx);
    ConvGeometry g = geometry(s);
    int64_t items = int64_t(s.n) * s.groups;
    size_t col_floats = g.pointwise ? 0 : size_t(g.patch * g.hw_out);
    float* scratch = conv_workspace(col_floats * size_t(team_size(threads, items)));
    for_each_item(threads, items, [&](int64_t item, int thread, int gemm_threads) {
        int64_t sample = item / s.groups, group = item % s.groups;
        const float* w_g = w + group * g.cout_g * g.patch;
        const float* dy_g = dy + (sample * s.c_out + group * g.cout_g) * g.hw_out;
        float* dx_g = dx + (sample * s.c_in + group * g.cin_g) * g.hw_in;
        if (g.pointwise) {  // dx_g += w_gᵀ · dy_g straight into dx
            gemm_tiles(gemm_threads, true, false, int(g.patch), int(g.hw_out), g.cout_g, 1.0f, w_g, int(g.patch),
                       dy_g, int(g.hw_out), 1.0f, dx_g, int(g.hw_out));
            return;
        }
        float* col = scratch + size_t(thread) * col_floats;
        gemm_tiles(gemm_threads, true, false, int(g.patch), int(g.hw_out), g.cout_g, 1.0f, w_g, int(g.patch), dy_g,
                   int(g.hw_out), 0.0f, col, int(g.hw_out));
        col2im_add(s, g.cin_g, col, dx_g);
    });
}

// dw sums over samples. The samples are cut into blocks fixed by the shape alone; each (block, group) item sums
// its samples in order into its own partial buffer, and the partials are added to dw in block order. So the
// summation order never depends on the thread count.
void conv2d_backward_weight(int threads, const Conv2dShape& s, const float* x, const float* dy, float* dw) {
    if (is_depthwise(s)) return depthwise_backward_weight(threads, s, x, dy, dw);
    constexpr int64_t kMaxSampleBlocks = 16;
    constexpr int64_t kPartialFloats = int64_t(1) << 22;  // 16 MB of partial buffers at most (large weights)
    ConvGeometry g = geometry(s);
    int64_t dw_size = int64_t(s.c_out) * g.patch;
    if (s.n <= 0 || dw_size == 0) return;  // nothing to add
    int blocks = int(std::clamp<int64_t>(std::min<int64_t>(s.n, kPartialFloats / dw_size), 1, kMaxSampleBlocks));
    int64_t items = int64_t(blocks) * s.groups;
    size_t col_floats = g.pointwise ? 0 : size_t(g.patch * g.hw_out);
    float* partials = conv_workspace(size_t(dw_size * blocks) + col_floats * size_t(team_size(threads, items)));
    float* scratch = partials + dw_size * blocks;
    for_each_item(threads, items, [&](int64_t item, int thread, int gemm_threads) {
        int block = int(item / s.groups);
        int64_t group = item % s.groups;
        int first = int(int64_t(s.n) * block / blocks), end = int(int64_t(s.n) * (block + 1) / blocks);
        float* dw_g = partials + block * dw_size + group * g.cout_g * g.patch;
        float* own = scratch + size_t(thread) * col_floats;
        for (int64_t sample = first; sample < end; ++sample) {
            const float* x_g = x + (sample * s.c_in + group * g.cin_g) * g.hw_in;
            const float* dy_g = dy + (sample * s.c_out + group * g.cout_g) * g.hw_out;
            const float* col = x_g;
            if (!g.pointwise) {
                im2col(s, g.cin_g, x_g, own, g.hw_out);
                col = own;
            }
            // dw_g (cout_g × patch) (+)= dy_g (cout_g × hw_out) · colᵀ (hw_out × patch)
            gemm_tiles(gemm_threads, false, true, g.cout_g, int(g.patch), int(g.hw_out), 1.0f, dy_g, int(g.hw_out),
                       col, int(g.hw_out), sample == first ? 0.0f : 1.0f, dw_g, int(g.patch));
        }
    });
    parallel_for(threads_for(dw_size * blocks, threads), dw_size, [&](int64_t i) {
        float total = 0.0f;
        for (int block = 0; block < blocks; ++block) total += partials[block * dw_size + i];
        dw[i] += total;
    });
}

// ---- weight gradients of many Jacobian rows at once (Backend::conv2d_backward_weight_rows) -------------------

namespace {

// Above this much scratch (im2col of every sample plus the rearranged cotangents) the shared-input rows fall back
// to one conv2d_backward_weight per row.
constexpr int64_t kMaxRowsScratchFloats = int64_t(1) << 26;

// Rows sharing their s.n input samples (BN-coupled Jacobian rows, x_row_step 0): with every sample's im2col side by
// side, cols [patch, n·hw_out], and the cotangents rearranged to dyt [rows·c_out, n·hw_out] (row (r, co) holds
// dy[r·n + b, co, :] for b = 0..n-1), all rows' gradients are one GEMM
//   product [rows·c_out, patch] = dyt · colsᵀ,
// whose long depth n·hw_out gemm() cuts into tiles fixed by the shape (so the sums never depend on the thread
// count). im2col runs once per sample rather than once per (row, sample), and the GEMM has a usable shape where
// the per-row calls were [c_out × hw_out]·[hw_out × patch] with c_out as small as 3.
void shared_input_rows(int threads, const Conv2dShape& s, const ConvGeometry& g, int rows, const float* x,
                       const float* dy, float* dw, int64_t ldw) {
    int64_t depth = int64_t(s.n) * g.hw_out;
    int64_t product_width = int64_t(s.c_out) * g.patch;  // one row's gradient, [c_out, patch]
    int64_t dyt_rows = int64_t(rows) * s.c_out;
    float* cols = conv_workspace(size_t(g.patch * depth + dyt_rows * depth + dyt_rows * g.patch));
    float* dyt = cols + g.patch * depth;
    float* product = dyt + dyt_rows * depth;
    parallel_for(threads_for(g.patch * depth, threads), s.n, [&](int sample) {
        im2col(s, s.c_in, x + sample * s.c_in * g.hw_in, cols + sample * g.hw_out, depth);
    });
    parallel_for(threads_for(dyt_rows * depth, threads), dyt_rows, [&](int64_t row) {
        int64_t r = row / s.c_out, co = row % s.c_out;
        for (int sample = 0; sample < s.n; ++sample) {
            const float* from = dy + ((r * s.n + sample) * s.c_out + co) * g.hw_out;
            std::copy(from, from + g.hw_out, dyt + row * depth + sample * g.hw_out);
        }
    });
    gemm(threads, false, true, int(dyt_rows), int(g.patch), int(depth), 1.0f, dyt, int(depth), cols, int(depth),
         0.0f, product, int(g.patch));
    parallel_for(threads_for(dyt_rows * g.patch, threads), rows, [&](int r) {
        const float* from = product + r * product_width;
        float* to = dw + r * ldw;
        for (int64_t i = 0; i < product_width; ++i) to[i] += from[i];
    });
}

// Rows with inputs of their own (frozen Jacobian rows): the rows are shared out over the threads, each summing its
// samples in order straight into its own row of dw, so no sum crosses threads.
void own_input_rows(int threads, const Conv2dShape& s, const ConvGeometry& g, int rows, int x_row_step,
                    const float* x, const float* dy, float* dw, int64_t ldw) {
    size_t col_floats = g.pointwise ? 0 : size_t(g.patch * g.hw_out);
    float* scratch = conv_workspace(col_floats * size_t(team_size(threads, rows)));
    for_each_item(threads, rows, [&](int64_t r, int thread, int gemm_threads) {
        float* own = scratch + size_t(thread) * col_floats;
        for (int64_t i = 0; i < s.n; ++i) {
            const float* x_i = x + (r * x_row_step + i) * s.c_in * g.hw_in;
            const float* dy_i = dy + (r * s.n + i) * s.c_out * g.hw_out;
            const float* col = x_i;
            if (!g.pointwise) {
                im2col(s, s.c_in, x_i, own, g.hw_out);
                col = own;
            }
            gemm_tiles(gemm_threads, false, true, s.c_out, int(g.patch), int(g.hw_out), 1.0f, dy_i, int(g.hw_out),
                       col, int(g.hw_out), 1.0f, dw + r * ldw, int(g.patch));
        }
    });
}

// Where the direct kernel beats im2col + GEMM for Jacobian rows, as measured at batch 72 (NB201's 3, 6 and 12
// channels): a row with its own input is one small GEMM per sample, slower than direct up to 6 × 6 channels
// (5.7× at 3, 1.8× at 6, 0.85× at 12); rows sharing their input make one long GEMM after copying the inputs and
// cotangents into its layout, which direct beats up to 6 × 6 too (5 rows, 16 × 16 planes: 0.92 ms against 1.40;
// 12 × 12 on 8 × 8 planes: 1.5 ms against 1.0).
bool direct_weight_rows_pay(const Conv2dShape& s) {
    return has_few_channels(s) && int64_t(s.c_in) * s.c_out <= 36;
}

// Pointwise rows skip im2col, the cotangents' rearrangement and the GEMM's packing altogether: at batch 72, 3.6×
// faster for 3 × 3 channels and 2× for 6 × 6 with shared inputs (10× and 2.5× with their own), but 0.75× at 12.
bool pointwise_rows_pay(const Conv2dShape& s, const ConvGeometry& g) {
    return g.pointwise && int64_t(s.c_in) * s.c_out <= 36;
}

}  // namespace

void conv2d_backward_weight_rows(int threads, const Conv2dShape& s, int rows, int x_row_step, const float* x,
                                 const float* dy, float* dw, int64_t ldw) {
    ConvGeometry g = geometry(s);
    int64_t x_numel = int64_t(s.c_in) * g.hw_in, y_numel = int64_t(s.c_out) * g.hw_out;
    int64_t depth = int64_t(s.n) * g.hw_out;
    int64_t shared_scratch = (g.patch + int64_t(rows) * s.c_out) * depth + int64_t(rows) * s.c_out * g.patch;
    bool plain = s.groups == 1 && rows > 0 && s.n > 0;
    if (plain && direct_weight_rows_pay(s))
        return few_channel_backward_weight_rows(threads, s, rows, x_row_step, x, dy, dw, ldw);
    if (plain && pointwise_rows_pay(s, g))
        return pointwise_backward_weight_rows(threads, s, rows, x_row_step, x, dy, dw, ldw);
    if (plain && x_row_step == 0 && depth <= INT_MAX && shared_scratch <= kMaxRowsScratchFloats)
        return shared_input_rows(threads, s, g, rows, x, dy, dw, ldw);
    if (plain && x_row_step > 0) return own_input_rows(threads, s, g, rows, x_row_step, x, dy, dw, ldw);
    for (int r = 0; r < rows; ++r)
        conv2d_backward_weight(threads, s, x + r * x_row_step * x_numel, dy + r * s.n * y_numel, dw + r * ldw);
}

}  // namespace jnas::cpu
