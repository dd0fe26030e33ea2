// patterns.hpp — activation patterns: per sample, the sign bits (x > 0) of the input of every ReLU a forward ran,
// packed into 64-bit words. From them: the exact number of distinct patterns (TE-NAS's linear-region count) and
// NASWOT's log|det K| of the Hamming kernel. The rows live on the host whatever the backend: they are small
// (one bit per ReLU input). The backend packs them (only the bits leave a GPU) and may count them
// (count_distinct_on); the determinant is host work.
#pragma once

#include <cstdint>
#include <vector>

#include "row_hash.hpp"

namespace jnas {

class Backend;
class Net;

// How rows are hashed for counting; a parameter so that tests can force collisions and show the count stays exact.
// The default is hash_row (row_hash.hpp).
using RowHasher = RowHash (*)(const uint64_t* words, int64_t count);

// The number of distinct rows among `count` rows of `words` words at `rows` (host memory), exact: rows are sorted
// by hasher(row) with both lanes anded with `mask` and, within equal hashes, by their words, so equal rows end up
// adjacent and a hash collision can never merge two different rows. The CPU backend's count_distinct_rows.
int64_t count_distinct_rows(const uint64_t* rows, int64_t count, int64_t words, RowHasher hasher, RowHash mask);

// NASWOT's score: logdet = log det K (K is positive semi-definite, so det K >= 0), flags say when det K = 0.
struct NaswotScore {
    double logdet;   // -inf when K is singular
    unsigned flags;  // JNAS_NASWOT_* (jnas.h)
};

// Packed sign patterns, one row per sample, all rows of one length. Bit k of a row is bit k % 64 of word k / 64;
// bits past the row's length are zero, so rows compare and popcount as plain words.
class PatternSet {
public:
    int64_t samples() const { return samples_; }
    int64_t bits() const { return bits_; }
    int64_t words_per_row() const { return words_; }
    const uint64_t* row(int64_t sample) const { return rows_.data() + sample * words_; }

    // Appends `count` rows of `bits` bits each, packed as above (count · words_for(bits) words). The first append
    // fixes the row length; a later one with another length fails with JNAS_ERR_SHAPE and leaves the set as it was.
    void append(int64_t bits, int64_t count, const uint64_t* packed);
    // Whether rows of `bits` bits may be appended; JNAS_ERR_SHAPE (as append) when not.
    void require_row_bits(int64_t bits) const;

    // The number of distinct rows, exact (count_distinct_rows on the host). JNAS_ERR_STATE when empty.
    int64_t count_distinct(RowHasher hasher = hash_row) const;
    // The same count by `backend` (Backend::count_distinct_rows): the rows are copied into its memory and counted
    // there, on the device for CUDA. JNAS_ERR_STATE when empty.
    int64_t count_distinct_on(Backend& backend) const;

    // NASWOT over rows [first, first + count) (naswot.cpp): K[i][j] = bits − Hamming(row i, row j), the number of
    // units on which samples i and j agree, and log det K in double. Range errors: JNAS_ERR_INVALID_ARGUMENT.
    NaswotScore naswot(int64_t first, int64_t count) const;

    static int64_t words_for(int64_t bits) { return (bits + 63) / 64; }

private:
    int64_t samples_ = 0;
    int64_t bits_ = 0;
    int64_t words_ = 0;
    std::vector<uint64_t> rows_;  // [samples, words]
};

// Runs a forward over the net's bound inputs and appends one row per sample (relu_patterns.cpp): the sign bits
// x > 0 of the input of every ReLU node the forward ran, in graph (node id) order, each node's units in their
// per-sample layout (C, H, W). The inputs are read from each ReLU's input node, never from a buffer the ReLU could
// have overwritten (the public region counter's in-place aliasing problem cannot arise).
void collect_relu_patterns(Net& net, PatternSet& into);
// The same for a net of G sample groups (Net::set_sample_groups): one forward, group g's rows into *into[g], G =
// into.size(). JNAS_ERR_INVALID_ARGUMENT when that is not the net's group count; on an error no set changes.
void collect_relu_patterns(Net& net, const std::vector<PatternSet*>& into);

}  // namespace jnas

struct jnas_patterns {
    jnas::PatternSet set;
};
