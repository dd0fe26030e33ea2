// test_gpu_mbconv.cpp — SGNAS's MBConv path through the C API on a CUDA context against a CPU context: one unified
// supernet layer (per sub-block an expand 1×1 + BN + ReLU6 and a mixed edge over depthwise k3/k5/k7 + BN + ReLU6 and
// zero, stride 2; concat; project 1×1; switchable BN as a mixed edge over BNs; then a residual layer) trained for two
// SGD steps with soft mixing weights and label-smoothed cross-entropy. Logits, losses, every parameter gradient (the
// mixing weights' included) and the updated parameters must agree. Parameters and inputs come from Philox, so both
// contexts start from the same bits. Exits 77 (ctest: skipped) with "SKIPPED: <why>" where there is no usable GPU.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "../../native/tests/check.hpp"
#include "../../native/tests/test_util.hpp"
#include "gpu_contexts.hpp"

namespace {

jnas_ctx* g_cpu = nullptr;
jnas_ctx* g_gpu = nullptr;

constexpr int kSubBlocks = 3;
constexpr int kClasses = 5;

int bn(jnas_graph* g, const std::string& name, int x) {
    int out = -1;
    CHECK_OK(jnas_graph_batch_norm(g, name.c_str(), x, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f, &out));
    return out;
}

int relu6(jnas_graph* g, int x) {
    int out = -1;
    CHECK_OK(jnas_graph_activation(g, x, JNAS_ACT_RELU6, &out));
    return out;
}

int conv(jnas_graph* g, const std::string& name, int x, int out_channels, int kernel, int stride, int groups) {
    int out = -1;
    CHECK_OK(jnas_graph_conv2d(g, name.c_str(), x, out_channels, kernel, kernel, stride, kernel / 2, 1, groups, 0, &out));
    return out;
}

int param(jnas_graph* g, const std::string& name, int64_t n) {
    int out = -1;
    CHECK_OK(jnas_graph_param(g, name.c_str(), 1, &n, JNAS_INIT_ONES, 1, &out));
    return out;
}

// One unified layer of `channels` in, `out_channels` out, kSubBlocks sub-blocks.
int unified_layer(jnas_graph* g, const std::string& name, int x, int channels, int out_channels, int stride) {
    std::vector<int> blocks;
    for (int b = 0; b < kSubBlocks; ++b) {
        std::string block = name + ".block" + std::to_string(b);
        int expand = relu6(g, bn(g, block + ".expand.bn", conv(g, block + ".expand", x, channels, 1, 1, 1)));
        std::vector<int> ops;
        for (int k : {3, 5, 7}) {
            std::string dw = block + ".dw" + std::to_string(k);
            ops.push_back(relu6(g, bn(g, dw + ".bn", conv(g, dw, expand, channels, k, stride, channels))));
        }
        int zero = -1, mixed = -1;
        CHECK_OK(jnas_graph_zero(g, expand, stride, &zero));
        ops.push_back(zero);
        CHECK_OK(jnas_graph_mixed(g, 4, ops.data(), param(g, "arch." + block, 4), 0.01f, &mixed));
        blocks.push_back(mixed);
    }
    int cat = -1;
    CHECK_OK(jnas_graph_concat(g, kSubBlocks, blocks.data(), &cat));
    int project = conv(g, name + ".project", cat, out_channels, 1, 1, 1);
    std::vector<int> norms;
    for (int i = 0; i < kSubBlocks; ++i) norms.push_back(bn(g, name + ".sbn" + std::to_string(i), project));
    int sbn = -1;
    CHECK_OK(jnas_graph_mixed(g, kSubBlocks, norms.data(), param(g, "sbn." + name, kSubBlocks), 0.5f, &sbn));
    if (stride != 1 || channels != out_channels) return sbn;
    int sum = -1;
    CHECK_OK(jnas_graph_add(g, x, sbn, &sum));
    return sum;
}

struct Supernet {
    tu::Graph g;
    int input = -1, output = -1;
    Supernet() {
        input = g.input({3, 11, 11});
        int stem = relu6(g, bn(g, "stem.bn", conv(g, "stem", input, 4, 3, 1, 1)));
        int a = unified_layer(g, "layer0", stem, 4, 6, 2);
        int b = unified_layer(g, "layer1", a, 6, 6, 1);
        int pooled = -1;
        CHECK_OK(jnas_graph_global_avg_pool(g, b, &pooled));
        CHECK_OK(jnas_graph_linear(g, "classifier", pooled, kClasses, 1, &output));
    }
};

// Soft sub-block weights (some below the 0.01 threshold, so those branches are skipped) and one-hot SBN weights.
void set_path(tu::Net& net) {
    const std::vector<std::vector<float>> soft = {{0.5f, 0.3f, 0.2f, 0.0f}, {0.005f, 0.6f, 0.1f, 0.295f},
                                                  {0.2f, 0.0f, 0.7f, 0.1f}};
    for (int l = 0; l < 2; ++l) {
        std::string layer = "layer" + std::to_string(l);
        for (int b = 0; b < kSubBlocks; ++b)
            net.set(net.find(("arch." + layer + ".block" + std::to_string(b)).c_str()), soft[size_t((b + l) % 3)]);
        std::vector<float> sbn(kSubBlocks, 0.0f);
        sbn[size_t(l + 1)] = 1.0f;
        net.set(net.find(("sbn." + layer).c_str()), sbn);
    }
}

struct Trace {
    std::vector<std::vector<float>> logits, grads, params;
    std::vector<float> losses;
};

// Two SGD steps (momentum, weight decay) on one Philox batch; records logits, loss and gradients of each step
// and the parameters at the end.
Trace train(jnas_ctx* ctx) {
    Supernet s;
    tu::Net net(ctx, s.g, s.output, JNAS_INIT_KAIMING_NORMAL_FAN_IN, 21);
    set_path(net);
    const int batch = 6;
    tu::Tensor images(ctx, {batch, 3, 11, 11}), logits(ctx, {batch, kClasses}), grad(ctx, {batch, kClasses});
    CHECK_OK(jnas_tensor_fill_normal(images, 8, 0, 0.0f, 1.0f));
    CHECK_OK(jnas_net_bind_input(net, s.input, images));
    const int32_t labels[batch] = {0, 1, 2, 3, 4, 0};
    jnas_optimizer* sgd = nullptr;
    CHECK_OK(jnas_optimizer_sgd(net, 0, nullptr, 0.05f, 0.9f, 4e-4f, 0, &sgd));
    Trace trace;
    for (int step = 0; step < 2; ++step) {
        CHECK_OK(jnas_net_zero_grad(net));
        CHECK_OK(jnas_net_forward(net, logits));
        float loss = 0.0f;
        CHECK_OK(jnas_cross_entropy(ctx, logits, labels, batch, 0.1f, &loss, nullptr, grad));
        CHECK_OK(jnas_net_backward(net, grad));
        trace.logits.push_back(logits.read());
        trace.losses.push_back(loss);
        for (int i = 0; i < net.count(); ++i)
            if (net.trainable(i)) trace.grads.push_back(net.grad(i));
        CHECK_OK(jnas_optimizer_step(sgd));
    }
    for (int i = 0; i < net.count(); ++i) trace.params.push_back(net.param(i));
    jnas_optimizer_free(sgd);
    return trace;
}

// max |a − b| <= tolerance · (1 + max |b|), per tensor
void expect_close(const std::string& what, const std::vector<std::vector<float>>& gpu,
                  const std::vector<std::vector<float>>& cpu, double tolerance) {
    CHECK(gpu.size() == cpu.size());
    for (size_t t = 0; t < cpu.size() && t < gpu.size(); ++t) {
        double scale = 0.0, error = 0.0;
        for (size_t i = 0; i < cpu[t].size(); ++i) {
            scale = std::fmax(scale, std::fabs(cpu[t][i]));
            error = std::fmax(error, std::fabs(double(gpu[t][i]) - cpu[t][i]));
        }
        if (!(error <= tolerance * (1.0 + scale))) {
            std::ostringstream message;
            message << what << " " << t << ": max |gpu − cpu| = " << error << ", max |cpu| = " << scale;
            jnas_test::report(__FILE__, __LINE__, message.str());
        }
    }
}

TEST_CASE("mbconv: a unified supernet's training steps on CUDA equal the CPU's") {
    Trace cpu = train(g_cpu), gpu = train(g_gpu);
    expect_close("logits of step", gpu.logits, cpu.logits, 1e-4);
    expect_close("loss", {gpu.losses}, {cpu.losses}, 1e-5);
    expect_close("gradient", gpu.grads, cpu.grads, 1e-3);
    expect_close("parameter after two steps", gpu.params, cpu.params, 1e-4);
}

}  // namespace

int main(int argc, char** argv) { return jnas_test::run_on_contexts(argc, argv, g_gpu, g_cpu); }
