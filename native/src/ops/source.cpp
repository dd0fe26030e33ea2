// source.cpp — the graph's sources: batched inputs (bound by the net) and free parameters (owned by the net).
// Their values come from outside, so they have no forward or backward of their own.
#include "error.hpp"
#include "ops/builders.hpp"
#include "ops/op.hpp"

namespace jnas {

const OpDef kInputOp{nullptr, nullptr};
const OpDef kParamOp{nullptr, nullptr};

int build_input(Graph& g, const Shape& per_sample) {
    return g.append(Node{OpKind::Input, "", {}, per_sample});
}

int build_param(Graph& g, const char* name, const Shape& shape, int init, int trainable) {
    std::string n = g.new_name(name);
    if (init < JNAS_INIT_PYTORCH_DEFAULT || init > JNAS_INIT_ONES)
        fail(JNAS_ERR_INVALID_ARGUMENT, "param '", n, "': init = ", init, " is not a jnas_init (0..4)");
    if (trainable != 0 && trainable != 1)
        fail(JNAS_ERR_INVALID_ARGUMENT, "param '", n, "': trainable = ", trainable, "; must be 0 or 1");
    // Fans follow PyTorch's _calculate_fan_in_and_fan_out: dim 1 (and dim 0) times the trailing dims; a 1-D
    // tensor counts as one row of fan_in = its length.
    int64_t receptive = 1;
    for (int i = 2; i < shape.ndim; ++i) receptive *= shape[i];
    int64_t fan_in = shape.ndim >= 2 ? shape[1] * receptive : shape[0];
    int64_t fan_out = shape.ndim >= 2 ? shape[0] * receptive : shape[0];
    Node node{OpKind::Param, n, {}, shape};
    node.batched = false;
    ParamSpec spec{n, JNAS_PARAM_FREE, shape, ParamInit::OwnInit, fan_in, fan_out};
    spec.own_init = static_cast<jnas_init>(init);
    spec.trainable = trainable == 1;
    node.params.push_back(spec);
    return g.append(std::move(node));
}

}  // namespace jnas
