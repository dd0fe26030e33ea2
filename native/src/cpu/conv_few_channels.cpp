// conv_few_channels.cpp — stride-1 convolutions with few channels per group (NB201's 3 to 12), computed
// directly. With so few channels, im2col + GEMM spends its time copying: im2col writes kh·kw copies of the
// input and col2im reads them back, for a GEMM only c_out rows tall that OpenBLAS packs for little reuse.
//
// Forward and backward data are one kernel, a correlation of a zero-padded copy of the input planes:
//   out[r, x] (+)= Σ_{c, i, j} taps[c, i, j] · padded[c, r + i·dil, x + j·dil]
// forward with the filters as they are and the input padded by `pad`; backward data with the filters turned
// 180° and transposed (c_out ↔ c_in) and dy padded by dil·(k - 1) - pad (a crop where that is negative). Each
// output element sums its terms in (c, i, j) order, so results depend neither on the thread count nor on the
// vector width (vector_clones.hpp). The weight gradients of Jacobian rows correlate dy with the padded input
// the same way, summing each tap in vector lanes (few_channel_backward_weight_rows).
#include <omp.h>

#include <algorithm>
#include <vector>

#include "cpu/cpu_kernels.hpp"
#include "cpu/vector_clones.hpp"

namespace jnas::cpu {
namespace {

struct PlaneLayout {
    int rows, width;      // output rows and columns
    int cols;             // columns per block: 8 for planes at most 8 wide, else 16
    int padded_rows, ld;  // the padded input planes: rows, and floats per row (room for a whole last block)
    int64_t plane;        // floats per padded plane
};

PlaneLayout layout(int rows, int width, int kh, int kw, int dilation) {
    PlaneLayout p;
    p.rows = rows;
    p.width = width;
    p.cols = width <= 8 ? 8 : 16;
    p.padded_rows = rows + dilation * (kh - 1);
    p.ld = (width + p.cols - 1) / p.cols * p.cols + dilation * (kw - 1);
    p.plane = int64_t(p.padded_rows) * p.ld;
    return p;
}

// padded[c, r, x] = src[c, r - top, x - left] inside src's h × w planes (top and left may be negative). The rest
// of `padded` is left as it is: callers zero it once, since every copy of a call writes the same positions.
void copy_into_padded(const PlaneLayout& p, int channels, const float* src, int h, int w, int top, int left,
                      float* padded) {
    int x_lo = std::max(0, left), x_hi = std::min(p.ld, w + left);
    if (x_lo >= x_hi) return;
    for (int c = 0; c < channels; ++c) {
        for (int r = std::max(0, top); r < std::min(p.padded_rows, h + top); ++r) {
            const float* from = src + (int64_t(c) * h + (r - top)) * w + (x_lo - left);
            std::copy(from, from + (x_hi - x_lo), padded + c * p.plane + int64_t(r) * p.ld + x_lo);
        }
    }
}

// 3×3 taps at dilation 1 for Planes output planes, input row by input row: each of the block's Rows + 2 input rows
// is loaded once per tap column and added to every output row of every plane it reaches (up to 3 rows), a third
// of the loads of going tap by tap (most of which straddle two cache lines), divided again by Planes. Input rows
// come in ascending order, so every output element still sums its terms in (c, i, j) order: the same bits for
// any Planes. taps[o] is plane o's [channels, 3, 3], sum[o] its Rows sums.
template <int Planes, int Rows, int Cols>
JNAS_INLINE void sums_3x3(const PlaneLayout& p, int channels, const float* padded, const float* const* taps, int r,
                          int x, Lanes<Cols> (*sum)[Rows]) {
    for (int o = 0; o < Planes; ++o)
        for (int row = 0; row < Rows; ++row) sum[o][row] = Lanes<Cols>{};
    for (int c = 0; c < channels; ++c) {
        const float* in = padded + c * p.plane + int64_t(r) * p.ld + x;
#pragma GCC unroll 16  // whole: sum[] must stay in registers, which needs every index known at compile time
        for (int q = 0; q < Rows + 2; ++q) {
#pragma GCC unroll 3
            for (int j = 0; j < 3; ++j) {
                Lanes<Cols> v = load_lanes<Cols>(in + int64_t(q) * p.ld + j);
#pragma GCC unroll 3
                for (int i = 0; i < 3; ++i) {
                    if (q - i < 0 || q - i >= Rows) continue;
                    for (int o = 0; o < Planes; ++o) sum[o][q - i] += taps[o][c * 9 + i * 3 + j] * v;
                }
            }
        }
    }
}

// A block of Rows output rows × Cols columns (64 floats: 4 AVX-512 registers) is summed in registers, tap by
// tap: that is 8 independent chains of adds on AVX2, enough to hide their latency, and each weight is loaded
// once per block. Kw > 0 fixes the filter width at compile time (3×3 filters), so the tap loop unrolls.
template <int Rows, int Cols, int Kw>
struct Block {
    JNAS_INLINE static void sums(const PlaneLayout& p, int channels, int kh, int kw, int dilation,
                                 const float* padded, const float* taps, int r, int x, Lanes<Cols> (&sum)[Rows]) {
        if (Kw == 3 && kh == 3 && dilation == 1) return sums_3x3<1, Rows, Cols>(p, channels, padded, &taps, r, x, &sum);
        if (Kw > 0) kw = Kw;
        for (int row = 0; row < Rows; ++row) sum[row] = Lanes<Cols>{};
        for (int c = 0; c < channels; ++c) {
            for (int i = 0; i < kh; ++i) {
                const float* in = padded + c * p.plane + int64_t(r + i * dilation) * p.ld + x;
                for (int j = 0; j < kw; ++j, ++taps) {
                    float t = *taps;
                    const float* at = in + j * dilation;
                    for (int row = 0; row < Rows; ++row) sum[row] += t * load_lanes<Cols>(at + int64_t(row) * p.ld);
                }
            }
        }
    }

