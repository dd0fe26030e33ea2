// optimizer.hpp — SGD (momentum, weight decay, Nesterov) and Adam over a net's parameters, PyTorch semantics,
// one Backend::sgd_step / adam_step per parameter tensor.
#pragma once

#include <cstdint>
#include <vector>

#include "device_buffer.hpp"
#include "net.hpp"

namespace jnas {

struct SgdSettings { float lr, momentum, weight_decay; bool nesterov; };
struct AdamSettings { float lr, beta1, beta2, eps, weight_decay; };

class Optimizer {
public:
    // params: the indices to update (checked, each trainable); empty = every trainable parameter.
    Optimizer(Net& net, const std::vector<int>& params, const SgdSettings& sgd);
    Optimizer(Net& net, const std::vector<int>& params, const AdamSettings& adam);

    void set_lr(float lr);
    void step();

    // The moments, parameter by parameter (see jnas_optimizer_state_read), and the step count.
    int64_t state_size() const;
    void read_state(float* dst, int64_t count, int64_t* steps) const;
    void write_state(const float* src, int64_t count, int64_t steps);

private:
    enum class Kind { Sgd, Adam };
    Optimizer(Net& net, const std::vector<int>& params, Kind kind, int state_buffers);
    // Every state buffer in state order: first_[0], second_[0], first_[1], ...
    std::vector<const DeviceBuffer*> state_buffers() const;
    void check_state_count(int64_t count) const;

    Net& net_;
    Kind kind_;
    SgdSettings sgd_{};
    AdamSettings adam_{};
    std::vector<int> params_;
    std::vector<DeviceBuffer> first_, second_;  // SGD: velocity; Adam: first and second moments
    int64_t steps_ = 0;
};

}  // namespace jnas

struct jnas_optimizer {
    jnas::Optimizer optimizer;
};
