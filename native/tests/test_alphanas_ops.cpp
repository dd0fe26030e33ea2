// test_alphanas_ops.cpp — the ops of alphaNAS's vocabulary: sigmoid, swish, gelu (tanh approximation), softmax over
// channels, layer norm, group norm, global max pooling and flatten, through the C API.
//
// Each op is checked against a double-precision reference written from its definition: the forward value by value,
// and the gradients (input, γ, β) against central differences of the reference's loss Σ r ⊙ y in double, by
// relative norm, with a check that a 10 % wrong gradient would fail. Then hand-computed cases, shape errors,
// thread-count determinism, the Hessian-diagonal rules, the NTK's Jacobian rows and the MAC count.
#define JNAS_TEST_MAIN
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "check.hpp"
#include "test_util.hpp"

namespace {

using Doubles = std::vector<double>;

// ---- double-precision references (x is [batch, c, hw]; params are γ, β when the op has them) ------------------

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }
double gelu(double v) { return 0.5 * v * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (v + 0.044715 * v * v * v))); }

Doubles softmax(const Doubles& x, int batch, int c, int hw) {
    Doubles y(x.size());
    for (int s = 0; s < batch; ++s)
        for (int p = 0; p < hw; ++p) {
            auto at = [&](int ch) { return (size_t(s) * c + ch) * hw + p; };
            double largest = x[at(0)], total = 0.0;
            for (int ch = 1; ch < c; ++ch) largest = std::max(largest, x[at(ch)]);
            for (int ch = 0; ch < c; ++ch) total += std::exp(x[at(ch)] - largest);
            for (int ch = 0; ch < c; ++ch) y[at(ch)] = std::exp(x[at(ch)] - largest) / total;
        }
    return y;
}

// Normalizes each set of indices (a statistic's values) and applies γ[channel]·x̂ + β[channel].
void normalize_set(const Doubles& x, const std::vector<size_t>& set, const Doubles& gamma, const Doubles& beta,
                   int c, int hw, double eps, Doubles& y) {
    double mean = 0.0, var = 0.0;
    for (size_t i : set) mean += x[i];
    mean /= double(set.size());
    for (size_t i : set) var += (x[i] - mean) * (x[i] - mean);
    var /= double(set.size());
    for (size_t i : set) {
        int channel = int(i / hw % c);
        y[i] = gamma[channel] * (x[i] - mean) / std::sqrt(var + eps) + beta[channel];
    }
}

Doubles layer_norm(const Doubles& x, const Doubles& gamma, const Doubles& beta, int batch, int c, int hw, double eps) {
    Doubles y(x.size());
    for (int s = 0; s < batch; ++s)
        for (int p = 0; p < hw; ++p) {
            std::vector<size_t> set;
            for (int ch = 0; ch < c; ++ch) set.push_back((size_t(s) * c + ch) * hw + p);
            normalize_set(x, set, gamma, beta, c, hw, eps, y);
        }
    return y;
}

Doubles group_norm(const Doubles& x, const Doubles& gamma, const Doubles& beta, int batch, int c, int hw, int groups,
                   double eps) {
    Doubles y(x.size());
    for (int s = 0; s < batch; ++s)
        for (int g = 0; g < groups; ++g) {
            std::vector<size_t> set;
            for (int ch = g * (c / groups); ch < (g + 1) * (c / groups); ++ch)
                for (int p = 0; p < hw; ++p) set.push_back((size_t(s) * c + ch) * hw + p);
            normalize_set(x, set, gamma, beta, c, hw, eps, y);
        }
    return y;
}

Doubles global_max_pool(const Doubles& x, int batch, int c, int hw) {
    Doubles y(size_t(batch) * c);
    for (size_t plane = 0; plane < y.size(); ++plane)
        y[plane] = *std::max_element(x.begin() + plane * hw, x.begin() + (plane + 1) * hw);
    return y;
}

Doubles map(const Doubles& x, double (*f)(double)) {
    Doubles y(x.size());
    std::transform(x.begin(), x.end(), y.begin(), f);
    return y;
}

// ---- the op cases ------------------------------------------------------------------------------------------------

// One op on one input of per-sample shape [c, hw] (hw = 1 means the 1-D shape [c]).
struct OpCase {
    std::string label;
    int c, h, w;  // per-sample [c, h, w], or [c] when h == 0
    std::function<int(tu::Graph&, int)> build;
    // y from x [batch, c, h·w] and the parameters (γ, β for the norms, none otherwise)
    std::function<Doubles(const Doubles&, const std::vector<Doubles>&, int)> reference;
    int batch = 3;
    float scale = 3.0f;  // inputs uniform in [-scale, scale)
};

