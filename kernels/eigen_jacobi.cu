// eigen_jacobi.cu — Backend::symmetric_eigenvalues: eigenvalues of a batch of symmetric matrices in double by the
// two-sided Jacobi method, one thread block per matrix, every matrix in one launch. The CPU twin is LAPACKE_dsyevd
// (native/src/cpu/eigenvalues.cpp); both are backward stable, so their eigenvalues agree to rounding errors
// relative to the largest.
//
// Parallel ordering: a sweep is n' − 1 rounds (n' = n rounded up to even) of the round-robin tournament, each
// pairing every index with another (an odd n leaves one index out per round). The pairs of a round are disjoint,
// so their rotations commute and are applied at once: rows first (A ← JᵀA), then columns (A ← AJ), a 2×2 block of
// two pairs' rows and columns at a time. Each pair's own 2×2 block is set from the closed form (a_pp − t·a_pq,
// a_qq + t·a_pq, zeros off the diagonal) rather than left to the rotated arithmetic: off-diagonal entries are then
// only ever combinations of off-diagonal entries, so the off-diagonal norm falls to zero instead of stalling at
// rounding level.
//
// The matrix and the round's rotations live in shared memory when the device allows a block that much (n = 72
// takes 42 KB, under the 48 KB every arch gives; sm_90's 227 KB hold n up to 169), otherwise in global memory (a
// slice of scratch per block).
#include <math_constants.h>

#include <cfloat>

#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

// A round's work is pairs × n rotated entries between barriers (2,592 at n = 72): a block of 1024 threads takes it
// in 3 steps rather than 11, and a round's latency is what a lone κ's spectrum waits on.
constexpr int kJacobiThreads = 1024;
// Cyclic Jacobi converges quadratically: about 10 sweeps for n = 100, 16 for strongly graded spectra. A matrix
// still off-diagonal after this many is reported as not converged rather than looping on.
constexpr int kMaxSweeps = 64;

// Doubles of one matrix's working set: the matrix and, per pair of a round, its rotation (c, s, new a_pp, a_qq).
__host__ __device__ inline int64_t jacobi_work_doubles(int n) { return int64_t(n) * n + 4 * int64_t((n + 1) / 2); }

// Pair k of round `round` of the round-robin tournament over `players` (even) indices: the last index stays put
// and plays `round`; the others sit on a circle that turns by one each round, and k pairs the k-th neighbours on
// either side of `round`. Over players − 1 rounds every pair of indices meets once. p < q.
__device__ inline void round_pair(int round, int k, int players, int* p, int* q) {
    int a = players - 1, b = round;
    if (k > 0) {
        a = (round + k) % (players - 1);
        b = (round - k + players - 1) % (players - 1);
    }
    *p = a < b ? a : b;
    *q = a < b ? b : a;
}

// The rotation that zeroes a_pq: t = tan φ is the smaller root of t² + 2θt − 1 = 0 with θ = (a_qq − a_pp) / 2a_pq
// (|φ| <= π/4, the choice that makes Jacobi converge). hypot keeps θ² from overflowing; θ = ±inf (a_pq negligible
// against the diagonal gap) gives t = 0, the identity.
__device__ inline void rotation(double app, double aqq, double apq, double* rot) {
    double t = 0.0;
    if (apq != 0.0) {
        const double theta = (aqq - app) / (2.0 * apq);
        t = copysign(1.0, theta) / (fabs(theta) + hypot(theta, 1.0));
    }
    const double c = 1.0 / sqrt(t * t + 1.0);
    rot[0] = c;
    rot[1] = t * c;
    rot[2] = app - t * apq;
    rot[3] = aqq + t * apq;
}

// (a, b) ← (c·a − s·b, s·a + c·b): one rotation of the pair of entries a (index p) and b (index q).
__device__ __forceinline__ void rotate(double c, double s, double& a, double& b) {
    const double rotated_a = c * a - s * b;
    b = s * a + c * b;
    a = rotated_a;
}

