// tensor.hpp — jnas_tensor: a float32 tensor of 1..4 dims in its context's backend memory.
#pragma once

#include "context.hpp"
#include "device_buffer.hpp"
#include "shape.hpp"

struct jnas_tensor {
    jnas_ctx* ctx;
    jnas::Shape shape;
    jnas::DeviceBuffer data;

    float* f32() const { return data.f32(); }
    size_t bytes() const { return jnas::float_bytes(shape.numel()); }
};

namespace jnas {

// Throws INVALID_ARGUMENT when t was made on another context than ctx; `what` names the argument.
void require_same_context(const jnas_ctx* ctx, const jnas_tensor* t, const char* what);

}  // namespace jnas
