// naswot.cpp — NASWOT (Mellor et al.): the Hamming kernel of a batch's sign patterns and its log|det| in double.
#include <lapacke.h>

#include <bitset>
#include <cmath>
#include <limits>
#include <vector>

#include "error.hpp"
#include "patterns.hpp"

namespace jnas {
namespace {

// det K = 0: log|det K| is -inf.
NaswotScore singular_score() { return {-std::numeric_limits<double>::infinity(), JNAS_NASWOT_SINGULAR}; }

int popcount(uint64_t word) { return int(std::bitset<64>(word).count()); }

// K[i][j] = bits − Hamming(row first+i, row first+j): every entry an integer in [0, bits], exact in double.
std::vector<double> hamming_kernel(const PatternSet& set, int64_t first, int64_t count) {
    std::vector<double> k(static_cast<size_t>(count * count));
    int64_t words = set.words_per_row();
    for (int64_t i = 0; i < count; ++i) {
        const uint64_t* a = set.row(first + i);
        k[i * count + i] = double(set.bits());
        for (int64_t j = i + 1; j < count; ++j) {
            const uint64_t* b = set.row(first + j);
            int64_t hamming = 0;
            for (int64_t w = 0; w < words; ++w) hamming += popcount(a[w] ^ b[w]);
            k[i * count + j] = k[j * count + i] = double(set.bits() - hamming);
        }
    }
    return k;
}

// K = G·Gᵀ with G = [C, 1 − C] (C the n × bits sign matrix) is positive semi-definite, so det K >= 0 and a
// Cholesky factorization is the natural one; pivoted Cholesky (LAPACKE_dpstrf) also gives K's numerical rank at
// LAPACK's default tolerance (n · ε · max K_ii). numpy's slogdet (LU) would instead return rounding noise as a
// finite log|det| for a singular K; here a rank below n is reported as what it is, det K = 0.
NaswotScore log_det_psd(std::vector<double>& matrix, int64_t n) {
    std::vector<lapack_int> pivots(static_cast<size_t>(n));
    lapack_int rank = 0;
    lapack_int info = LAPACKE_dpstrf(LAPACK_ROW_MAJOR, 'L', lapack_int(n), matrix.data(), lapack_int(n),
                                     pivots.data(), &rank, -1.0);
    if (info < 0) fail(JNAS_ERR_INTERNAL, "LAPACKE_dpstrf rejected argument ", -info);
    if (info > 0 || rank < n) return singular_score();
    double logdet = 0.0;
    for (int64_t i = 0; i < n; ++i) logdet += 2.0 * std::log(matrix[i * n + i]);
    return {logdet, 0u};
}

}  // namespace

NaswotScore PatternSet::naswot(int64_t first, int64_t count) const {
    if (samples_ == 0) fail(JNAS_ERR_STATE, "the collector holds no patterns (collect some first)");
    if (first < 0 || first >= samples_)
        fail(JNAS_ERR_INVALID_ARGUMENT, "first = ", first, " is outside the collector's samples [0, ", samples_, ")");
    if (count < 1 || count > samples_ - first)
        fail(JNAS_ERR_INVALID_ARGUMENT, "count = ", count, " with first = ", first, " needs samples [", first, ", ",
             first, " + count) within the collector's ", samples_, " (and count >= 1)");
    // rank K = rank [C, 1 − C] <= bits + 1 (the columns span those of C and the all-ones column): a batch larger
    // than that is singular whatever its patterns, known without factorizing.
    if (count > bits_ + 1) return singular_score();
    std::vector<double> k = hamming_kernel(*this, first, count);
    return log_det_psd(k, count);
}

}  // namespace jnas