// matrices[blockIdx.x] is an n×n float matrix (upper triangle read); eigenvalues [gridDim.x, n], status [gridDim.x].
// work: the block's working set in global memory, or nullptr to use dynamic shared memory.
__global__ void __launch_bounds__(kJacobiThreads)
    jacobi_eigenvalues_kernel(int n, const float* const* matrices, double* global_work, double* eigenvalues,
                              uint32_t* status) {
    extern __shared__ double shared_work[];
    __shared__ double partial[32];
    double* a = global_work != nullptr ? global_work + blockIdx.x * jacobi_work_doubles(n) : shared_work;
    double* rotations = a + int64_t(n) * n;  // [pairs][4]
    const float* in = matrices[blockIdx.x];
    double* out = eigenvalues + int64_t(blockIdx.x) * n;
    const int64_t elements = int64_t(n) * n;

    // The upper triangle, mirrored; NaN or inf anywhere in it makes the whole spectrum NaN, as on the CPU.
    int nonfinite = 0;
    for (int64_t e = threadIdx.x; e < elements; e += blockDim.x) {
        const int r = int(e / n), c = int(e % n);
        if (r > c) continue;
        const double v = in[e];
        nonfinite |= !isfinite(v);
        a[e] = v;
        a[int64_t(c) * n + r] = v;
    }
    uint32_t outcome = __syncthreads_or(nonfinite) ? JNAS_SPECTRUM_NONFINITE : 0u;

    const int players = n + (n & 1), pairs = players / 2;
    for (int sweep = 0; outcome == 0u; ++sweep) {
        double off = 0.0, diagonal = 0.0;
        for (int64_t e = threadIdx.x; e < elements; e += blockDim.x) {
            const double v = a[e];
            if (e / n == e % n)
                diagonal += v * v;
            else
                off += v * v;
        }
        off = block_sum(off, partial);
        diagonal = block_sum(diagonal, partial);
        // Weyl: every eigenvalue is within ‖off-diagonal‖ of a diagonal entry, so this is double rounding level.
        if (off <= DBL_EPSILON * DBL_EPSILON * diagonal) break;
        if (sweep == kMaxSweeps) {
            outcome = JNAS_SPECTRUM_NOT_CONVERGED;
            break;
        }
        for (int round = 0; round < players - 1; ++round) {
            for (int k = threadIdx.x; k < pairs; k += blockDim.x) {
                int p, q;
                round_pair(round, k, players, &p, &q);
                if (q < n) {
                    rotation(a[int64_t(p) * n + p], a[int64_t(q) * n + q], a[int64_t(p) * n + q], rotations + 4 * k);
                } else {  // the odd index out: the identity
                    rotations[4 * k] = 1.0;
                    rotations[4 * k + 1] = 0.0;
                }
            }
            __syncthreads();
            // The round's rotations meet in 2×2 blocks: block (k1, k2) holds rows p1, q1 and columns p2, q2, and
            // takes pair k1's rotation of its rows (A ← JᵀA), then pair k2's of its columns (A ← AJ), from its own
            // values alone. So every block is updated at once, in the same arithmetic as rotating all rows and
            // then all columns, with one barrier. A pair's own block (k1 = k2) is set from the closed form.
            for (int64_t w = threadIdx.x; w < int64_t(pairs) * pairs; w += blockDim.x) {
                const int k1 = int(w / pairs), k2 = int(w % pairs);
                int p1, q1, p2, q2;
                round_pair(round, k1, players, &p1, &q1);
                round_pair(round, k2, players, &p2, &q2);
                const bool row_q = q1 < n, column_q = q2 < n;  // false: the odd index out, no such row/column
                if (k1 == k2 && row_q) {
                    a[int64_t(p1) * n + p1] = rotations[4 * k1 + 2];
                    a[int64_t(q1) * n + q1] = rotations[4 * k1 + 3];
                    a[int64_t(p1) * n + q1] = 0.0;
                    a[int64_t(q1) * n + p1] = 0.0;
                    continue;
                }
                double* pp = a + int64_t(p1) * n + p2;
                double* pq = column_q ? a + int64_t(p1) * n + q2 : nullptr;
                double* qp = row_q ? a + int64_t(q1) * n + p2 : nullptr;
                double* qq = row_q && column_q ? a + int64_t(q1) * n + q2 : nullptr;
                double v_pp = *pp, v_pq = pq ? *pq : 0.0, v_qp = qp ? *qp : 0.0, v_qq = qq ? *qq : 0.0;
                const double c1 = rotations[4 * k1], s1 = rotations[4 * k1 + 1];
                if (s1 != 0.0) {  // rows p1, q1
                    rotate(c1, s1, v_pp, v_qp);
                    rotate(c1, s1, v_pq, v_qq);
                }
                const double c2 = rotations[4 * k2], s2 = rotations[4 * k2 + 1];
                if (s2 != 0.0) {  // columns p2, q2
                    rotate(c2, s2, v_pp, v_pq);
                    rotate(c2, s2, v_qp, v_qq);
                }
                *pp = v_pp;
                if (pq) *pq = v_pq;
                if (qp) *qp = v_qp;
                if (qq) *qq = v_qq;
            }
            __syncthreads();
        }
    }

    if (threadIdx.x == 0) status[blockIdx.x] = outcome;
    if (outcome != 0u) {
        for (int i = threadIdx.x; i < n; i += blockDim.x) out[i] = CUDART_NAN;
        return;
    }
    // Ascending by rank: entry i goes after every smaller one and every equal one of lower index.
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        const double value = a[int64_t(i) * n + i];
        int rank = 0;
        for (int j = 0; j < n; ++j) {
            const double other = a[int64_t(j) * n + j];
            rank += other < value || (other == value && j < i);
        }
        out[rank] = value;
    }
}

}  // namespace

