// test_gradcheck.cpp — finite-difference gradient checks through the C API, for every op.
//
// Each case builds a small graph, sets loss = Σ r ⊙ output for a fixed random r (so grad_output = r), runs
// backward, and compares every trainable parameter's gradient and every input's gradient with central
// differences of the loss (float32 forward, sums in double). Vectors are compared by relative norm
// ‖g_fd − g‖ / ‖g‖, which tolerates the few elements that straddle a ReLU or max-pool kink. Each comparison
// also checks that a 10 % wrong gradient would fail, so the tolerance has teeth.
#define JNAS_TEST_MAIN
#include <cstdio>
#include <functional>
#include <memory>
#include <set>

#include "check.hpp"
#include "test_util.hpp"

namespace {

struct Problem {
    tu::Graph graph;
    int output = -1;
    std::vector<int> inputs;
    int batch = 2;
    bool train = true;
    float eps = 1e-2f;
    double tol = 1e-2;
    std::set<std::string> expect_zero;      // gradients that must be exactly zero (skipped branches, zero op)
    std::function<void(tu::Net&)> setup;    // after the net is made and randomized, e.g. mixing weights
};

double norm(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x * x;
    return std::sqrt(s);
}

double relative_error(const std::vector<double>& numeric, const std::vector<float>& analytic, double scale = 1.0) {
    std::vector<double> diff(numeric.size()), a(numeric.size());
    for (size_t i = 0; i < numeric.size(); ++i) {
        a[i] = scale * analytic[i];
        diff[i] = numeric[i] - a[i];
    }
    double denom = std::max(norm(a), norm(numeric));
    return denom == 0 ? 0 : norm(diff) / denom;
}

// Gives batch-norm affine parameters, biases and running statistics values away from their trivial inits.
void randomize(tu::Net& net) {
    for (int i = 0; i < net.count(); ++i) {
        std::string name = net.name(i);
        size_t n = size_t(net.numel(i));
        uint32_t seed = 100 + uint32_t(i);
        switch (net.role(i)) {
            case JNAS_PARAM_BN_WEIGHT: net.set(i, tu::random_vector(n, seed, 0.5f, 1.5f)); break;
            case JNAS_PARAM_BN_BIAS:
            case JNAS_PARAM_BIAS: net.set(i, tu::random_vector(n, seed, -0.5f, 0.5f)); break;
            case JNAS_PARAM_BN_RUNNING:
                if (name.size() > 4 && name.substr(name.size() - 4) == "_var")
                    net.set(i, tu::random_vector(n, seed, 0.5f, 2.0f));
                else
                    net.set(i, tu::random_vector(n, seed, -0.5f, 0.5f));
                break;
            default: break;
        }
    }
}

void compare(const char* label, const std::string& what, const std::vector<double>& numeric,
             const std::vector<float>& analytic, const Problem& p) {
    double err = relative_error(numeric, analytic);
    if (p.expect_zero.count(what)) {
        bool all_zero = true;
        for (size_t i = 0; i < numeric.size(); ++i) all_zero = all_zero && analytic[i] == 0.0f && numeric[i] == 0.0;
        if (!all_zero) jnas_test::report(__FILE__, __LINE__, std::string(label) + ": " + what + " should be all zero");
        std::printf("  %-28s zero as expected\n", what.c_str());
        return;
    }
    double analytic_norm = 0;
    for (float g : analytic) analytic_norm += double(g) * g;
    std::printf("  %-28s rel err %.2e  (|g| %.3g)\n", what.c_str(), err, std::sqrt(analytic_norm));
    if (!(err < p.tol))
        jnas_test::report(__FILE__, __LINE__, std::string(label) + ": " + what + " gradient off, rel err " +
                                                  std::to_string(err));
    if (!(analytic_norm > 0))
        jnas_test::report(__FILE__, __LINE__, std::string(label) + ": " + what + " gradient is zero (vacuous check)");
    if (!(relative_error(numeric, analytic, 1.1) > p.tol))
        jnas_test::report(__FILE__, __LINE__, std::string(label) + ": a 10% wrong " + what + " gradient would pass");
}

void gradcheck(const char* label, Problem& p) {
    std::printf("%s\n", label);
    tu::Ctx ctx;
    tu::Net net(ctx, p.graph, p.output, JNAS_INIT_PYTORCH_DEFAULT, 11);
    CHECK_OK(jnas_net_set_train(net, p.train ? 1 : 0));
    randomize(net);
    if (p.setup) p.setup(net);

    std::vector<std::unique_ptr<tu::Tensor>> inputs;
    std::vector<std::vector<float>> input_values;
    for (size_t k = 0; k < p.inputs.size(); ++k) {
        int ndim = 0;
        int64_t shape[JNAS_MAX_DIMS] = {};
        CHECK_OK(jnas_graph_node_shape(p.graph, p.inputs[k], &ndim, shape));
        std::vector<int64_t> s{p.batch};
        s.insert(s.end(), shape, shape + ndim);
        input_values.push_back(tu::random_vector(size_t(tu::product(s)), 7 + uint32_t(k)));
        inputs.push_back(std::make_unique<tu::Tensor>(ctx, s, input_values.back()));
        CHECK_OK(jnas_net_bind_input(net, p.inputs[k], *inputs.back()));
    }
    std::vector<int64_t> out_shape = net.output_shape(p.batch);
    tu::Tensor out(ctx, out_shape);
    std::vector<float> r = tu::random_vector(size_t(out.numel()), 3);
    tu::Tensor grad_out(ctx, out_shape, r);
    auto loss = [&] {
        CHECK_OK(jnas_net_forward(net, out));
        std::vector<float> y = out.read();
        double l = 0;
        for (size_t i = 0; i < y.size(); ++i) l += double(r[i]) * y[i];
        return l;
    };

    CHECK_OK(jnas_net_zero_grad(net));
    loss();
    CHECK_OK(jnas_net_backward(net, grad_out));
    double eps = p.eps;

    for (int i = 0; i < net.count(); ++i) {
        if (!net.trainable(i)) continue;
        std::vector<float> analytic = net.grad(i), w = net.param(i);
        std::vector<double> numeric(w.size());
        for (size_t j = 0; j < w.size(); ++j) {
            float saved = w[j];
            w[j] = saved + p.eps;
            net.set(i, w);
            double plus = loss();
            w[j] = saved - p.eps;
            net.set(i, w);
            double minus = loss();
            w[j] = saved;
            numeric[j] = (plus - minus) / (2 * eps);
        }
        net.set(i, w);
        compare(label, net.name(i), numeric, analytic, p);
    }
    for (size_t k = 0; k < p.inputs.size(); ++k) {
        tu::Tensor dx(ctx, inputs[k]->shape);
        CHECK_OK(jnas_net_input_grad(net, p.inputs[k], dx));
        std::vector<float> analytic = dx.read(), x = input_values[k];
        std::vector<double> numeric(x.size());
        for (size_t j = 0; j < x.size(); ++j) {
            float saved = x[j];
            x[j] = saved + p.eps;
            inputs[k]->write(x);
            double plus = loss();
            x[j] = saved - p.eps;
            inputs[k]->write(x);
            double minus = loss();
            x[j] = saved;
            numeric[j] = (plus - minus) / (2 * eps);
        }
        inputs[k]->write(x);
        compare(label, "input " + std::to_string(p.inputs[k]), numeric, analytic, p);
    }
}

// Builder shorthands: each checks its status and returns the node id.
int conv(Problem& p, const char* name, int x, int c_out, int kh, int kw, int stride, int pad, int dilation, int groups,
         int bias) {
    int id = -1;
    CHECK_OK(jnas_graph_conv2d(p.graph, name, x, c_out, kh, kw, stride, pad, dilation, groups, bias, &id));
    return id;
}
int bn(Problem& p, const char* name, int x, unsigned flags) {
    int id = -1;
    CHECK_OK(jnas_graph_batch_norm(p.graph, name, x, flags, 1e-5f, 0.1f, &id));
    return id;
}
int act(Problem& p, int x, jnas_activation kind) {
    int id = -1;
    CHECK_OK(jnas_graph_activation(p.graph, x, kind, &id));
    return id;
}
int scale(Problem& p, int x, float factor) {
    int id = -1;
    CHECK_OK(jnas_graph_scale(p.graph, x, factor, &id));
    return id;
}
int avg_pool(Problem& p, int x, int k, int s, int pad, int include) {
    int id = -1;
    CHECK_OK(jnas_graph_avg_pool(p.graph, x, k, s, pad, include, &id));
    return id;
}
int max_pool(Problem& p, int x, int k, int s, int pad) {
    int id = -1;
    CHECK_OK(jnas_graph_max_pool(p.graph, x, k, s, pad, &id));
    return id;
}
int linear(Problem& p, const char* name, int x, int out, int bias) {
    int id = -1;
    CHECK_OK(jnas_graph_linear(p.graph, name, x, out, bias, &id));
    return id;
}
int param(Problem& p, const char* name, std::vector<int64_t> shape) {
    int id = -1;
    CHECK_OK(jnas_graph_param(p.graph, name, int(shape.size()), shape.data(), JNAS_INIT_ZEROS, 1, &id));
    return id;
}

}  // namespace

