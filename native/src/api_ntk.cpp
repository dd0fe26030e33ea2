// api_ntk.cpp — the NTK Gram matrix of a net and the spectrum of a symmetric matrix.
#include <climits>
#include <vector>

#include "api_guard.hpp"
#include "ntk.hpp"

using jnas::api::guarded;
using jnas::api::require;
using jnas::fail;

extern "C" {

JNAS_API jnas_status jnas_net_ntk(jnas_net* net, jnas_bn_coupling coupling, int count, const int* params,
                                  jnas_tensor* theta) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(theta, "theta");
        if (count < 0) fail(JNAS_ERR_INVALID_ARGUMENT, "count = ", count, " < 0");
        if (count > 0) require(params, "params");
        std::vector<int> chosen = params ? std::vector<int>(params, params + count) : jnas::ntk_default_params(net->net);
        jnas::net_ntk(net->net, coupling, chosen, theta);
    });
}

JNAS_API jnas_status jnas_ntk_spectrum(jnas_ctx* ctx, const jnas_tensor* theta, double* eigenvalues, double* kappa,
                                       unsigned* flags) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(theta, "theta");
        require(kappa, "kappa");
        require(flags, "flags");
        jnas::require_same_context(ctx, theta, "theta");
        if (theta->shape.ndim != 2 || theta->shape[0] != theta->shape[1] || theta->shape[0] > INT_MAX)
            fail(JNAS_ERR_SHAPE, "theta has shape ", theta->shape.str(), " but must be square [n, n]");
        int n = int(theta->shape[0]);
        std::vector<float> values(size_t(n) * n);
        ctx->backend->download(values.data(), theta->f32(), theta->bytes());
        jnas::Spectrum spectrum = jnas::symmetric_spectrum(std::vector<double>(values.begin(), values.end()), n);
        if (eigenvalues) std::copy(spectrum.eigenvalues.begin(), spectrum.eigenvalues.end(), eigenvalues);
        *kappa = spectrum.kappa;
        *flags = spectrum.flags;
    });
}

}  // extern "C"
