// shape.hpp — a tensor or per-sample shape of at most JNAS_MAX_DIMS dims, with the checks every API entry
// point needs (dims >= 1, sizes that fit the backends' int-sized kernel arguments).
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>

#include "jnas.h"

namespace jnas {

// Kernels take ints for channel, spatial and row counts, so one sample (or one parameter) must stay below this.
constexpr int64_t kMaxPerSampleNumel = 2147483647;

struct Shape {
    int ndim = 0;
    std::array<int64_t, JNAS_MAX_DIMS> dims{};

    Shape() = default;
    Shape(std::initializer_list<int64_t> list);

    int64_t operator[](int i) const { return dims[i]; }
    int64_t numel() const;
    bool operator==(const Shape& other) const;
    bool operator!=(const Shape& other) const { return !(*this == other); }
    std::string str() const;  // "[3, 32, 32]"
};

// [batch, per_sample...]; per_sample has at most JNAS_MAX_DIMS - 1 dims.
Shape batched(int64_t batch, const Shape& per_sample);

// Validates a user-given shape: 1..max_ndim dims, each >= 1, numel below max_numel. `what` names the argument
// in the message ("shape", "input shape").
Shape checked_shape(int ndim, const int64_t* dims, int max_ndim, int64_t max_numel, const char* what);

}  // namespace jnas