TEST_CASE("conv2d: 3x3, padding 1, bias") {
    Problem p;
    int x = p.graph.input({3, 6, 6});
    p.inputs = {x};
    p.output = conv(p, "c", x, 4, 3, 3, 1, 1, 1, 1, 1);
    gradcheck("conv2d 3x3 p1 bias", p);
}

TEST_CASE("conv2d: stride 2, no bias, non-square kernel") {
    Problem p;
    int x = p.graph.input({2, 7, 7});
    p.inputs = {x};
    p.output = conv(p, "c", x, 3, 3, 2, 2, 1, 1, 1, 0);
    gradcheck("conv2d 3x2 s2 p1", p);
}

TEST_CASE("conv2d: dilation 2") {
    Problem p;
    int x = p.graph.input({2, 7, 7});
    p.inputs = {x};
    p.output = conv(p, "c", x, 3, 3, 3, 1, 2, 2, 1, 1);
    gradcheck("conv2d dilation 2", p);
}

TEST_CASE("conv2d: groups 2") {
    Problem p;
    int x = p.graph.input({4, 5, 5});
    p.inputs = {x};
    p.output = conv(p, "c", x, 6, 3, 3, 1, 1, 1, 2, 1);
    gradcheck("conv2d groups 2", p);
}

TEST_CASE("conv2d: depthwise, stride 2") {
    Problem p;
    int x = p.graph.input({4, 6, 6});
    p.inputs = {x};
    p.output = conv(p, "dw", x, 4, 3, 3, 2, 1, 1, 4, 1);
    gradcheck("conv2d depthwise s2", p);
}

