// test_dropout.cpp — inverted dropout through the C API. The mask is predicted exactly: element i of node d's mask
// at step s is kept where Philox uniform(seed, 2⁶³ | s·2²⁴ | d, i) >= p, the draw jnas_tensor_fill_uniform gives for
// that stream. Checked: the forward in train and eval mode, fresh masks per forward and their replay, the
// gradient against central differences with the mask pinned, the Hessian-diagonal rule, the NTK's rows, and errors.
#define JNAS_TEST_MAIN
#include <cmath>
#include <vector>

#include "check.hpp"
#include "test_util.hpp"

namespace {

constexpr uint64_t kSeed = 7;
constexpr float kP = 0.3f;
constexpr int kBatch = 4, kWidth = 50, kOut = 3;

uint64_t stream(uint64_t step, int node) { return (uint64_t(1) << 63) | (step << 24) | uint64_t(node); }

// The mask values (0 or 1/(1 − p)) of node `node` at `step` for n elements.
std::vector<float> expected_mask(tu::Ctx& ctx, uint64_t step, int node, int64_t n) {
    tu::Tensor u(ctx, {n});
    CHECK_OK(jnas_tensor_fill_uniform(u, kSeed, stream(step, node), 0.0f, 1.0f));
    std::vector<float> m = u.read();
    for (float& v : m) v = v >= kP ? 1.0f / (1.0f - kP) : 0.0f;
    return m;
}

// x [kWidth] → dropout(kP) → linear "fc" (kWidth → kOut, no bias); or the dropout alone as the output.
struct DropoutNet {
    tu::Graph g;
    int x = -1, d = -1, y = -1;
    explicit DropoutNet(bool with_linear) {
        x = g.input({kWidth});
        CHECK_OK(jnas_graph_dropout(g, x, kP, &d));
        y = d;
        if (with_linear) CHECK_OK(jnas_graph_linear(g, "fc", d, kOut, 0, &y));
    }
};

std::vector<float> forward(tu::Ctx& ctx, jnas_net* net, int64_t outputs) {
    tu::Tensor out(ctx, {kBatch, outputs});
    CHECK_OK(jnas_net_forward(net, out));
    return out.read();
}

}  // namespace

TEST_CASE("train mode keeps the predicted elements scaled by 1/(1 - p); eval mode is the identity") {
    tu::Ctx ctx;
    DropoutNet dn(false);
    tu::Net net(ctx, dn.g, dn.y, JNAS_INIT_PYTORCH_DEFAULT, kSeed);
    std::vector<float> xs = tu::random_vector(size_t(kBatch) * kWidth, 3);
    tu::Tensor input(ctx, {kBatch, kWidth}, xs);
    CHECK_OK(jnas_net_bind_input(net, dn.x, input));
    std::vector<float> y = forward(ctx, net, kWidth);
    std::vector<float> m = expected_mask(ctx, 0, dn.d, int64_t(xs.size()));
    int dropped = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
        CHECK(y[i] == xs[i] * m[i]);
        dropped += m[i] == 0.0f;
    }
    CHECK(dropped > 30 && dropped < 90);  // 200 draws at p = 0.3: 60 expected, σ ≈ 6.5
    CHECK_OK(jnas_net_set_train(net, 0));
    CHECK(forward(ctx, net, kWidth) == xs);
}

TEST_CASE("every train forward draws a fresh mask; jnas_net_set_random and a net of the same seed replay them") {
    tu::Ctx ctx;
    DropoutNet dn(false);
    tu::Net net(ctx, dn.g, dn.y, JNAS_INIT_PYTORCH_DEFAULT, kSeed), twin(ctx, dn.g, dn.y, JNAS_INIT_PYTORCH_DEFAULT,
                                                                           kSeed);
    tu::Tensor input(ctx, {kBatch, kWidth}, tu::random_vector(size_t(kBatch) * kWidth, 4));
    CHECK_OK(jnas_net_bind_input(net, dn.x, input));
    CHECK_OK(jnas_net_bind_input(twin, dn.x, input));
    std::vector<float> first = forward(ctx, net, kWidth), second = forward(ctx, net, kWidth);
    CHECK(first != second);
    CHECK(forward(ctx, twin, kWidth) == first);
    CHECK_OK(jnas_net_set_random(net, kSeed, 1));
    CHECK(forward(ctx, net, kWidth) == second);
    CHECK_OK(jnas_net_init(net, JNAS_INIT_PYTORCH_DEFAULT, kSeed));  // re-initializing restarts the masks
    CHECK(forward(ctx, net, kWidth) == first);
}

