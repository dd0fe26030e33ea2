// net_state.hpp — what a net keeps per node and per parameter. Every node's activation and gradient stay
// addressable by node id, so executor modes (per-sample Jacobians, activation patterns, Hessian diagonals) can
// read and seed them without changing the ops.
#pragma once

#include <cstdint>
#include <vector>

#include "device_buffer.hpp"
#include "graph.hpp"

namespace jnas {

struct NodeState {
    float* value = nullptr;  // [batch, shape]: owned storage, a bound input tensor, or a parameter's data
    float* grad = nullptr;   // same size; nullptr when no gradient is kept (frozen parameters)
    float* hessian = nullptr;  // same size: the Hessian-diagonal pass's d²L/d(value)² (hessian.cpp); nullptr when
                               // none is kept (inputs, frozen parameters)
    DeviceBuffer value_storage, grad_storage, hessian_storage;
    DeviceBuffer aux;                  // op scratch sized by OpDef::aux_bytes (batch-norm stats, max-pool argmax)
    std::vector<float> host;           // op state on the host (a mixed edge's weights as read by the forward)
    std::vector<uint8_t> live_inputs;  // per input: whether the last forward used it
};

struct Parameter {
    ParamSpec spec;
    int node = 0;
    bool trainable = true;
    DeviceBuffer data, grad;  // grad is always allocated, so trainability can be switched at any time
    DeviceBuffer hessian;     // the last Hessian-diagonal pass's d²L/dθ², allocated by the first such pass
};

}  // namespace jnas
