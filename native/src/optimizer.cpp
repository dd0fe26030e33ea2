// optimizer.cpp — parameter selection, state buffers and the update loop; the arithmetic is the backend's.
#include "optimizer.hpp"

#include <cmath>

#include "error.hpp"

namespace jnas {
namespace {

void check_in(float value, float lo, float hi, bool hi_open, const char* what) {
    if (!(value >= lo && (hi_open ? value < hi : value <= hi)))
        fail(JNAS_ERR_INVALID_ARGUMENT, what, " = ", value, " is outside [", lo, ", ", hi, hi_open ? ")" : "]");
}

// Rates, decays and eps: finite and >= 0; `what` names the argument.
void check_rate(float value, const char* what) {
    if (!std::isfinite(value) || value < 0) fail(JNAS_ERR_INVALID_ARGUMENT, what, " = ", value, " must be finite and >= 0");
}

}  // namespace

Optimizer::Optimizer(Net& net, const std::vector<int>& params, Kind kind, int state_buffers) : net_(net), kind_(kind) {
    if (params.empty()) {
        for (int i = 0; i < net.param_count(); ++i)
            if (net.param(i).trainable) params_.push_back(i);
    } else {
        for (int i : params) {
            const Parameter& p = net.param(i);
            if (!p.trainable) fail(JNAS_ERR_INVALID_ARGUMENT, "parameter ", i, " ('", p.spec.name, "') is not trainable");
            for (int j : params_)
                if (j == i) fail(JNAS_ERR_INVALID_ARGUMENT, "parameter ", i, " ('", p.spec.name, "') is listed twice");
            params_.push_back(i);
        }
    }
    Backend& backend = *net.ctx()->backend;
    for (int i : params_) {
        size_t bytes = net.param(i).data.bytes();
        first_.emplace_back(backend, bytes);
        if (state_buffers == 2) second_.emplace_back(backend, bytes);
    }
}

Optimizer::Optimizer(Net& net, const std::vector<int>& params, const SgdSettings& sgd)
    : Optimizer(net, params, Kind::Sgd, 1) {
    check_rate(sgd.lr, "lr");
    check_rate(sgd.momentum, "momentum");
    check_rate(sgd.weight_decay, "weight_decay");
    if (sgd.nesterov && sgd.momentum <= 0) fail(JNAS_ERR_INVALID_ARGUMENT, "nesterov needs momentum > 0");
    sgd_ = sgd;
}

Optimizer::Optimizer(Net& net, const std::vector<int>& params, const AdamSettings& adam)
    : Optimizer(net, params, Kind::Adam, 2) {
    check_rate(adam.lr, "lr");
    check_in(adam.beta1, 0.0f, 1.0f, true, "beta1");
    check_in(adam.beta2, 0.0f, 1.0f, true, "beta2");
    check_rate(adam.eps, "eps");
    check_rate(adam.weight_decay, "weight_decay");
    adam_ = adam;
}

void Optimizer::set_lr(float lr) {
    check_rate(lr, "lr");
    sgd_.lr = adam_.lr = lr;
}

void Optimizer::step() {
    Backend& backend = *net_.ctx()->backend;
    ++steps_;
    for (size_t j = 0; j < params_.size(); ++j) {
        const Parameter& p = net_.param(params_[j]);
        if (!p.trainable) continue;  // frozen after the optimizer was made: no update, as for any buffer
        int64_t n = p.spec.shape.numel();
        if (kind_ == Kind::Sgd)
            backend.sgd_step(n, p.data.f32(), p.grad.f32(), first_[j].f32(), sgd_.lr, sgd_.momentum,
                             sgd_.weight_decay, sgd_.nesterov);
        else
            backend.adam_step(n, p.data.f32(), p.grad.f32(), first_[j].f32(), second_[j].f32(), adam_.lr, adam_.beta1,
                              adam_.beta2, adam_.eps, adam_.weight_decay, steps_);
    }
}

std::vector<const DeviceBuffer*> Optimizer::state_buffers() const {
    std::vector<const DeviceBuffer*> buffers;
    for (size_t j = 0; j < params_.size(); ++j) {
        buffers.push_back(&first_[j]);
        if (kind_ == Kind::Adam) buffers.push_back(&second_[j]);
    }
    return buffers;
}

int64_t Optimizer::state_size() const {
    int64_t floats = 0;
    for (const DeviceBuffer* b : state_buffers()) floats += int64_t(b->bytes() / sizeof(float));
    return floats;
}

void Optimizer::check_state_count(int64_t count) const {
    int64_t expected = state_size();
    if (count != expected)
        fail(JNAS_ERR_SHAPE, "count = ", count, " but the optimizer's state holds ", expected, " floats");
}

void Optimizer::read_state(float* dst, int64_t count, int64_t* steps) const {
    check_state_count(count);
    const Backend& backend = *net_.ctx()->backend;
    for (const DeviceBuffer* b : state_buffers()) {
        backend.download(dst, b->get(), b->bytes());
        dst += b->bytes() / sizeof(float);
    }
    *steps = steps_;
}

void Optimizer::write_state(const float* src, int64_t count, int64_t steps) {
    check_state_count(count);
    if (steps < 0) fail(JNAS_ERR_INVALID_ARGUMENT, "steps = ", steps, " < 0");
    Backend& backend = *net_.ctx()->backend;
    for (const DeviceBuffer* b : state_buffers()) {
        backend.upload(b->get(), src, b->bytes());
        src += b->bytes() / sizeof(float);
    }
    steps_ = steps;
}

}  // namespace jnas
