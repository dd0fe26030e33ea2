// test_hessian.cpp — the diagonal Hessian pass (jnas_net_hessian_diag) through the C API.
//
// References: (1) the same recursion written independently here in double precision over explicit local
// Jacobians: every op lists (output, input, ∂out/∂in) entries, and the recursion adds (∂out/∂in)²·H_out to each
// input and parameter; (2) for one hidden ReLU layer with a diagonal output Hessian, where the recursion is exact,
// finite differences of the engine's own gradients; (3) for one hidden smooth layer to one output, where the
// recursion with its f''·gradient term is exact, second differences of the loss computed here in double;
// (4) the mixed-edge switch rule on hand-computed numbers.
#define JNAS_TEST_MAIN
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "activation_reference.hpp"
#include "check.hpp"
#include "test_util.hpp"

namespace {

using Values = std::vector<double>;
Values to_double(const std::vector<float>& v) { return Values(v.begin(), v.end()); }

// A double-precision net whose ops record their local Jacobians, for the reference recursion. Nodes hold
// [batch, c, h, w] values; a Source names a node (>= 0) or a parameter (-1 - engine index).
class Reference {
public:
    Reference(int batch, const tu::Net& net) : batch_(batch) {
        for (int i = 0; i < net.count(); ++i) params_.push_back(to_double(net.param(i)));
    }

    int input(const std::vector<float>& x, int c, int h, int w) { return add({c, h, w}, to_double(x)); }

    int conv(int x, int weight, int bias, int c_out, int k, int stride, int pad) {
        Dims in = dims_[size_t(x)];
        Dims out{c_out, (in.h + 2 * pad - k) / stride + 1, (in.w + 2 * pad - k) / stride + 1};
        int id = add(out);
        const Values& w = params_[size_t(weight)];
        for (int b = 0; b < batch_; ++b)
            for (int co = 0; co < c_out; ++co)
                for (int oy = 0; oy < out.h; ++oy)
                    for (int ox = 0; ox < out.w; ++ox) {
                        int64_t o = at(out, b, co, oy, ox);
                        for (int ci = 0; ci < in.c; ++ci)
                            for (int ky = 0; ky < k; ++ky)
                                for (int kx = 0; kx < k; ++kx) {
                                    int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                    if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
                                    int64_t i = at(in, b, ci, iy, ix), wi = ((co * in.c + ci) * k + ky) * k + kx;
                                    values_[size_t(id)][size_t(o)] += w[size_t(wi)] * values_[size_t(x)][size_t(i)];
                                    link(id, o, x, i, w[size_t(wi)]);
                                    link(id, o, -1 - weight, wi, values_[size_t(x)][size_t(i)]);
                                }
                        if (bias >= 0) {
                            values_[size_t(id)][size_t(o)] += params_[size_t(bias)][size_t(co)];
                            link(id, o, -1 - bias, co, 1.0);
                        }
                    }
        return id;
    }

    // Batch statistics (biased variance) when batch_stats, else the running ones; constants in the Jacobian.
    int batch_norm(int x, int gamma, int beta, int running_mean, int running_var, bool batch_stats, double eps) {
        Dims d = dims_[size_t(x)];
        int id = add(d);
        const Values& v = values_[size_t(x)];
        int64_t hw = int64_t(d.h) * d.w;
        for (int c = 0; c < d.c; ++c) {
            double mean = params_[size_t(running_mean)][size_t(c)], var = params_[size_t(running_var)][size_t(c)];
            if (batch_stats) {
                double sum = 0, squares = 0;
                for (int b = 0; b < batch_; ++b)
                    for (int64_t p = 0; p < hw; ++p) sum += v[size_t(at(d, b, c, 0, 0) + p)];
                mean = sum / double(batch_ * hw);
                for (int b = 0; b < batch_; ++b)
                    for (int64_t p = 0; p < hw; ++p) squares += std::pow(v[size_t(at(d, b, c, 0, 0) + p)] - mean, 2);
                var = squares / double(batch_ * hw);
            }
            double invstd = 1.0 / std::sqrt(var + eps), g = params_[size_t(gamma)][size_t(c)];
            for (int b = 0; b < batch_; ++b)
                for (int64_t p = 0; p < hw; ++p) {
                    int64_t i = at(d, b, c, 0, 0) + p;
                    double normalized = (v[size_t(i)] - mean) * invstd;
                    values_[size_t(id)][size_t(i)] = g * normalized + params_[size_t(beta)][size_t(c)];
                    link(id, i, x, i, g * invstd);
                    link(id, i, -1 - gamma, c, normalized);
                    link(id, i, -1 - beta, c, 1.0);
                }
        }
        return id;
    }

    int relu(int x) {
        int id = add(dims_[size_t(x)]);
        for (size_t i = 0; i < values_[size_t(x)].size(); ++i)
            if (values_[size_t(x)][i] > 0) {
                values_[size_t(id)][i] = values_[size_t(x)][i];
                link(id, int64_t(i), x, int64_t(i), 1.0);
            }
        return id;
    }