int activation(tu::Graph& g, int x, jnas_activation kind) {
    int id = -1;
    CHECK_OK(jnas_graph_activation(g, x, kind, &id));
    return id;
}
int softmax_node(tu::Graph& g, int x) {
    int id = -1;
    CHECK_OK(jnas_graph_softmax(g, x, &id));
    return id;
}
int layer_norm_node(tu::Graph& g, int x, float eps = 1e-5f) {
    int id = -1;
    CHECK_OK(jnas_graph_layer_norm(g, "ln", x, eps, &id));
    return id;
}
int group_norm_node(tu::Graph& g, int x, int groups, float eps = 1e-5f) {
    int id = -1;
    CHECK_OK(jnas_graph_group_norm(g, "gn", x, groups, eps, &id));
    return id;
}
int global_max_pool_node(tu::Graph& g, int x) {
    int id = -1;
    CHECK_OK(jnas_graph_global_max_pool(g, x, &id));
    return id;
}
int flatten_node(tu::Graph& g, int x) {
    int id = -1;
    CHECK_OK(jnas_graph_flatten(g, x, &id));
    return id;
}

std::vector<OpCase> op_cases() {
    std::vector<OpCase> cases;
    cases.push_back({"sigmoid", 2, 3, 3, [](tu::Graph& g, int x) { return activation(g, x, JNAS_ACT_SIGMOID); },
                     [](const Doubles& x, const std::vector<Doubles>&, int) { return map(x, sigmoid); }});
    cases.push_back({"swish", 2, 3, 3, [](tu::Graph& g, int x) { return activation(g, x, JNAS_ACT_SWISH); },
                     [](const Doubles& x, const std::vector<Doubles>&, int) {
                         return map(x, [](double v) { return v * sigmoid(v); });
                     }});
    cases.push_back({"gelu", 2, 3, 3, [](tu::Graph& g, int x) { return activation(g, x, JNAS_ACT_GELU); },
                     [](const Doubles& x, const std::vector<Doubles>&, int) { return map(x, gelu); }});
    cases.push_back({"softmax [4, 2, 3]", 4, 2, 3, softmax_node,
                     [](const Doubles& x, const std::vector<Doubles>&, int b) { return softmax(x, b, 4, 6); }});
    cases.push_back({"softmax [7]", 7, 0, 0, softmax_node,
                     [](const Doubles& x, const std::vector<Doubles>&, int b) { return softmax(x, b, 7, 1); }});
    cases.push_back({"layer_norm [5, 2, 3]", 5, 2, 3, [](tu::Graph& g, int x) { return layer_norm_node(g, x); },
                     [](const Doubles& x, const std::vector<Doubles>& p, int b) {
                         return layer_norm(x, p[0], p[1], b, 5, 6, 1e-5);
                     }});
    cases.push_back({"layer_norm [6]", 6, 0, 0, [](tu::Graph& g, int x) { return layer_norm_node(g, x); },
                     [](const Doubles& x, const std::vector<Doubles>& p, int b) {
                         return layer_norm(x, p[0], p[1], b, 6, 1, 1e-5);
                     }});
    for (int groups : {1, 2, 6}) {
        cases.push_back({"group_norm G=" + std::to_string(groups) + " [6, 2, 2]", 6, 2, 2,
                         [groups](tu::Graph& g, int x) { return group_norm_node(g, x, groups); },
                         [groups](const Doubles& x, const std::vector<Doubles>& p, int b) {
                             return group_norm(x, p[0], p[1], b, 6, 4, groups, 1e-5);
                         }});
    }
    cases.push_back({"global_max_pool [3, 3, 4]", 3, 3, 4, global_max_pool_node,
                     [](const Doubles& x, const std::vector<Doubles>&, int b) {
                         return global_max_pool(x, b, 3, 12);
                     }});
    cases.push_back({"flatten [2, 3, 2]", 2, 3, 2, flatten_node,
                     [](const Doubles& x, const std::vector<Doubles>&, int) { return x; }});
    return cases;
}

double norm(const Doubles& v) {
    double s = 0.0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
}

double relative_error(const Doubles& numeric, const std::vector<float>& analytic, double scale = 1.0) {
    Doubles diff(numeric.size()), a(numeric.size());
    for (size_t i = 0; i < numeric.size(); ++i) {
        a[i] = scale * analytic[i];
        diff[i] = numeric[i] - a[i];
    }
    double denom = std::max(norm(a), norm(numeric));
    return denom == 0.0 ? 0.0 : norm(diff) / denom;
}

