// patterns.cpp — the pattern set's storage, the row hash and the exact distinct count.
#include "patterns.hpp"

#include <algorithm>
#include <utility>

#include "error.hpp"

namespace jnas {
namespace {

// SplitMix64's finalizer.
uint64_t fmix_splitmix(uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// MurmurHash3's 64-bit finalizer.
uint64_t fmix_murmur(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

}  // namespace

RowHash hash_row(const uint64_t* words, int64_t count) {
    uint64_t high = 0x9e3779b97f4a7c15ULL, low = 0x243f6a8885a308d3ULL;  // golden ratio and pi, as seeds
    for (int64_t i = 0; i < count; ++i) {
        high = fmix_splitmix(high ^ words[i]);
        low = fmix_murmur(low ^ words[i]);
    }
    return {high, low};
}

void PatternSet::append(int64_t bits, int64_t count, const uint64_t* packed) {
    if (bits < 0 || count < 0) fail(JNAS_ERR_INTERNAL, "pattern rows of ", bits, " bits, ", count, " rows");
    if (samples_ > 0 && bits != bits_)
        fail(JNAS_ERR_SHAPE, "these patterns have ", bits, " bits per sample but the collector's ", samples_,
             " samples have ", bits_, " (every sample of a collector needs the same ReLUs)");
    int64_t words = words_for(bits);
    rows_.insert(rows_.end(), packed, packed + count * words);
    bits_ = bits;
    words_ = words;
    samples_ += count;
}

int64_t PatternSet::count_distinct(RowHasher hasher) const {
    if (samples_ == 0) fail(JNAS_ERR_STATE, "the collector holds no patterns (collect some first)");
    std::vector<std::pair<RowHash, int64_t>> order(static_cast<size_t>(samples_));
    for (int64_t s = 0; s < samples_; ++s) order[s] = {hasher(row(s), words_), s};
    auto same_words = [&](int64_t a, int64_t b) { return std::equal(row(a), row(a) + words_, row(b)); };
    std::sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
        if (!(a.first == b.first)) return a.first < b.first;
        return std::lexicographical_compare(row(a.second), row(a.second) + words_, row(b.second),
                                            row(b.second) + words_);
    });
    int64_t distinct = 1;
    for (size_t i = 1; i < order.size(); ++i)
        if (!(order[i].first == order[i - 1].first) || !same_words(order[i].second, order[i - 1].second)) ++distinct;
    return distinct;
}

}  // namespace jnas
