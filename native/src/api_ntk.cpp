// api_ntk.cpp — the NTK Gram matrix of a net and the spectra of symmetric matrices.
#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#include "api_guard.hpp"
#include "ntk.hpp"

using jnas::api::guarded;
using jnas::api::require;
using jnas::fail;

namespace {

// n for a tensor of shape [n, n]; JNAS_ERR_SHAPE naming `what` for any other shape.
int square_size(const jnas_tensor* t, const char* what) {
    if (t->shape.ndim != 2 || t->shape[0] != t->shape[1] || t->shape[0] > INT_MAX)
        fail(JNAS_ERR_SHAPE, what, " has shape ", t->shape.str(), " but must be square [n, n]");
    return int(t->shape[0]);
}

// J's columns as the caller chose them: count indices at params, or (NULL, 0) every weight and gamma.
std::vector<int> chosen_params(jnas_net* net, int count, const int* params) {
    if (count < 0) fail(JNAS_ERR_INVALID_ARGUMENT, "count = ", count, " < 0");
    if (count > 0) require(params, "params");
    return params ? std::vector<int>(params, params + count) : jnas::ntk_default_params(net->net);
}

}  // namespace

extern "C" {

JNAS_API jnas_status jnas_net_ntk(jnas_net* net, jnas_bn_coupling coupling, int count, const int* params,
                                  jnas_tensor* theta) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(theta, "theta");
        jnas::net_ntk(net->net, coupling, chosen_params(net, count, params), {theta});
    });
}

JNAS_API jnas_status jnas_net_ntk_groups(jnas_net* net, jnas_bn_coupling coupling, int count, const int* params,
                                         int groups, jnas_tensor* const* thetas) {
    return guarded(__func__, [&] {
        require(net, "net");
        std::vector<int> chosen = chosen_params(net, count, params);
        if (groups < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "groups = ", groups, " < 1");
        require(thetas, "thetas");
        std::vector<jnas_tensor*> matrices(thetas, thetas + groups);
        for (int g = 0; g < groups; ++g) require(matrices[size_t(g)], ("thetas[" + std::to_string(g) + "]").c_str());
        jnas::net_ntk(net->net, coupling, chosen, matrices);
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
        int n = square_size(theta, "theta");
        jnas::Spectrum spectrum = jnas::symmetric_spectra(*ctx->backend, n, {theta->f32()}).front();
        if (eigenvalues) std::copy(spectrum.eigenvalues.begin(), spectrum.eigenvalues.end(), eigenvalues);
        *kappa = spectrum.kappa;
        *flags = spectrum.flags;
    });
}

JNAS_API jnas_status jnas_ntk_spectrum_batched(jnas_ctx* ctx, int count, const jnas_tensor* const* thetas,
                                               double* eigenvalues, double* kappas, unsigned* flags) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        if (count < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "count = ", count, " < 1");
        require(thetas, "thetas");
        require(kappas, "kappas");
        require(flags, "flags");
        std::vector<const float*> matrices(static_cast<size_t>(count));
        int n = 0;
        for (int i = 0; i < count; ++i) {
            std::string what = "thetas[" + std::to_string(i) + "]";
            require(thetas[i], what.c_str());
            jnas::require_same_context(ctx, thetas[i], what.c_str());
            int size = square_size(thetas[i], what.c_str());
            if (i > 0 && size != n)
                fail(JNAS_ERR_SHAPE, what, " has shape ", thetas[i]->shape.str(), " but thetas[0] is [", n, ", ", n,
                     "] (every matrix of a batch has one size)");
            n = size;
            matrices[i] = thetas[i]->f32();
        }
        std::vector<jnas::Spectrum> spectra = jnas::symmetric_spectra(*ctx->backend, n, matrices);
        for (int i = 0; i < count; ++i) {
            if (eigenvalues)
                std::copy(spectra[i].eigenvalues.begin(), spectra[i].eigenvalues.end(), eigenvalues + int64_t(i) * n);
            kappas[i] = spectra[i].kappa;
            flags[i] = spectra[i].flags;
        }
    });
}

}  // extern "C"