// Engine float32 gradients against central differences (step 1e-6) of the double reference's loss.
void compare_gradient(const std::string& what, const Doubles& numeric, const std::vector<float>& analytic) {
    constexpr double kTolerance = 1e-4;
    double err = relative_error(numeric, analytic);
    std::printf("  %-36s rel err %.2e (|g| %.3g)\n", what.c_str(), err, norm(Doubles(analytic.begin(), analytic.end())));
    if (!(err < kTolerance)) jnas_test::report(__FILE__, __LINE__, what + ": rel err " + std::to_string(err));
    if (!(norm(numeric) > 0.0)) jnas_test::report(__FILE__, __LINE__, what + ": zero gradient (vacuous check)");
    if (!(relative_error(numeric, analytic, 1.1) > kTolerance))
        jnas_test::report(__FILE__, __LINE__, what + ": a 10% wrong gradient would pass");
}

void check_against_reference(const OpCase& op) {
    std::printf("%s\n", op.label.c_str());
    tu::Ctx ctx;
    tu::Graph g;
    std::vector<int64_t> per_sample = op.h == 0 ? std::vector<int64_t>{op.c} : std::vector<int64_t>{op.c, op.h, op.w};
    int x = g.input(per_sample);
    tu::Net net(ctx, g, op.build(g, x));
    std::vector<Doubles> params;
    for (int i = 0; i < net.count(); ++i) {  // γ away from 1, β away from 0
        std::vector<float> v = i == 0 ? tu::random_vector(size_t(net.numel(i)), 50, 0.5f, 1.5f)
                                      : tu::random_vector(size_t(net.numel(i)), 51, -0.5f, 0.5f);
        net.set(i, v);
        params.emplace_back(v.begin(), v.end());
    }
    std::vector<int64_t> x_shape{op.batch};
    x_shape.insert(x_shape.end(), per_sample.begin(), per_sample.end());
    std::vector<float> xf = tu::random_vector(size_t(tu::product(x_shape)), 52, -op.scale, op.scale);
    tu::Tensor in(ctx, x_shape, xf);
    tu::Tensor out(ctx, net.output_shape(op.batch));
    CHECK_OK(jnas_net_bind_input(net, x, in));
    CHECK_OK(jnas_net_forward(net, out));

    Doubles xd(xf.begin(), xf.end());
    Doubles want = op.reference(xd, params, op.batch);
    std::vector<float> got = out.read();
    CHECK(got.size() == want.size());
    size_t bad = 0;
    for (size_t i = 0; i < got.size() && i < want.size(); ++i) bad += !jnas_test::close(got[i], want[i], 2e-6, 2e-6);
    if (bad > 0) jnas_test::report(__FILE__, __LINE__, op.label + ": " + std::to_string(bad) + " forward values differ");

    std::vector<float> r = tu::random_vector(got.size(), 53);
    tu::Tensor grad_out(ctx, net.output_shape(op.batch), r);
    CHECK_OK(jnas_net_backward(net, grad_out));
    auto loss = [&](const Doubles& xs, const std::vector<Doubles>& ps) {
        Doubles y = op.reference(xs, ps, op.batch);
        double l = 0.0;
        for (size_t i = 0; i < y.size(); ++i) l += double(r[i]) * y[i];
        return l;
    };
    constexpr double kStep = 1e-6;
    auto central = [&](Doubles& v, size_t j, const std::function<double()>& f) {
        double saved = v[j];
        v[j] = saved + kStep;
        double plus = f();
        v[j] = saved - kStep;
        double minus = f();
        v[j] = saved;
        return (plus - minus) / (2 * kStep);
    };
    Doubles numeric(xd.size());
    for (size_t j = 0; j < xd.size(); ++j) numeric[j] = central(xd, j, [&] { return loss(xd, params); });
    tu::Tensor dx(ctx, x_shape);
    CHECK_OK(jnas_net_input_grad(net, x, dx));
    compare_gradient(op.label + " input", numeric, dx.read());
    for (int i = 0; i < net.count(); ++i) {
        Doubles numeric_p(params[i].size());
        for (size_t j = 0; j < params[i].size(); ++j)
            numeric_p[j] = central(params[i], j, [&] { return loss(xd, params); });
        compare_gradient(op.label + " " + net.name(i), numeric_p, net.grad(i));
    }
}

