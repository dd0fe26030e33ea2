// accumulate.hpp — sequential sums in double for the CPU backend's reductions. Each sum runs in one fixed
// order (four interleaved partial sums, fixed by index, combined at the end), so a reduction gives the same
// bits whichever thread runs it; double keeps long sums (n·h·w terms for batch norm) accurate.
#pragma once

#include <cstdint>

namespace jnas::cpu {

// Σ term(i) for i in [0, n), with four independent accumulators so the adds pipeline.
template <typename Term>
double sum_in_order(int64_t n, Term term) {
    double lane[4] = {0.0, 0.0, 0.0, 0.0};
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        lane[0] += term(i);
        lane[1] += term(i + 1);
        lane[2] += term(i + 2);
        lane[3] += term(i + 3);
    }
    for (; i < n; ++i) lane[0] += term(i);
    return (lane[0] + lane[1]) + (lane[2] + lane[3]);
}

inline double sum(const float* x, int64_t n) {
    return sum_in_order(n, [x](int64_t i) { return double(x[i]); });
}

inline double dot(const float* a, const float* b, int64_t n) {
    return sum_in_order(n, [a, b](int64_t i) { return double(a[i]) * double(b[i]); });
}

// Σ (x - mean)²
inline double centered_sum_squares(const float* x, int64_t n, double mean) {
    return sum_in_order(n, [x, mean](int64_t i) {
        double d = double(x[i]) - mean;
        return d * d;
    });
}

// Σ dy · (x - mean)
inline double centered_dot(const float* dy, const float* x, int64_t n, double mean) {
    return sum_in_order(n, [dy, x, mean](int64_t i) { return double(dy[i]) * (double(x[i]) - mean); });
}

}  // namespace jnas::cpu