TEST_CASE("conv2d: depthwise 5x5 dilation 2, no bias") {
    Problem p;
    int x = p.graph.input({3, 7, 7});
    p.inputs = {x};
    p.output = conv(p, "dw", x, 3, 5, 5, 1, 4, 2, 3, 0);
    gradcheck("conv2d depthwise 5x5 d2", p);
}

TEST_CASE("batch norm: train, affine, running stats") {
    Problem p;
    p.batch = 3;
    int x = p.graph.input({3, 4, 4});
    p.inputs = {x};
    p.output = bn(p, "bn", x, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING);
    gradcheck("batch norm train affine", p);
}

TEST_CASE("batch norm: train, non-affine, after conv") {
    Problem p;
    p.batch = 3;
    int x = p.graph.input({2, 4, 4});
    p.inputs = {x};
    p.output = bn(p, "bn", conv(p, "c", x, 3, 3, 3, 1, 1, 1, 1, 0), JNAS_BN_TRACK_RUNNING);
    gradcheck("batch norm train non-affine", p);
}

TEST_CASE("batch norm: eval with running stats, affine") {
    Problem p;
    p.train = false;
    int x = p.graph.input({3, 3, 3});
    p.inputs = {x};
    p.output = bn(p, "bn", conv(p, "c", x, 3, 1, 1, 1, 0, 1, 1, 1), JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING);
    gradcheck("batch norm eval affine", p);
}

TEST_CASE("batch norm: eval without running stats uses the batch, on features") {
    Problem p;
    p.train = false;
    p.batch = 4;
    int x = p.graph.input({6});
    p.inputs = {x};
    p.output = bn(p, "bn", x, JNAS_BN_AFFINE);
    gradcheck("batch norm eval, no running stats, 1-D", p);
}

TEST_CASE("activations: relu, relu6, hswish") {
    for (jnas_activation kind : {JNAS_ACT_RELU, JNAS_ACT_RELU6, JNAS_ACT_HSWISH}) {
        Problem p;
        // Piecewise linear: a small step keeps the kinks out of nearly every difference, at little rounding cost.
        p.eps = kind == JNAS_ACT_HSWISH ? 1e-3f : 1e-4f;
        int x = p.graph.input({2, 4, 4});
        p.inputs = {x};
        // Scaled so that inputs reach both sides of relu6's 6 and hswish's ±3.
        p.output = act(p, scale(p, x, 8.0f), kind);
        const char* names[] = {"relu", "relu6", "hswish"};
        gradcheck(names[kind], p);
    }
}

