// test_ops_hand.cpp — ops on tiny inputs whose outputs were worked out by hand (values in the comments).
#define JNAS_TEST_MAIN
#include <cmath>

#include "check.hpp"
#include "test_util.hpp"

namespace {

std::vector<float> iota(int n, float start = 1.0f) {
    std::vector<float> v(n);
    for (int i = 0; i < n; ++i) v[i] = start + float(i);
    return v;
}

void check_values(const std::vector<float>& got, const std::vector<double>& expected, double tol = 1e-5) {
    CHECK(got.size() == expected.size());
    for (size_t i = 0; i < got.size() && i < expected.size(); ++i) CHECK_CLOSE(got[i], expected[i], tol, tol);
}

// Runs a one-input graph on x (shape including the batch) and returns the output.
std::vector<float> run(tu::Ctx& ctx, tu::Net& net, int input, std::vector<int64_t> x_shape,
                       const std::vector<float>& x, int64_t batch) {
    tu::Tensor in(ctx, x_shape, x);
    tu::Tensor out(ctx, net.output_shape(batch));
    CHECK_OK(jnas_net_bind_input(net, input, in));
    CHECK_OK(jnas_net_forward(net, out));
    return out.read();
}

int conv(tu::Graph& g, int x, int c_out, int k, int stride, int pad, int dilation, int groups, int bias) {
    int id = -1;
    CHECK_OK(jnas_graph_conv2d(g, "c", x, c_out, k, k, stride, pad, dilation, groups, bias, &id));
    return id;
}

}  // namespace

TEST_CASE("conv2d 2x2 kernel, no padding") {
    // x = [[1 2 3] [4 5 6] [7 8 9]], w = [[1 2] [3 4]]: 1+4+12+20 = 37, 47, 67, 77.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({1, 3, 3});
    tu::Net net(ctx, g, conv(g, x, 1, 2, 1, 0, 1, 1, 0));
    net.set(0, {1, 2, 3, 4});
    check_values(run(ctx, net, x, {1, 1, 3, 3}, iota(9), 1), {37, 47, 67, 77});
}

TEST_CASE("conv2d 3x3 ones, stride 2, padding 1") {
    // x = 1..16 in 4x4; windows clipped by the padding: 1+2+5+6 = 14, 2+3+4+6+7+8 = 30, 5+6+9+10+13+14 = 57,
    // 6+7+8+10+11+12+14+15+16 = 99.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({1, 4, 4});
    tu::Net net(ctx, g, conv(g, x, 1, 3, 2, 1, 1, 1, 0));
    net.set(0, std::vector<float>(9, 1.0f));
    check_values(run(ctx, net, x, {1, 1, 4, 4}, iota(16), 1), {14, 30, 57, 99});
}

TEST_CASE("conv2d dilation 2") {
    // A 2x2 kernel dilated by 2 on 3x3 touches the corners: 1·1 + 2·3 + 3·7 + 4·9 = 64.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({1, 3, 3});
    tu::Net net(ctx, g, conv(g, x, 1, 2, 1, 0, 2, 1, 0));
    net.set(0, {1, 2, 3, 4});
    check_values(run(ctx, net, x, {1, 1, 3, 3}, iota(9), 1), {64});
}

TEST_CASE("conv2d groups 2 with bias keeps channels apart") {
    // Channel 0 = [1 2 3 4] times 2 plus 1; channel 1 = [10 20 30 40] times 3 minus 1.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({2, 2, 2});
    tu::Net net(ctx, g, conv(g, x, 2, 1, 1, 0, 1, 2, 1));
    net.set(0, {2, 3});
    net.set(1, {1, -1});
    check_values(run(ctx, net, x, {1, 2, 2, 2}, {1, 2, 3, 4, 10, 20, 30, 40}, 1), {3, 5, 7, 9, 29, 59, 89, 119});
}

