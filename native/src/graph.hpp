// graph.hpp — the graph IR: a DAG of nodes in creation (hence topological) order. Each node is one builder call:
// its op kind, inputs, per-sample output shape (validated at build time), attributes, and the parameters it
// owns. Device-independent; a net (net.hpp) copies it.
#pragma once

#include <set>
#include <string>
#include <variant>
#include <vector>

#include "jnas.h"
#include "ops/op_list.hpp"
#include "shape.hpp"

namespace jnas {

// How a parameter is initialized (see params.cpp).
enum class ParamInit {
    Weight,       // conv/linear weight: by the net's jnas_init with the spec's fans
    Bias,         // conv/linear bias: by the net's jnas_init with the spec's fan_in
    Ones,         // batch-norm gamma, running variance
    Zeros,        // batch-norm beta, running mean
    OwnInit,      // a free parameter: by its own jnas_init (ParamSpec::own_init)
};

struct ParamSpec {
    std::string name;  // full name, e.g. "stem.weight"
    jnas_param_role role;
    Shape shape;       // the whole tensor (parameters are not batched)
    ParamInit init;
    int64_t fan_in = 1, fan_out = 1;
    jnas_init own_init = JNAS_INIT_ZEROS;
    bool trainable = true;
};

struct Conv2dAttrs { int out_channels, kernel_h, kernel_w, stride, padding, dilation, groups; bool bias; };
struct BatchNormAttrs { unsigned flags; float eps, momentum; };
struct ActivationAttrs { jnas_activation kind; };
struct PoolAttrs { int kernel, stride, padding; bool count_include_pad; };
struct LinearAttrs { int out_features; bool bias; };
struct ScaleAttrs { float factor; };
struct ZeroAttrs { int stride; };
struct MixedAttrs { float threshold; };  // inputs: weights first, then the n branches
struct ShiftAttrs { int dy, dx; };       // clamped to [-H, H] x [-W, W] (every larger shift gives zeros alike)
struct LayerNormAttrs { float eps; };
struct GroupNormAttrs { int groups; float eps; };
struct DropoutAttrs { float p; };  // the probability of zeroing an element while training

using OpAttrs = std::variant<std::monostate, Conv2dAttrs, BatchNormAttrs, ActivationAttrs, PoolAttrs, LinearAttrs,
                             ScaleAttrs, ZeroAttrs, MixedAttrs, ShiftAttrs, LayerNormAttrs, GroupNormAttrs,
                             DropoutAttrs>;

struct Node {
    Node(OpKind kind, std::string name, std::vector<int> inputs, Shape shape)
        : kind(kind), name(std::move(name)), inputs(std::move(inputs)), shape(shape) {}

    OpKind kind;
    std::string name;         // empty for unnamed ops
    std::vector<int> inputs;  // node ids, all smaller than this node's
    Shape shape;              // per sample when batched, else the whole tensor
    bool batched = true;      // false only for parameter nodes
    OpAttrs attrs;
    std::vector<ParamSpec> params;
    int first_param = 0;      // index of params[0] among the graph's parameters
};

class Graph {
public:
    int size() const { return int(nodes_.size()); }
    const Node& node(int id) const { return nodes_[id]; }
    int param_count() const { return param_count_; }

    // A node id given by the user, checked: "node 17 does not exist (graph has 5 nodes)".
    const Node& existing(int id) const;
    // An existing node usable as batched data (every op input except a mixed edge's weights).
    const Node& batched_input(int id) const;
    // A name for a new node with parameters: non-NULL, non-empty, not used before.
    std::string new_name(const char* name) const;

    // Appends a fully validated node, numbering its parameters; checks parameter names are unique.
    int append(Node node);

private:
    std::vector<Node> nodes_;
    std::set<std::string> names_;  // node and parameter names
    int param_count_ = 0;
};

const char* op_name(OpKind kind);

// Per-sample multiply-accumulates of the conv2d and linear nodes `output` depends on (jnas_graph_macs).
struct GraphMacs { int64_t conv = 0, linear = 0; };
GraphMacs count_macs(const Graph& graph, int output);

}  // namespace jnas

struct jnas_graph {
    jnas::Graph graph;
};
