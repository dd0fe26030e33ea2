// api_graph.cpp — the graph builder calls; each forwards to its op's builder (ops/), which validates the shapes.
#include <vector>

#include "api_guard.hpp"
#include "graph.hpp"
#include "ops/builders.hpp"

using jnas::api::guarded;
using jnas::api::require;
using jnas::fail;

namespace {

// n node ids from a user array.
std::vector<int> node_list(int n, const int* nodes, const char* what) {
    if (n < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "n = ", n, "; at least one node is needed");
    require(nodes, what);
    return std::vector<int>(nodes, nodes + n);
}

// Runs a builder on g's graph and writes the new node id.
template <typename Build>
jnas_status build(const char* function, jnas_graph* g, int* out, Build&& builder) {
    return guarded(function, [&] {
        require(g, "g");
        require(out, "out");
        *out = builder(g->graph);
    });
}

}  // namespace

extern "C" {

JNAS_API jnas_status jnas_graph_create(jnas_graph** out) {
    return guarded(__func__, [&] {
        require(out, "out");
        *out = new jnas_graph();
    });
}

JNAS_API void jnas_graph_free(jnas_graph* g) {
    jnas::api::release_quietly([&] { delete g; });
}

JNAS_API jnas_status jnas_graph_node_count(const jnas_graph* g, int* out) {
    return guarded(__func__, [&] {
        require(g, "g");
        require(out, "out");
        *out = g->graph.size();
    });
}

JNAS_API jnas_status jnas_graph_node_shape(const jnas_graph* g, int node, int* ndim, int64_t* shape) {
    return guarded(__func__, [&] {
        require(g, "g");
        require(ndim, "ndim");
        require(shape, "shape");
        const jnas::Shape& s = g->graph.existing(node).shape;
        for (int i = 0; i < s.ndim; ++i) shape[i] = s[i];
        *ndim = s.ndim;
    });
}

JNAS_API jnas_status jnas_graph_macs(const jnas_graph* g, int output, int64_t* conv_macs, int64_t* linear_macs) {
    return guarded(__func__, [&] {
        jnas::GraphMacs macs = jnas::count_macs(require(g, "g")->graph, output);
        if (conv_macs) *conv_macs = macs.conv;
        if (linear_macs) *linear_macs = macs.linear;
    });
}

JNAS_API jnas_status jnas_graph_input(jnas_graph* g, int ndim, const int64_t* shape, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) {
        return jnas::build_input(graph, jnas::checked_shape(ndim, shape, JNAS_MAX_DIMS - 1, jnas::kMaxPerSampleNumel,
                                                            "shape"));
    });
}

JNAS_API jnas_status jnas_graph_param(jnas_graph* g, const char* name, int ndim, const int64_t* shape, int init,
                                      int trainable, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) {
        jnas::Shape s = jnas::checked_shape(ndim, shape, JNAS_MAX_DIMS, jnas::kMaxPerSampleNumel, "shape");
        return jnas::build_param(graph, name, s, init, trainable);
    });
}

JNAS_API jnas_status jnas_graph_conv2d(jnas_graph* g, const char* name, int x, int out_channels, int kernel_h,
                                       int kernel_w, int stride, int padding, int dilation, int groups, int bias,
                                       int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) {
        if (bias != 0 && bias != 1) fail(JNAS_ERR_INVALID_ARGUMENT, "bias = ", bias, "; must be 0 or 1");
        return jnas::build_conv2d(graph, name, x,
                                  {out_channels, kernel_h, kernel_w, stride, padding, dilation, groups, bias == 1});
    });
}

JNAS_API jnas_status jnas_graph_batch_norm(jnas_graph* g, const char* name, int x, unsigned flags, float eps,
                                           float momentum, int* out) {
    return build(__func__, g, out,
                 [&](jnas::Graph& graph) { return jnas::build_batch_norm(graph, name, x, {flags, eps, momentum}); });
}

JNAS_API jnas_status jnas_graph_activation(jnas_graph* g, int x, jnas_activation kind, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_activation(graph, x, kind); });
}

JNAS_API jnas_status jnas_graph_avg_pool(jnas_graph* g, int x, int kernel, int stride, int padding,
                                         int count_include_pad, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) {
        if (count_include_pad != 0 && count_include_pad != 1)
            fail(JNAS_ERR_INVALID_ARGUMENT, "count_include_pad = ", count_include_pad, "; must be 0 or 1");
        return jnas::build_avg_pool(graph, x, {kernel, stride, padding, count_include_pad == 1});
    });
}

JNAS_API jnas_status jnas_graph_max_pool(jnas_graph* g, int x, int kernel, int stride, int padding, int* out) {
    return build(__func__, g, out,
                 [&](jnas::Graph& graph) { return jnas::build_max_pool(graph, x, {kernel, stride, padding, false}); });
}

JNAS_API jnas_status jnas_graph_global_avg_pool(jnas_graph* g, int x, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_global_avg_pool(graph, x); });
}

JNAS_API jnas_status jnas_graph_linear(jnas_graph* g, const char* name, int x, int out_features, int bias, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) {
        if (bias != 0 && bias != 1) fail(JNAS_ERR_INVALID_ARGUMENT, "bias = ", bias, "; must be 0 or 1");
        return jnas::build_linear(graph, name, x, {out_features, bias == 1});
    });
}

JNAS_API jnas_status jnas_graph_add(jnas_graph* g, int a, int b, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_add(graph, a, b); });
}

JNAS_API jnas_status jnas_graph_concat(jnas_graph* g, int n, const int* nodes, int* out) {
    return build(__func__, g, out,
                 [&](jnas::Graph& graph) { return jnas::build_concat(graph, node_list(n, nodes, "nodes")); });
}

JNAS_API jnas_status jnas_graph_scale(jnas_graph* g, int x, float factor, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_scale(graph, x, factor); });
}

JNAS_API jnas_status jnas_graph_zero(jnas_graph* g, int x, int stride, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_zero(graph, x, stride); });
}

JNAS_API jnas_status jnas_graph_mixed(jnas_graph* g, int n, const int* ops, int weights, float threshold, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) {
        return jnas::build_mixed(graph, node_list(n, ops, "ops"), weights, threshold);
    });
}

JNAS_API jnas_status jnas_graph_shift(jnas_graph* g, int x, int dy, int dx, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_shift(graph, x, dy, dx); });
}

JNAS_API jnas_status jnas_graph_softmax(jnas_graph* g, int x, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_softmax(graph, x); });
}

JNAS_API jnas_status jnas_graph_layer_norm(jnas_graph* g, const char* name, int x, float eps, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_layer_norm(graph, name, x, {eps}); });
}

JNAS_API jnas_status jnas_graph_group_norm(jnas_graph* g, const char* name, int x, int groups, float eps, int* out) {
    return build(__func__, g, out,
                 [&](jnas::Graph& graph) { return jnas::build_group_norm(graph, name, x, {groups, eps}); });
}

JNAS_API jnas_status jnas_graph_global_max_pool(jnas_graph* g, int x, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_global_max_pool(graph, x); });
}

JNAS_API jnas_status jnas_graph_flatten(jnas_graph* g, int x, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_flatten(graph, x); });
}

JNAS_API jnas_status jnas_graph_mul(jnas_graph* g, int a, int b, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_mul(graph, a, b); });
}

JNAS_API jnas_status jnas_graph_dropout(jnas_graph* g, int x, float p, int* out) {
    return build(__func__, g, out, [&](jnas::Graph& graph) { return jnas::build_dropout(graph, x, p); });
}

}  // extern "C"