TEST_CASE("conv2d two samples, two input channels summed") {
    // Sample 0: 1·[1 2 3 4] + 10·[5 6 7 8]; sample 1 is sample 0's input times -1.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({2, 2, 2});
    tu::Net net(ctx, g, conv(g, x, 1, 1, 1, 0, 1, 1, 0));
    net.set(0, {1, 10});
    check_values(run(ctx, net, x, {2, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, -5, -6, -7, -8}, 2),
                 {51, 62, 73, 84, -51, -62, -73, -84});
}

TEST_CASE("avg pool 3x3 stride 1 padding 1: the corners differ between pad modes") {
    // x = 1..9 in 3x3. Corner (0,0): (1+2+4+5) = 12 → 12/9 with the padding counted, 12/4 = 3 without;
    // edge (0,1): 21 → 21/9 or 21/6; centre: 45/9 = 5 either way.
    for (int include = 0; include <= 1; ++include) {
        tu::Ctx ctx;
        tu::Graph g;
        int x = g.input({1, 3, 3});
        int pool = -1;
        CHECK_OK(jnas_graph_avg_pool(g, x, 3, 1, 1, include, &pool));
        tu::Net net(ctx, g, pool);
        std::vector<float> y = run(ctx, net, x, {1, 1, 3, 3}, iota(9), 1);
        if (include)
            check_values(y, {12 / 9.0, 21 / 9.0, 16 / 9.0, 27 / 9.0, 5, 33 / 9.0, 24 / 9.0, 39 / 9.0, 28 / 9.0});
        else
            check_values(y, {3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7});
    }
}

TEST_CASE("max pool 2x2 stride 2 and its backward") {
    // x = 1..16 in 4x4 → maxima 6, 8, 14, 16; the gradient goes to those positions only.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({1, 4, 4});
    int pool = -1;
    CHECK_OK(jnas_graph_max_pool(g, x, 2, 2, 0, &pool));
    tu::Net net(ctx, g, pool);
    tu::Tensor in(ctx, {1, 1, 4, 4}, iota(16)), out(ctx, {1, 1, 2, 2}), dy(ctx, {1, 1, 2, 2}, {1, 2, 3, 4}),
        dx(ctx, {1, 1, 4, 4});
    CHECK_OK(jnas_net_bind_input(net, x, in));
    CHECK_OK(jnas_net_forward(net, out));
    check_values(out.read(), {6, 8, 14, 16});
    CHECK_OK(jnas_net_backward(net, dy));
    CHECK_OK(jnas_net_input_grad(net, x, dx));
    check_values(dx.read(), {0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4});
}

TEST_CASE("max pool 3x3 stride 2 padding 1") {
    // x = 1..9 in 3x3: windows clipped by the padding give 5, 6, 8, 9.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({1, 3, 3});
    int pool = -1;
    CHECK_OK(jnas_graph_max_pool(g, x, 3, 2, 1, &pool));
    tu::Net net(ctx, g, pool);
    check_values(run(ctx, net, x, {1, 1, 3, 3}, iota(9), 1), {5, 6, 8, 9});
}

TEST_CASE("global avg pool") {
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({2, 2, 2});
    int gap = -1;
    CHECK_OK(jnas_graph_global_avg_pool(g, x, &gap));
    tu::Net net(ctx, g, gap);
    check_values(run(ctx, net, x, {1, 2, 2, 2}, iota(8), 1), {2.5, 6.5});
}

