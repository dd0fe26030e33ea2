// jacobian_rows.hpp — where an op's backward puts parameter gradients during a per-sample Jacobian walk (ntk.cpp).
//
// The walk back-propagates S stacked cotangent batches at once (node gradients [S, B, ...], slice s holding
// seed s's cotangents for the B forward samples). J has one row per sample of the bound batch; the walk fills
// rows first_row .. first_row + rows() - 1 in one pass. Row r's parameter gradient is the sum over `count`
// forward samples from `sample`, each paired with the stacked cotangent sample at the same distance from
// `cotangent`:
//   coupled (batch statistics differentiated): row s = seed s, whose cotangent is one-hot on sample
//     first_row + s, over the whole batch: {0, s·B, B};
//   frozen (batch statistics constant, samples independent): S = 1 with all-ones cotangents, and row b is
//     sample b's own gradient: {b, b, 1}.
#pragma once

#include <cstdint>
#include <vector>

namespace jnas {

struct JacobianRows {
    struct Span {
        int sample;         // first forward sample
        int64_t cotangent;  // first stacked cotangent sample (in [0, S·B))
        int count;
    };

    int seeds;      // S, stacked cotangent batches in this pass
    int batch;      // B, forward samples
    bool coupled;   // whether batch-norm statistics are differentiated
    float* j;       // J, [B, width]
    int64_t width;  // columns of J: the selected parameters' sizes summed
    int first_row;  // J's row of this pass's row 0
    const std::vector<int64_t>* columns;  // per graph parameter: its first column in J, or -1 when not in J

    int rows() const { return coupled ? seeds : batch; }
    Span span(int r) const { return coupled ? Span{0, int64_t(r) * batch, batch} : Span{r, r, 1}; }
    // Every span is {r·sample_step(), r·count, count}: the rows' forward samples advance this much per row.
    int sample_step() const { return coupled ? 0 : 1; }
    // Row r's gradient slot for graph parameter `param` (accumulated into), or nullptr when it is not in J.
    float* row(int param, int r) const {
        int64_t column = (*columns)[param];
        return column < 0 ? nullptr : j + (first_row + int64_t(r)) * width + column;
    }
};

}  // namespace jnas
