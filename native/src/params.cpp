// params.cpp — parameter initialization from the Philox generator, keyed by (seed, parameter index), so a seed
// gives the same parameters on every backend and thread count.
#include <cmath>

#include "error.hpp"
#include "net.hpp"

namespace jnas {
namespace {

// A conv/linear weight or a free parameter under `init`, with the spec's fans.
void fill_weight(Backend& b, Parameter& p, uint64_t stream, jnas_init init, uint64_t seed) {
    float* w = p.data.f32();
    int64_t n = p.spec.shape.numel();
    switch (init) {
        case JNAS_INIT_PYTORCH_DEFAULT: {  // kaiming_uniform(a=√5): bound = √(6/((1+5)·fan_in)) = 1/√fan_in
            float bound = float(1.0 / std::sqrt(double(p.spec.fan_in)));
            b.fill_uniform(w, n, seed, stream, -bound, bound);
            break;
        }
        case JNAS_INIT_KAIMING_NORMAL_FAN_IN:
            b.fill_normal(w, n, seed, stream, 0.0f, float(std::sqrt(2.0 / double(p.spec.fan_in))));
            break;
        case JNAS_INIT_KAIMING_NORMAL_FAN_OUT:
            b.fill_normal(w, n, seed, stream, 0.0f, float(std::sqrt(2.0 / double(p.spec.fan_out))));
            break;
        case JNAS_INIT_ZEROS: b.fill(w, n, 0.0f); break;
        case JNAS_INIT_ONES: b.fill(w, n, 1.0f); break;
    }
}

// A conv/linear bias: PyTorch's default draws it like the weight bound; every other init leaves it at zero.
void fill_bias(Backend& b, Parameter& p, uint64_t stream, jnas_init init, uint64_t seed) {
    int64_t n = p.spec.shape.numel();
    if (init == JNAS_INIT_PYTORCH_DEFAULT) {
        float bound = float(1.0 / std::sqrt(double(p.spec.fan_in)));
        b.fill_uniform(p.data.f32(), n, seed, stream, -bound, bound);
    } else {
        b.fill(p.data.f32(), n, 0.0f);
    }
}

}  // namespace

void initialize_param(Backend& backend, Parameter& param, uint64_t stream, jnas_init init, uint64_t seed) {
    switch (param.spec.init) {
        case ParamInit::Weight: fill_weight(backend, param, stream, init, seed); break;
        case ParamInit::Bias: fill_bias(backend, param, stream, init, seed); break;
        case ParamInit::Ones: backend.fill(param.data.f32(), param.spec.shape.numel(), 1.0f); break;
        case ParamInit::Zeros: backend.fill(param.data.f32(), param.spec.shape.numel(), 0.0f); break;
        case ParamInit::OwnInit: fill_weight(backend, param, stream, param.spec.own_init, seed); break;
    }
}

}  // namespace jnas