TEST_CASE("batch norm train: batch mean, biased variance, running stats with unbiased variance") {
    // One channel, two samples of two values: {1, 2} and {3, 6}. Mean 3; biased var (4+1+0+9)/4 = 3.5;
    // unbiased 14/3. gamma 2, beta 1: y = 2(x-3)/√(3.5+1e-5) + 1. Momentum 0.1:
    // running_mean = 0.9·0 + 0.1·3 = 0.3, running_var = 0.9·1 + 0.1·14/3 = 1.36667.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({1, 2});
    int bn = -1;
    CHECK_OK(jnas_graph_batch_norm(g, "bn", x, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f, &bn));
    tu::Net net(ctx, g, bn);
    net.set(net.find("bn.weight"), {2});
    net.set(net.find("bn.bias"), {1});
    std::vector<float> y = run(ctx, net, x, {2, 1, 2}, {1, 2, 3, 6}, 2);
    double s = std::sqrt(3.5 + 1e-5);
    check_values(y, {2 * (1 - 3) / s + 1, 2 * (2 - 3) / s + 1, 2 * (3 - 3) / s + 1, 2 * (6 - 3) / s + 1});
    check_values(net.param(net.find("bn.running_mean")), {0.3});
    check_values(net.param(net.find("bn.running_var")), {0.9 + 0.1 * 14.0 / 3.0});
}

TEST_CASE("batch norm eval: running statistics, no update") {
    // running mean 0.5, var 4 (set by hand): y = 2(x - 0.5)/√(4 + 1e-5) + 1 for each value; stats unchanged.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({1, 2});
    int bn = -1;
    CHECK_OK(jnas_graph_batch_norm(g, "bn", x, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f, &bn));
    tu::Net net(ctx, g, bn);
    net.set(net.find("bn.weight"), {2});
    net.set(net.find("bn.bias"), {1});
    net.set(net.find("bn.running_mean"), {0.5});
    net.set(net.find("bn.running_var"), {4});
    CHECK_OK(jnas_net_set_train(net, 0));
    std::vector<float> y = run(ctx, net, x, {2, 1, 2}, {1, 2, 3, 6}, 2);
    double s = std::sqrt(4 + 1e-5);
    check_values(y, {2 * 0.5 / s + 1, 2 * 1.5 / s + 1, 2 * 2.5 / s + 1, 2 * 5.5 / s + 1});
    check_values(net.param(net.find("bn.running_mean")), {0.5});
    check_values(net.param(net.find("bn.running_var")), {4});
}

TEST_CASE("zero op with stride and concat") {
    // zero(x, 2) on [1, 3, 3] is [1, 2, 2] of zeros; concat with a pooled x along channels.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({1, 3, 3});
    int z = -1, pool = -1, cat = -1;
    CHECK_OK(jnas_graph_zero(g, x, 2, &z));
    CHECK_OK(jnas_graph_max_pool(g, x, 3, 2, 1, &pool));
    int nodes[] = {pool, z};
    CHECK_OK(jnas_graph_concat(g, 2, nodes, &cat));
    tu::Net net(ctx, g, cat);
    check_values(run(ctx, net, x, {1, 1, 3, 3}, iota(9), 1), {5, 6, 8, 9, 0, 0, 0, 0});
}

TEST_CASE("linear and mixed edge") {
    // fc: W = [[1 2 3] [0 -1 1]], b = [1, 0]: x = [1 1 2] → [1+2+6+1, -1+2] = [10, 1].
    // mixed of (fc, 2·fc) with weights [0.5, 0.25] = fc·(0.5 + 0.5) = [10, 1].
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({3});
    int fc = -1, twice = -1, mixed = -1, alpha = -1;
    CHECK_OK(jnas_graph_linear(g, "fc", x, 2, 1, &fc));
    CHECK_OK(jnas_graph_scale(g, fc, 2.0f, &twice));
    int64_t two = 2;
    CHECK_OK(jnas_graph_param(g, "alpha", 1, &two, JNAS_INIT_ZEROS, 1, &alpha));
    int ops[] = {fc, twice};
    CHECK_OK(jnas_graph_mixed(g, 2, ops, alpha, -INFINITY, &mixed));
    tu::Net net(ctx, g, mixed);
    net.set(net.find("fc.weight"), {1, 2, 3, 0, -1, 1});
    net.set(net.find("fc.bias"), {1, 0});
    net.set(net.find("alpha"), {0.5f, 0.25f});
    check_values(run(ctx, net, x, {1, 3}, {1, 1, 2}, 1), {10, 1});
}

