// api_tensor.cpp — tensors: creation, shape queries, host copies and Philox fills.
#include <cmath>

#include "api_guard.hpp"
#include "tensor.hpp"

using jnas::api::guarded;
using jnas::api::require;
using jnas::fail;

namespace jnas {

void require_same_context(const jnas_ctx* ctx, const jnas_tensor* t, const char* what) {
    if (t->ctx != ctx) fail(JNAS_ERR_INVALID_ARGUMENT, what, " belongs to another context");
}

}  // namespace jnas

namespace {

void require_count(const jnas_tensor* t, int64_t count) {
    if (count != t->shape.numel())
        fail(JNAS_ERR_SHAPE, "count = ", count, " but the tensor ", t->shape.str(), " has ", t->shape.numel(),
             " elements");
}

}  // namespace

extern "C" {

JNAS_API jnas_status jnas_tensor_create(jnas_ctx* ctx, int ndim, const int64_t* shape, jnas_tensor** out) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(out, "out");
        // Whole tensors may exceed one sample's int-sized limit; their byte count must still fit a size_t.
        jnas::Shape s = jnas::checked_shape(ndim, shape, JNAS_MAX_DIMS, INT64_MAX / 8, "shape");
        auto t = std::make_unique<jnas_tensor>(jnas_tensor{ctx, s, {}});
        t->data = jnas::DeviceBuffer(*ctx->backend, t->bytes());
        *out = t.release();
    });
}

JNAS_API void jnas_tensor_free(jnas_tensor* t) {
    jnas::api::release_quietly([&] { delete t; });
}

JNAS_API jnas_status jnas_tensor_ndim(const jnas_tensor* t, int* out) {
    return guarded(__func__, [&] {
        require(t, "t");
        require(out, "out");
        *out = t->shape.ndim;
    });
}

JNAS_API jnas_status jnas_tensor_shape(const jnas_tensor* t, int64_t* shape) {
    return guarded(__func__, [&] {
        require(t, "t");
        require(shape, "shape");
        for (int i = 0; i < t->shape.ndim; ++i) shape[i] = t->shape[i];
    });
}

JNAS_API jnas_status jnas_tensor_numel(const jnas_tensor* t, int64_t* out) {
    return guarded(__func__, [&] {
        require(t, "t");
        require(out, "out");
        *out = t->shape.numel();
    });
}

JNAS_API jnas_status jnas_tensor_write(jnas_tensor* t, const float* src, int64_t count) {
    return guarded(__func__, [&] {
        require(t, "t");
        require(src, "src");
        require_count(t, count);
        t->ctx->backend->upload(t->data.get(), src, t->bytes());
    });
}

JNAS_API jnas_status jnas_tensor_read(const jnas_tensor* t, float* dst, int64_t count) {
    return guarded(__func__, [&] {
        require(t, "t");
        require(dst, "dst");
        require_count(t, count);
        t->ctx->backend->download(dst, t->data.get(), t->bytes());
    });
}

JNAS_API jnas_status jnas_tensor_fill_normal(jnas_tensor* t, uint64_t seed, uint64_t stream, float mean,
                                             float std) {
    return guarded(__func__, [&] {
        require(t, "t");
        if (!std::isfinite(mean) || !std::isfinite(std) || std < 0)
            fail(JNAS_ERR_INVALID_ARGUMENT, "mean = ", mean, ", std = ", std, "; both finite and std >= 0");
        t->ctx->backend->fill_normal(t->f32(), t->shape.numel(), seed, stream, mean, std);
    });
}

JNAS_API jnas_status jnas_tensor_fill_uniform(jnas_tensor* t, uint64_t seed, uint64_t stream, float lo,
                                              float hi) {
    return guarded(__func__, [&] {
        require(t, "t");
        if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
            fail(JNAS_ERR_INVALID_ARGUMENT, "lo = ", lo, ", hi = ", hi, "; both finite and lo <= hi");
        t->ctx->backend->fill_uniform(t->f32(), t->shape.numel(), seed, stream, lo, hi);
    });
}

}  // extern "C"
