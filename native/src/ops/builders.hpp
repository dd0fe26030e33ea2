// builders.hpp — one builder per op: validates the arguments against the input shapes (the op's shape rule),
// and appends the node. Each lives in its op's family file next to its forward and backward.
#pragma once

#include <vector>

#include "graph.hpp"

namespace jnas {

int build_input(Graph& g, const Shape& per_sample);                                          // source.cpp
int build_param(Graph& g, const char* name, const Shape& shape, int init, int trainable);     // source.cpp
int build_conv2d(Graph& g, const char* name, int x, const Conv2dAttrs& a);                    // conv.cpp
int build_batch_norm(Graph& g, const char* name, int x, const BatchNormAttrs& a);             // norm.cpp
int build_activation(Graph& g, int x, jnas_activation kind);                                  // activation.cpp
int build_avg_pool(Graph& g, int x, const PoolAttrs& a);                                      // pool.cpp
int build_max_pool(Graph& g, int x, const PoolAttrs& a);                                      // pool.cpp
int build_global_avg_pool(Graph& g, int x);                                                   // pool.cpp
int build_linear(Graph& g, const char* name, int x, const LinearAttrs& a);                    // linear.cpp
int build_add(Graph& g, int a, int b);                                                        // elementwise.cpp
int build_scale(Graph& g, int x, float factor);                                               // elementwise.cpp
int build_zero(Graph& g, int x, int stride);                                                  // elementwise.cpp
int build_concat(Graph& g, const std::vector<int>& nodes);                                    // concat.cpp
int build_mixed(Graph& g, const std::vector<int>& ops, int weights, float threshold);         // mixed.cpp
int build_shift(Graph& g, int x, int dy, int dx);                                             // shift.cpp
int build_softmax(Graph& g, int x);                                                           // softmax.cpp
int build_layer_norm(Graph& g, const char* name, int x, const LayerNormAttrs& a);             // sample_norm.cpp
int build_group_norm(Graph& g, const char* name, int x, const GroupNormAttrs& a);             // sample_norm.cpp
int build_global_max_pool(Graph& g, int x);                                                   // pool.cpp
int build_flatten(Graph& g, int x);                                                           // flatten.cpp
int build_mul(Graph& g, int a, int b);                                                        // mul.cpp
int build_dropout(Graph& g, int x, float p);                                                 // dropout.cpp

}  // namespace jnas