TEST_CASE("shift (1, 1), FactorizedReduce's second path: forward and backward, channels apart") {
    // x: channel 0 = 1..9, channel 1 = 11..19 in 3x3. out[h][w] = x[h+1][w+1]: [[5 6 0] [8 9 0] [0 0 0]].
    // Backward of dy = 1..18: dx[h][w] = dy[h-1][w-1]: [[0 0 0] [0 1 2] [0 4 5]], channel 1 likewise from 10.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({2, 3, 3}), shifted = -1;
    CHECK_OK(jnas_graph_shift(g, x, 1, 1, &shifted));
    tu::Net net(ctx, g, shifted);
    std::vector<float> xs = iota(9);
    for (float v : iota(9, 11)) xs.push_back(v);
    tu::Tensor in(ctx, {1, 2, 3, 3}, xs), out(ctx, {1, 2, 3, 3}), dy(ctx, {1, 2, 3, 3}, iota(18)),
        dx(ctx, {1, 2, 3, 3});
    CHECK_OK(jnas_net_bind_input(net, x, in));
    CHECK_OK(jnas_net_forward(net, out));
    check_values(out.read(), {5, 6, 0, 8, 9, 0, 0, 0, 0, 15, 16, 0, 18, 19, 0, 0, 0, 0});
    CHECK_OK(jnas_net_backward(net, dy));
    CHECK_OK(jnas_net_input_grad(net, x, dx));
    check_values(dx.read(), {0, 0, 0, 0, 1, 2, 0, 4, 5, 0, 0, 0, 0, 10, 11, 0, 13, 14});
}

TEST_CASE("shift (-2, 1) and shifts past the plane: forward and backward") {
    // x = 1..9 in 3x3, two samples (the second x + 10). out[h][w] = x[h-2][w+1]: only row 2 is inside, reading
    // x[0][1], x[0][2] = [2 3 0]. Backward of dy = 1..9: dx[h][w] = dy[h+2][w-1]: dx[0][1] = 7, dx[0][2] = 8.
    // Shifting by the plane's size or more (here (3, 0) and (INT_MIN, INT_MAX)) gives zeros.
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({1, 3, 3}), up = -1, down = -1, far = -1;
    CHECK_OK(jnas_graph_shift(g, x, -2, 1, &up));
    CHECK_OK(jnas_graph_shift(g, x, 3, 0, &down));
    CHECK_OK(jnas_graph_shift(g, x, INT32_MIN, INT32_MAX, &far));
    std::vector<float> xs = iota(9);
    for (float v : iota(9, 11)) xs.push_back(v);
    {
        tu::Net net(ctx, g, up);
        tu::Tensor in(ctx, {2, 1, 3, 3}, xs), out(ctx, {2, 1, 3, 3}), dy(ctx, {2, 1, 3, 3}, iota(18)),
            dx(ctx, {2, 1, 3, 3});
        CHECK_OK(jnas_net_bind_input(net, x, in));
        CHECK_OK(jnas_net_forward(net, out));
        check_values(out.read(), {0, 0, 0, 0, 0, 0, 2, 3, 0, 0, 0, 0, 0, 0, 0, 12, 13, 0});
        CHECK_OK(jnas_net_backward(net, dy));
        CHECK_OK(jnas_net_input_grad(net, x, dx));
        check_values(dx.read(), {0, 7, 8, 0, 0, 0, 0, 0, 0, 0, 16, 17, 0, 0, 0, 0, 0, 0});
    }
    for (int node : {down, far}) {
        tu::Net net(ctx, g, node);
        check_values(run(ctx, net, x, {2, 1, 3, 3}, xs, 2), std::vector<double>(18, 0.0));
    }
}
