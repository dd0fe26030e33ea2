// api_context.cpp — contexts: the backend choice, device name and thread budget.
#include "api_guard.hpp"
#include "context.hpp"

using jnas::api::guarded;
using jnas::api::require;

extern "C" {

JNAS_API jnas_status jnas_ctx_create(jnas_backend backend, int device, jnas_ctx** out) {
    return guarded(__func__, [&] {
        require(out, "out");
        auto ctx = std::make_unique<jnas_ctx>();
        switch (backend) {
            case JNAS_BACKEND_CPU: ctx->backend = jnas::make_cpu_backend(); break;
            case JNAS_BACKEND_CUDA:
                if (device < 0) jnas::fail(JNAS_ERR_INVALID_ARGUMENT, "device = ", device, "; GPU ordinals are >= 0");
                ctx->backend = jnas::make_cuda_backend(device);
                break;
            default:
                jnas::fail(JNAS_ERR_INVALID_ARGUMENT, "backend = ", static_cast<int>(backend),
                           " is not a jnas_backend (JNAS_BACKEND_CPU = 0, JNAS_BACKEND_CUDA = 1)");
        }
        *out = ctx.release();
    });
}

JNAS_API void jnas_ctx_free(jnas_ctx* ctx) {
    jnas::api::release_quietly([&] { delete ctx; });
}

JNAS_API jnas_status jnas_ctx_backend(const jnas_ctx* ctx, jnas_backend* out) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(out, "out");
        *out = ctx->backend->kind();
    });
}

JNAS_API jnas_status jnas_ctx_device_name(const jnas_ctx* ctx, const char** out) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(out, "out");
        auto& names = const_cast<jnas_ctx*>(ctx)->device_names;
        *out = names.insert(ctx->backend->device_name()).first->c_str();
    });
}

JNAS_API jnas_status jnas_ctx_set_threads(jnas_ctx* ctx, int n) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        ctx->backend->set_threads(n);
    });
}

JNAS_API int jnas_cuda_compiled(void) { return jnas::cuda_compiled() ? 1 : 0; }

}  // extern "C"