void symmetric_eigenvalues(const Gpu& gpu, int count, int n, const float* const* matrices, double* eigenvalues,
                           uint32_t* status) {
    if (count <= 0 || n <= 0) return;
    const size_t work_bytes = size_t(jacobi_work_doubles(n)) * sizeof(double);
    int device = 0, shared_limit = 0;
    check(cudaGetDevice(&device), "symmetric_eigenvalues: cudaGetDevice");
    check(cudaDeviceGetAttribute(&shared_limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device),
          "symmetric_eigenvalues: shared memory limit");
    cudaFuncAttributes attributes;
    check(cudaFuncGetAttributes(&attributes, jacobi_eigenvalues_kernel), "symmetric_eigenvalues: attributes");
    const bool in_shared = work_bytes + attributes.sharedSizeBytes <= size_t(shared_limit);

    // Scratch: the matrix pointers, then (global-memory variant) each block's working set, 256-byte aligned.
    const size_t pointer_bytes = (size_t(count) * sizeof(float*) + 255) / 256 * 256;
    char* scratch = static_cast<char*>(gpu.scratch->get(pointer_bytes + (in_shared ? 0 : size_t(count) * work_bytes)));
    check(cudaMemcpyAsync(scratch, matrices, size_t(count) * sizeof(float*), cudaMemcpyHostToDevice, gpu.stream),
          "symmetric_eigenvalues: matrix pointers");
    double* global_work = in_shared ? nullptr : reinterpret_cast<double*>(scratch + pointer_bytes);
    const size_t shared_bytes = in_shared ? work_bytes : 0;
    if (in_shared)  // above 48 KB a block must opt in to its dynamic shared memory
        check(cudaFuncSetAttribute(jacobi_eigenvalues_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                   int(shared_bytes)),
              "symmetric_eigenvalues: shared memory opt-in");
    jacobi_eigenvalues_kernel<<<count, kJacobiThreads, shared_bytes, gpu.stream>>>(
        n, reinterpret_cast<const float* const*>(scratch), global_work, eigenvalues, status);
    check_launch("symmetric_eigenvalues");
}

}  // namespace jnas::cuda