TEST_CASE("smooth activations: sigmoid, swish, gelu") {
    for (jnas_activation kind : {JNAS_ACT_SIGMOID, JNAS_ACT_SWISH, JNAS_ACT_GELU}) {
        Problem p;
        int x = p.graph.input({2, 3, 3});
        p.inputs = {x};
        p.output = act(p, scale(p, conv(p, "c", x, 2, 3, 3, 1, 1, 1, 1, 1), 3.0f), kind);
        const char* names[] = {"sigmoid", "swish", "gelu"};
        gradcheck(names[kind - JNAS_ACT_SIGMOID], p);
    }
}

TEST_CASE("alphaNAS ops: group norm, layer norm, softmax, global max pool, flatten") {
    Problem p;
    p.batch = 3;
    p.eps = 1e-3f;
    int x = p.graph.input({2, 4, 4}), gn = -1, ln = -1, soft = -1, pool = -1, flat = -1, sum = -1;
    CHECK_OK(jnas_graph_group_norm(p.graph, "gn", conv(p, "c", x, 4, 3, 3, 1, 1, 1, 1, 0), 2, 1e-5f, &gn));
    CHECK_OK(jnas_graph_layer_norm(p.graph, "ln", act(p, gn, JNAS_ACT_GELU), 1e-5f, &ln));
    CHECK_OK(jnas_graph_softmax(p.graph, ln, &soft));
    CHECK_OK(jnas_graph_global_max_pool(p.graph, ln, &pool));
    CHECK_OK(jnas_graph_flatten(p.graph, soft, &flat));
    CHECK_OK(jnas_graph_add(p.graph, linear(p, "fc", flat, 4, 1), pool, &sum));
    p.inputs = {x};
    p.output = sum;
    gradcheck("group norm + gelu + layer norm + softmax + global max pool + flatten", p);
}

TEST_CASE("avg pool: both count_include_pad modes") {
    for (int include = 0; include <= 1; ++include) {
        Problem p;
        int x = p.graph.input({2, 5, 5});
        p.inputs = {x};
        p.output = avg_pool(p, conv(p, "c", x, 2, 3, 3, 1, 1, 1, 1, 1), 3, 2, 1, include);
        gradcheck(include ? "avg pool 3 s2 p1, count pad" : "avg pool 3 s2 p1, exclude pad", p);
    }
}

TEST_CASE("max pool") {
    Problem p;
    p.eps = 1e-4f;  // piecewise linear, like the activations
    int x = p.graph.input({2, 6, 6});
    p.inputs = {x};
    int pool = max_pool(p, conv(p, "c", x, 2, 3, 3, 1, 1, 1, 1, 1), 3, 2, 1);
    p.output = max_pool(p, pool, 2, 1, 0);
    gradcheck("max pool 3 s2 p1 then 2 s1", p);
}

TEST_CASE("global avg pool and linear") {
    Problem p;
    int x = p.graph.input({3, 4, 4});
    p.inputs = {x};
    int gap = -1;
    CHECK_OK(jnas_graph_global_avg_pool(p.graph, conv(p, "c", x, 4, 3, 3, 1, 1, 1, 1, 0), &gap));
    p.output = linear(p, "fc", gap, 5, 1);
    gradcheck("global avg pool + linear", p);
}

TEST_CASE("linear: flattens [C, H, W], no bias") {
    Problem p;
    p.batch = 3;
    int x = p.graph.input({2, 3, 3});
    p.inputs = {x};
    p.output = linear(p, "fc", x, 4, 0);
    gradcheck("linear flatten no bias", p);
}

TEST_CASE("add, concat, scale") {
    Problem p;
    int x = p.graph.input({2, 4, 4});
    p.inputs = {x};
    int a = conv(p, "a", x, 3, 3, 3, 1, 1, 1, 1, 1);
    int b = conv(p, "b", x, 3, 1, 1, 1, 0, 1, 1, 0);
    int sum = -1, twice = -1, cat = -1;
    CHECK_OK(jnas_graph_add(p.graph, a, b, &sum));
    CHECK_OK(jnas_graph_add(p.graph, sum, sum, &twice));  // a node feeding both operands
    int nodes[] = {scale(p, twice, -0.5f), x, a};
    CHECK_OK(jnas_graph_concat(p.graph, 3, nodes, &cat));
    p.output = cat;
    gradcheck("add + concat + scale", p);
}