// Runs a one-input graph on x and returns the output.
std::vector<float> run(tu::Ctx& ctx, tu::Net& net, int input, const std::vector<int64_t>& x_shape,
                       const std::vector<float>& x) {
    tu::Tensor in(ctx, x_shape, x);
    tu::Tensor out(ctx, net.output_shape(x_shape[0]));
    CHECK_OK(jnas_net_bind_input(net, input, in));
    CHECK_OK(jnas_net_forward(net, out));
    return out.read();
}

void check_values(const std::vector<float>& got, const std::vector<double>& expected, double tol = 1e-5) {
    CHECK(got.size() == expected.size());
    for (size_t i = 0; i < got.size() && i < expected.size(); ++i) CHECK_CLOSE(got[i], expected[i], tol, tol);
}

}  // namespace

TEST_CASE("every op: forward equals the double reference; gradients equal its central differences") {
    for (const OpCase& op : op_cases()) check_against_reference(op);
}

TEST_CASE("activations by hand: sigmoid, swish, and gelu's tanh approximation (not the erf form)") {
    tu::Ctx ctx;
    const std::vector<float> x{0.0f, 2.0f, 1.0f, -1.0f};
    struct Expected { jnas_activation kind; std::vector<double> y; };
    const Expected cases[] = {
        {JNAS_ACT_SIGMOID, {0.5, 0.8807970779778823, 0.7310585786300049, 0.2689414213699951}},
        {JNAS_ACT_SWISH, {0.0, 1.7615941559557646, 0.7310585786300049, -0.2689414213699951}},
        // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))); the erf form would give gelu(1) = 0.8413447
        {JNAS_ACT_GELU, {0.0, 1.954597694087775, 0.8411919906082768, -0.15880800939172324}},
    };
    for (const Expected& e : cases) {
        tu::Graph g;
        int in = g.input({4});
        tu::Net net(ctx, g, activation(g, in, e.kind));
        check_values(run(ctx, net, in, {1, 4}, x), e.y, 1e-6);
    }
}

TEST_CASE("softmax by hand: per pixel over the channels") {
    // [2, 1, 2]: pixel 0 has channel values (0, ln 3) -> (1/4, 3/4); pixel 1 has (1, 1) -> (1/2, 1/2).
    tu::Ctx ctx;
    tu::Graph g;
    int in = g.input({2, 1, 2});
    tu::Net net(ctx, g, softmax_node(g, in));
    check_values(run(ctx, net, in, {1, 2, 1, 2}, {0.0f, 1.0f, float(std::log(3.0)), 1.0f}), {0.25, 0.5, 0.75, 0.5});
}

TEST_CASE("layer norm by hand: per position over the channels, then γ and β per channel") {
    // [2, 1, 2], channel 0 = (1, 5), channel 1 = (3, 5). Position 0: (1, 3), mean 2, variance 1 -> (-1, 1);
    // position 1: (5, 5), variance 0 -> (0, 0). γ = (2, 1), β = (0.5, -0.5): channel 0 = (-1.5, 0.5),
    // channel 1 = (0.5, -0.5). (eps 1e-6 moves these by under 1e-6.)
    tu::Ctx ctx;
    tu::Graph g;
    int in = g.input({2, 1, 2});
    tu::Net net(ctx, g, layer_norm_node(g, in, 1e-6f));
    CHECK(net.name(0) == "ln.weight" && net.name(1) == "ln.bias");
    CHECK(net.param(0) == std::vector<float>({1.0f, 1.0f}) && net.param(1) == std::vector<float>({0.0f, 0.0f}));
    net.set(0, {2.0f, 1.0f});
    net.set(1, {0.5f, -0.5f});
    check_values(run(ctx, net, in, {1, 2, 1, 2}, {1.0f, 5.0f, 3.0f, 5.0f}), {-1.5, 0.5, 0.5, -0.5});
    // [3] as one vector: (1, 2, 3), mean 2, variance 2/3 -> ±√1.5.
    tu::Graph v;
    int vin = v.input({3});
    tu::Net vnet(ctx, v, layer_norm_node(v, vin, 1e-6f));
    check_values(run(ctx, vnet, vin, {1, 3}, {1.0f, 2.0f, 3.0f}), {-std::sqrt(1.5), 0.0, std::sqrt(1.5)});
}