    JNAS_INLINE static void store(const PlaneLayout& p, const Lanes<Cols> (&sum)[Rows], int r, int x,
                                  bool accumulate, float* out) {
        int n = std::min(Cols, p.width - x);
        for (int row = 0; row < Rows; ++row) {
            float* to = out + int64_t(r + row) * p.width + x;
            for (int l = 0; l < n; ++l) to[l] = accumulate ? to[l] + sum[row][l] : sum[row][l];
        }
    }

    // Rows rows from r, every column.
    JNAS_INLINE static void rows(const PlaneLayout& p, int channels, int kh, int kw, int dilation,
                                 const float* padded, const float* taps, int r, bool accumulate, float* out) {
        for (int x = 0; x < p.width; x += Cols) {
            Lanes<Cols> sum[Rows];
            sums(p, channels, kh, kw, dilation, padded, taps, r, x, sum);
            store(p, sum, r, x, accumulate, out);
        }
    }
};

template <int Cols, int Kw>
JNAS_INLINE void correlate_with(const PlaneLayout& p, int channels, int kh, int kw, int dilation,
                                const float* padded, const float* taps, bool accumulate, float* out) {
    constexpr int kRows = 64 / Cols;
    int r = 0;
    for (; r + kRows <= p.rows; r += kRows)
        Block<kRows, Cols, Kw>::rows(p, channels, kh, kw, dilation, padded, taps, r, accumulate, out);
    for (; r < p.rows; ++r) Block<1, Cols, Kw>::rows(p, channels, kh, kw, dilation, padded, taps, r, accumulate, out);
}

// out (rows × width) (+)= the correlation of `channels` padded planes with taps [channels, kh, kw].
JNAS_VECTOR_CLONES
void correlate(const PlaneLayout& p, int channels, int kh, int kw, int dilation, const float* padded,
               const float* taps, bool accumulate, float* out) {
    if (p.cols == 8) {
        if (kw == 3) return correlate_with<8, 3>(p, channels, kh, kw, dilation, padded, taps, accumulate, out);
        return correlate_with<8, 0>(p, channels, kh, kw, dilation, padded, taps, accumulate, out);
    }
    if (kw == 3) return correlate_with<16, 3>(p, channels, kh, kw, dilation, padded, taps, accumulate, out);
    correlate_with<16, 0>(p, channels, kh, kw, dilation, padded, taps, accumulate, out);
}

// Two output planes at once (sums_3x3 with Planes = 2): each input vector is loaded once for both planes' sums
// (2·Rows sums, 18 taps and the input fill AVX-512's 32 registers; AVX2 has 16, hence only there).
template <int Rows, int Cols>
JNAS_INLINE void pair_rows_3x3(const PlaneLayout& p, int channels, const float* padded, const float* taps0,
                               const float* taps1, int r, bool accumulate, float* out0, float* out1) {
    const float* taps[2] = {taps0, taps1};
    for (int x = 0; x < p.width; x += Cols) {
        Lanes<Cols> sum[2][Rows];
        sums_3x3<2, Rows, Cols>(p, channels, padded, taps, r, x, sum);
        Block<Rows, Cols, 3>::store(p, sum[0], r, x, accumulate, out0);
        Block<Rows, Cols, 3>::store(p, sum[1], r, x, accumulate, out1);
    }
}

// correlate() of two output planes with their own 3×3 taps, at dilation 1, for planes wider than 8 (16 columns a
// block; on planes of 8 it measured slower than one plane at a time: 1.25 ms against 1.06-1.19 for 12 channels).
JNAS_VECTOR_CLONES
void correlate_3x3_pair(const PlaneLayout& p, int channels, const float* padded, const float* taps0,
                        const float* taps1, bool accumulate, float* out0, float* out1) {
    constexpr int kRows = 4, kCols = 16;
    int r = 0;
    for (; r + kRows <= p.rows; r += kRows)
        pair_rows_3x3<kRows, kCols>(p, channels, padded, taps0, taps1, r, accumulate, out0, out1);
    for (; r < p.rows; ++r) pair_rows_3x3<1, kCols>(p, channels, padded, taps0, taps1, r, accumulate, out0, out1);
}

// ---- weight gradients ----
// For a 3×3 filter (Kh = Kw = 3) the nine taps of one input channel are summed side by side in registers, so each
// dy chunk is loaded once per channel; other filters (Kh = Kw = 0) go tap by tap.
template <int Cols, int Kh, int Kw>
struct TapSums {
    static constexpr int kTaps = Kh * Kw > 0 ? Kh * Kw : 1;