    // PyTorch's windows: the divisor counts the padded window, or only its real positions.
    int pool(int x, bool max, int k, int stride, int pad, bool include_pad) {
        Dims in = dims_[size_t(x)];
        Dims out{in.c, (in.h + 2 * pad - k) / stride + 1, (in.w + 2 * pad - k) / stride + 1};
        int id = add(out);
        const Values& v = values_[size_t(x)];
        for (int b = 0; b < batch_; ++b)
            for (int c = 0; c < in.c; ++c)
                for (int oy = 0; oy < out.h; ++oy)
                    for (int ox = 0; ox < out.w; ++ox) {
                        int y0 = oy * stride - pad, x0 = ox * stride - pad;
                        int y1 = std::min(y0 + k, in.h + pad), x1 = std::min(x0 + k, in.w + pad);
                        int padded = (y1 - y0) * (x1 - x0);
                        y0 = std::max(y0, 0), x0 = std::max(x0, 0), y1 = std::min(y1, in.h), x1 = std::min(x1, in.w);
                        int64_t o = at(out, b, c, oy, ox), best = -1;
                        double divisor = include_pad ? padded : (y1 - y0) * (x1 - x0), sum = 0;
                        for (int iy = y0; iy < y1; ++iy)
                            for (int ix = x0; ix < x1; ++ix) {
                                int64_t i = at(in, b, c, iy, ix);
                                sum += v[size_t(i)];
                                if (best < 0 || v[size_t(i)] > v[size_t(best)]) best = i;
                                if (!max) link(id, o, x, i, 1.0 / divisor);
                            }
                        values_[size_t(id)][size_t(o)] = max ? v[size_t(best)] : sum / divisor;
                        if (max) link(id, o, x, best, 1.0);
                    }
        return id;
    }

    int global_avg_pool(int x) {
        Dims in = dims_[size_t(x)];
        int id = add({in.c, 1, 1});
        int64_t hw = int64_t(in.h) * in.w;
        for (int b = 0; b < batch_; ++b)
            for (int c = 0; c < in.c; ++c)
                for (int64_t p = 0; p < hw; ++p) {
                    int64_t i = at(in, b, c, 0, 0) + p, o = int64_t(b) * in.c + c;
                    values_[size_t(id)][size_t(o)] += values_[size_t(x)][size_t(i)] / double(hw);
                    link(id, o, x, i, 1.0 / double(hw));
                }
        return id;
    }

    int linear(int x, int weight, int bias, int out_features) {
        int64_t in = dims_[size_t(x)].numel();
        int id = add({out_features, 1, 1});
        const Values& w = params_[size_t(weight)];
        for (int b = 0; b < batch_; ++b)
            for (int o = 0; o < out_features; ++o) {
                int64_t out = int64_t(b) * out_features + o;
                double sum = params_[size_t(bias)][size_t(o)];
                link(id, out, -1 - bias, o, 1.0);
                for (int64_t i = 0; i < in; ++i) {
                    double xi = values_[size_t(x)][size_t(b * in + i)];
                    sum += w[size_t(o * in + i)] * xi;
                    link(id, out, x, b * in + i, w[size_t(o * in + i)]);
                    link(id, out, -1 - weight, o * in + i, xi);
                }
                values_[size_t(id)][size_t(out)] = sum;
            }
        return id;
    }

    // y = Σ_k w_k·z_k over the branches above the threshold; -1 is a zero branch (z = 0).
    int mixed(const std::vector<int>& branches, int weights, double threshold) {
        int shaped = *std::max_element(branches.begin(), branches.end());  // a real branch, for the shape
        int id = add(dims_[size_t(shaped)]);
        const Values& w = params_[size_t(weights)];
        for (size_t k = 0; k < branches.size(); ++k) {
            if (w[k] <= threshold || branches[k] < 0) continue;
            const Values& z = values_[size_t(branches[k])];
            for (size_t i = 0; i < z.size(); ++i) {
                values_[size_t(id)][i] += w[k] * z[i];
                link(id, int64_t(i), branches[k], int64_t(i), w[k]);
                link(id, int64_t(i), -1 - weights, int64_t(k), z[i]);
            }
        }
        return id;
    }

    const Values& value(int node) const { return values_[size_t(node)]; }

    // The recursion: nodes in reverse creation order (a topological order), each entry adding d²·H_out.
    std::vector<Values> hessian(int output, const Values& seed) const {
        std::vector<Values> node_h(values_.size()), param_h(params_.size());
        for (size_t n = 0; n < values_.size(); ++n) node_h[n].assign(values_[n].size(), 0.0);
        for (size_t p = 0; p < params_.size(); ++p) param_h[p].assign(params_[p].size(), 0.0);
        node_h[size_t(output)] = seed;
        for (size_t n = values_.size(); n-- > 0;)
            for (const Entry& e : links_[n]) {
                double h = e.d * e.d * node_h[n][size_t(e.out)];
                Values& target = e.source >= 0 ? node_h[size_t(e.source)] : param_h[size_t(-1 - e.source)];
                target[size_t(e.in)] += h;
            }
        return param_h;
    }

private:
    struct Dims {
        int c, h, w;
        int64_t numel() const { return int64_t(c) * h * w; }
    };
    struct Entry { int64_t out; int source; int64_t in; double d; };

