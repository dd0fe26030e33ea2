// test_ntk.cpp — the NTK Gram matrix Θ = J Jᵀ (both batch-norm couplings) and its spectrum, through the C API.
//
// References: J from central finite differences (Richardson-extrapolated, sums in double) on nets smooth but for
// hswish's kinks at ±3 (the small step keeps them from mattering), and J from B separate jnas_net_backward
// passes seeded one-hot per sample on nets with ReLU, max pooling, a mixed edge with a skipped branch and a shift.
#define JNAS_TEST_MAIN
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "check.hpp"
#include "test_util.hpp"

namespace {

using Matrix = std::vector<double>;  // row-major

int conv(jnas_graph* g, const char* name, int x, int out, int k, int stride, int pad, int bias) {
    int id = -1;
    CHECK_OK(jnas_graph_conv2d(g, name, x, out, k, k, stride, pad, 1, 1, bias, &id));
    return id;
}
int batch_norm(jnas_graph* g, const char* name, int x, float momentum = 0.1f) {
    int id = -1;
    CHECK_OK(jnas_graph_batch_norm(g, name, x, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, momentum, &id));
    return id;
}
int activation(jnas_graph* g, int x, jnas_activation kind) {
    int id = -1;
    CHECK_OK(jnas_graph_activation(g, x, kind, &id));
    return id;
}
int global_pool_linear(jnas_graph* g, int x, int classes) {
    int pooled = -1, out = -1;
    CHECK_OK(jnas_graph_global_avg_pool(g, x, &pooled));
    CHECK_OK(jnas_graph_linear(g, "fc", pooled, classes, 1, &out));
    return out;
}

// Smooth (hswish, average pooling): x → conv → BN → hswish → {conv s2 → BN, avg-pool s2} → add, concat →
// hswish → global pool → linear.
int smooth_net(tu::Graph& g, float momentum) {
    int x = g.input({2, 5, 5});
    int a1 = activation(g, batch_norm(g, "b1", conv(g, "c1", x, 3, 3, 1, 1, 1), momentum), JNAS_ACT_HSWISH);
    int b2 = batch_norm(g, "b2", conv(g, "c2", a1, 3, 3, 2, 1, 0), momentum);
    int pooled = -1, sum = -1, cat = -1;
    CHECK_OK(jnas_graph_avg_pool(g, a1, 3, 2, 1, 0, &pooled));
    CHECK_OK(jnas_graph_add(g, b2, pooled, &sum));
    int both[2] = {sum, b2};
    CHECK_OK(jnas_graph_concat(g, 2, both, &cat));
    return global_pool_linear(g, activation(g, cat, JNAS_ACT_HSWISH), 4);
}

// With kinks and a skipped branch: x → conv → BN → relu (r) → mixed{conv 1×1 → BN, max-pool, conv 3×3 (weight
// -1, skipped), avg-pool} + r → relu → global pool → linear. The mixing weights are set by set_alpha. The
// Jacobian walk makes the BN and avg-pool branches and the mixed edge views of the sum's gradient, scaled by
// their weights (ntk.cpp); max pooling reads no scale, so its branch gets a scaled copy.
int kinked_net(tu::Graph& g, int64_t side = 6) {
    int x = g.input({2, side, side});
    int r = activation(g, batch_norm(g, "b1", conv(g, "c1", x, 4, 3, 1, 1, 0)), JNAS_ACT_RELU);
    int a = batch_norm(g, "ba", conv(g, "ca", r, 4, 1, 1, 0, 0));
    int m = -1, p = -1, c = conv(g, "cc", r, 4, 3, 1, 1, 0), alpha = -1, mixed = -1, sum = -1;
    CHECK_OK(jnas_graph_max_pool(g, r, 3, 1, 1, &m));
    CHECK_OK(jnas_graph_avg_pool(g, r, 3, 1, 1, 0, &p));
    const int64_t four = 4;
    CHECK_OK(jnas_graph_param(g, "alpha", 1, &four, JNAS_INIT_ZEROS, 1, &alpha));
    int ops[4] = {a, m, c, p};
    CHECK_OK(jnas_graph_mixed(g, 4, ops, alpha, 0.0f, &mixed));
    CHECK_OK(jnas_graph_add(g, mixed, r, &sum));
    return global_pool_linear(g, activation(g, sum, JNAS_ACT_RELU), 3);
}
void set_alpha(tu::Net& net) { net.set(net.find("alpha"), {0.7f, 0.5f, -1.0f, 0.3f}); }

// BN gammas and biases away from 1 and 0, so every parameter matters.
void randomize_affine(tu::Net& net) {
    for (int i = 0; i < net.count(); ++i) {
        jnas_param_role role = net.role(i);
        if (role == JNAS_PARAM_BN_WEIGHT) net.set(i, tu::random_vector(size_t(net.numel(i)), 50 + i, 0.5f, 1.5f));
        if (role == JNAS_PARAM_BN_BIAS || role == JNAS_PARAM_BIAS)
            net.set(i, tu::random_vector(size_t(net.numel(i)), 50 + i, -0.5f, 0.5f));
    }
}

std::vector<int> default_params(const tu::Net& net) {
    std::vector<int> params;
    for (int i = 0; i < net.count(); ++i)
        if (net.role(i) == JNAS_PARAM_WEIGHT || net.role(i) == JNAS_PARAM_BN_WEIGHT) params.push_back(i);
    return params;
}

std::vector<float> ntk(jnas_ctx* ctx, tu::Net& net, jnas_bn_coupling coupling, int batch,
                       const std::vector<int>* params = nullptr) {
    tu::Tensor theta(ctx, {batch, batch});
    CHECK_OK(jnas_net_ntk(net, coupling, params ? int(params->size()) : 0, params ? params->data() : nullptr, theta));
    return theta.read();
}

Matrix gram(const std::vector<std::vector<double>>& rows) {
    size_t b = rows.size();
    Matrix theta(b * b, 0.0);
    for (size_t i = 0; i < b; ++i)
        for (size_t j = 0; j < b; ++j)
            for (size_t p = 0; p < rows[i].size(); ++p) theta[i * b + j] += rows[i][p] * rows[j][p];
    return theta;
}

// max |a - b| / max |b|
double relative_max(const std::vector<float>& a, const Matrix& b) {
    double diff = 0, scale = 0;
    for (size_t i = 0; i < b.size(); ++i) {
        diff = std::max(diff, std::fabs(double(a[i]) - b[i]));
        scale = std::max(scale, std::fabs(b[i]));
    }
    return diff / scale;
}
Matrix to_double(const std::vector<float>& v) { return Matrix(v.begin(), v.end()); }

// Σ of each sample's outputs after one forward, in double.
std::vector<double> output_sums(jnas_ctx* ctx, tu::Net& net, int batch) {
    std::vector<int64_t> shape = net.output_shape(batch);
    tu::Tensor out(ctx, shape);
    CHECK_OK(jnas_net_forward(net, out));
    std::vector<float> values = out.read();
    size_t per = values.size() / size_t(batch);
    std::vector<double> sums(size_t(batch), 0.0);
    for (size_t i = 0; i < values.size(); ++i) sums[i / per] += values[i];
    return sums;
}

// J by central differences, Richardson-extrapolated (error O(h⁴)): rows are samples, columns the params' values.
std::vector<std::vector<double>> finite_difference_jacobian(jnas_ctx* ctx, tu::Net& net, int batch,
                                                            const std::vector<int>& params, float h) {
    std::vector<std::vector<double>> rows(static_cast<size_t>(batch));
    for (int index : params) {
        std::vector<float> values = net.param(index);
        for (size_t e = 0; e < values.size(); ++e) {
            auto central = [&](float step) {
                std::vector<float> moved = values;
                moved[e] = values[e] + step;
                net.set(index, moved);
                std::vector<double> plus = output_sums(ctx, net, batch);
                moved[e] = values[e] - step;
                net.set(index, moved);
                std::vector<double> minus = output_sums(ctx, net, batch);
                // the steps actually taken, after float rounding
                double taken = double(values[e] + step) - double(values[e] - step);
                std::vector<double> d(static_cast<size_t>(batch));
                for (int i = 0; i < batch; ++i) d[size_t(i)] = (plus[size_t(i)] - minus[size_t(i)]) / taken;
                return d;
            };
            std::vector<double> coarse = central(h), fine = central(h / 2);
            for (int i = 0; i < batch; ++i)
                rows[size_t(i)].push_back((4 * fine[size_t(i)] - coarse[size_t(i)]) / 3);
        }
        net.set(index, values);
    }
    return rows;
}

// J from B backward passes, pass i seeded with ones on sample i's outputs.
std::vector<std::vector<double>> backward_jacobian(jnas_ctx* ctx, tu::Net& net, int batch,
                                                   const std::vector<int>& params) {
    std::vector<int64_t> shape = net.output_shape(batch);
    tu::Tensor out(ctx, shape), seed(ctx, shape);
    size_t per = size_t(tu::product(shape)) / size_t(batch);
    std::vector<std::vector<double>> rows;
    for (int i = 0; i < batch; ++i) {
        std::vector<float> one_hot(per * size_t(batch), 0.0f);
        std::fill(one_hot.begin() + long(per) * i, one_hot.begin() + long(per) * (i + 1), 1.0f);
        seed.write(one_hot);
        CHECK_OK(jnas_net_zero_grad(net));
        CHECK_OK(jnas_net_forward(net, out));
        CHECK_OK(jnas_net_backward(net, seed));
        std::vector<double> row;
        for (int index : params)
            for (float g : net.grad(index)) row.push_back(g);
        rows.push_back(row);
    }
    return rows;
}

struct Bound {
    tu::Tensor input;
    Bound(jnas_ctx* ctx, tu::Net& net, int node, std::vector<int64_t> shape, uint32_t seed)
        : input(ctx, shape, tu::random_vector(size_t(tu::product(shape)), seed)) {
        CHECK_OK(jnas_net_bind_input(net, node, input));
    }
};

TEST_CASE("exact Θ equals finite differences with train-mode batch norm, and differs from frozen Θ") {
    tu::Ctx ctx;
    tu::Graph g;
    int out = smooth_net(g, 0.1f);
    tu::Net net(ctx, g, out);
    randomize_affine(net);
    const int batch = 6;
    Bound bound(ctx, net, 0, {batch, 2, 5, 5}, 7);
    std::vector<int> params = default_params(net);
    CHECK(params.size() == 5);  // c1, b1, c2, b2 and fc weights; no biases
    std::vector<float> exact = ntk(ctx, net, JNAS_BN_COUPLING_EXACT, batch);
    Matrix reference = gram(finite_difference_jacobian(ctx, net, batch, params, 2e-3f));
    double error = relative_max(exact, reference);
    std::printf("  exact vs finite differences: %.2e\n", error);
    CHECK(error < 1e-3);
    std::vector<float> frozen = ntk(ctx, net, JNAS_BN_COUPLING_FROZEN, batch);
    double gap = relative_max(frozen, reference);
    std::printf("  frozen vs exact reference: %.2e\n", gap);
    CHECK(gap > 1e-2);
    std::vector<float> listed = ntk(ctx, net, JNAS_BN_COUPLING_EXACT, batch, &params);
    CHECK(listed == exact);
}

// With momentum 1 the running statistics become the batch's (variance unbiased, rescaled here to the biased
// one the forward normalizes with), so an eval-mode net is the train-mode net with its statistics frozen.
TEST_CASE("frozen Θ equals finite differences of the net with its batch statistics frozen") {
    tu::Ctx ctx;
    tu::Graph g;
    int out = smooth_net(g, 1.0f);
    tu::Net net(ctx, g, out);
    randomize_affine(net);
    const int batch = 5;
    Bound bound(ctx, net, 0, {batch, 2, 5, 5}, 11);
    std::vector<float> frozen_train = ntk(ctx, net, JNAS_BN_COUPLING_FROZEN, batch);
    std::vector<double> train_sums = output_sums(ctx, net, batch);
    for (auto [name, values_per_channel] : {std::pair{"b1.running_var", int64_t(25)}, {"b2.running_var", int64_t(9)}}) {
        int index = net.find(name);
        double n = double(batch * values_per_channel);
        std::vector<float> var = net.param(index);
        for (float& v : var) v = float(double(v) * (n - 1) / n);
        net.set(index, var);
    }
    CHECK_OK(jnas_net_set_train(net, 0));
    std::vector<double> eval_sums = output_sums(ctx, net, batch);
    for (int i = 0; i < batch; ++i) CHECK_CLOSE(eval_sums[size_t(i)], train_sums[size_t(i)], 1e-5, 1e-5);
    Matrix reference = gram(finite_difference_jacobian(ctx, net, batch, default_params(net), 2e-3f));
    double error = relative_max(frozen_train, reference);
    std::printf("  frozen (train mode) vs finite differences (frozen statistics): %.2e\n", error);
    CHECK(error < 1e-3);
    // In eval mode the statistics are constants whatever the coupling.
    CHECK(relative_max(ntk(ctx, net, JNAS_BN_COUPLING_EXACT, batch), reference) < 1e-3);
    CHECK(relative_max(ntk(ctx, net, JNAS_BN_COUPLING_FROZEN, batch), reference) < 1e-3);
}

TEST_CASE("exact Θ equals Θ from one backward pass per sample (ReLU, max pool, skipped branch, gradient views)") {
    tu::Ctx ctx;
    tu::Graph g;
    int out = kinked_net(g);
    tu::Net net(ctx, g, out);
    randomize_affine(net);
    set_alpha(net);
    const int batch = 7;
    Bound bound(ctx, net, 0, {batch, 2, 6, 6}, 3);
    std::vector<int> params = default_params(net);
    params.push_back(net.find("fc.bias"));
    params.push_back(net.find("ba.bias"));
    std::vector<std::vector<double>> rows = backward_jacobian(ctx, net, batch, params);
    // The skipped branch's conv has a zero column.
    std::vector<float> cc_grad = net.grad(net.find("cc.weight"));
    CHECK(std::all_of(cc_grad.begin(), cc_grad.end(), [](float v) { return v == 0.0f; }));
    std::vector<float> grads_before = net.grad(net.find("c1.weight"));
    std::vector<float> exact = ntk(ctx, net, JNAS_BN_COUPLING_EXACT, batch, &params);
    double error = relative_max(exact, gram(rows));
    std::printf("  exact vs per-sample backward passes: %.2e\n", error);
    CHECK(error < 1e-6);
    CHECK(net.grad(net.find("c1.weight")) == grads_before);  // the net's own gradients are untouched

    // Eval mode: statistics are constants, so the frozen walk (one backward, per-sample rows) must agree too.
    CHECK_OK(jnas_net_set_train(net, 0));
    Matrix eval_reference = gram(backward_jacobian(ctx, net, batch, params));
    double frozen_error = relative_max(ntk(ctx, net, JNAS_BN_COUPLING_FROZEN, batch, &params), eval_reference);
    std::printf("  frozen (eval mode) vs per-sample backward passes: %.2e\n", frozen_error);
    CHECK(frozen_error < 1e-6);
    CHECK(relative_max(ntk(ctx, net, JNAS_BN_COUPLING_EXACT, batch, &params), eval_reference) < 1e-6);
}

TEST_CASE("Θ is bit-identical across thread counts") {
    tu::Ctx ctx;
    tu::Graph g;
    int out = kinked_net(g);
    tu::Net net(ctx, g, out);
    set_alpha(net);
    const int batch = 9;
    Bound bound(ctx, net, 0, {batch, 2, 6, 6}, 5);
    std::vector<std::vector<float>> results;
    for (int threads : {1, 2, 3}) {
        CHECK_OK(jnas_ctx_set_threads(ctx, threads));
        results.push_back(ntk(ctx, net, JNAS_BN_COUPLING_EXACT, batch));
        results.push_back(ntk(ctx, net, JNAS_BN_COUPLING_FROZEN, batch));
    }
    for (size_t i = 2; i < results.size(); ++i) CHECK(results[i] == results[i % 2]);
}

// A Jacobian walk keeps a cache-sized stack of 32 MB per pass (ntk.cpp): at 224 × 224 the kinked net's gradients
// take 13.8 MB per seed at batch 6, so the exact walk needs 3 passes of 2 seeds, made 4 (an even number) of 1 or
// 2, which 2 or 3 threads run side by side, each on its own part of the stack.
TEST_CASE("exact Θ in several passes side by side equals one backward per sample, the same bits for any threads") {
    tu::Ctx ctx;
    tu::Graph g;
    int out = kinked_net(g, 224);
    tu::Net net(ctx, g, out);
    randomize_affine(net);
    set_alpha(net);
    const int batch = 6;
    Bound bound(ctx, net, 0, {batch, 2, 224, 224}, 13);
    std::vector<int> params = default_params(net);
    Matrix reference = gram(backward_jacobian(ctx, net, batch, params));
    std::vector<std::vector<float>> results;
    for (int threads : {1, 2, 3}) {
        CHECK_OK(jnas_ctx_set_threads(ctx, threads));
        results.push_back(ntk(ctx, net, JNAS_BN_COUPLING_EXACT, batch));
    }
    double error = relative_max(results[0], reference);
    std::printf("  exact (4 passes) vs per-sample backward passes: %.2e\n", error);
    CHECK(error < 1e-5);
    CHECK(results[1] == results[0]);
    CHECK(results[2] == results[0]);
}

// symmetric n×n with eigenvalues `lambda`: H diag(λ) H with the Householder reflection H = I - 2vvᵀ/vᵀv
std::vector<float> with_spectrum(const std::vector<double>& lambda) {
    size_t n = lambda.size();
    std::vector<double> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = 1.0 + double(i) * 0.37;
    double vv = 0;
    for (double x : v) vv += x * x;
    std::vector<float> m(n * n);
    for (size_t r = 0; r < n; ++r)
        for (size_t c = 0; c < n; ++c) {
            double sum = 0;
            for (size_t k = 0; k < n; ++k) {
                double hr = (r == k) - 2 * v[r] * v[k] / vv, hc = (c == k) - 2 * v[c] * v[k] / vv;
                sum += hr * lambda[k] * hc;
            }
            m[r * n + c] = float(sum);
        }
    return m;
}

struct SpectrumResult {
    std::vector<double> eigenvalues;
    double kappa = 0;
    unsigned flags = 99;
};
SpectrumResult spectrum(jnas_ctx* ctx, const std::vector<float>& values) {
    int64_t n = int64_t(std::lround(std::sqrt(double(values.size()))));
    tu::Tensor theta(ctx, {n, n}, values);
    SpectrumResult r;
    r.eigenvalues.resize(size_t(n));
    CHECK_OK(jnas_ntk_spectrum(ctx, theta, r.eigenvalues.data(), &r.kappa, &r.flags));
    return r;
}

TEST_CASE("spectrum: κ and ascending eigenvalues of known matrices") {
    tu::Ctx ctx;
    SpectrumResult diag = spectrum(ctx, {3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 4, 0, 0, 0, 0, 2});
    CHECK(diag.flags == 0);
    for (int i = 0; i < 4; ++i) CHECK_CLOSE(diag.eigenvalues[size_t(i)], i + 1, 1e-12, 0);
    CHECK_CLOSE(diag.kappa, 4.0, 1e-12, 0);
    std::vector<double> lambda{0.05, 0.5, 1, 2, 7, 40};
    SpectrumResult rotated = spectrum(ctx, with_spectrum(lambda));
    CHECK(rotated.flags == 0);
    for (size_t i = 0; i < lambda.size(); ++i) CHECK_CLOSE(rotated.eigenvalues[i], lambda[i], 1e-4, 1e-5);
    CHECK_CLOSE(rotated.kappa, 800.0, 1e-3, 0);
    double kappa = 0;
    unsigned flags = 0;
    tu::Tensor theta(ctx, {2, 2}, {2, 0, 0, 1});
    CHECK_OK(jnas_ntk_spectrum(ctx, theta, nullptr, &kappa, &flags));  // eigenvalues are optional
    CHECK(kappa == 2.0 && flags == 0);
}

TEST_CASE("spectrum: singular, indefinite and non-finite matrices are flagged, not replaced") {
    tu::Ctx ctx;
    SpectrumResult singular = spectrum(ctx, {0, 0, 0, 3});
    CHECK(singular.flags == (JNAS_SPECTRUM_NONPOSITIVE_MIN | JNAS_SPECTRUM_NONFINITE));
    CHECK(std::isinf(singular.kappa));
    SpectrumResult indefinite = spectrum(ctx, {-1, 0, 0, 2});
    CHECK(indefinite.flags == JNAS_SPECTRUM_NONPOSITIVE_MIN);
    CHECK_CLOSE(indefinite.kappa, -2.0, 1e-12, 0);
    SpectrumResult nan = spectrum(ctx, {1, std::numeric_limits<float>::quiet_NaN(), 0, 1});
    CHECK(nan.flags == JNAS_SPECTRUM_NONFINITE);
    CHECK(std::isnan(nan.kappa) && std::isnan(nan.eigenvalues[0]) && std::isnan(nan.eigenvalues[1]));
    SpectrumResult zero = spectrum(ctx, {0, 0, 0, 0});
    CHECK(zero.flags == (JNAS_SPECTRUM_NONPOSITIVE_MIN | JNAS_SPECTRUM_NONFINITE) && std::isnan(zero.kappa));
}

TEST_CASE("bad arguments are errors that name the argument") {
    tu::Ctx ctx;
    tu::Graph g;
    int out = kinked_net(g);
    tu::Net net(ctx, g, out);
    const int batch = 3;
    tu::Tensor theta(ctx, {batch, batch}), wrong(ctx, {batch, batch + 1});
    CHECK_STATUS(jnas_net_ntk(net, JNAS_BN_COUPLING_EXACT, 0, nullptr, theta), JNAS_ERR_STATE);  // nothing bound
    CHECK(tu::error_mentions("not bound"));
    Bound bound(ctx, net, 0, {batch, 2, 6, 6}, 1);
    CHECK_STATUS(jnas_net_ntk(net, JNAS_BN_COUPLING_EXACT, 0, nullptr, wrong), JNAS_ERR_SHAPE);
    CHECK(tu::error_mentions("theta"));
    int unknown[1] = {net.count()};
    CHECK_STATUS(jnas_net_ntk(net, JNAS_BN_COUPLING_EXACT, 1, unknown, theta), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("does not exist"));
    int running[1] = {net.find("b1.running_mean")};
    CHECK_STATUS(jnas_net_ntk(net, JNAS_BN_COUPLING_FROZEN, 1, running, theta), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("b1.running_mean"));
    int mixing[1] = {net.find("alpha")};
    CHECK_STATUS(jnas_net_ntk(net, JNAS_BN_COUPLING_FROZEN, 1, mixing, theta), JNAS_ERR_INVALID_ARGUMENT);
    int twice[2] = {0, 0};
    CHECK_STATUS(jnas_net_ntk(net, JNAS_BN_COUPLING_EXACT, 2, twice, theta), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("twice"));
    CHECK_STATUS(jnas_net_ntk(net, JNAS_BN_COUPLING_EXACT, 1, nullptr, theta), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_net_ntk(net, JNAS_BN_COUPLING_EXACT, -1, nullptr, theta), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_net_ntk(net, jnas_bn_coupling(2), 0, nullptr, theta), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("coupling"));
    CHECK_STATUS(jnas_net_ntk(nullptr, JNAS_BN_COUPLING_EXACT, 0, nullptr, theta), JNAS_ERR_INVALID_ARGUMENT);
    double kappa = 0;
    unsigned flags = 0;
    CHECK_STATUS(jnas_ntk_spectrum(ctx, wrong, nullptr, &kappa, &flags), JNAS_ERR_SHAPE);
    CHECK_STATUS(jnas_ntk_spectrum(ctx, theta, nullptr, nullptr, &flags), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("kappa"));
    tu::Ctx other;
    tu::Tensor elsewhere(other, {batch, batch});
    CHECK_STATUS(jnas_net_ntk(net, JNAS_BN_COUPLING_EXACT, 0, nullptr, elsewhere), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_ntk_spectrum(ctx, elsewhere, nullptr, &kappa, &flags), JNAS_ERR_INVALID_ARGUMENT);
}

// The shift op's stacked backward (all seeds' gradients in one call): x → relu → FactorizedReduce (conv 1×1 s2 of
// the input and of the input shifted by (1, 1), concatenated, BN) → relu → global pool → linear.
TEST_CASE("Θ through a shift (FactorizedReduce) equals Θ from one backward pass per sample") {
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({2, 6, 6});
    int r = activation(g, x, JNAS_ACT_RELU), shifted = -1, cat = -1;
    CHECK_OK(jnas_graph_shift(g, r, 1, 1, &shifted));
    int paths[2] = {conv(g, "c1", r, 2, 1, 2, 0, 0), conv(g, "c2", shifted, 2, 1, 2, 0, 0)};
    CHECK_OK(jnas_graph_concat(g, 2, paths, &cat));
    tu::Net net(ctx, g, global_pool_linear(g, activation(g, batch_norm(g, "bn", cat), JNAS_ACT_RELU), 3));
    randomize_affine(net);
    const int batch = 5;
    Bound bound(ctx, net, x, {batch, 2, 6, 6}, 13);
    std::vector<int> params = default_params(net);
    double error = relative_max(ntk(ctx, net, JNAS_BN_COUPLING_EXACT, batch, &params),
                                gram(backward_jacobian(ctx, net, batch, params)));
    std::printf("  exact vs per-sample backward passes: %.2e\n", error);
    CHECK(error < 1e-6);
    CHECK_OK(jnas_net_set_train(net, 0));
    double frozen_error = relative_max(ntk(ctx, net, JNAS_BN_COUPLING_FROZEN, batch, &params),
                                       gram(backward_jacobian(ctx, net, batch, params)));
    std::printf("  frozen (eval mode) vs per-sample backward passes: %.2e\n", frozen_error);
    CHECK(frozen_error < 1e-6);
}

TEST_CASE("spectrum_batched: every matrix as jnas_ntk_spectrum gives it, bit for bit; errors name the matrix") {
    tu::Ctx ctx;
    const int n = 6;
    std::vector<float> nan_matrix = with_spectrum({1, 2, 3, 4, 5, 6});
    nan_matrix[3] = std::numeric_limits<float>::quiet_NaN();
    std::vector<std::vector<float>> values = {with_spectrum({0.05, 0.5, 1, 2, 7, 40}), nan_matrix,
                                              with_spectrum({-1, 0.5, 1, 2, 3, 4}), with_spectrum({1, 1, 1, 1, 1, 9})};
    std::vector<std::unique_ptr<tu::Tensor>> tensors;
    std::vector<const jnas_tensor*> thetas;
    for (const auto& v : values) {
        tensors.push_back(std::make_unique<tu::Tensor>(ctx, std::vector<int64_t>{n, n}, v));
        thetas.push_back(*tensors.back());
    }
    const int count = int(thetas.size());
    std::vector<double> eigenvalues(size_t(count) * n), kappas(static_cast<size_t>(count));
    std::vector<unsigned> flags(static_cast<size_t>(count));
    CHECK_OK(jnas_ntk_spectrum_batched(ctx, count, thetas.data(), eigenvalues.data(), kappas.data(), flags.data()));
    for (int i = 0; i < count; ++i) {
        SpectrumResult one = spectrum(ctx, values[size_t(i)]);
        CHECK(std::memcmp(one.eigenvalues.data(), eigenvalues.data() + i * n, n * sizeof(double)) == 0);
        CHECK(std::memcmp(&one.kappa, &kappas[size_t(i)], sizeof(double)) == 0);
        CHECK(one.flags == flags[size_t(i)]);
    }
    CHECK(flags[0] == 0 && flags[1] == JNAS_SPECTRUM_NONFINITE && flags[2] == JNAS_SPECTRUM_NONPOSITIVE_MIN);
    CHECK_OK(jnas_ntk_spectrum_batched(ctx, 1, thetas.data(), nullptr, kappas.data(), flags.data()));

    tu::Tensor other_size(ctx, {n + 1, n + 1});
    const jnas_tensor* mixed[2] = {thetas[0], other_size};
    CHECK_STATUS(jnas_ntk_spectrum_batched(ctx, 2, mixed, nullptr, kappas.data(), flags.data()), JNAS_ERR_SHAPE);
    CHECK(tu::error_mentions("thetas[1]"));
    const jnas_tensor* missing[2] = {thetas[0], nullptr};
    CHECK_STATUS(jnas_ntk_spectrum_batched(ctx, 2, missing, nullptr, kappas.data(), flags.data()),
                 JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("thetas[1] is NULL"));
    CHECK_STATUS(jnas_ntk_spectrum_batched(ctx, 0, thetas.data(), nullptr, kappas.data(), flags.data()),
                 JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_ntk_spectrum_batched(ctx, 1, nullptr, nullptr, kappas.data(), flags.data()),
                 JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_ntk_spectrum_batched(ctx, 1, thetas.data(), nullptr, nullptr, flags.data()),
                 JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_ntk_spectrum_batched(ctx, 1, thetas.data(), nullptr, kappas.data(), nullptr),
                 JNAS_ERR_INVALID_ARGUMENT);
    tu::Ctx elsewhere_ctx;
    tu::Tensor elsewhere(elsewhere_ctx, {n, n});
    const jnas_tensor* foreign[1] = {elsewhere};
    CHECK_STATUS(jnas_ntk_spectrum_batched(ctx, 1, foreign, nullptr, kappas.data(), flags.data()),
                 JNAS_ERR_INVALID_ARGUMENT);
}

}  // namespace
