// api_optimizer.cpp — optimizers over a net's parameters.
#include <vector>

#include "api_guard.hpp"
#include "optimizer.hpp"

using jnas::api::guarded;
using jnas::api::require;
using jnas::fail;

namespace {

std::vector<int> selection(int count, const int* params) {
    if (count < 0) fail(JNAS_ERR_INVALID_ARGUMENT, "count = ", count, " < 0");
    if (count > 0 && params == nullptr) fail(JNAS_ERR_INVALID_ARGUMENT, "params is NULL but count = ", count);
    return params ? std::vector<int>(params, params + count) : std::vector<int>();
}

}  // namespace

extern "C" {

JNAS_API jnas_status jnas_optimizer_sgd(jnas_net* net, int count, const int* params, float lr, float momentum,
                                        float weight_decay, int nesterov, jnas_optimizer** out) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(out, "out");
        if (nesterov != 0 && nesterov != 1) fail(JNAS_ERR_INVALID_ARGUMENT, "nesterov = ", nesterov, "; must be 0 or 1");
        jnas::SgdSettings settings{lr, momentum, weight_decay, nesterov == 1};
        *out = new jnas_optimizer{jnas::Optimizer(net->net, selection(count, params), settings)};
    });
}

JNAS_API jnas_status jnas_optimizer_adam(jnas_net* net, int count, const int* params, float lr, float beta1,
                                         float beta2, float eps, float weight_decay, jnas_optimizer** out) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(out, "out");
        jnas::AdamSettings settings{lr, beta1, beta2, eps, weight_decay};
        *out = new jnas_optimizer{jnas::Optimizer(net->net, selection(count, params), settings)};
    });
}

JNAS_API void jnas_optimizer_free(jnas_optimizer* opt) {
    jnas::api::release_quietly([&] { delete opt; });
}

JNAS_API jnas_status jnas_optimizer_set_lr(jnas_optimizer* opt, float lr) {
    return guarded(__func__, [&] { require(opt, "opt")->optimizer.set_lr(lr); });
}

JNAS_API jnas_status jnas_optimizer_step(jnas_optimizer* opt) {
    return guarded(__func__, [&] { require(opt, "opt")->optimizer.step(); });
}

JNAS_API jnas_status jnas_optimizer_state_size(const jnas_optimizer* opt, int64_t* floats) {
    return guarded(__func__, [&] { *require(floats, "floats") = require(opt, "opt")->optimizer.state_size(); });
}

JNAS_API jnas_status jnas_optimizer_state_read(const jnas_optimizer* opt, float* dst, int64_t count, int64_t* steps) {
    return guarded(__func__, [&] {
        require(opt, "opt");
        require(dst, "dst");
        require(steps, "steps");
        opt->optimizer.read_state(dst, count, steps);
    });
}

JNAS_API jnas_status jnas_optimizer_state_write(jnas_optimizer* opt, const float* src, int64_t count, int64_t steps) {
    return guarded(__func__, [&] {
        require(opt, "opt");
        require(src, "src");
        opt->optimizer.write_state(src, count, steps);
    });
}

}  // extern "C"
