// activation_reference.hpp — every jnas_activation in double precision, written from the definitions (not from the
// kernels), for tests that difference or compose them: the CPU kernel tests and the Hessian-diagonal tests.
#pragma once

#include <algorithm>
#include <cmath>

#include "jnas.h"

namespace tu {

inline double reference_activation(jnas_activation kind, double v) {
    double relu6_shifted = std::min(std::max(v + 3.0, 0.0), 6.0);
    switch (kind) {
        case JNAS_ACT_RELU: return v > 0 ? v : 0;
        case JNAS_ACT_RELU6: return std::min(std::max(v, 0.0), 6.0);
        case JNAS_ACT_HSWISH: return v * relu6_shifted / 6.0;
        case JNAS_ACT_SIGMOID: return 1.0 / (1.0 + std::exp(-v));
        case JNAS_ACT_SWISH: return v / (1.0 + std::exp(-v));
        case JNAS_ACT_GELU: return 0.5 * v * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (v + 0.044715 * v * v * v)));
    }
    return 0;
}

}  // namespace tu