TEST_CASE("zero: no gradient through it") {
    Problem p;
    int x = p.graph.input({2, 5, 5});
    p.inputs = {x};
    int c = conv(p, "c", x, 2, 3, 3, 1, 1, 1, 1, 1);
    int z = -1, pool = avg_pool(p, x, 3, 2, 1, 1), sum = -1;
    CHECK_OK(jnas_graph_zero(p.graph, c, 2, &z));
    CHECK_OK(jnas_graph_add(p.graph, pool, z, &sum));
    p.output = sum;
    p.expect_zero = {"c.weight", "c.bias"};
    gradcheck("zero (strided) + avg pool", p);
}

TEST_CASE("mixed edge: branch params, mixing weights, skipped branch") {
    Problem p;
    int x = p.graph.input({2, 5, 5});
    p.inputs = {x};
    int alpha = param(p, "alpha", {4});
    int ops[] = {conv(p, "b0", x, 2, 3, 3, 1, 1, 1, 1, 1), avg_pool(p, x, 3, 1, 1, 0), x,
                 conv(p, "b3", x, 2, 1, 1, 1, 0, 1, 1, 1)};
    int mixed = -1;
    CHECK_OK(jnas_graph_mixed(p.graph, 4, ops, alpha, 0.0f, &mixed));
    p.output = act(p, mixed, JNAS_ACT_HSWISH);
    // Branch 3 sits below the threshold: neither computed nor differentiated, so its gradients stay exactly 0.
    p.setup = [](tu::Net& net) { net.set(net.find("alpha"), {0.7f, 0.4f, 0.9f, -0.3f}); };
    p.expect_zero = {"b3.weight", "b3.bias"};
    gradcheck("mixed, threshold 0", p);
}

TEST_CASE("mixed edge: skipped weight gets no gradient") {
    Problem p;
    int x = p.graph.input({1, 3, 3});
    int alpha = param(p, "alpha", {2});
    int ops[] = {x, scale(p, x, 2.0f)};
    int mixed = -1;
    CHECK_OK(jnas_graph_mixed(p.graph, 2, ops, alpha, 0.0f, &mixed));
    tu::Ctx ctx;
    tu::Net net(ctx, p.graph, mixed);
    int a = net.find("alpha");
    net.set(a, {0.5f, -0.5f});
    tu::Tensor in(ctx, {2, 1, 3, 3}, tu::random_vector(18, 5)), out(ctx, {2, 1, 3, 3}),
        r(ctx, {2, 1, 3, 3}, tu::random_vector(18, 6));
    CHECK_OK(jnas_net_bind_input(net, x, in));
    CHECK_OK(jnas_net_forward(net, out));
    CHECK_OK(jnas_net_backward(net, r));
    std::vector<float> g = net.grad(a), xs = in.read(), rs = r.read(), y = out.read();
    double expected = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
        expected += double(rs[i]) * xs[i];
        CHECK_CLOSE(y[i], 0.5 * xs[i], 1e-6, 1e-7);
    }
    CHECK_CLOSE(g[0], expected, 1e-5, 1e-6);
    CHECK(g[1] == 0.0f);
}

TEST_CASE("mixed edge: every branch with -inf threshold") {
    Problem p;
    int x = p.graph.input({2, 4, 4});
    p.inputs = {x};
    int alpha = param(p, "alpha", {3});
    int ops[] = {conv(p, "b0", x, 2, 3, 3, 1, 1, 1, 1, 0), max_pool(p, x, 3, 1, 1), x};
    int mixed = -1;
    CHECK_OK(jnas_graph_mixed(p.graph, 3, ops, alpha, -INFINITY, &mixed));
    p.output = mixed;
    p.eps = 1e-4f;  // the max-pool branch is piecewise linear
    p.setup = [](tu::Net& net) { net.set(net.find("alpha"), {0.3f, -0.6f, 0.8f}); };
    gradcheck("mixed, all branches", p);
}

TEST_CASE("mixed edge: per-sample weights from a batched node") {
    Problem p;
    int x = p.graph.input({2, 3, 3});
    int w = p.graph.input({3});
    p.inputs = {x, w};
    p.batch = 3;
    int ops[] = {conv(p, "b0", x, 2, 3, 3, 1, 1, 1, 1, 1), x, avg_pool(p, x, 3, 1, 1, 1)};
    int mixed = -1;
    CHECK_OK(jnas_graph_mixed(p.graph, 3, ops, w, -INFINITY, &mixed));
    p.output = mixed;
    gradcheck("mixed, per-sample weights", p);
}

