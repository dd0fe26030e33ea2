// nb201_network.cpp — NB201's networks as graph fragments, built in java-core's order with the benchmark's module
// names: nor_conv_kxk = ReLU → conv (no bias, pad k/2) → BN (affine, running statistics, eps 1e-5); avg_pool_3x3
// stride 1 pad 1 without counting padding; skip; none = zeros; a node is the sum of its incoming edges.
#include <climits>
#include <string>

#include "error.hpp"
#include "nb201.hpp"
#include "ops/builders.hpp"

namespace jnas::nb201 {
namespace {

constexpr float kBnEps = 1e-5f;
constexpr float kBnMomentum = 0.1f;

struct Builder {
    Graph& g;

    int relu(int x) { return build_activation(g, x, JNAS_ACT_RELU); }

    // conv → BN at "<name>.conv" and "<name>.bn": the stem.
    int conv_bn(const std::string& name, int x, int channels, int kernel, int stride) {
        int conv = build_conv2d(g, (name + ".conv").c_str(), x,
                                {channels, kernel, kernel, stride, kernel / 2, 1, 1, false});
        return build_batch_norm(g, (name + ".bn").c_str(), conv, {JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, kBnEps,
                                                                  kBnMomentum});
    }

    // ReLU → conv → BN: NB201's ReLUConvBN, of the conv ops and the ResNet block.
    int relu_conv_bn(const std::string& name, int x, int channels, int kernel, int stride) {
        return conv_bn(name, relu(x), channels, kernel, stride);
    }

    int edge(const std::string& name, Op op, int x, int channels) {
        switch (op) {
            case Op::SkipConnect: return x;
            case Op::NorConv1x1: return relu_conv_bn(name, x, channels, 1, 1);
            case Op::NorConv3x3: return relu_conv_bn(name, x, channels, 3, 1);
            case Op::AvgPool3x3: return build_avg_pool(g, x, {3, 1, 1, false});
            case Op::None: break;
        }
        return build_zero(g, x, 1);
    }

    // Node 0 is x, node i the sum of its edges in NB201's edge order (so parameters come in the benchmark's
    // order); a none edge is left out of the sum, and a node with only none edges is zeros. Returns node 3.
    int cell(const std::string& name, const Architecture& arch, int x, int channels) {
        int nodes[kNodes] = {x};
        for (int target = 1; target < kNodes; ++target) {
            int sum = -1;
            for (int source = 0; source < target; ++source) {
                Op op = arch[edge_index(target, source)];
                if (op == Op::None) continue;
                std::string edge_name = name + ".edge" + std::to_string(target) + "_" + std::to_string(source);
                int out = edge(edge_name, op, nodes[source], channels);
                sum = sum < 0 ? out : build_add(g, sum, out);
            }
            nodes[target] = sum < 0 ? edge("", Op::None, x, channels) : sum;
        }
        return nodes[kNodes - 1];
    }

    // NB201's ResNetBasicblock at stride 2: ReLU-conv3x3(s2)-BN → ReLU-conv3x3-BN, plus the shortcut avg-pool 2x2
    // (s2, padding counted) → conv 1x1 without BN.
    int resnet_block(const std::string& name, int x, int channels) {
        int conv_a = relu_conv_bn(name + ".conv_a", x, channels, 3, 2);
        int conv_b = relu_conv_bn(name + ".conv_b", conv_a, channels, 3, 1);
        int pooled = build_avg_pool(g, x, {2, 2, 0, true});
        int shortcut =
            build_conv2d(g, (name + ".downsample.conv").c_str(), pooled, {channels, 1, 1, 1, 0, 1, 1, false});
        return build_add(g, shortcut, conv_b);
    }

    // BN → ReLU → global average pool → linear with bias: NB201's lastact and classifier.
    int head(int x, int classes) {
        int activated = relu(build_batch_norm(g, "head.bn", x, {JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, kBnEps,
                                                                kBnMomentum}));
        return build_linear(g, "head.linear", build_global_avg_pool(g, activated), {classes, true});
    }
};

void check_skeleton(const Skeleton& s, int input_channels) {
    if (s.channels < 1 || s.cells_per_stage < 1 || s.stages < 1)
        fail(JNAS_ERR_INVALID_ARGUMENT, "an NB201 skeleton needs channels, cells per stage and stages >= 1, got C=",
             s.channels, ", N=", s.cells_per_stage, ", stages=", s.stages);
    if (s.stages > 31 || (int64_t(s.channels) << (s.stages - 1)) > INT_MAX)
        fail(JNAS_ERR_INVALID_ARGUMENT, "skeleton: C=", s.channels, " doubled over ", s.stages,
             " stages exceeds the int range of a channel count");
    if (!s.stem && input_channels != s.channels)
        fail(JNAS_ERR_INVALID_ARGUMENT, "without a stem the first cell takes the input as it is, so it needs ",
             s.channels, " channel(s), got ", input_channels);
}

}  // namespace

Network build_network(Graph& g, const Architecture& arch, const Skeleton& skeleton, int input_channels, int height,
                      int width, int classes) {
    check_skeleton(skeleton, input_channels);
    Builder b{g};
    const int64_t image[3] = {input_channels, height, width};
    int input = build_input(g, checked_shape(3, image, 3, kMaxPerSampleNumel, "input shape"));
    int x = skeleton.stem ? b.conv_bn("stem", input, skeleton.channels, 3, 1) : input;
    int layer = 0;
    for (int stage = 0; stage < skeleton.stages; ++stage) {
        int channels = skeleton.channels << stage;
        if (stage > 0) x = b.resnet_block("layer" + std::to_string(layer++), x, channels);
        for (int cell = 0; cell < skeleton.cells_per_stage; ++cell)
            x = b.cell("layer" + std::to_string(layer++), arch, x, channels);
    }
    return {input, b.head(x, classes)};
}

}  // namespace jnas::nb201