    int64_t at(const Dims& d, int b, int c, int y, int x) const { return ((int64_t(b) * d.c + c) * d.h + y) * d.w + x; }
    int add(Dims d, Values v = {}) {
        dims_.push_back(d);
        if (v.empty()) v.assign(size_t(batch_ * d.numel()), 0.0);
        values_.push_back(std::move(v));
        links_.emplace_back();
        return int(values_.size()) - 1;
    }
    void link(int node, int64_t out, int source, int64_t in, double d) {
        links_[size_t(node)].push_back(Entry{out, source, in, d});
    }

    int batch_;
    std::vector<Values> params_;
    std::vector<Dims> dims_;
    std::vector<Values> values_;
    std::vector<std::vector<Entry>> links_;
};

// Every parameter's engine diagonal against the reference: max |engine - reference| <= rtol · max |reference|,
// and exactly zero where the reference is (frozen, skipped).
void expect_matches(const tu::Net& net, const std::vector<Values>& reference, double rtol) {
    for (int i = 0; i < net.count(); ++i) {
        std::vector<float> h(size_t(net.numel(i)));
        CHECK_OK(jnas_net_hessian_read(net, i, h.data(), int64_t(h.size())));
        double diff = 0, scale = 0;
        for (size_t e = 0; e < h.size(); ++e) {
            diff = std::max(diff, std::fabs(double(h[e]) - reference[size_t(i)][e]));
            scale = std::max(scale, std::fabs(reference[size_t(i)][e]));
        }
        bool ok = scale == 0 ? diff == 0 : diff <= rtol * scale;
        if (!ok) std::fprintf(stderr, "  %s: max diff %g, max |reference| %g\n", net.name(i).c_str(), diff, scale);
        CHECK(ok);
    }
}

int linear(jnas_graph* g, const char* name, int x, int out, int bias = 1) {
    int id = -1;
    CHECK_OK(jnas_graph_linear(g, name, x, out, bias, &id));
    return id;
}
int relu(jnas_graph* g, int x) {
    int id = -1;
    CHECK_OK(jnas_graph_activation(g, x, JNAS_ACT_RELU, &id));
    return id;
}

std::vector<float> forward(jnas_ctx* ctx, tu::Net& net, int batch) {
    tu::Tensor out(ctx, net.output_shape(batch));
    CHECK_OK(jnas_net_forward(net, out));
    return out.read();
}

void hessian_diag(jnas_ctx* ctx, tu::Net& net, const std::vector<int64_t>& shape, const std::vector<float>& seed) {
    tu::Tensor t(ctx, shape, seed);
    CHECK_OK(jnas_net_hessian_diag(net, t));
}

TEST_CASE("MLP: linear-ReLU-linear equals the double-precision recursion") {
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({5});
    int out = linear(g, "fc2", relu(g, linear(g, "fc1", x, 7)), 3);
    tu::Net net(ctx, g, out);
    const int batch = 4;
    std::vector<float> data = tu::random_vector(size_t(batch) * 5, 3);
    tu::Tensor input(ctx, {batch, 5}, data);
    CHECK_OK(jnas_net_bind_input(net, x, input));
    forward(ctx, net, batch);
    std::vector<float> seed = tu::random_vector(size_t(batch) * 3, 4, 0.1f, 1.0f);
    hessian_diag(ctx, net, {batch, 3}, seed);

    Reference ref(batch, net);
    int r = ref.linear(ref.relu(ref.linear(ref.input(data, 5, 1, 1), net.find("fc1.weight"), net.find("fc1.bias"), 7)),
                       net.find("fc2.weight"), net.find("fc2.bias"), 3);
    expect_matches(net, ref.hessian(r, to_double(seed)), 1e-5);
}

// x → conv(bias) → BN → ReLU → mixed{avg pool (real-position divisors), max pool, conv 1×1 (weight below the
// threshold: skipped), zero} → conv s2 → BN → ReLU → global pool → linear.
struct SmallCnn {
    static constexpr int kBatch = 3, kClasses = 3;
    tu::Graph g;
    int x, out;
    SmallCnn() {
        x = g.input({2, 6, 6});
        int c1 = -1, b1 = -1, avg = -1, mx = -1, skipped = -1, zero = -1, alpha = -1, mixed = -1, c2 = -1, b2 = -1;
        int pooled = -1;
        const unsigned bn_flags = JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING;
        CHECK_OK(jnas_graph_conv2d(g, "c1", x, 4, 3, 3, 1, 1, 1, 1, 1, &c1));
        CHECK_OK(jnas_graph_batch_norm(g, "b1", c1, bn_flags, 1e-5f, 0.1f, &b1));
        int r1 = relu(g, b1);
        CHECK_OK(jnas_graph_avg_pool(g, r1, 3, 1, 1, 0, &avg));
        CHECK_OK(jnas_graph_max_pool(g, r1, 3, 1, 1, &mx));
        CHECK_OK(jnas_graph_conv2d(g, "skipped", r1, 4, 1, 1, 1, 0, 1, 1, 0, &skipped));
        CHECK_OK(jnas_graph_zero(g, r1, 1, &zero));
        const int64_t four = 4;
        CHECK_OK(jnas_graph_param(g, "alpha", 1, &four, JNAS_INIT_ZEROS, 1, &alpha));
        int ops[4] = {avg, mx, skipped, zero};
        CHECK_OK(jnas_graph_mixed(g, 4, ops, alpha, 0.1f, &mixed));
        CHECK_OK(jnas_graph_conv2d(g, "c2", mixed, 5, 3, 3, 2, 1, 1, 1, 0, &c2));
        CHECK_OK(jnas_graph_batch_norm(g, "b2", c2, bn_flags, 1e-5f, 0.1f, &b2));
        CHECK_OK(jnas_graph_global_avg_pool(g, relu(g, b2), &pooled));
        out = linear(g, "fc", pooled, kClasses);
    }
    // Weights, BN affine and running statistics away from their defaults, so every rule matters.
    static void randomize(tu::Net& net) {
        net.set(net.find("alpha"), {0.6f, 0.9f, 0.05f, 0.4f});
        for (const char* bn : {"b1", "b2"}) {
            std::string n(bn);
            int c = int(net.numel(net.find((n + ".weight").c_str())));
            net.set(net.find((n + ".weight").c_str()), tu::random_vector(size_t(c), 11, 0.5f, 1.5f));
            net.set(net.find((n + ".bias").c_str()), tu::random_vector(size_t(c), 12, -0.5f, 0.5f));
            net.set(net.find((n + ".running_mean").c_str()), tu::random_vector(size_t(c), 13, -0.3f, 0.3f));
            net.set(net.find((n + ".running_var").c_str()), tu::random_vector(size_t(c), 14, 0.5f, 2.0f));
        }
    }
};

void check_small_cnn(bool train) {
    tu::Ctx ctx;
    SmallCnn cnn;
    tu::Net net(ctx, cnn.g, cnn.out);
    SmallCnn::randomize(net);
    const int batch = SmallCnn::kBatch;
    // The reference reads the parameters before the forward: a train forward changes only running statistics,
    // which a train-mode reference does not read.
    Reference ref(batch, net);
    std::vector<float> data = tu::random_vector(size_t(batch) * 2 * 6 * 6, 21);
    tu::Tensor input(ctx, {batch, 2, 6, 6}, data);
    CHECK_OK(jnas_net_bind_input(net, cnn.x, input));
    CHECK_OK(jnas_net_set_train(net, train ? 1 : 0));
    std::vector<float> logits = forward(ctx, net, batch);
    std::vector<float> seed = tu::random_vector(size_t(batch) * SmallCnn::kClasses, 22, 0.1f, 1.0f);
    hessian_diag(ctx, net, {batch, SmallCnn::kClasses}, seed);

    auto p = [&](const char* name) { return net.find(name); };
    int r1 = ref.relu(ref.batch_norm(ref.conv(ref.input(data, 2, 6, 6), p("c1.weight"), p("c1.bias"), 4, 3, 1, 1),
                                     p("b1.weight"), p("b1.bias"), p("b1.running_mean"), p("b1.running_var"), train,
                                     1e-5));
    int avg = ref.pool(r1, false, 3, 1, 1, false), mx = ref.pool(r1, true, 3, 1, 1, false);
    int skipped = ref.conv(r1, p("skipped.weight"), -1, 4, 1, 1, 0);
    int mixed = ref.mixed({avg, mx, skipped, -1}, p("alpha"), 0.1);
    int b2 = ref.batch_norm(ref.conv(mixed, p("c2.weight"), -1, 5, 3, 2, 1), p("b2.weight"), p("b2.bias"),
                            p("b2.running_mean"), p("b2.running_var"), train, 1e-5);
    int out = ref.linear(ref.global_avg_pool(ref.relu(b2)), p("fc.weight"), p("fc.bias"), SmallCnn::kClasses);
    for (size_t i = 0; i < logits.size(); ++i) CHECK_CLOSE(logits[i], ref.value(out)[i], 1e-4, 1e-5);
    std::vector<Values> h = ref.hessian(out, to_double(seed));
    CHECK(*std::max_element(h[size_t(p("alpha"))].begin(), h[size_t(p("alpha"))].end()) > 0);
    expect_matches(net, h, 1e-4);
}

TEST_CASE("small CNN (conv, BN train, ReLU, pools, mixed edge, linear) equals the double-precision recursion") {
    check_small_cnn(true);
}

TEST_CASE("small CNN with eval-mode BN (running statistics) equals the double-precision recursion") {
    check_small_cnn(false);
}

// One hidden ReLU layer and L = ½ Σ_b Σ_k c_k·y_bk²: d²L/dy² = diag(c), no off-diagonal terms for the recursion to
// drop, and y is piecewise linear in every parameter, so the recursion is the exact Hessian diagonal. Reference:
// central differences of the engine's gradients (exact for a quadratic while no ReLU flips).
TEST_CASE("one hidden ReLU layer, diagonal loss Hessian: equals finite differences of the gradients") {
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({4});
    int out = linear(g, "fc2", relu(g, linear(g, "fc1", x, 6)), 3);
    tu::Net net(ctx, g, out);
    const int batch = 5;
    const std::vector<float> c = {0.5f, 2.0f, 1.25f};
    tu::Tensor input(ctx, {batch, 4}, tu::random_vector(size_t(batch) * 4, 31));
    CHECK_OK(jnas_net_bind_input(net, x, input));
    std::vector<float> seed;
    for (int b = 0; b < batch; ++b) seed.insert(seed.end(), c.begin(), c.end());
    forward(ctx, net, batch);
    hessian_diag(ctx, net, {batch, 3}, seed);

    tu::Tensor grad_out(ctx, {batch, 3});
    auto gradient = [&](int index) {
        std::vector<float> y = forward(ctx, net, batch);
        for (size_t i = 0; i < y.size(); ++i) y[i] *= c[i % 3];  // dL/dy = c·y
        grad_out.write(y);
        CHECK_OK(jnas_net_zero_grad(net));
        CHECK_OK(jnas_net_backward(net, grad_out));
        return net.grad(index);
    };
    const float step = 1e-3f;
    for (int index = 0; index < net.count(); ++index) {
        std::vector<float> h(size_t(net.numel(index)));
        CHECK_OK(jnas_net_hessian_read(net, index, h.data(), int64_t(h.size())));
        std::vector<float> values = net.param(index);
        for (size_t e = 0; e < values.size(); ++e) {
            std::vector<float> moved = values;
            moved[e] = values[e] + step;
            net.set(index, moved);
            double plus = gradient(index)[e];
            moved[e] = values[e] - step;
            net.set(index, moved);
            double minus = gradient(index)[e];
            double taken = double(values[e] + step) - double(values[e] - step);
            CHECK_CLOSE(h[e], (plus - minus) / taken, 2e-3, 2e-4);
        }
        net.set(index, values);
    }
}

// x → fc1 → f → fc2 to one output, L = Σ_b ½(y_b − t_b)², the f of kind applied by the engine and by the double
// reference below. With one output, H_y = 1 has no off-diagonal terms to drop, and each fc1 weight or bias enters
// one hidden unit, whose d²L/dh² = f'²·v² + f''·(y − t)·v is the recursion's rule: the pass is the exact diagonal
// for every parameter, while Gauss-Newton alone misses the f''·(y − t)·v part.
struct OneHiddenSmooth {
    static constexpr int kBatch = 5, kIn = 4, kHidden = 6;
    jnas_activation kind;
    std::vector<float> x = tu::random_vector(size_t(kBatch) * kIn, 51);
    std::vector<float> t = tu::random_vector(size_t(kBatch), 52, -2.0f, 2.0f);
    // Weights wide enough that the pre-activations (up to about ±4) reach the curved parts of every f.
    std::vector<Values> params = {to_double(tu::random_vector(size_t(kHidden) * kIn, 53, -1.5f, 1.5f)),
                                  to_double(tu::random_vector(kHidden, 54, -0.5f, 0.5f)),
                                  to_double(tu::random_vector(kHidden, 55)), Values{0.3}};

