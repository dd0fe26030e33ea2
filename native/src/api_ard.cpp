// api_ard.cpp — BayesNAS's batched ARD hyperparameter update (jnas_ard_update). The arithmetic is the backends'
// (ard_update.hpp); this edge checks shapes, values and the group hierarchy, and uploads the parent indices.
#include <climits>
#include <cmath>
#include <vector>

#include "api_guard.hpp"
#include "device_buffer.hpp"
#include "tensor.hpp"

using jnas::api::guarded;
using jnas::api::require;
using jnas::fail;

namespace {

void require_shape(const jnas_ctx* ctx, const jnas_tensor* t, const char* what, const jnas::Shape& shape) {
    require(t, what);
    jnas::require_same_context(ctx, t, what);
    if (t->shape != shape) fail(JNAS_ERR_SHAPE, what, " has shape ", t->shape.str(), " but must be ", shape.str());
}

std::vector<float> host_copy(const jnas_ctx* ctx, const jnas_tensor* t) {
    std::vector<float> values(static_cast<size_t>(t->shape.numel()));
    ctx->backend->download(values.data(), t->f32(), t->bytes());
    return values;
}

// Each value of `what` must pass `ok`; the message names the first that does not.
template <typename Ok>
void require_each(const std::vector<float>& values, const char* what, const char* rule, Ok ok) {
    for (size_t g = 0; g < values.size(); ++g)
        if (!ok(values[g])) fail(JNAS_ERR_INVALID_ARGUMENT, what, "[", g, "] = ", values[g], " but must be ", rule);
}

// parents[g] is -1 (an origin group) or an origin group other than g: the hierarchy is two levels deep, as
// BayesNAS's edge → op switches are.
void require_hierarchy(int64_t groups, const int32_t* parents) {
    for (int64_t g = 0; g < groups; ++g) {
        int32_t p = parents[g];
        if (p == -1) continue;
        if (p < 0 || p >= groups || p == g)
            fail(JNAS_ERR_INVALID_ARGUMENT, "parents[", g, "] = ", p, " but must be -1 or another group in [0, ",
                 groups, ")");
        if (parents[p] != -1)
            fail(JNAS_ERR_INVALID_ARGUMENT, "parents[", g, "] = ", p, " is itself a child (parents[", p, "] = ",
                 parents[p], "); a parent must be an origin group");
    }
}

}  // namespace

extern "C" {

JNAS_API jnas_status jnas_ard_update(jnas_ctx* ctx, const jnas_tensor* switches, const jnas_tensor* hessians,
                                     const jnas_tensor* gammas, const jnas_tensor* lambdas, const int32_t* parents,
                                     jnas_tensor* covariances, jnas_tensor* omegas, jnas_tensor* new_gammas) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(switches, "switches");
        require(parents, "parents");
        jnas::require_same_context(ctx, switches, "switches");
        if (switches->shape.ndim != 2)
            fail(JNAS_ERR_SHAPE, "switches has shape ", switches->shape.str(), " but must be [groups, cells]");
        const int64_t groups = switches->shape[0], cells = switches->shape[1];
        if (groups > INT_MAX || cells > INT_MAX)
            fail(JNAS_ERR_UNSUPPORTED, "switches has shape ", switches->shape.str(), "; dims above ", INT_MAX,
                 " are not supported");
        const jnas::Shape matrix = switches->shape, vector = jnas::Shape{groups};
        require_shape(ctx, hessians, "hessians", matrix);
        require_shape(ctx, gammas, "gammas", vector);
        require_shape(ctx, lambdas, "lambdas", vector);
        require_shape(ctx, covariances, "covariances", matrix);
        require_shape(ctx, omegas, "omegas", vector);
        require_shape(ctx, new_gammas, "new_gammas", vector);
        const jnas_tensor* inputs[] = {switches, hessians, gammas, lambdas};
        const jnas_tensor* outputs[] = {covariances, omegas, new_gammas};
        for (const jnas_tensor* out : outputs)
            for (const jnas_tensor* in : inputs)
                if (out == in && !(out == new_gammas && in == gammas))
                    fail(JNAS_ERR_INVALID_ARGUMENT, "an output aliases an input; only new_gammas may be gammas");
        if (covariances == omegas || covariances == new_gammas || omegas == new_gammas)
            fail(JNAS_ERR_INVALID_ARGUMENT, "covariances, omegas and new_gammas must be distinct tensors");
        require_each(host_copy(ctx, gammas), "gammas", ">= 0 and finite",
                     [](float v) { return v >= 0 && std::isfinite(v); });
        require_each(host_copy(ctx, lambdas), "lambdas", "> 0 and finite",
                     [](float v) { return v > 0 && std::isfinite(v); });
        require_hierarchy(groups, parents);

        jnas::Backend& backend = *ctx->backend;
        jnas::DeviceBuffer device_parents(backend, sizeof(int32_t) * size_t(groups));
        backend.upload(device_parents.get(), parents, sizeof(int32_t) * size_t(groups));
        backend.ard_update(int(groups), int(cells), switches->f32(), hessians->f32(), gammas->f32(), lambdas->f32(),
                           device_parents.i32(), covariances->f32(), omegas->f32(), new_gammas->f32());
    });
}

}  // extern "C"