TEST_CASE("a small network end to end, input gradients") {
    Problem p;
    p.batch = 3;
    p.eps = 1e-3f;
    int x = p.graph.input({2, 6, 6});
    p.inputs = {x};
    int h = act(p, bn(p, "bn1", conv(p, "c1", x, 4, 3, 3, 1, 1, 1, 1, 0), JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING),
                JNAS_ACT_RELU);
    h = max_pool(p, h, 2, 2, 0);
    h = act(p, bn(p, "bn2", conv(p, "c2", h, 4, 3, 3, 1, 1, 1, 4, 0), JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING),
            JNAS_ACT_HSWISH);
    int gap = -1;
    CHECK_OK(jnas_graph_global_avg_pool(p.graph, h, &gap));
    p.output = linear(p, "fc", gap, 3, 1);
    gradcheck("conv-bn-relu-maxpool-dwconv-bn-hswish-gap-linear", p);
}

TEST_CASE("shift: FactorizedReduce, two strided 1x1 paths, the second shifted by (1, 1)") {
    Problem p;
    p.batch = 3;
    int x = p.graph.input({4, 5, 5});
    p.inputs = {x};
    int shifted = -1, cat = -1;
    CHECK_OK(jnas_graph_shift(p.graph, x, 1, 1, &shifted));
    int nodes[] = {conv(p, "conv_1", x, 2, 1, 1, 2, 0, 1, 1, 0), conv(p, "conv_2", shifted, 2, 1, 1, 2, 0, 1, 1, 0)};
    CHECK_OK(jnas_graph_concat(p.graph, 2, nodes, &cat));
    p.output = bn(p, "bn", cat, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING);
    gradcheck("factorized reduce (shift 1, 1)", p);
}

TEST_CASE("shift: negative, mixed-sign and oversized offsets after a conv") {
    Problem p;
    int x = p.graph.input({2, 4, 5});
    p.inputs = {x};
    int c = conv(p, "c", x, 2, 3, 3, 1, 1, 1, 1, 1);
    int up = -1, side = -1, gone = -1, sum = -1, cat = -1;
    CHECK_OK(jnas_graph_shift(p.graph, c, -2, 3, &up));
    CHECK_OK(jnas_graph_shift(p.graph, x, 1, -1, &side));
    CHECK_OK(jnas_graph_shift(p.graph, c, 0, -9, &gone));
    CHECK_OK(jnas_graph_add(p.graph, up, side, &sum));
    int nodes[] = {sum, gone, x};
    CHECK_OK(jnas_graph_concat(p.graph, 3, nodes, &cat));
    p.output = cat;
    gradcheck("shift (-2, 3), (1, -1), (0, -9)", p);
}

// The mul op's gate: a [C] parameter scaling a conv's filters, then a linear layer's neurons, as BayesNAS
// compression places its switches; gradients reach the gates, the layers and the input.
TEST_CASE("mul: per-filter gate after a conv, per-neuron gate after a linear") {
    Problem p;
    p.batch = 3;
    int x = p.graph.input({2, 4, 4});
    p.inputs = {x};
    int filters = param(p, "filter_gate", {3}), neurons = param(p, "neuron_gate", {5});
    int gated_conv = -1, gated_fc = -1;
    CHECK_OK(jnas_graph_mul(p.graph, conv(p, "c", x, 3, 3, 3, 1, 1, 1, 1, 1), filters, &gated_conv));
    int fc = linear(p, "fc", act(p, gated_conv, JNAS_ACT_HSWISH), 5, 1);
    CHECK_OK(jnas_graph_mul(p.graph, fc, neurons, &gated_fc));
    p.output = gated_fc;
    p.setup = [](tu::Net& net) {
        net.set(net.find("filter_gate"), {0.8f, -0.6f, 1.3f});
        net.set(net.find("neuron_gate"), {1.1f, 0.4f, -0.9f, 0.7f, 1.6f});
    };
    gradcheck("mul gates (conv filters, linear neurons)", p);
}

TEST_CASE("mul: two batched operands, elementwise per sample") {
    Problem p;
    int x = p.graph.input({2, 3, 3}), y = p.graph.input({2, 3, 3});
    p.inputs = {x, y};
    int product = -1;
    CHECK_OK(jnas_graph_mul(p.graph, conv(p, "c", x, 2, 3, 3, 1, 1, 1, 1, 1), y, &product));
    p.output = product;
    gradcheck("mul of two batched nodes", p);
}
