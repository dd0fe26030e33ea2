// memory.cpp — host allocations and fills for the CPU backend.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

#include "cpu/cpu_kernels.hpp"
#include "error.hpp"
#include "philox.hpp"

namespace jnas::cpu {

// 64 bytes: one cache line, and the widest vector loads (AVX-512) never straddle one.
constexpr size_t kAlignment = 64;

// The machine's physical memory, which no single allocation can exceed and still be zero-filled. Refusing larger
// requests here keeps a huge batch an error where the kernel overcommits (vm.overcommit_memory=1 grants any size,
// and the memset below would then bring in the OOM killer instead of an error).
size_t physical_memory() {
    static const size_t bytes = [] {
        long pages = sysconf(_SC_PHYS_PAGES);
        long page_size = sysconf(_SC_PAGESIZE);
        return pages > 0 && page_size > 0 ? size_t(pages) * size_t(page_size) : SIZE_MAX;
    }();
    return bytes;
}

void* alloc_host(size_t bytes) {
    if (bytes > physical_memory())
        fail(JNAS_ERR_OUT_OF_MEMORY, "cpu: cannot allocate ", bytes, " bytes: the machine has ", physical_memory(),
             " bytes of memory");
    // aligned_alloc wants a multiple of the alignment; zero bytes still returns a real, freeable block.
    size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
    if (rounded == 0) rounded = kAlignment;
    if (rounded < bytes) fail(JNAS_ERR_OUT_OF_MEMORY, "cpu: cannot allocate ", bytes, " bytes (size overflow)");
    void* p = std::aligned_alloc(kAlignment, rounded);
    if (p == nullptr) fail(JNAS_ERR_OUT_OF_MEMORY, "cpu: cannot allocate ", bytes, " bytes of host memory");
    return p;
}

void release(void* p) { std::free(p); }

// Zeros (most fills: a Jacobian walk zeroes each stacked gradient before accumulating into it) go through memset,
// which uses the machine's widest stores where the library is built for SSE; +0.0f is all zero bytes.
void fill(int threads, float* dst, int64_t n, float value) {
    constexpr int64_t kBlock = int64_t(1) << 16;  // floats a task
    const bool zeros = value == 0.0f && !std::signbit(value);
    const int64_t blocks = (n + kBlock - 1) / kBlock;
    parallel_for(int(std::min<int64_t>(threads_for(n, threads), blocks)), blocks, [&](int64_t block) {
        float* first = dst + block * kBlock;
        int64_t count = std::min(kBlock, n - block * kBlock);
        if (zeros) std::memset(first, 0, size_t(count) * sizeof(float));
        else std::fill(first, first + count, value);
    });
}

void fill_normal(int threads, float* dst, int64_t n, uint64_t seed, uint64_t stream, float mean, float std) {
    // Philox is a few dozen multiplies per element: worth threads much earlier than a plain fill.
    parallel_for(threads_for(n * 64, threads), n, [&](int64_t i) {
        dst[i] = mean + std * philox::normal(seed, stream, static_cast<uint64_t>(i));
    });
}

void fill_uniform(int threads, float* dst, int64_t n, uint64_t seed, uint64_t stream, float lo, float hi) {
    float width = hi - lo;
    parallel_for(threads_for(n * 64, threads), n, [&](int64_t i) {
        dst[i] = lo + width * philox::uniform(seed, stream, static_cast<uint64_t>(i));
    });
}

void fill_dropout_mask(int threads, float* dst, int64_t n, uint64_t seed, uint64_t stream, float p, float keep_value) {
    parallel_for(threads_for(n * 64, threads), n, [&](int64_t i) {
        dst[i] = philox::uniform(seed, stream, static_cast<uint64_t>(i)) >= p ? keep_value : 0.0f;
    });
}

}  // namespace jnas::cpu