TEST_CASE("group norm by hand: groups of channels over all positions, samples apart") {
    // [4, 1, 2]: channels (1, 3), (1, 3), (0, 0), (2, 2). G = 2: group 0 = {1, 3, 1, 3}, mean 2, variance 1 ->
    // (-1, 1, -1, 1); group 1 = {0, 0, 2, 2}, mean 1, variance 1 -> (-1, -1, 1, 1). G = 4 (instance norm):
    // (1, 3) -> (-1, 1) twice, (0, 0) and (2, 2) -> zeros. The second sample is the first times 10 plus 7, which
    // normalizes to the same values: no statistic crosses samples.
    tu::Ctx ctx;
    std::vector<float> sample{1, 3, 1, 3, 0, 0, 2, 2}, x = sample;
    for (float v : sample) x.push_back(10.0f * v + 7.0f);
    struct Expected { int groups; std::vector<double> y; };
    for (const Expected& e : {Expected{2, {-1, 1, -1, 1, -1, -1, 1, 1}}, Expected{4, {-1, 1, -1, 1, 0, 0, 0, 0}}}) {
        tu::Graph g;
        int in = g.input({4, 1, 2});
        tu::Net net(ctx, g, group_norm_node(g, in, e.groups, 1e-6f));
        std::vector<double> both = e.y;
        both.insert(both.end(), e.y.begin(), e.y.end());
        check_values(run(ctx, net, in, {2, 4, 1, 2}, x), both);
    }
}

TEST_CASE("global max pool by hand: the first maximum of each plane takes the gradient") {
    // [2, 2, 2]: channel 0 = (1, 7, 3, 7) -> 7 at index 1 (the first of two); channel 1 = (-5, -2, -9, -3) -> -2.
    tu::Ctx ctx;
    tu::Graph g;
    int in = g.input({2, 2, 2});
    int pool = global_max_pool_node(g, in);
    tu::Net net(ctx, g, pool);
    check_values(run(ctx, net, in, {1, 2, 2, 2}, {1, 7, 3, 7, -5, -2, -9, -3}), {7, -2});
    tu::Tensor dy(ctx, {1, 2}, {1.0f, 2.0f}), dx(ctx, {1, 2, 2, 2});
    CHECK_OK(jnas_net_backward(net, dy));
    CHECK_OK(jnas_net_input_grad(net, in, dx));
    check_values(dx.read(), {0, 1, 0, 0, 0, 2, 0, 0});
}

TEST_CASE("flatten: [C, H, W] -> [C·H·W] in the same order, so softmax sees every feature") {
    tu::Ctx ctx;
    tu::Graph g;
    int in = g.input({2, 1, 2});
    int flat = flatten_node(g, in);
    int ndim = 0;
    int64_t shape[JNAS_MAX_DIMS] = {};
    CHECK_OK(jnas_graph_node_shape(g, flat, &ndim, shape));
    CHECK(ndim == 1 && shape[0] == 4);
    // Softmax over all four values (ln 1, ln 2, ln 3, ln 4) / 10, not per pixel.
    tu::Net net(ctx, g, softmax_node(g, flat));
    std::vector<float> x{0.0f, float(std::log(2.0)), float(std::log(3.0)), float(std::log(4.0))};
    check_values(run(ctx, net, in, {1, 2, 1, 2}, x), {0.1, 0.2, 0.3, 0.4});
}

