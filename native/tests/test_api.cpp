// test_api.cpp — the C ABI's contract: statuses and messages for bad input, call order, determinism across
// seeds and thread counts, optimizer updates against hand-written PyTorch formulas, and a net that learns.
#define JNAS_TEST_MAIN
#include <cmath>
#include <cstring>

#include <unistd.h>

#include "check.hpp"
#include "test_util.hpp"

using tu::error_mentions;

namespace {

// input [2, 6, 6] → conv 3x3 → bn → relu → global pool → linear(3)
struct SmallNet {
    tu::Graph g;
    int x = -1, out = -1;
    SmallNet() {
        x = g.input({2, 6, 6});
        int c = -1, bn = -1, r = -1, gap = -1;
        CHECK_OK(jnas_graph_conv2d(g, "conv", x, 8, 3, 3, 1, 1, 1, 1, 1, &c));
        CHECK_OK(jnas_graph_batch_norm(g, "bn", c, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f, &bn));
        CHECK_OK(jnas_graph_activation(g, bn, JNAS_ACT_RELU, &r));
        CHECK_OK(jnas_graph_global_avg_pool(g, r, &gap));
        CHECK_OK(jnas_graph_linear(g, "fc", gap, 3, 1, &out));
    }
};

std::vector<std::vector<float>> all_params(const tu::Net& net, bool grads) {
    std::vector<std::vector<float>> v;
    for (int i = 0; i < net.count(); ++i) v.push_back(grads ? net.grad(i) : net.param(i));
    return v;
}

bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("version and status names") {
    CHECK(std::strcmp(jnas_version(), "0.1.0") == 0);
    CHECK(std::strcmp(jnas_status_name(JNAS_ERR_SHAPE), "JNAS_ERR_SHAPE") == 0);
    CHECK(std::strcmp(jnas_status_name(JNAS_OK), "JNAS_OK") == 0);
    CHECK(jnas_cuda_compiled() == 0 || jnas_cuda_compiled() == 1);
}

TEST_CASE("contexts: CPU works, CUDA without a GPU says so") {
    tu::Ctx ctx;
    jnas_backend kind = JNAS_BACKEND_CUDA;
    CHECK_OK(jnas_ctx_backend(ctx, &kind));
    CHECK(kind == JNAS_BACKEND_CPU);
    const char* name = nullptr;
    CHECK_OK(jnas_ctx_set_threads(ctx, 2));
    CHECK_OK(jnas_ctx_device_name(ctx, &name));
    CHECK(name != nullptr && std::strncmp(name, "cpu", 3) == 0);
    jnas_ctx* cuda = nullptr;
    jnas_status s = jnas_ctx_create(JNAS_BACKEND_CUDA, 0, &cuda);
    if (s == JNAS_OK) {
        std::printf("  (a CUDA device is present here; the NO_DEVICE check is skipped)\n");
        jnas_ctx_free(cuda);
    } else {
        CHECK(s == JNAS_ERR_NO_DEVICE);
        CHECK(cuda == nullptr);
        CHECK(error_mentions("jnas_ctx_create: "));
        CHECK(std::strlen(jnas_last_error()) > 20);
    }
    CHECK_STATUS(jnas_ctx_create(static_cast<jnas_backend>(9), 0, &cuda), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("backend = 9"));
}

TEST_CASE("NULL pointers name the argument and the function") {
    jnas_tensor* t = nullptr;
    int64_t shape[] = {2, 3};
    CHECK_STATUS(jnas_tensor_create(nullptr, 2, shape, &t), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("jnas_tensor_create: ctx is NULL"));
    tu::Ctx ctx;
    CHECK_STATUS(jnas_tensor_create(ctx, 2, shape, nullptr), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("out is NULL"));
    CHECK_STATUS(jnas_net_forward(nullptr, nullptr), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("jnas_net_forward: net is NULL"));
    CHECK_STATUS(jnas_graph_conv2d(nullptr, "c", 0, 1, 1, 1, 1, 0, 1, 1, 0, nullptr), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("jnas_graph_conv2d: g is NULL"));
    tu::Graph g;
    int x = g.input({1, 4, 4}), id = -1;
    CHECK_STATUS(jnas_graph_conv2d(g, nullptr, x, 1, 1, 1, 1, 0, 1, 1, 0, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("name is NULL"));
    CHECK_STATUS(jnas_graph_concat(g, 1, nullptr, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("nodes is NULL"));
    CHECK(id == -1);  // out-parameters untouched on failure
    jnas_tensor_free(nullptr);
    jnas_graph_free(nullptr);
    jnas_net_free(nullptr);
    jnas_ctx_free(nullptr);
    jnas_optimizer_free(nullptr);
}

TEST_CASE("tensors: bad shapes and counts") {
    tu::Ctx ctx;
    jnas_tensor* t = nullptr;
    int64_t bad[] = {2, -3};
    CHECK_STATUS(jnas_tensor_create(ctx, 2, bad, &t), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("shape[1] = -3"));
    int64_t zero[] = {0};
    CHECK_STATUS(jnas_tensor_create(ctx, 1, zero, &t), JNAS_ERR_INVALID_ARGUMENT);
    int64_t five[] = {1, 1, 1, 1, 1};
    CHECK_STATUS(jnas_tensor_create(ctx, 5, five, &t), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("5 dims"));
    CHECK_STATUS(jnas_tensor_create(ctx, 0, five, &t), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(t == nullptr);

    tu::Tensor a(ctx, {2, 3});
    std::vector<float> v(5);
    CHECK_STATUS(jnas_tensor_write(a, v.data(), 5), JNAS_ERR_SHAPE);
    CHECK(error_mentions("count = 5"));
    CHECK_STATUS(jnas_tensor_read(a, v.data(), 5), JNAS_ERR_SHAPE);
    int ndim = 0;
    int64_t s[4] = {};
    CHECK_OK(jnas_tensor_ndim(a, &ndim));
    CHECK_OK(jnas_tensor_shape(a, s));
    CHECK(ndim == 2 && s[0] == 2 && s[1] == 3);
    CHECK(a.read() == std::vector<float>(6, 0.0f));  // zero-filled
    CHECK_STATUS(jnas_tensor_fill_uniform(a, 1, 0, 1.0f, -1.0f), JNAS_ERR_INVALID_ARGUMENT);
}

TEST_CASE("gemm: shapes and values") {
    tu::Ctx ctx;
    tu::Tensor a(ctx, {2, 3}, {1, 2, 3, 4, 5, 6}), b(ctx, {2, 3}, {1, 0, 1, 0, 1, 0}), c(ctx, {2, 2}, {1, 1, 1, 1});
    // a · bᵀ = [[4, 2], [10, 5]]; c = 2·a·bᵀ + c
    CHECK_OK(jnas_gemm(ctx, 0, 1, 2.0f, a, b, 1.0f, c));
    CHECK(c.read() == std::vector<float>({9, 5, 21, 11}));
    CHECK_STATUS(jnas_gemm(ctx, 0, 0, 1.0f, a, b, 0.0f, c), JNAS_ERR_SHAPE);
    CHECK(error_mentions("inner dims differ"));
    tu::Tensor d(ctx, {3, 3});
    CHECK_STATUS(jnas_gemm(ctx, 0, 1, 1.0f, a, b, 0.0f, d), JNAS_ERR_SHAPE);
    tu::Tensor v(ctx, {3});
    CHECK_STATUS(jnas_gemm(ctx, 0, 1, 1.0f, a, v, 0.0f, c), JNAS_ERR_SHAPE);
    CHECK(error_mentions("must be 2-D"));
}

TEST_CASE("cross entropy: loss, correct count, gradient, bad labels") {
    tu::Ctx ctx;
    std::vector<float> z = {1, 2, 0, 0, 0, 3};
    tu::Tensor logits(ctx, {2, 3}, z), grad(ctx, {2, 3});
    int32_t labels[] = {1, 0};
    float smoothing = 0.1f, loss = 0;
    int64_t correct = -1;
    CHECK_OK(jnas_cross_entropy(ctx, logits, labels, 2, smoothing, &loss, &correct, grad));
    double expected = 0;
    std::vector<double> expected_grad;
    for (int r = 0; r < 2; ++r) {
        double m = 0, lse = 0;
        for (int k = 0; k < 3; ++k) m = std::max(m, double(z[r * 3 + k]));
        for (int k = 0; k < 3; ++k) lse += std::exp(z[r * 3 + k] - m);
        lse = m + std::log(lse);
        for (int k = 0; k < 3; ++k) {
            double target = (k == labels[r] ? 1 - smoothing : 0) + smoothing / 3;
            expected -= target * (z[r * 3 + k] - lse) / 2;
            expected_grad.push_back((std::exp(z[r * 3 + k] - lse) - target) / 2);
        }
    }
    CHECK_CLOSE(loss, expected, 1e-5, 1e-6);
    CHECK(correct == 1);
    std::vector<float> g = grad.read();
    for (int i = 0; i < 6; ++i) CHECK_CLOSE(g[i], expected_grad[i], 1e-5, 1e-6);
    int32_t bad[] = {1, 3};
    CHECK_STATUS(jnas_cross_entropy(ctx, logits, bad, 2, 0.0f, &loss, nullptr, nullptr), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("labels[1] = 3"));
    CHECK_STATUS(jnas_cross_entropy(ctx, logits, labels, 3, 0.0f, &loss, nullptr, nullptr), JNAS_ERR_SHAPE);
    CHECK_STATUS(jnas_cross_entropy(ctx, logits, labels, 2, 1.0f, &loss, nullptr, nullptr), JNAS_ERR_INVALID_ARGUMENT);
}

TEST_CASE("graph: builder validation messages") {
    tu::Graph g;
    int x = g.input({4, 8, 8}), id = -1;
    CHECK_STATUS(jnas_graph_conv2d(g, "c", 17, 4, 3, 3, 1, 1, 1, 1, 0, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("jnas_graph_conv2d: node 17 does not exist (graph has 1 nodes)"));
    CHECK_STATUS(jnas_graph_conv2d(g, "c", x, 6, 3, 3, 1, 1, 1, 4, 0, &id), JNAS_ERR_SHAPE);
    CHECK(error_mentions("divisible by groups"));
    CHECK_STATUS(jnas_graph_conv2d(g, "c", x, 4, 0, 3, 1, 1, 1, 1, 0, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("kernel"));
    CHECK_STATUS(jnas_graph_conv2d(g, "c", x, 4, 3, 3, 0, 1, 1, 1, 0, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("stride = 0"));
    CHECK_STATUS(jnas_graph_conv2d(g, "c", x, 4, 3, 3, 1, -1, 1, 1, 0, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("padding = -1"));
    CHECK_STATUS(jnas_graph_conv2d(g, "c", x, 4, 3, 3, 1, 1, 0, 1, 0, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("dilation = 0"));
    CHECK_STATUS(jnas_graph_conv2d(g, "c", x, 4, 9, 9, 1, 0, 1, 1, 0, &id), JNAS_ERR_SHAPE);
    CHECK(error_mentions("output size"));
    CHECK_STATUS(jnas_graph_avg_pool(g, x, 3, 1, 2, 1, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("padding = 2"));
    int c = -1;
    CHECK_OK(jnas_graph_conv2d(g, "c", x, 2, 3, 3, 2, 1, 1, 1, 0, &c));
    CHECK_STATUS(jnas_graph_conv2d(g, "c", x, 2, 3, 3, 1, 1, 1, 1, 0, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("name 'c' is already used"));
    CHECK_STATUS(jnas_graph_add(g, x, c, &id), JNAS_ERR_SHAPE);
    CHECK(error_mentions("[4, 8, 8]"));
    int nodes[] = {x, c};
    CHECK_STATUS(jnas_graph_concat(g, 2, nodes, &id), JNAS_ERR_SHAPE);
    int64_t three = 3;
    int alpha = -1, flat = -1;
    CHECK_OK(jnas_graph_param(g, "alpha", 1, &three, JNAS_INIT_ZEROS, 1, &alpha));
    CHECK_STATUS(jnas_graph_mixed(g, 2, nodes, alpha, 0.0f, &id), JNAS_ERR_SHAPE);
    CHECK(error_mentions("branch 1"));
    int same[] = {x, x};
    CHECK_STATUS(jnas_graph_mixed(g, 2, same, alpha, 0.0f, &id), JNAS_ERR_SHAPE);
    CHECK(error_mentions("holds 3 values"));
    CHECK_STATUS(jnas_graph_scale(g, alpha, 2.0f, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("parameter 'alpha'"));
    CHECK_OK(jnas_graph_linear(g, "fc", x, 5, 1, &flat));
    CHECK_STATUS(jnas_graph_conv2d(g, "c2", flat, 2, 1, 1, 1, 0, 1, 1, 0, &id), JNAS_ERR_SHAPE);
    CHECK(error_mentions("needs [C, H, W]"));
    CHECK_STATUS(jnas_graph_activation(g, x, static_cast<jnas_activation>(7), &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_graph_batch_norm(g, "bn", x, 8u, 1e-5f, 0.1f, &id), JNAS_ERR_INVALID_ARGUMENT);
    int64_t four_dims[] = {1, 2, 3, 4};
    CHECK_STATUS(jnas_graph_input(g, 4, four_dims, &id), JNAS_ERR_INVALID_ARGUMENT);
    int ndim = 0;
    int64_t s[4];
    CHECK_OK(jnas_graph_node_shape(g, c, &ndim, s));
    CHECK(ndim == 3 && s[0] == 2 && s[1] == 4 && s[2] == 4);
    CHECK_STATUS(jnas_graph_node_shape(g, -1, &ndim, s), JNAS_ERR_INVALID_ARGUMENT);
}

TEST_CASE("nets: call order and binding errors") {
    SmallNet sn;
    tu::Ctx ctx;
    tu::Net net(ctx, sn.g, sn.out);
    tu::Tensor out(ctx, {4, 3}), x(ctx, {4, 2, 6, 6}), wrong(ctx, {4, 3, 6, 6}), grad(ctx, {4, 3});
    CHECK_STATUS(jnas_net_forward(net, out), JNAS_ERR_STATE);
    CHECK(error_mentions("input node 0 is not bound"));
    CHECK_STATUS(jnas_net_bind_input(net, sn.x, wrong), JNAS_ERR_SHAPE);
    CHECK(error_mentions("takes [B, 2, 6, 6]"));
    CHECK_STATUS(jnas_net_bind_input(net, 1, x), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("not an input"));
    CHECK_OK(jnas_net_bind_input(net, sn.x, x));
    CHECK_STATUS(jnas_net_backward(net, grad), JNAS_ERR_STATE);
    CHECK(error_mentions("no forward pass"));
    tu::Tensor input_grad(ctx, {4, 2, 6, 6});
    CHECK_STATUS(jnas_net_input_grad(net, sn.x, input_grad), JNAS_ERR_STATE);
    tu::Tensor bad_out(ctx, {4, 4});
    CHECK_STATUS(jnas_net_forward(net, bad_out), JNAS_ERR_SHAPE);
    CHECK_OK(jnas_net_forward(net, out));
    tu::Tensor bad_grad(ctx, {3, 3});
    CHECK_STATUS(jnas_net_backward(net, bad_grad), JNAS_ERR_SHAPE);
    CHECK_OK(jnas_net_backward(net, grad));
    CHECK_STATUS(jnas_net_backward(net, grad), JNAS_ERR_STATE);
    CHECK_OK(jnas_net_input_grad(net, sn.x, input_grad));

    std::vector<float> buffer(100);
    CHECK_STATUS(jnas_net_param_read(net, 0, buffer.data(), 7), JNAS_ERR_SHAPE);
    CHECK(error_mentions("conv.weight"));
    CHECK_STATUS(jnas_net_param_read(net, 99, buffer.data(), 7), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("parameter 99 does not exist"));
    CHECK_STATUS(jnas_net_param_write(net, 0, buffer.data(), 100), JNAS_ERR_SHAPE);
    int index = -1;
    CHECK_STATUS(jnas_net_param_find(net, "nope", &index), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_net_param_set_trainable(net, net.find("bn.running_var"), 1), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_net_output_shape(net, 0, &index, nullptr), JNAS_ERR_INVALID_ARGUMENT);

    jnas_net* other = nullptr;
    CHECK_STATUS(jnas_net_create(ctx, sn.g, 42, JNAS_INIT_PYTORCH_DEFAULT, 1, &other), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(other == nullptr);
}

TEST_CASE("nets: parameter names, roles, shapes, init") {
    SmallNet sn;
    tu::Ctx ctx;
    tu::Net net(ctx, sn.g, sn.out, JNAS_INIT_KAIMING_NORMAL_FAN_IN, 3);
    const char* names[] = {"conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var",
                           "fc.weight", "fc.bias"};
    jnas_param_role roles[] = {JNAS_PARAM_WEIGHT,    JNAS_PARAM_BIAS,       JNAS_PARAM_BN_WEIGHT,
                               JNAS_PARAM_BN_BIAS,   JNAS_PARAM_BN_RUNNING, JNAS_PARAM_BN_RUNNING,
                               JNAS_PARAM_WEIGHT,    JNAS_PARAM_BIAS};
    CHECK(net.count() == 8);
    for (int i = 0; i < 8 && i < net.count(); ++i) {
        CHECK(net.name(i) == names[i]);
        CHECK(net.role(i) == roles[i]);
        CHECK(net.trainable(i) == (roles[i] != JNAS_PARAM_BN_RUNNING));
    }
    int ndim = 0;
    int64_t s[4];
    CHECK_OK(jnas_net_param_shape(net, 0, &ndim, s));
    CHECK(ndim == 4 && s[0] == 8 && s[1] == 2 && s[2] == 3 && s[3] == 3);
    CHECK(net.param(1) == std::vector<float>(8, 0.0f));  // Kaiming: zero bias
    CHECK(net.param(2) == std::vector<float>(8, 1.0f));
    CHECK(net.param(3) == std::vector<float>(8, 0.0f));
    CHECK(net.param(5) == std::vector<float>(8, 1.0f));
    // Kaiming normal fan_in = 2·3·3 = 18: std √(2/18) = 1/3; 144 draws.
    std::vector<float> w = net.param(0);
    double sq = 0;
    for (float v : w) sq += double(v) * v;
    CHECK_CLOSE(std::sqrt(sq / w.size()), 1.0 / 3.0, 0.15, 0.0);
    // PyTorch default: every weight and bias within ±1/√fan_in; fc fan_in = 8.
    CHECK_OK(jnas_net_init(net, JNAS_INIT_PYTORCH_DEFAULT, 3));
    bool inside = true, nonzero = false;
    for (float v : net.param(7)) inside = inside && std::fabs(v) <= 1 / std::sqrt(8.0f), nonzero = nonzero || v != 0;
    for (float v : net.param(6)) inside = inside && std::fabs(v) <= 1 / std::sqrt(8.0f);
    CHECK(inside && nonzero);
}

TEST_CASE("determinism: same seed gives identical params and outputs; thread count does not matter") {
    SmallNet sn;
    std::vector<std::vector<float>> outputs, params, grads, input_grads;
    for (int threads : {1, 2, 2}) {
        tu::Ctx ctx;
        CHECK_OK(jnas_ctx_set_threads(ctx, threads));
        tu::Net net(ctx, sn.g, sn.out, JNAS_INIT_PYTORCH_DEFAULT, 42);
        // Big enough (64·2·6·6 inputs, 64·8·36 activations) for the kernels to split work over threads.
        tu::Tensor x(ctx, {64, 2, 6, 6}), out(ctx, {64, 3}), r(ctx, {64, 3}), dx(ctx, {64, 2, 6, 6});
        CHECK_OK(jnas_tensor_fill_normal(x, 9, 0, 0.0f, 1.0f));
        CHECK_OK(jnas_tensor_fill_uniform(r, 9, 1, -1.0f, 1.0f));
        CHECK_OK(jnas_net_bind_input(net, sn.x, x));
        CHECK_OK(jnas_net_forward(net, out));
        CHECK_OK(jnas_net_backward(net, r));
        CHECK_OK(jnas_net_input_grad(net, sn.x, dx));
        outputs.push_back(out.read());
        input_grads.push_back(dx.read());
        std::vector<float> p, g;
        for (auto& v : all_params(net, false)) p.insert(p.end(), v.begin(), v.end());
        for (auto& v : all_params(net, true)) g.insert(g.end(), v.begin(), v.end());
        params.push_back(p);
        grads.push_back(g);
    }
    for (int i = 1; i < 3; ++i) {
        CHECK(bit_identical(outputs[0], outputs[i]));
        CHECK(bit_identical(params[0], params[i]));
        CHECK(bit_identical(grads[0], grads[i]));
        CHECK(bit_identical(input_grads[0], input_grads[i]));
    }
    tu::Ctx ctx;
    tu::Net a(ctx, sn.g, sn.out, JNAS_INIT_PYTORCH_DEFAULT, 42), b(ctx, sn.g, sn.out, JNAS_INIT_PYTORCH_DEFAULT, 43);
    CHECK(bit_identical(a.param(0), b.param(0)) == false);
    CHECK(bit_identical(a.param(0), params[0].size() ? std::vector<float>(params[0].begin(), params[0].begin() + 144)
                                                     : std::vector<float>()));
}

TEST_CASE("backward accumulates; zero_grad resets; batch size may change") {
    SmallNet sn;
    tu::Ctx ctx;
    tu::Net net(ctx, sn.g, sn.out);
    tu::Tensor x(ctx, {4, 2, 6, 6}), out(ctx, {4, 3}), r(ctx, {4, 3});
    CHECK_OK(jnas_tensor_fill_normal(x, 1, 0, 0.0f, 1.0f));
    CHECK_OK(jnas_tensor_fill_uniform(r, 1, 1, -1.0f, 1.0f));
    CHECK_OK(jnas_net_bind_input(net, sn.x, x));
    CHECK_OK(jnas_net_set_train(net, 0));  // eval: the two passes see the same statistics
    for (int pass = 0; pass < 2; ++pass) {
        CHECK_OK(jnas_net_forward(net, out));
        CHECK_OK(jnas_net_backward(net, r));
    }
    std::vector<float> twice = net.grad(0);
    CHECK_OK(jnas_net_zero_grad(net));
    CHECK(net.grad(0) == std::vector<float>(twice.size(), 0.0f));
    CHECK_OK(jnas_net_forward(net, out));
    CHECK_OK(jnas_net_backward(net, r));
    std::vector<float> once = net.grad(0);
    for (size_t i = 0; i < once.size(); ++i) CHECK_CLOSE(twice[i], 2.0 * once[i], 1e-5, 1e-7);

    tu::Tensor x7(ctx, {7, 2, 6, 6}), out7(ctx, {7, 3});
    CHECK_OK(jnas_tensor_fill_normal(x7, 1, 0, 0.0f, 1.0f));
    CHECK_OK(jnas_net_bind_input(net, sn.x, x7));
    CHECK_OK(jnas_net_forward(net, out7));
    // The first 4 samples of x7 equal x (same Philox stream), and eval-mode samples are independent.
    std::vector<float> y4 = out.read(), y7 = out7.read();
    for (int i = 0; i < 12; ++i) CHECK_CLOSE(y7[i], y4[i], 1e-5, 1e-6);
}

TEST_CASE("SGD with momentum, weight decay, nesterov; Adam: match PyTorch's formulas") {
    // fc: [2] -> [1] without bias; with x = [1, 2] and grad_output 1 the weight gradient is always [1, 2].
    tu::Graph g;
    int x = g.input({2}), fc = -1;
    CHECK_OK(jnas_graph_linear(g, "fc", x, 1, 0, &fc));
    struct Setting { bool adam; float momentum; int nesterov; };
    for (Setting st : {Setting{false, 0.0f, 0}, Setting{false, 0.9f, 0}, Setting{false, 0.9f, 1}, Setting{true, 0, 0}}) {
        tu::Ctx ctx;
        tu::Net net(ctx, g, fc);
        net.set(0, {0.5f, -0.5f});
        tu::Tensor in(ctx, {1, 2}, {1, 2}), out(ctx, {1, 1}), r(ctx, {1, 1}, {1});
        CHECK_OK(jnas_net_bind_input(net, x, in));
        jnas_optimizer* opt = nullptr;
        float lr = 0.1f, wd = 0.01f;
        if (st.adam)
            CHECK_OK(jnas_optimizer_adam(net, 0, nullptr, lr, 0.9f, 0.999f, 1e-8f, wd, &opt));
        else
            CHECK_OK(jnas_optimizer_sgd(net, 0, nullptr, lr, st.momentum, wd, st.nesterov, &opt));
        double w[2] = {0.5, -0.5}, v[2] = {0, 0}, m[2] = {0, 0}, s[2] = {0, 0};
        for (int step = 1; step <= 3; ++step) {
            if (step == 3) {
                lr = 0.05f;
                CHECK_OK(jnas_optimizer_set_lr(opt, lr));
            }
            CHECK_OK(jnas_net_zero_grad(net));
            CHECK_OK(jnas_net_forward(net, out));
            CHECK_OK(jnas_net_backward(net, r));
            CHECK_OK(jnas_optimizer_step(opt));
            for (int i = 0; i < 2; ++i) {
                double grad = (i + 1) + wd * w[i];
                if (st.adam) {
                    m[i] = 0.9 * m[i] + 0.1 * grad;
                    s[i] = 0.999 * s[i] + 0.001 * grad * grad;
                    double m_hat = m[i] / (1 - std::pow(0.9, step)), s_hat = s[i] / (1 - std::pow(0.999, step));
                    w[i] -= lr * m_hat / (std::sqrt(s_hat) + 1e-8);
                } else {
                    v[i] = st.momentum * v[i] + grad;
                    w[i] -= lr * (st.nesterov ? grad + st.momentum * v[i] : v[i]);
                }
            }
            std::vector<float> got = net.param(0);
            CHECK_CLOSE(got[0], w[0], 1e-5, 1e-6);
            CHECK_CLOSE(got[1], w[1], 1e-5, 1e-6);
        }
        jnas_optimizer_free(opt);
    }
}

TEST_CASE("optimizer argument checks") {
    SmallNet sn;
    tu::Ctx ctx;
    tu::Net net(ctx, sn.g, sn.out);
    jnas_optimizer* opt = nullptr;
    int running = net.find("bn.running_mean");
    CHECK_STATUS(jnas_optimizer_sgd(net, 1, &running, 0.1f, 0, 0, 0, &opt), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("not trainable"));
    CHECK_STATUS(jnas_optimizer_sgd(net, 0, nullptr, -0.1f, 0, 0, 0, &opt), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("lr = -0.1"));
    CHECK_STATUS(jnas_optimizer_sgd(net, 0, nullptr, 0.1f, 0, 0, 1, &opt), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_optimizer_adam(net, 0, nullptr, 0.1f, 1.0f, 0.999f, 1e-8f, 0, &opt), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("beta1"));
    CHECK(opt == nullptr);
    // Only the selected parameter moves.
    int fc_bias = net.find("fc.bias");
    std::vector<float> conv_before = net.param(0);
    CHECK_OK(jnas_optimizer_sgd(net, 1, &fc_bias, 1.0f, 0, 0, 0, &opt));
    tu::Tensor x(ctx, {2, 2, 6, 6}), out(ctx, {2, 3}), r(ctx, {2, 3}, {1, 1, 1, 1, 1, 1});
    CHECK_OK(jnas_tensor_fill_normal(x, 1, 0, 0.0f, 1.0f));
    CHECK_OK(jnas_net_bind_input(net, sn.x, x));
    std::vector<float> bias_before = net.param(fc_bias);
    CHECK_OK(jnas_net_forward(net, out));
    CHECK_OK(jnas_net_backward(net, r));
    CHECK_OK(jnas_optimizer_step(opt));
    CHECK(net.param(0) == conv_before);
    std::vector<float> bias_after = net.param(fc_bias);
    for (size_t i = 0; i < bias_after.size(); ++i) CHECK_CLOSE(bias_after[i], bias_before[i] - 2.0, 1e-5, 1e-6);
    jnas_optimizer_free(opt);
}

TEST_CASE("a tiny net learns a separable task under SGD") {
    SmallNet sn;
    tu::Ctx ctx;
    tu::Net net(ctx, sn.g, sn.out, JNAS_INIT_PYTORCH_DEFAULT, 5);
    const int batch = 24;
    std::vector<float> xs(size_t(batch) * 72);
    std::vector<int32_t> labels(batch);
    std::vector<float> noise = tu::random_vector(xs.size(), 77, -0.5f, 0.5f);
    for (int b = 0; b < batch; ++b) {
        labels[b] = b % 3;  // class k: channel 0 brighter (0), channel 1 brighter (1), both dark (2)
        for (int c = 0; c < 2; ++c)
            for (int i = 0; i < 36; ++i) {
                size_t at = size_t(b) * 72 + c * 36 + i;
                xs[at] = noise[at] + (labels[b] == c ? 1.0f : labels[b] == 2 ? -1.0f : 0.0f);
            }
    }
    tu::Tensor x(ctx, {batch, 2, 6, 6}, xs), out(ctx, {batch, 3}), grad(ctx, {batch, 3});
    CHECK_OK(jnas_net_bind_input(net, sn.x, x));
    jnas_optimizer* opt = nullptr;
    CHECK_OK(jnas_optimizer_sgd(net, 0, nullptr, 0.2f, 0.9f, 1e-4f, 0, &opt));
    float first = 0, loss = 0;
    int64_t correct = 0;
    for (int step = 0; step < 40; ++step) {
        CHECK_OK(jnas_net_zero_grad(net));
        CHECK_OK(jnas_net_forward(net, out));
        CHECK_OK(jnas_cross_entropy(ctx, out, labels.data(), batch, 0.0f, &loss, &correct, grad));
        if (step == 0) first = loss;
        CHECK_OK(jnas_net_backward(net, grad));
        CHECK_OK(jnas_optimizer_step(opt));
    }
    std::printf("  loss %.4f -> %.4f, %lld/%d correct\n", first, loss, (long long)correct, batch);
    CHECK(loss < 0.5f * first);
    CHECK(correct >= batch * 3 / 4);
    jnas_optimizer_free(opt);
}

TEST_CASE("graph: shift validation and shape") {
    tu::Graph g;
    int x = g.input({2, 4, 5}), flat = g.input({6}), id = -1;
    CHECK_STATUS(jnas_graph_shift(g, flat, 1, 1, &id), JNAS_ERR_SHAPE);
    CHECK(error_mentions("jnas_graph_shift: shift: input node 1 has shape [6] but shift needs [C, H, W]"));
    CHECK_STATUS(jnas_graph_shift(g, 9, 1, 1, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("node 9 does not exist"));
    CHECK_STATUS(jnas_graph_shift(g, x, 1, 1, nullptr), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_OK(jnas_graph_shift(g, x, -1000, 1 << 30, &id));  // any offsets: this one shifts everything out
    int ndim = 0;
    int64_t s[4];
    CHECK_OK(jnas_graph_node_shape(g, id, &ndim, s));
    CHECK(ndim == 3 && s[0] == 2 && s[1] == 4 && s[2] == 5);
}

TEST_CASE("graph MACs: conv and linear multiply-accumulates of what the output depends on") {
    tu::Graph g;
    int x = g.input({3, 8, 8}), a = -1, b = -1, dw = -1, sum = -1, pool = -1, fc = -1, unused = -1;
    CHECK_OK(jnas_graph_conv2d(g, "a", x, 4, 3, 3, 2, 1, 1, 1, 0, &a));      // [4,4,4]: 64 outputs · 9 · 3
    CHECK_OK(jnas_graph_conv2d(g, "b", a, 4, 1, 1, 1, 0, 1, 1, 1, &b));      // 64 · 1 · 4
    CHECK_OK(jnas_graph_conv2d(g, "dw", a, 4, 5, 5, 1, 2, 1, 4, 0, &dw));    // depthwise: 64 · 25 · 1
    CHECK_OK(jnas_graph_add(g, b, dw, &sum));
    CHECK_OK(jnas_graph_global_avg_pool(g, sum, &pool));
    CHECK_OK(jnas_graph_linear(g, "fc", pool, 10, 1, &fc));                  // 4 · 10
    CHECK_OK(jnas_graph_conv2d(g, "unused", x, 16, 3, 3, 1, 1, 1, 1, 0, &unused));
    int64_t conv = -1, linear = -1;
    CHECK_OK(jnas_graph_macs(g, fc, &conv, &linear));
    CHECK(conv == 64 * 9 * 3 + 64 * 4 + 64 * 25);
    CHECK(linear == 40);
    CHECK_OK(jnas_graph_macs(g, a, &conv, nullptr));
    CHECK(conv == 64 * 9 * 3);
    CHECK_STATUS(jnas_graph_macs(g, 99, &conv, &linear), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("node 99 does not exist"));
}

TEST_CASE("optimizer state: read, write into a fresh optimizer, and the next steps agree bit for bit") {
    SmallNet sn;
    for (bool adam : {false, true}) {
        tu::Ctx ctx;
        tu::Net first(ctx, sn.g, sn.out), second(ctx, sn.g, sn.out);
        tu::Tensor x(ctx, {2, 2, 6, 6}), out(ctx, {2, 3}), r(ctx, {2, 3}, {1, -1, 2, 0.5f, 1, -2});
        CHECK_OK(jnas_tensor_fill_normal(x, 3, 0, 0.0f, 1.0f));
        auto make = [&](tu::Net& net) {
            jnas_optimizer* opt = nullptr;
            if (adam)
                CHECK_OK(jnas_optimizer_adam(net, 0, nullptr, 0.01f, 0.9f, 0.999f, 1e-8f, 1e-4f, &opt));
            else
                CHECK_OK(jnas_optimizer_sgd(net, 0, nullptr, 0.1f, 0.9f, 1e-4f, 0, &opt));
            return opt;
        };
        auto train_step = [&](tu::Net& net, jnas_optimizer* opt) {
            CHECK_OK(jnas_net_bind_input(net, sn.x, x));
            CHECK_OK(jnas_net_zero_grad(net));
            CHECK_OK(jnas_net_forward(net, out));
            CHECK_OK(jnas_net_backward(net, r));
            CHECK_OK(jnas_optimizer_step(opt));
        };
        jnas_optimizer* a = make(first);
        for (int i = 0; i < 3; ++i) train_step(first, a);
        int64_t floats = 0, steps = 0;
        CHECK_OK(jnas_optimizer_state_size(a, &floats));
        int64_t params = 0;
        for (int i = 0; i < first.count(); ++i) {
            int trainable = 0;
            int64_t numel = 0;
            CHECK_OK(jnas_net_param_trainable(first, i, &trainable));
            CHECK_OK(jnas_net_param_numel(first, i, &numel));
            if (trainable) params += numel;
        }
        CHECK(floats == (adam ? 2 : 1) * params);
        std::vector<float> state(floats);
        CHECK_OK(jnas_optimizer_state_read(a, state.data(), floats, &steps));
        CHECK(steps == 3);
        CHECK_STATUS(jnas_optimizer_state_read(a, state.data(), floats - 1, &steps), JNAS_ERR_SHAPE);
        CHECK(error_mentions("holds"));

        // The second net takes the first's weights and optimizer state; both then take the same step.
        for (int i = 0; i < first.count(); ++i) second.set(i, first.param(i));
        jnas_optimizer* b = make(second);
        CHECK_STATUS(jnas_optimizer_state_write(b, state.data(), floats, -1), JNAS_ERR_INVALID_ARGUMENT);
        CHECK_OK(jnas_optimizer_state_write(b, state.data(), floats, steps));
        train_step(first, a);
        train_step(second, b);
        for (int i = 0; i < first.count(); ++i) CHECK(first.param(i) == second.param(i));
        jnas_optimizer_free(a);
        jnas_optimizer_free(b);
    }
}

TEST_CASE("graph: mul validation and shape") {
    tu::Graph g;
    int x = g.input({3, 4, 4}), same = g.input({3, 4, 4}), other = g.input({3, 4, 5});
    int id = -1, gate = -1, wide = -1;
    const int64_t three = 3, four = 4;
    CHECK_OK(jnas_graph_param(g, "gate", 1, &three, JNAS_INIT_ONES, 1, &gate));
    CHECK_OK(jnas_graph_param(g, "wide", 1, &four, JNAS_INIT_ONES, 1, &wide));
    CHECK_STATUS(jnas_graph_mul(g, x, other, &id), JNAS_ERR_SHAPE);
    CHECK(error_mentions("jnas_graph_mul: mul: node 2 has shape [3, 4, 5] but node 0 has [3, 4, 4]"));
    CHECK_STATUS(jnas_graph_mul(g, x, wide, &id), JNAS_ERR_SHAPE);
    CHECK(error_mentions("mul: gate node 4 holds 4 values but node 0 has 3 channels (shape [3, 4, 4])"));
    CHECK_STATUS(jnas_graph_mul(g, gate, x, &id), JNAS_ERR_INVALID_ARGUMENT);  // a must be batched
    CHECK_STATUS(jnas_graph_mul(g, x, 17, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("node 17 does not exist"));
    CHECK_OK(jnas_graph_mul(g, x, same, &id));
    CHECK_OK(jnas_graph_mul(g, x, gate, &id));
    int ndim = 0;
    int64_t s[4];
    CHECK_OK(jnas_graph_node_shape(g, id, &ndim, s));
    CHECK(ndim == 3 && s[0] == 3 && s[1] == 4 && s[2] == 4);
}

// conv 1→2048 (3×3) → ReLU → global pool on 64×64 images: the conv's and the ReLU's outputs are 32 MiB per sample.
// At a batch where each is 0.6 of the machine's memory, either alone could be allocated, both together cannot:
// the net refuses the batch before allocating anything, and runs on at a batch that fits.
TEST_CASE("a batch whose activations together exceed the machine's memory is OUT_OF_MEMORY before any is allocated") {
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({1, 64, 64}), conv = -1, relu = -1, pool = -1;
    CHECK_OK(jnas_graph_conv2d(g, "conv", x, 2048, 3, 3, 1, 1, 1, 1, 0, &conv));
    CHECK_OK(jnas_graph_activation(g, conv, JNAS_ACT_RELU, &relu));
    CHECK_OK(jnas_graph_global_avg_pool(g, relu, &pool));
    tu::Net net(ctx, g, pool);
    const double memory = double(sysconf(_SC_PHYS_PAGES)) * double(sysconf(_SC_PAGESIZE));
    const double per_sample = 2048.0 * 64 * 64 * sizeof(float);
    const int64_t huge = int64_t(0.6 * memory / per_sample) + 1;
    {
        tu::Tensor input(ctx, {huge, 1, 64, 64}), out(ctx, {huge, 2048});
        CHECK_OK(jnas_net_bind_input(net, x, input));
        CHECK_STATUS(jnas_net_forward(net, out), JNAS_ERR_OUT_OF_MEMORY);
        CHECK(tu::error_mentions("bytes of activations") && tu::error_mentions("bytes of memory"));
    }
    tu::Tensor input(ctx, {2, 1, 64, 64}), out(ctx, {2, 2048});
    CHECK_OK(jnas_net_bind_input(net, x, input));
    CHECK_OK(jnas_net_forward(net, out));
}
