// patterns.cu — activation patterns on the device: packing the sign bits of a ReLU input into pattern rows
// (Backend::pack_sign_bits), and the exact number of distinct rows (Backend::count_distinct_rows). The CPU twins
// are native/src/cpu/sign_bits.cpp and count_distinct_rows in native/src/patterns.cpp; the row hash is the one
// definition of row_hash.hpp.
//
// Distinct count: every row is hashed to 128 bits; two stable CUB radix sorts of the row indices (by the low
// lane, then by the high lane) order them by (high, low), so rows with equal hashes form contiguous runs. A hash
// only groups rows: a row counts when no earlier row of its run has the same words, checked word for word. Equal
// rows have equal hashes, so each set of equal rows lies in one run and counts once, by its earliest member,
// whatever collisions share the run; the count is exact, as on the CPU.
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_reduce.cuh>

#include <climits>

#include "cuda_kernels.cuh"

namespace jnas::cuda {
namespace {

// One thread per word that the ReLU's bits [bit_offset, bit_offset + units) touch in a row: it gathers that
// word's bits from x and ORs them in, so a word shared with the previous or next ReLU keeps their bits.
__global__ void pack_sign_bits_kernel(int64_t rows, int64_t units, const float* x, int64_t bit_offset,
                                      int64_t words, int64_t first_word, int64_t words_touched, uint64_t* packed) {
    JNAS_GRID_STRIDE(i, rows * words_touched) {
        const int64_t row = i / words_touched, word = first_word + i % words_touched;
        const int64_t begin = word * 64 > bit_offset ? word * 64 : bit_offset;
        const int64_t end = word * 64 + 64 < bit_offset + units ? word * 64 + 64 : bit_offset + units;
        const float* values = x + row * units;
        uint64_t bits = 0;
        for (int64_t bit = begin; bit < end; ++bit) bits |= uint64_t(values[bit - bit_offset] > 0.0f) << (bit & 63);
        packed[row * words + word] |= bits;
    }
}

// Per row: its masked hash lanes and its index (the payload the sorts carry).
__global__ void hash_rows_kernel(int rows, int64_t words, const uint64_t* packed, RowHash mask, uint64_t* high,
                                 uint64_t* low, int* index) {
    JNAS_GRID_STRIDE(r, rows) {
        const RowHash hash = hash_row(packed + r * words, words);
        high[r] = hash.high & mask.high;
        low[r] = hash.low & mask.low;
        index[r] = int(r);
    }
}

// keys[i] = lanes[index[i]]: the high lane in the order of the sort by the low lane.
__global__ void gather_lane_kernel(int rows, const uint64_t* lanes, const int* index, uint64_t* keys) {
    JNAS_GRID_STRIDE(i, rows) keys[i] = lanes[index[i]];
}

// first[i] = 1 when the row at sorted position i differs from every earlier row of its run of equal hashes.
__global__ void first_of_equal_rows_kernel(int rows, int64_t words, const uint64_t* packed, const uint64_t* high,
                                           const uint64_t* low, const int* index, int* first) {
    JNAS_GRID_STRIDE(i, rows) {
        const int row = index[i];
        const uint64_t* mine = packed + row * words;
        int is_first = 1;
        for (int64_t j = i - 1; is_first && j >= 0 && high[j] == high[i] && low[index[j]] == low[row]; --j) {
            const uint64_t* other = packed + index[j] * words;
            int64_t w = 0;
            while (w < words && mine[w] == other[w]) ++w;
            is_first = w < words;
        }
        first[i] = is_first;
    }
}

// 256-byte aligned slices of one scratch block.
class ScratchLayout {
public:
    template <typename T>
    size_t add(size_t count) {
        size_t offset = bytes_;
        bytes_ += (count * sizeof(T) + 255) / 256 * 256;
        return offset;
    }
    size_t bytes() const { return bytes_; }

private:
    size_t bytes_ = 0;
};

}  // namespace

void pack_sign_bits(const Gpu& gpu, int64_t rows, int64_t units, const float* x, int64_t bit_offset, int64_t words,
                    uint64_t* packed) {
    if (rows <= 0 || units <= 0) return;
    const int64_t first_word = bit_offset / 64, words_touched = (bit_offset + units - 1) / 64 - first_word + 1;
    pack_sign_bits_kernel<<<grid_for(rows * words_touched), kThreads, 0, gpu.stream>>>(
        rows, units, x, bit_offset, words, first_word, words_touched, packed);
    check_launch("pack_sign_bits");
}

int64_t count_distinct_rows(const Gpu& gpu, int64_t rows, int64_t words, const uint64_t* packed, RowHash hash_mask) {
    if (rows > INT_MAX)
        fail(JNAS_ERR_UNSUPPORTED, "count_distinct_rows: ", rows, " rows; the CUDA backend counts at most ", INT_MAX);
    const int n = int(rows);
    if (n <= 0) return 0;
    size_t sort_bytes = 0, sum_bytes = 0;
    check(cub::DeviceRadixSort::SortPairs(nullptr, sort_bytes, static_cast<const uint64_t*>(nullptr),
                                          static_cast<uint64_t*>(nullptr), static_cast<const int*>(nullptr),
                                          static_cast<int*>(nullptr), n, 0, 64, gpu.stream),
          "count_distinct_rows: sort size");
    check(cub::DeviceReduce::Sum(nullptr, sum_bytes, static_cast<const int*>(nullptr), static_cast<int*>(nullptr), n,
                                 gpu.stream),
          "count_distinct_rows: sum size");
    ScratchLayout layout;
    const size_t high_at = layout.add<uint64_t>(n), low_at = layout.add<uint64_t>(n);
    const size_t keys_at = layout.add<uint64_t>(n), sorted_at = layout.add<uint64_t>(n);
    const size_t rows_at = layout.add<int>(n), by_low_at = layout.add<int>(n), by_hash_at = layout.add<int>(n);
    const size_t first_at = layout.add<int>(n), total_at = layout.add<int>(1);
    const size_t temp_bytes = sort_bytes > sum_bytes ? sort_bytes : sum_bytes;
    const size_t temp_at = layout.add<char>(temp_bytes);
    char* base = static_cast<char*>(gpu.scratch->get(layout.bytes()));
    auto lane = [&](size_t at) { return reinterpret_cast<uint64_t*>(base + at); };
    auto ints = [&](size_t at) { return reinterpret_cast<int*>(base + at); };
    uint64_t *high = lane(high_at), *low = lane(low_at), *keys = lane(keys_at), *sorted = lane(sorted_at);
    int *row_index = ints(rows_at), *by_low = ints(by_low_at), *by_hash = ints(by_hash_at);
    int *first = ints(first_at), *total = ints(total_at);
    void* temp = base + temp_at;

    hash_rows_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(n, words, packed, hash_mask, high, low, row_index);
    check_launch("count_distinct_rows: hash");
    size_t bytes = temp_bytes;
    check(cub::DeviceRadixSort::SortPairs(temp, bytes, low, sorted, row_index, by_low, n, 0, 64, gpu.stream),
          "count_distinct_rows: sort by the low lane");
    gather_lane_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(n, high, by_low, keys);
    check_launch("count_distinct_rows: gather");
    bytes = temp_bytes;  // radix sorts are stable: rows with equal high lanes stay ordered by their low lanes
    check(cub::DeviceRadixSort::SortPairs(temp, bytes, keys, sorted, by_low, by_hash, n, 0, 64, gpu.stream),
          "count_distinct_rows: sort by the high lane");
    first_of_equal_rows_kernel<<<grid_for(n), kThreads, 0, gpu.stream>>>(n, words, packed, sorted, low, by_hash,
                                                                          first);
    check_launch("count_distinct_rows: compare");
    bytes = temp_bytes;
    check(cub::DeviceReduce::Sum(temp, bytes, first, total, n, gpu.stream), "count_distinct_rows: sum");
    int distinct = 0;
    check(cudaMemcpyAsync(&distinct, total, sizeof(int), cudaMemcpyDeviceToHost, gpu.stream),
          "count_distinct_rows: download");
    check(cudaStreamSynchronize(gpu.stream), "count_distinct_rows: synchronize");
    return distinct;
}

}  // namespace jnas::cuda
