// nb201.hpp — NAS-Bench-201 inside libjnas: architecture strings, the benchmark's networks as graphs, and the
// training-free scores of jnas_nb201_score, so clients that do not build graphs get java-core's numbers. The
// networks and names are java-core's (space/nb201: Nb201Layers, Nb201Skeleton), the parse errors its
// Nb201ArchitectureFormat's.
#pragma once

#include <array>
#include <string>

#include "graph.hpp"
#include "jnas.h"

namespace jnas::nb201 {

enum class Op { None, SkipConnect, NorConv1x1, NorConv3x3, AvgPool3x3 };

constexpr int kNodes = 4;
constexpr int kEdges = 6;

// The edge ops in NB201's edge order (1←0), (2←0), (2←1), (3←0), (3←1), (3←2): edge (target, source) is at
// target·(target − 1)/2 + source.
using Architecture = std::array<Op, kEdges>;

inline int edge_index(int target, int source) { return target * (target - 1) / 2 + source; }

// Parses the benchmark's strings exactly ("|op~0|+|op~0|op~1|+|op~0|op~1|op~2|"). JNAS_ERR_INVALID_ARGUMENT for
// anything else, naming the problem and its character offset (from 0).
Architecture parse(const char* text);

// The macro skeleton (java-core's Nb201Skeleton): an optional stem, `stages` stages of `cells_per_stage` cells, a
// ResNet block halving the resolution and doubling the channels before every stage but the first, the head.
struct Skeleton {
    int channels;
    int cells_per_stage;
    int stages;
    bool stem;
};

// TE-NAS's κ network (C=3, N=1, stem, 3 stages) and its thin linear-region network (C=1, one cell, no stem).
constexpr Skeleton kKappaSkeleton{3, 1, 3, true};
constexpr Skeleton kRegionSkeleton{1, 1, 1, false};

struct Network {
    int input;
    int output;
};

// Appends the network of `arch` on `skeleton` to g for [input_channels, height, width] inputs and `classes` logits,
// with the benchmark's parameter names ("stem.conv.weight", "layer0.edge2_1.conv.weight", "layer1.conv_a.bn.weight",
// "head.linear.bias") in java-core's build order, so equal seeds give equal weights.
Network build_network(Graph& g, const Architecture& arch, const Skeleton& skeleton, int input_channels, int height,
                      int width, int classes);

// jnas_nb201_score's work; options are validated by the caller (api_nb201.cpp).
jnas_nb201_scores score(jnas_ctx* ctx, const Architecture& arch, const jnas_nb201_score_options& options);

}  // namespace jnas::nb201