TEST_CASE("shape and argument errors name the problem") {
    tu::Graph g;
    int image = g.input({6, 4, 4}), vector = g.input({6}), id = -1;
    CHECK_STATUS(jnas_graph_group_norm(g, "gn", image, 4, 1e-5f, &id), JNAS_ERR_SHAPE);
    CHECK(tu::error_mentions("groups = 4 does not divide the 6 channels"));
    CHECK_STATUS(jnas_graph_group_norm(g, "gn", image, 0, 1e-5f, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("groups = 0 < 1"));
    CHECK_STATUS(jnas_graph_group_norm(g, "gn", image, 3, 0.0f, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("eps = 0 must be > 0"));
    CHECK_STATUS(jnas_graph_layer_norm(g, "ln", image, -1.0f, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("layer_norm 'ln'"));
    CHECK_STATUS(jnas_graph_layer_norm(g, nullptr, image, 1e-5f, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_graph_global_max_pool(g, vector, &id), JNAS_ERR_SHAPE);
    CHECK(tu::error_mentions("global_max_pool needs [C, H, W]"));
    CHECK_STATUS(jnas_graph_activation(g, image, jnas_activation(6), &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("is not a jnas_activation (0..5)"));
    CHECK_STATUS(jnas_graph_softmax(g, 42, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("node 42 does not exist"));
    CHECK_STATUS(jnas_graph_flatten(g, -1, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_OK(jnas_graph_group_norm(g, "gn", image, 3, 1e-5f, &id));
    CHECK_STATUS(jnas_graph_layer_norm(g, "gn", image, 1e-5f, &id), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("name 'gn' is already used"));
}

TEST_CASE("outputs and gradients are bit-identical for 1 and 3 threads") {
    // Large enough (32 · 16 · 8 · 8 = 32768 values) that the kernels split their work over threads.
    auto run_with = [](int threads) {
        tu::Ctx ctx;
        CHECK_OK(jnas_ctx_set_threads(ctx, threads));
        tu::Graph g;
        int x = g.input({16, 8, 8}), ln = -1, gn = -1, act = -1, soft = -1, pool = -1, flat = -1, sum = -1;
        CHECK_OK(jnas_graph_layer_norm(g, "ln", x, 1e-5f, &ln));
        CHECK_OK(jnas_graph_activation(g, ln, JNAS_ACT_GELU, &act));
        CHECK_OK(jnas_graph_group_norm(g, "gn", act, 4, 1e-5f, &gn));
        CHECK_OK(jnas_graph_softmax(g, gn, &soft));
        CHECK_OK(jnas_graph_activation(g, soft, JNAS_ACT_SWISH, &act));
        CHECK_OK(jnas_graph_global_max_pool(g, act, &pool));
        CHECK_OK(jnas_graph_flatten(g, soft, &flat));
        int fc = -1;
        CHECK_OK(jnas_graph_linear(g, "fc", flat, 16, 1, &fc));
        CHECK_OK(jnas_graph_add(g, fc, pool, &sum));
        tu::Net net(ctx, g, sum, JNAS_INIT_PYTORCH_DEFAULT, 5);
        net.set(0, tu::random_vector(16, 6, 0.5f, 1.5f));
        tu::Tensor in(ctx, {32, 16, 8, 8}, tu::random_vector(32 * 16 * 64, 7, -2.0f, 2.0f));
        tu::Tensor out(ctx, {32, 16}), dy(ctx, {32, 16}, tu::random_vector(32 * 16, 8)), dx(ctx, {32, 16, 8, 8});
        CHECK_OK(jnas_net_bind_input(net, x, in));
        CHECK_OK(jnas_net_forward(net, out));
        CHECK_OK(jnas_net_backward(net, dy));
        CHECK_OK(jnas_net_input_grad(net, x, dx));
        std::vector<float> all = out.read(), grad = dx.read();
        all.insert(all.end(), grad.begin(), grad.end());
        for (int i = 0; i < net.count(); ++i) {
            std::vector<float> g_i = net.grad(i);
            all.insert(all.end(), g_i.begin(), g_i.end());
        }
        return all;
    };
    std::vector<float> one = run_with(1), three = run_with(3);
    CHECK(one.size() == three.size());
    CHECK(std::memcmp(one.data(), three.data(), one.size() * sizeof(float)) == 0);
}

TEST_CASE("Hessian diagonal: layer and group norm follow batch norm's rule with per-sample statistics") {
    // fc (linear, 3 -> 4 features) then a norm, seeded with a positive diagonal S. With the statistics constants:
    // H_γ[c] = Σ x̂²·S, H_β[c] = Σ S, Hz = S·γ²·invstd² and H_W[o][i] = Σ_b x_i²·Hz[b][o].
    for (bool layer : {true, false}) {
        tu::Ctx ctx;
        tu::Graph g;
        int x = g.input({3}), fc = -1;
        CHECK_OK(jnas_graph_linear(g, "fc", x, 4, 0, &fc));
        int norm = layer ? layer_norm_node(g, fc) : group_norm_node(g, fc, 2);
        tu::Net net(ctx, g, norm);
        const int batch = 5;
        std::vector<float> gamma = tu::random_vector(4, 60, 0.5f, 1.5f), w = net.param(0);
        net.set(1, gamma);
        std::vector<float> xs = tu::random_vector(batch * 3, 61), seed = tu::random_vector(batch * 4, 62, 0.1f, 1.0f);
        tu::Tensor in(ctx, {batch, 3}, xs), out(ctx, {batch, 4}), seed_t(ctx, {batch, 4}, seed);
        CHECK_OK(jnas_net_bind_input(net, x, in));  // the pass reads the bound input: keep it alive
        CHECK_OK(jnas_net_forward(net, out));
        CHECK_OK(jnas_net_hessian_diag(net, seed_t));

        Doubles hw(12, 0.0), hgamma(4, 0.0), hbeta(4, 0.0);
        for (int b = 0; b < batch; ++b) {
            double z[4];
            for (int o = 0; o < 4; ++o) {
                z[o] = 0.0;
                for (int i = 0; i < 3; ++i) z[o] += double(w[o * 3 + i]) * xs[b * 3 + i];
            }
            // the sets sharing a statistic: all four features (layer norm on [4]) or two groups of two
            for (int first = 0; first < 4; first += layer ? 4 : 2) {
                int count = layer ? 4 : 2;
                double mean = 0.0, var = 0.0;
                for (int o = first; o < first + count; ++o) mean += z[o] / count;
                for (int o = first; o < first + count; ++o) var += (z[o] - mean) * (z[o] - mean) / count;
                double invstd = 1.0 / std::sqrt(var + 1e-5);
                for (int o = first; o < first + count; ++o) {
                    double s = seed[b * 4 + o], normalized = (z[o] - mean) * invstd;
                    hgamma[o] += normalized * normalized * s;
                    hbeta[o] += s;
                    double hz = s * gamma[o] * gamma[o] * invstd * invstd;
                    for (int i = 0; i < 3; ++i) hw[o * 3 + i] += double(xs[b * 3 + i]) * xs[b * 3 + i] * hz;
                }
            }
        }
        std::vector<float> got(12);
        CHECK_OK(jnas_net_hessian_read(net, 0, got.data(), 12));
        check_values(got, hw, 1e-4);
        got.resize(4);
        CHECK_OK(jnas_net_hessian_read(net, 1, got.data(), 4));
        check_values(got, hgamma, 1e-4);
        CHECK_OK(jnas_net_hessian_read(net, 2, got.data(), 4));
        check_values(got, hbeta, 1e-5);
    }
}

TEST_CASE("Hessian diagonal: softmax is unsupported, the smooth activations need a backward; global max pool and "
          "flatten pass") {
    tu::Ctx ctx;
    std::vector<std::function<int(tu::Graph&, int)>> ops{
        softmax_node,
        [](tu::Graph& g, int x) { return activation(g, x, JNAS_ACT_SIGMOID); },
        [](tu::Graph& g, int x) { return activation(g, x, JNAS_ACT_SWISH); },
        [](tu::Graph& g, int x) { return activation(g, x, JNAS_ACT_GELU); },
    };
    const char* names[] = {"softmax", "sigmoid", "swish", "gelu"};
    for (size_t k = 0; k < ops.size(); ++k) {
        tu::Graph g;
        int x = g.input({2, 2, 2}), conv = -1;
        CHECK_OK(jnas_graph_conv2d(g, "c", x, 2, 1, 1, 1, 0, 1, 1, 0, &conv));
        tu::Net net(ctx, g, ops[k](g, conv));
        tu::Tensor in(ctx, {2, 2, 2, 2}, tu::random_vector(16, 70)), out(ctx, {2, 2, 2, 2});
        tu::Tensor seed(ctx, {2, 2, 2, 2}, std::vector<float>(16, 1.0f));
        CHECK_OK(jnas_net_bind_input(net, x, in));
        CHECK_OK(jnas_net_forward(net, out));
        bool softmax = k == 0;
        CHECK_STATUS(jnas_net_hessian_diag(net, seed), softmax ? JNAS_ERR_UNSUPPORTED : JNAS_ERR_STATE);
        CHECK(tu::error_mentions(names[k]));
        if (softmax) continue;
        CHECK_OK(jnas_net_backward(net, seed));  // dL/dy for the f''·gradient term (test_hessian checks its values)
        CHECK_OK(jnas_net_hessian_diag(net, seed));
    }
    // conv (1x1, 2 -> 2) -> global max pool -> flatten: the argmax pixel of each plane gets H_y, so
    // H_W[o][i] = Σ_b x[b][i][argmax(b, o)]²·S[b][o].
    tu::Graph g;
    int x = g.input({2, 2, 2}), conv = -1;
    CHECK_OK(jnas_graph_conv2d(g, "c", x, 2, 1, 1, 1, 0, 1, 1, 0, &conv));
    int pool = global_max_pool_node(g, conv);
    tu::Net net(ctx, g, flatten_node(g, pool));
    std::vector<float> xs = tu::random_vector(16, 71), w = net.param(0), seed = {0.5f, 1.0f, 2.0f, 0.25f};
    tu::Tensor in(ctx, {2, 2, 2, 2}, xs), out(ctx, {2, 2}), seed_t(ctx, {2, 2}, seed);
    CHECK_OK(jnas_net_bind_input(net, x, in));
    CHECK_OK(jnas_net_forward(net, out));
    CHECK_OK(jnas_net_hessian_diag(net, seed_t));
    Doubles want(4, 0.0);
    for (int b = 0; b < 2; ++b)
        for (int o = 0; o < 2; ++o) {
            int best = 0;
            double best_value = -1e30;
            for (int p = 0; p < 4; ++p) {
                double v = double(w[o * 2]) * xs[b * 8 + p] + double(w[o * 2 + 1]) * xs[b * 8 + 4 + p];
                if (v > best_value) best_value = v, best = p;
            }
            for (int i = 0; i < 2; ++i) {
                double v = xs[b * 8 + i * 4 + best];
                want[o * 2 + i] += v * v * seed[b * 2 + o];
            }
        }
    std::vector<float> got(4);
    CHECK_OK(jnas_net_hessian_read(net, 0, got.data(), 4));
    check_values(got, want, 1e-5);
}

TEST_CASE("NTK: group and layer norm γ in J's rows equal per-sample gradients (frozen and exact coupling)") {
    // Norm statistics are per sample, so sample i's gradient is a backward with a one-hot cotangent on sample i,
    // and Θ[i][j] = <g_i, g_j> over the default parameters (conv/linear weights, γ) whatever the coupling.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({2, 3, 3}), conv = -1, fc = -1;
    CHECK_OK(jnas_graph_conv2d(g, "c", x, 4, 3, 3, 1, 1, 1, 1, 0, &conv));
    int gn = group_norm_node(g, conv, 2);
    int act = activation(g, gn, JNAS_ACT_GELU);
    int ln = layer_norm_node(g, act);
    CHECK_OK(jnas_graph_linear(g, "fc", ln, 3, 1, &fc));
    tu::Net net(ctx, g, fc);
    for (int i = 0; i < net.count(); ++i)
        if (net.role(i) == JNAS_PARAM_BN_WEIGHT)
            net.set(i, tu::random_vector(size_t(net.numel(i)), 80 + i, 0.5f, 1.5f));
    const int batch = 4;
    tu::Tensor in(ctx, {batch, 2, 3, 3}, tu::random_vector(batch * 18, 81));
    CHECK_OK(jnas_net_bind_input(net, x, in));
    std::vector<int> chosen;
    for (int i = 0; i < net.count(); ++i)
        if (net.role(i) == JNAS_PARAM_WEIGHT || net.role(i) == JNAS_PARAM_BN_WEIGHT) chosen.push_back(i);
    CHECK(chosen.size() == 4);  // c.weight, gn.weight, ln.weight, fc.weight
    std::vector<std::vector<float>> rows(batch);
    tu::Tensor out(ctx, {batch, 3});
    for (int i = 0; i < batch; ++i) {
        CHECK_OK(jnas_net_zero_grad(net));
        CHECK_OK(jnas_net_forward(net, out));
        std::vector<float> onehot(batch * 3, 0.0f);
        std::fill(onehot.begin() + i * 3, onehot.begin() + i * 3 + 3, 1.0f);
        tu::Tensor cotangent(ctx, {batch, 3}, onehot);
        CHECK_OK(jnas_net_backward(net, cotangent));
        for (int p : chosen) {
            std::vector<float> gp = net.grad(p);
            rows[i].insert(rows[i].end(), gp.begin(), gp.end());
        }
    }
    Doubles want(batch * batch, 0.0);
    for (int i = 0; i < batch; ++i)
        for (int j = 0; j < batch; ++j)
            for (size_t k = 0; k < rows[i].size(); ++k) want[i * batch + j] += double(rows[i][k]) * rows[j][k];
    for (jnas_bn_coupling coupling : {JNAS_BN_COUPLING_FROZEN, JNAS_BN_COUPLING_EXACT}) {
        tu::Tensor theta(ctx, {batch, batch});
        CHECK_OK(jnas_net_ntk(net, coupling, 0, nullptr, theta));
        check_values(theta.read(), want, 1e-4);
    }
}

TEST_CASE("graph MACs: norms, activations, softmax, pooling and flatten add none") {
    tu::Graph g;
    int x = g.input({3, 4, 4}), conv = -1, fc = -1;
    CHECK_OK(jnas_graph_conv2d(g, "c", x, 4, 3, 3, 1, 1, 1, 1, 0, &conv));  // 64 outputs · 9 · 3
    int chain = group_norm_node(g, layer_norm_node(g, conv), 2);
    chain = softmax_node(g, activation(g, chain, JNAS_ACT_SWISH));
    int pooled = global_max_pool_node(g, chain);
    CHECK_OK(jnas_graph_linear(g, "fc", flatten_node(g, pooled), 5, 1, &fc));  // 4 · 5
    int64_t conv_macs = -1, linear_macs = -1;
    CHECK_OK(jnas_graph_macs(g, fc, &conv_macs, &linear_macs));
    CHECK(conv_macs == 64 * 9 * 3);
    CHECK(linear_macs == 20);
}