    // The loss in double from parameters laid out as the engine's (fc1.weight, fc1.bias, fc2.weight, fc2.bias).
    double loss(const std::vector<Values>& p) const {
        double total = 0;
        for (int b = 0; b < kBatch; ++b) {
            double y = p[3][0];
            for (int j = 0; j < kHidden; ++j) {
                double h = p[1][size_t(j)];
                for (int i = 0; i < kIn; ++i) h += p[0][size_t(j * kIn + i)] * x[size_t(b * kIn + i)];
                y += p[2][size_t(j)] * tu::reference_activation(kind, h);
            }
            total += 0.5 * (y - t[size_t(b)]) * (y - t[size_t(b)]);
        }
        return total;
    }

    // Second central differences of the loss, step 1e-3: truncation h²/12·∂⁴L and rounding 1e-16·L/h² are both
    // below 1e-6.
    std::vector<Values> exact_diagonal() const {
        const double h = 1e-3, center = loss(params);
        std::vector<Values> diagonal;
        for (size_t p = 0; p < params.size(); ++p) {
            diagonal.emplace_back(params[p].size());
            for (size_t e = 0; e < params[p].size(); ++e) {
                std::vector<Values> moved = params;
                moved[p][e] = params[p][e] + h;
                double plus = loss(moved);
                moved[p][e] = params[p][e] - h;
                diagonal[p][e] = (plus - 2 * center + loss(moved)) / (h * h);
            }
        }
        return diagonal;
    }
};

void check_one_hidden_smooth(jnas_activation kind) {
    OneHiddenSmooth model{kind};
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({OneHiddenSmooth::kIn}), act = -1;
    CHECK_OK(jnas_graph_activation(g, linear(g, "fc1", x, OneHiddenSmooth::kHidden), kind, &act));
    int out = linear(g, "fc2", act, 1);
    tu::Net net(ctx, g, out);
    const char* names[] = {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"};
    for (int p = 0; p < 4; ++p) {
        CHECK(net.find(names[p]) == p);
        net.set(p, std::vector<float>(model.params[size_t(p)].begin(), model.params[size_t(p)].end()));
    }
    const int batch = OneHiddenSmooth::kBatch;
    tu::Tensor input(ctx, {batch, OneHiddenSmooth::kIn}, model.x);
    CHECK_OK(jnas_net_bind_input(net, x, input));
    std::vector<float> residual = forward(ctx, net, batch);
    for (int b = 0; b < batch; ++b) residual[size_t(b)] -= model.t[size_t(b)];
    tu::Tensor gradient(ctx, {batch, 1}, residual);
    CHECK_OK(jnas_net_backward(net, gradient));
    hessian_diag(ctx, net, {batch, 1}, std::vector<float>(size_t(batch), 1.0f));
    expect_matches(net, model.exact_diagonal(), 2e-5);
}

TEST_CASE("one hidden sigmoid layer to one output: equals the exact diagonal (second differences of the loss)") {
    check_one_hidden_smooth(JNAS_ACT_SIGMOID);
}

TEST_CASE("one hidden gelu layer to one output: equals the exact diagonal (second differences of the loss)") {
    check_one_hidden_smooth(JNAS_ACT_GELU);
}

TEST_CASE("one hidden swish layer to one output: equals the exact diagonal (second differences of the loss)") {
    check_one_hidden_smooth(JNAS_ACT_SWISH);
}

TEST_CASE("one hidden hswish layer to one output: equals the exact diagonal (second differences of the loss)") {
    check_one_hidden_smooth(JNAS_ACT_HSWISH);
}

// z = W·x with W = I, then the mixed edge y = 0.5·(3z) + [0.1·(-z), below the threshold 0.2] + 0.7·zero(z).
// Hy = [[1, 2], [0.5, 4]], x = [[1, -2], [3, 0.5]] (B = 2):
//   H_w0 = Σ (3z)²·Hy = 9·(1·1 + 4·2 + 9·0.5 + 0.25·4) = 9·14.5 = 130.5;  H_w1 = 0 (skipped);  H_w2 = 0 (z ≡ 0);
//   H_z = 0.5²·3²·Hy = 2.25·Hy;  H_W[o][i] = Σ_b x_bi²·H_z[b][o] = 2.25·[[5.5, 4.125], [38, 9]].
TEST_CASE("mixed edge: the switch rule H_w = Σ z²·Hy and H_z = w²·Hy on hand-computed numbers") {
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({2});
    int z = linear(g, "W", x, 2, 0);
    int tripled = -1, negated = -1, zero = -1, w = -1, out = -1;
    CHECK_OK(jnas_graph_scale(g, z, 3.0f, &tripled));
    CHECK_OK(jnas_graph_scale(g, z, -1.0f, &negated));
    CHECK_OK(jnas_graph_zero(g, z, 1, &zero));
    const int64_t three = 3;
    CHECK_OK(jnas_graph_param(g, "w", 1, &three, JNAS_INIT_ZEROS, 1, &w));
    int ops[3] = {tripled, negated, zero};
    CHECK_OK(jnas_graph_mixed(g, 3, ops, w, 0.2f, &out));
    tu::Net net(ctx, g, out);
    net.set(net.find("W.weight"), {1, 0, 0, 1});
    net.set(net.find("w"), {0.5f, 0.1f, 0.7f});
    tu::Tensor input(ctx, {2, 2}, {1, -2, 3, 0.5f});
    CHECK_OK(jnas_net_bind_input(net, x, input));
    forward(ctx, net, 2);
    hessian_diag(ctx, net, {2, 2}, {1, 2, 0.5f, 4});
    std::vector<float> hw(3), hW(4);
    CHECK_OK(jnas_net_hessian_read(net, net.find("w"), hw.data(), 3));
    CHECK_OK(jnas_net_hessian_read(net, net.find("W.weight"), hW.data(), 4));
    CHECK_CLOSE(hw[0], 130.5, 1e-6, 0);
    CHECK(hw[1] == 0.0f && hw[2] == 0.0f);
    const double expected[4] = {2.25 * 5.5, 2.25 * 4.125, 2.25 * 38, 2.25 * 9};
    for (int i = 0; i < 4; ++i) CHECK_CLOSE(hW[size_t(i)], expected[i], 1e-6, 0);
}

// z = conv1×1(x) with W = I (C = 2, 1×2 planes, B = 2), then the gate y = z ⊙ g, g = [2, -0.5].
// x: sample 0 c0 = [1, 2], c1 = [-1, 3]; sample 1 c0 = [0.5, -2], c1 = [2, 1].
// Hy: sample 0 c0 = [1, 2], c1 = [0.5, 4]; sample 1 c0 = [3, 1], c1 = [2, 0.25].
//   H_g[0] = Σ z²·Hy over channel 0 = (1·1 + 4·2) + (0.25·3 + 4·1) = 13.75;  H_g[1] = (0.5 + 36) + (8 + 0.25) = 44.75.
//   H_z = g²·Hy: channel 0 times 4, channel 1 times 0.25;  H_W[o][i] = Σ x_i²·H_z[o]:
//   o = 0: i = 0: 1·4 + 4·8 + 0.25·12 + 4·4 = 55, i = 1: 1·4 + 9·8 + 4·12 + 1·4 = 128;
//   o = 1: i = 0: 0.125 + 4 + 0.125 + 0.25 = 4.5, i = 1: 0.125 + 9 + 2 + 0.0625 = 11.1875.
TEST_CASE("mul gate: H_g = Σ z²·Hy per channel and H_z = g²·Hy on hand-computed numbers") {
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({2, 1, 2}), z = -1, gate = -1, out = -1;
    CHECK_OK(jnas_graph_conv2d(g, "W", x, 2, 1, 1, 1, 0, 1, 1, 0, &z));
    const int64_t two = 2;
    CHECK_OK(jnas_graph_param(g, "g", 1, &two, JNAS_INIT_ONES, 1, &gate));
    CHECK_OK(jnas_graph_mul(g, z, gate, &out));
    tu::Net net(ctx, g, out);
    net.set(net.find("W.weight"), {1, 0, 0, 1});
    net.set(net.find("g"), {2, -0.5f});
    tu::Tensor input(ctx, {2, 2, 1, 2}, {1, 2, -1, 3, 0.5f, -2, 2, 1});
    CHECK_OK(jnas_net_bind_input(net, x, input));
    std::vector<float> y = forward(ctx, net, 2);
    const double expected_y[8] = {2, 4, 0.5, -1.5, 1, -4, -1, -0.5};
    for (int i = 0; i < 8; ++i) CHECK_CLOSE(y[size_t(i)], expected_y[i], 1e-6, 0);
    hessian_diag(ctx, net, {2, 2, 1, 2}, {1, 2, 0.5f, 4, 3, 1, 2, 0.25f});
    std::vector<float> hg(2), hW(4);
    CHECK_OK(jnas_net_hessian_read(net, net.find("g"), hg.data(), 2));
    CHECK_OK(jnas_net_hessian_read(net, net.find("W.weight"), hW.data(), 4));
    CHECK_CLOSE(hg[0], 13.75, 1e-6, 0);
    CHECK_CLOSE(hg[1], 44.75, 1e-6, 0);
    const double expected_hW[4] = {55, 128, 4.5, 11.1875};
    for (int i = 0; i < 4; ++i) CHECK_CLOSE(hW[size_t(i)], expected_hW[i], 1e-6, 0);
}

TEST_CASE("mul of two batched operands: the Hessian-diagonal pass refuses it by name") {
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({3}), out = -1;
    int z = linear(g, "fc", x, 3);
    CHECK_OK(jnas_graph_mul(g, z, x, &out));
    tu::Net net(ctx, g, out);
    tu::Tensor input(ctx, {2, 3}, {1, 2, 3, 4, 5, 6}), seed(ctx, {2, 3});
    CHECK_OK(jnas_net_bind_input(net, x, input));
    forward(ctx, net, 2);
    CHECK_STATUS(jnas_net_hessian_diag(net, seed), JNAS_ERR_UNSUPPORTED);
    CHECK(tu::error_mentions("mul (node 2)") && tu::error_mentions("batched"));
}

TEST_CASE("cross-entropy Hessian diagonal: p(1 - p)/B per entry") {
    tu::Ctx ctx;
    // Row 0: softmax of (0, ln 3) = (1/4, 3/4), so p(1 - p) = 3/16 each; row 1: uniform over 2, 1/4 each. B = 2.
    tu::Tensor logits(ctx, {2, 2}, {0.0f, std::log(3.0f), 5.0f, 5.0f}), out(ctx, {2, 2});
    CHECK_OK(jnas_cross_entropy_hessian_diag(ctx, logits, out));
    std::vector<float> h = out.read();
    const double expected[4] = {3.0 / 32, 3.0 / 32, 1.0 / 8, 1.0 / 8};
    for (int i = 0; i < 4; ++i) CHECK_CLOSE(h[size_t(i)], expected[i], 1e-6, 0);
    tu::Tensor wrong(ctx, {2, 3});
    CHECK_STATUS(jnas_cross_entropy_hessian_diag(ctx, logits, wrong), JNAS_ERR_SHAPE);
}

TEST_CASE("errors: no forward, wrong seed shape, no pass yet, a curved activation without a backward") {
    tu::Ctx ctx;
    tu::Graph g;
    int x = g.input({3});
    int out = linear(g, "fc", x, 2);
    tu::Net net(ctx, g, out);
    tu::Tensor input(ctx, {4, 3}), seed(ctx, {4, 2}), wrong(ctx, {4, 3});
    float h[6];
    CHECK_STATUS(jnas_net_hessian_diag(net, seed), JNAS_ERR_STATE);
    CHECK_STATUS(jnas_net_hessian_read(net, 0, h, 6), JNAS_ERR_STATE);
    CHECK_OK(jnas_net_bind_input(net, x, input));
    forward(ctx, net, 4);
    CHECK_STATUS(jnas_net_hessian_diag(net, wrong), JNAS_ERR_SHAPE);
    CHECK(tu::error_mentions("[4, 3]") && tu::error_mentions("[4, 2]"));
    CHECK_OK(jnas_net_hessian_diag(net, seed));
    CHECK_STATUS(jnas_net_hessian_read(net, 0, h, 5), JNAS_ERR_SHAPE);
    CHECK_OK(jnas_net_backward(net, seed));  // the pass leaves the forward ready for a backward

    // A ReLU net needs no backward (f'' = 0); an hswish net needs one after every forward (its f''·dL/dy term).
    tu::Graph rectified;
    int rx = rectified.input({3});
    tu::Net relu_net(ctx, rectified, relu(rectified, linear(rectified, "fc", rx, 2)));
    CHECK_OK(jnas_net_bind_input(relu_net, rx, input));
    forward(ctx, relu_net, 4);
    CHECK_OK(jnas_net_hessian_diag(relu_net, seed));

    tu::Graph smooth;
    int sx = smooth.input({3}), act = -1;
    CHECK_OK(jnas_graph_activation(smooth, linear(smooth, "fc", sx, 2), JNAS_ACT_HSWISH, &act));
    tu::Net hswish(ctx, smooth, act);
    CHECK_OK(jnas_net_bind_input(hswish, sx, input));
    forward(ctx, hswish, 4);
    CHECK_STATUS(jnas_net_hessian_diag(hswish, seed), JNAS_ERR_STATE);
    CHECK(tu::error_mentions("hswish (node 2)") && tu::error_mentions("call jnas_net_backward"));
    CHECK_STATUS(jnas_net_hessian_read(hswish, 0, h, 6), JNAS_ERR_STATE);
    CHECK_OK(jnas_net_backward(hswish, seed));
    CHECK_OK(jnas_net_hessian_diag(hswish, seed));
    CHECK_OK(jnas_net_hessian_diag(hswish, seed));  // the pass leaves the backward's gradients valid
    forward(ctx, hswish, 4);  // a new forward: the last backward's gradients belong to the old one
    CHECK_STATUS(jnas_net_hessian_diag(hswish, seed), JNAS_ERR_STATE);
}

// Rough timing for the report (not an assertion): one Hessian-diagonal pass against one
// plain backward on the small CNN at a larger batch.
TEST_CASE("rough timing: Hessian-diagonal pass vs backward on the small CNN (printed, not checked)") {
    tu::Ctx ctx;
    SmallCnn cnn;
    tu::Net net(ctx, cnn.g, cnn.out);
    SmallCnn::randomize(net);
    const int batch = 256, reps = 20;
    tu::Tensor input(ctx, {batch, 2, 6, 6}, tu::random_vector(size_t(batch) * 72, 41));
    tu::Tensor seed(ctx, {batch, SmallCnn::kClasses}, tu::random_vector(size_t(batch) * SmallCnn::kClasses, 42));
    CHECK_OK(jnas_net_bind_input(net, cnn.x, input));
    // The fastest of several runs each, interleaved, so other load on the machine skews both alike.
    double backward = 1e9, hessian = 1e9;
    for (int r = 0; r < reps; ++r)
        for (bool h : {false, true}) {
            forward(ctx, net, batch);
            auto start = std::chrono::steady_clock::now();
            CHECK_OK(h ? jnas_net_hessian_diag(net, seed) : jnas_net_backward(net, seed));
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            (h ? hessian : backward) = std::min(h ? hessian : backward, s);
        }
    std::printf("rough timing (small CNN, batch %d, CPU): backward %.3f ms, hessian_diag %.3f ms, ratio %.2f\n", batch,
                backward * 1e3, hessian * 1e3, hessian / backward);
}

}  // namespace