// L = Σ r ⊙ fc(dropout(x)): dL/dx = m ⊙ Wᵀr, checked against central differences of L with the mask pinned.
TEST_CASE("the input gradient is the mask times the upstream gradient (central differences, mask pinned)") {
    tu::Ctx ctx;
    DropoutNet dn(true);
    tu::Net net(ctx, dn.g, dn.y, JNAS_INIT_PYTORCH_DEFAULT, kSeed);
    std::vector<float> xs = tu::random_vector(size_t(kBatch) * kWidth, 5), r = tu::random_vector(kBatch * kOut, 6);
    tu::Tensor input(ctx, {kBatch, kWidth}, xs), seed(ctx, {kBatch, kOut}, r), dx(ctx, {kBatch, kWidth});
    CHECK_OK(jnas_net_bind_input(net, dn.x, input));
    auto loss = [&] {
        CHECK_OK(jnas_net_set_random(net, kSeed, 0));
        std::vector<float> y = forward(ctx, net, kOut);
        double total = 0;
        for (size_t i = 0; i < y.size(); ++i) total += double(r[i]) * y[i];
        return total;
    };
    loss();
    CHECK_OK(jnas_net_backward(net, seed));
    CHECK_OK(jnas_net_input_grad(net, dn.x, dx));
    std::vector<float> grad = dx.read();
    const float h = 1e-2f;
    double error = 0, norm = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
        std::vector<float> moved = xs;
        moved[i] = xs[i] + h;
        input.write(moved);
        double up = loss();
        moved[i] = xs[i] - h;
        input.write(moved);
        double down = loss();
        double fd = (up - down) / (2 * h);
        error += (fd - grad[i]) * (fd - grad[i]);
        norm += fd * fd;
    }
    CHECK(norm > 0);
    CHECK(std::sqrt(error / norm) < 1e-3);
}

// H_W[o][k] = Σ_b (m ⊙ x)[b][k]²·Hy[b][o], from the forward's predicted mask.
TEST_CASE("Hessian diagonal: the weight after a dropout sees the masked input squared") {
    tu::Ctx ctx;
    DropoutNet dn(true);
    tu::Net net(ctx, dn.g, dn.y, JNAS_INIT_PYTORCH_DEFAULT, kSeed);
    std::vector<float> xs = tu::random_vector(size_t(kBatch) * kWidth, 8), hy = tu::random_vector(kBatch * kOut, 9, 0, 1);
    tu::Tensor input(ctx, {kBatch, kWidth}, xs), seed(ctx, {kBatch, kOut}, hy);
    CHECK_OK(jnas_net_bind_input(net, dn.x, input));
    forward(ctx, net, kOut);
    CHECK_OK(jnas_net_hessian_diag(net, seed));
    std::vector<float> h(size_t(kOut) * kWidth);
    CHECK_OK(jnas_net_hessian_read(net, net.find("fc.weight"), h.data(), int64_t(h.size())));
    std::vector<float> m = expected_mask(ctx, 0, dn.d, int64_t(xs.size()));
    for (int o = 0; o < kOut; ++o)
        for (int k = 0; k < kWidth; ++k) {
            double expected = 0;
            for (int b = 0; b < kBatch; ++b) {
                double masked = double(xs[size_t(b) * kWidth + k]) * m[size_t(b) * kWidth + k];
                expected += masked * masked * hy[size_t(b) * kOut + o];
            }
            CHECK_CLOSE(h[size_t(o) * kWidth + k], expected, 1e-5, 1e-7);
        }
}

// Row i of J over fc.weight is (m_i ⊙ x_i) in every output's block, so Θ_ij = kOut·⟨m_i ⊙ x_i, m_j ⊙ x_j⟩.
TEST_CASE("NTK through a dropout: the rows carry the forward's mask") {
    tu::Ctx ctx;
    DropoutNet dn(true);
    tu::Net net(ctx, dn.g, dn.y, JNAS_INIT_PYTORCH_DEFAULT, kSeed);
    std::vector<float> xs = tu::random_vector(size_t(kBatch) * kWidth, 10);
    tu::Tensor input(ctx, {kBatch, kWidth}, xs), theta(ctx, {kBatch, kBatch});
    CHECK_OK(jnas_net_bind_input(net, dn.x, input));
    CHECK_OK(jnas_net_set_random(net, kSeed, 5));
    CHECK_OK(jnas_net_ntk(net, JNAS_BN_COUPLING_EXACT, 0, nullptr, theta));
    std::vector<float> m = expected_mask(ctx, 5, dn.d, int64_t(xs.size())), t = theta.read();
    for (int i = 0; i < kBatch; ++i)
        for (int j = 0; j < kBatch; ++j) {
            double dot = 0;
            for (int k = 0; k < kWidth; ++k) {
                size_t a = size_t(i) * kWidth + k, b = size_t(j) * kWidth + k;
                dot += double(xs[a]) * m[a] * double(xs[b]) * m[b];
            }
            CHECK_CLOSE(t[size_t(i) * kBatch + j], kOut * dot, 1e-5, 1e-6);
        }
}

TEST_CASE("errors: p outside [0, 1), a missing node, a step past the streams, no net") {
    tu::Graph g;
    int x = g.input({4}), out = -1;
    CHECK_STATUS(jnas_graph_dropout(g, x, 1.0f, &out), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("p = 1"));
    CHECK_STATUS(jnas_graph_dropout(g, x, -0.1f, &out), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_graph_dropout(g, x, std::nanf(""), &out), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_graph_dropout(g, 99, 0.5f, &out), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_OK(jnas_graph_dropout(g, x, 0.0f, &out));
    tu::Ctx ctx;
    tu::Net net(ctx, g, out);
    CHECK_STATUS(jnas_net_set_random(net, 1, uint64_t(1) << 39), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_net_set_random(nullptr, 1, 0), JNAS_ERR_INVALID_ARGUMENT);
}