    // lanes[(ci·kh + i)·kw + j][l] += Σ over the plane's chunks (y, x) of
    //                                  dy[y, x + l] · padded[ci, y + i·dil, x + l + j·dil]
    JNAS_INLINE static void plane(const PlaneLayout& p, int in_channels, int kh, int kw, int dilation,
                                  const float* padded, const float* dy, int64_t dy_ld, float* lanes) {
        for (int ci = 0; ci < in_channels; ++ci) {
            for (int first = 0; first < kh * kw; first += kTaps) {
                float* own = lanes + int64_t(ci * kh * kw + first) * Cols;
                Lanes<Cols> acc[kTaps];
                for (int t = 0; t < kTaps; ++t) acc[t] = load_lanes<Cols>(own + t * Cols);
                for (int y = 0; y < p.rows; ++y) {
                    for (int x = 0; x < p.width; x += Cols) {
                        Lanes<Cols> g = load_lanes<Cols>(dy + y * dy_ld + x);
                        for (int t = 0; t < kTaps; ++t) {
                            int tap = first + t;
                            int i = Kw > 0 ? t / Kw : tap / kw, j = Kw > 0 ? t % Kw : tap % kw;
                            const float* in = padded + ci * p.plane + int64_t(y + i * dilation) * p.ld + x;
                            acc[t] += g * load_lanes<Cols>(in + j * dilation);
                        }
                    }
                }
                for (int t = 0; t < kTaps; ++t) __builtin_memcpy(own + t * Cols, &acc[t], sizeof acc[t]);
            }
        }
    }
};

// 3×3 taps at dilation 1 for two output channels at once: each chunk's nine input vectors are loaded once for
// both channels' cotangents, half the loads of one channel at a time (18 sums and 9 inputs fill AVX-512's 32
// registers; AVX2 has 16, hence only there). Every sum still runs over (y, x) in order: the same bits.
template <int Cols>
JNAS_INLINE void tap_sums_3x3_pair(const PlaneLayout& p, int in_channels, const float* padded, const float* dy0,
                                   const float* dy1, int64_t dy_ld, float* lanes0, float* lanes1) {
    for (int ci = 0; ci < in_channels; ++ci) {
        float* own[2] = {lanes0 + int64_t(ci) * 9 * Cols, lanes1 + int64_t(ci) * 9 * Cols};
        Lanes<Cols> acc[2][9];
        for (int o = 0; o < 2; ++o)
            for (int t = 0; t < 9; ++t) acc[o][t] = load_lanes<Cols>(own[o] + t * Cols);
        for (int y = 0; y < p.rows; ++y) {
            for (int x = 0; x < p.width; x += Cols) {
                const float* in = padded + ci * p.plane + int64_t(y) * p.ld + x;
                Lanes<Cols> v[9];
                for (int t = 0; t < 9; ++t) v[t] = load_lanes<Cols>(in + (t / 3) * p.ld + t % 3);
                Lanes<Cols> g0 = load_lanes<Cols>(dy0 + y * dy_ld + x), g1 = load_lanes<Cols>(dy1 + y * dy_ld + x);
                for (int t = 0; t < 9; ++t) acc[0][t] += g0 * v[t];
                for (int t = 0; t < 9; ++t) acc[1][t] += g1 * v[t];
            }
        }
        for (int o = 0; o < 2; ++o)
            for (int t = 0; t < 9; ++t) __builtin_memcpy(own[o] + t * Cols, &acc[o][t], sizeof acc[o][t]);
    }
}

// Adds one sample to the lane sums of a weight gradient, [out_channels, in_channels·kh·kw, cols]: dy's planes
// have rows dy_ld floats apart, with zeros past the plane's width up to a whole block.
JNAS_VECTOR_CLONES
void correlate_gradient(const PlaneLayout& p, int in_channels, int out_channels, int kh, int kw, int dilation,
                        const float* padded, const float* dy, int64_t dy_ld, float* lanes, bool pairs) {
    int64_t dy_plane = int64_t(p.rows) * dy_ld, filter = int64_t(in_channels) * kh * kw * p.cols;
    int co = 0;
    if (pairs && kh == 3 && kw == 3 && dilation == 1) {
        for (; co + 2 <= out_channels; co += 2) {
            const float* g = dy + co * dy_plane;
            float* to = lanes + co * filter;
            if (p.cols == 8)
                tap_sums_3x3_pair<8>(p, in_channels, padded, g, g + dy_plane, dy_ld, to, to + filter);
            else
                tap_sums_3x3_pair<16>(p, in_channels, padded, g, g + dy_plane, dy_ld, to, to + filter);
        }
    }
    for (; co < out_channels; ++co) {
        const float* g = dy + co * dy_plane;
        float* to = lanes + co * filter;
        if (p.cols == 8) {
            if (kh == 3 && kw == 3) TapSums<8, 3, 3>::plane(p, in_channels, kh, kw, dilation, padded, g, dy_ld, to);
            else TapSums<8, 0, 0>::plane(p, in_channels, kh, kw, dilation, padded, g, dy_ld, to);
        } else {
            if (kh == 3 && kw == 3) TapSums<16, 3, 3>::plane(p, in_channels, kh, kw, dilation, padded, g, dy_ld, to);
            else TapSums<16, 0, 0>::plane(p, in_channels, kh, kw, dilation, padded, g, dy_ld, to);
        }
    }
}

// A 1×1 filter reads its input where it lies, so pointwise weight gradients need no padded copies:
// lanes[co, ci + b, l] += Σ over the plane's chunks p of dy[co, p + l] · x[ci + b, p + l], for Block input
// channels at once (independent chains of adds, dy loaded once per chunk). The plane's last hw % 16 floats go
// to the first lanes one by one.
template <int Block>
JNAS_INLINE void pointwise_block(const float* dy, const float* x, int64_t hw, float* own) {
    Lanes<16> acc[Block];
    for (int b = 0; b < Block; ++b) acc[b] = load_lanes<16>(own + b * 16);
    int64_t whole = hw / 16 * 16;
    for (int64_t p = 0; p < whole; p += 16) {
        Lanes<16> g = load_lanes<16>(dy + p);
        for (int b = 0; b < Block; ++b) acc[b] += g * load_lanes<16>(x + b * hw + p);
    }
    for (int b = 0; b < Block; ++b) {
        __builtin_memcpy(own + b * 16, &acc[b], sizeof acc[b]);
        for (int64_t p = whole; p < hw; ++p) own[b * 16 + (p - whole)] += dy[p] * x[b * hw + p];
    }
}

// Adds one sample to the lane sums of a pointwise weight gradient, [out_channels, in_channels, 16].
JNAS_VECTOR_CLONES
void pointwise_gradient(int in_channels, int out_channels, int64_t hw, const float* x, const float* dy,
                        float* lanes) {
    for (int co = 0; co < out_channels; ++co) {
        const float* g = dy + co * hw;
        float* own = lanes + int64_t(co) * in_channels * 16;
        int ci = 0;
        for (; ci + 4 <= in_channels; ci += 4) pointwise_block<4>(g, x + ci * hw, hw, own + ci * 16);
        switch (in_channels - ci) {
            case 3: pointwise_block<3>(g, x + ci * hw, hw, own + ci * 16); break;
            case 2: pointwise_block<2>(g, x + ci * hw, hw, own + ci * 16); break;
            case 1: pointwise_block<1>(g, x + ci * hw, hw, own + ci * 16); break;
            default: break;
        }
    }
}

// to[k] += Σ_l lanes[k, l] in double, lanes in order: the end of every weight-row sum.
void add_lane_sums(const float* lanes, int64_t weights, int cols, float* to) {
    for (int64_t k = 0; k < weights; ++k) {
        double total = to[k];
        for (int l = 0; l < cols; ++l) total += lanes[k * cols + l];
        to[k] = float(total);
    }
}

// The slot of the calling thread in a parallel_for over `team` threads (which runs on the caller when team <= 1).
int thread_index(int team) { return team <= 1 ? 0 : omp_get_thread_num(); }

// Per (sample, group) item: pad its `in_channels` planes, then correlate them into each of its `out_channels`
// planes with that plane's taps (taps_of(group, o), [in_channels, kh, kw]).
template <typename TapsOf>
void correlate_items(int threads, const Conv2dShape& s, int in_channels, int in_h, int in_w, int top, int left,
                     const float* in, int out_channels, int out_h, int out_w, bool accumulate, float* out,
                     TapsOf taps_of) {
    PlaneLayout p = layout(out_h, out_w, s.kh, s.kw, s.dilation);
    int64_t items = int64_t(s.n) * s.groups;
    int64_t item_floats = in_channels * p.plane;
    int64_t work = items * out_channels * int64_t(out_h) * out_w * in_channels * s.kh * s.kw;
    int team = int(std::min<int64_t>(threads_for(work, threads), items));
    float* scratch = conv_workspace(size_t(std::max(team, 1) * item_floats));
    std::fill(scratch, scratch + std::max(team, 1) * item_floats, 0.0f);  // the borders, for every item
    int64_t in_plane = int64_t(in_h) * in_w, out_plane = int64_t(out_h) * out_w;
    const bool pairs = s.kh == 3 && s.kw == 3 && s.dilation == 1 && p.cols == 16 && has_32_vector_registers();
    parallel_for(team, items, [&](int64_t item) {
        int64_t sample = item / s.groups, group = item % s.groups;
        float* padded = scratch + thread_index(team) * item_floats;
        int64_t first_in = sample * in_channels * s.groups + group * in_channels;
        copy_into_padded(p, in_channels, in + first_in * in_plane, in_h, in_w, top, left, padded);
        int64_t first_out = sample * out_channels * s.groups + group * out_channels;
        int o = 0;
        for (; pairs && o + 2 <= out_channels; o += 2)
            correlate_3x3_pair(p, in_channels, padded, taps_of(group, o), taps_of(group, o + 1), accumulate,
                               out + (first_out + o) * out_plane, out + (first_out + o + 1) * out_plane);
        for (; o < out_channels; ++o)
            correlate(p, in_channels, s.kh, s.kw, s.dilation, padded, taps_of(group, o), accumulate,
                      out + (first_out + o) * out_plane);
    });
}

}  // namespace

void few_channel_forward(int threads, const Conv2dShape& s, const float* x, const float* w, float* y) {
    int cin_g = s.c_in / s.groups, cout_g = s.c_out / s.groups;
    int64_t filter = int64_t(cin_g) * s.kh * s.kw;
    correlate_items(threads, s, cin_g, s.h, s.w, s.pad, s.pad, x, cout_g, s.h_out, s.w_out, false, y,
                    [&](int64_t group, int co) { return w + (group * cout_g + co) * filter; });
}

void few_channel_backward_data(int threads, const Conv2dShape& s, const float* dy, const float* w, float* dx) {
    int cin_g = s.c_in / s.groups, cout_g = s.c_out / s.groups, k = s.kh * s.kw;
    // turned[g, ci, co, i, j] = w[g·cout_g + co, ci, kh-1-i, kw-1-j]
    std::vector<float> turned(size_t(s.groups) * cin_g * cout_g * k);
    for (int g = 0; g < s.groups; ++g)
        for (int co = 0; co < cout_g; ++co)
            for (int ci = 0; ci < cin_g; ++ci)
                for (int t = 0; t < k; ++t)
                    turned[((int64_t(g) * cin_g + ci) * cout_g + co) * k + (k - 1 - t)] =
                        w[((int64_t(g) * cout_g + co) * cin_g + ci) * k + t];
    int top = s.dilation * (s.kh - 1) - s.pad, left = s.dilation * (s.kw - 1) - s.pad;
    const float* taps = turned.data();
    correlate_items(threads, s, cout_g, s.h_out, s.w_out, top, left, dy, cin_g, s.h, s.w, true, dx,
                    [&](int64_t group, int ci) { return taps + (group * cin_g + ci) * cout_g * k; });
}

// Row r of dw gets the weight gradient summed over its s.n samples: inputs x[(r·x_row_step + i)] and cotangents
// dy[r·s.n + i]. Each thread takes a block of rows and goes through the samples once, padding each input once
// for all of its rows when they share their inputs (x_row_step 0), and reading dy in place when its rows fill
// whole blocks of lanes (NB201's planes of 32, 16 and 8). Each weight's sum runs in `cols` float lanes over the
// samples in order (as long as a GEMM's sum), then over its lanes in order in double: the same bits for any
// thread count.
void few_channel_backward_weight_rows(int threads, const Conv2dShape& s, int rows, int x_row_step, const float* x,
                                      const float* dy, float* dw, int64_t ldw) {
    PlaneLayout p = layout(s.h_out, s.w_out, s.kh, s.kw, s.dilation);
    bool dy_in_place = s.w_out % p.cols == 0;
    int64_t dy_ld = (s.w_out + p.cols - 1) / p.cols * p.cols;
    int64_t padded_floats = s.c_in * p.plane, dy_floats = dy_in_place ? 0 : s.c_out * s.h_out * dy_ld;
    int64_t dw_size = int64_t(s.c_out) * s.c_in * s.kh * s.kw, lane_floats = dw_size * p.cols;
    int64_t x_numel = int64_t(s.c_in) * s.h * s.w, y_plane = int64_t(s.h_out) * s.w_out;
    int64_t work = int64_t(rows) * s.n * dw_size * y_plane;
    int team = std::max(1, int(std::min<int64_t>(threads_for(work, threads), rows)));
    int block = (rows + team - 1) / team;
    int64_t item_floats = padded_floats + dy_floats + block * lane_floats;
    float* scratch = conv_workspace(size_t(team * item_floats));
    const bool pairs = has_32_vector_registers();
    parallel_for(team, team, [&](int t) {
        int first = t * block, end = std::min(rows, first + block);
        float* padded = scratch + t * item_floats;
        float* dy_rows = padded + padded_floats;
        float* lanes = dy_rows + dy_floats;
        std::fill(padded, padded + item_floats, 0.0f);  // the borders of x and dy's tails past w_out stay zero
        for (int i = 0; i < s.n; ++i) {
            for (int r = first; r < end; ++r) {
                if (r == first || x_row_step != 0)
                    copy_into_padded(p, s.c_in, x + (int64_t(r) * x_row_step + i) * x_numel, s.h, s.w, s.pad, s.pad,
                                     padded);
                const float* g = dy + (int64_t(r) * s.n + i) * s.c_out * y_plane;
                if (!dy_in_place) {
                    for (int64_t row = 0; row < int64_t(s.c_out) * s.h_out; ++row)
                        std::copy(g + row * s.w_out, g + (row + 1) * s.w_out, dy_rows + row * dy_ld);
                    g = dy_rows;
                }
                correlate_gradient(p, s.c_in, s.c_out, s.kh, s.kw, s.dilation, padded, g, dy_ld,
                                   lanes + (r - first) * lane_floats, pairs);
            }
        }
        for (int r = first; r < end; ++r)
            add_lane_sums(lanes + (r - first) * lane_floats, dw_size, p.cols, dw + r * ldw);
    });
}

// As few_channel_backward_weight_rows, for 1×1 filters on the inputs as they lie.
void pointwise_backward_weight_rows(int threads, const Conv2dShape& s, int rows, int x_row_step, const float* x,
                                    const float* dy, float* dw, int64_t ldw) {
    int64_t hw = int64_t(s.h) * s.w, dw_size = int64_t(s.c_out) * s.c_in, lane_floats = dw_size * 16;
    int64_t work = int64_t(rows) * s.n * dw_size * hw;
    int team = int(std::min<int64_t>(threads_for(work, threads), rows));
    float* scratch = conv_workspace(size_t(std::max(team, 1) * lane_floats));
    parallel_for(team, rows, [&](int r) {
        float* lanes = scratch + thread_index(team) * lane_floats;
        std::fill(lanes, lanes + lane_floats, 0.0f);
        for (int i = 0; i < s.n; ++i)
            pointwise_gradient(s.c_in, s.c_out, hw, x + (int64_t(r) * x_row_step + i) * s.c_in * hw,
                               dy + (int64_t(r) * s.n + i) * s.c_out * hw, lanes);
        add_lane_sums(lanes, dw_size, 16, dw + r * ldw);
    });
}

// ---- box sums: stride-1 pooling as a correlation with a kernel × kernel filter of ones ----

int64_t box_sum_scratch_floats(int out_h, int out_w, int kernel) {
    return layout(out_h, out_w, kernel, kernel, 1).plane;
}

void box_sum_plane(const float* in, int in_h, int in_w, int top, int left, int kernel, const float* ones,
                   int out_h, int out_w, bool accumulate, float* scratch, float* out) {
    PlaneLayout p = layout(out_h, out_w, kernel, kernel, 1);
    std::fill(scratch, scratch + p.plane, 0.0f);
    copy_into_padded(p, 1, in, in_h, in_w, top, left, scratch);
    correlate(p, 1, kernel, kernel, 1, scratch, ones, accumulate, out);
}

}  // namespace jnas::cpu
