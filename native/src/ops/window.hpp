// window.hpp — the sliding-window output size shared by convolution and pooling (floor mode, as PyTorch).
#pragma once

#include <cstdint>

namespace jnas {

// Outputs along one axis of size `in`; < 1 when not even one window fits.
inline int64_t window_output(int64_t in, int kernel, int stride, int padding, int dilation) {
    int64_t span = in + 2 * int64_t(padding) - int64_t(dilation) * (kernel - 1) - 1;
    return span < 0 ? 0 : span / stride + 1;
}

}  // namespace jnas
