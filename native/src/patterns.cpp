// patterns.cpp — the pattern set's storage and the exact distinct count (the row hash is row_hash.hpp's).
#include "patterns.hpp"

#include <algorithm>
#include <utility>

#include "device_buffer.hpp"
#include "error.hpp"

namespace jnas {

int64_t count_distinct_rows(const uint64_t* rows, int64_t count, int64_t words, RowHasher hasher, RowHash mask) {
    auto row = [&](int64_t r) { return rows + r * words; };
    std::vector<std::pair<RowHash, int64_t>> order(static_cast<size_t>(count));
    for (int64_t r = 0; r < count; ++r) {
        RowHash hash = hasher(row(r), words);
        order[r] = {RowHash{hash.high & mask.high, hash.low & mask.low}, r};
    }
    auto same_words = [&](int64_t a, int64_t b) { return std::equal(row(a), row(a) + words, row(b)); };
    std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
        if (!(a.first == b.first)) return a.first < b.first;
        return std::lexicographical_compare(row(a.second), row(a.second) + words, row(b.second), row(b.second) + words);
    });
    int64_t distinct = count > 0 ? 1 : 0;
    for (size_t i = 1; i < order.size(); ++i)
        if (!(order[i].first == order[i - 1].first) || !same_words(order[i].second, order[i - 1].second)) ++distinct;
    return distinct;
}

void PatternSet::require_row_bits(int64_t bits) const {
    if (samples_ > 0 && bits != bits_)
        fail(JNAS_ERR_SHAPE, "these patterns have ", bits, " bits per sample but the collector's ", samples_,
             " samples have ", bits_, " (every sample of a collector needs the same ReLUs)");
}

void PatternSet::append(int64_t bits, int64_t count, const uint64_t* packed) {
    if (bits < 0 || count < 0) fail(JNAS_ERR_INTERNAL, "pattern rows of ", bits, " bits, ", count, " rows");
    require_row_bits(bits);
    int64_t words = words_for(bits);
    rows_.insert(rows_.end(), packed, packed + count * words);
    bits_ = bits;
    words_ = words;
    samples_ += count;
}

int64_t PatternSet::count_distinct(RowHasher hasher) const {
    if (samples_ == 0) fail(JNAS_ERR_STATE, "the collector holds no patterns (collect some first)");
    return count_distinct_rows(rows_.data(), samples_, words_, hasher, kAllHashBits);
}

int64_t PatternSet::count_distinct_on(Backend& backend) const {
    if (samples_ == 0) fail(JNAS_ERR_STATE, "the collector holds no patterns (collect some first)");
    DeviceBuffer rows(backend, rows_.size() * sizeof(uint64_t));
    backend.upload(rows.get(), rows_.data(), rows.bytes());
    return backend.count_distinct_rows(samples_, words_, static_cast<const uint64_t*>(rows.get()), kAllHashBits);
}

}  // namespace jnas
