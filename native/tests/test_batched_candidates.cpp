// test_batched_candidates.cpp — sample groups (jnas_net_set_sample_groups): one forward over G groups of a batch,
// each with its own mixing weights, against G nets of the same graph and seed run on one group each. Forward
// values and running statistics, a backward's gradients, frozen Θ per group and activation patterns per group.
#define JNAS_TEST_MAIN
#include <cmath>

#include "check.hpp"
#include "test_util.hpp"

namespace {

constexpr int kGroups = 3, kGroupBatch = 4, kBatch = kGroups * kGroupBatch, kClasses = 3;
constexpr int64_t kSide = 6, kInputNumel = 2 * kSide * kSide, kBranches = 3;

// Per group: the mixing weights of its candidate (0 prunes a branch; the threshold is 0).
const float kWeights[kGroups][kBranches] = {{1.0f, 1.0f, 1.0f}, {0.0f, 1.0f, 1.0f}, {0.5f, 0.7f, 0.0f}};

struct Model {
    int input = -1, weights = -1, output = -1;
};

// x → conv → BN → relu (r) → mixed{conv 1×1 → relu → BN, max-pool, avg-pool} with per-sample weights, + r →
// relu → global pool → linear. Group 1 prunes the branch with a ReLU of its own, which the forward runs for the
// other groups.
Model build(tu::Graph& g) {
    Model m;
    m.input = g.input({2, kSide, kSide});
    m.weights = g.input({kBranches});
    int c1 = -1, b1 = -1, r = -1, ca = -1, ra = -1, ba = -1, mp = -1, ap = -1;
    int mixed = -1, sum = -1, out = -1, pooled = -1;
    CHECK_OK(jnas_graph_conv2d(g, "c1", m.input, 4, 3, 3, 1, 1, 1, 1, 0, &c1));
    CHECK_OK(jnas_graph_batch_norm(g, "b1", c1, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f, &b1));
    CHECK_OK(jnas_graph_activation(g, b1, JNAS_ACT_RELU, &r));
    CHECK_OK(jnas_graph_conv2d(g, "ca", r, 4, 1, 1, 1, 0, 1, 1, 0, &ca));
    CHECK_OK(jnas_graph_activation(g, ca, JNAS_ACT_RELU, &ra));
    CHECK_OK(jnas_graph_batch_norm(g, "ba", ra, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f, &ba));
    CHECK_OK(jnas_graph_max_pool(g, r, 3, 1, 1, &mp));
    CHECK_OK(jnas_graph_avg_pool(g, r, 3, 1, 1, 0, &ap));
    int ops[kBranches] = {ba, mp, ap};
    CHECK_OK(jnas_graph_mixed(g, int(kBranches), ops, m.weights, 0.0f, &mixed));
    CHECK_OK(jnas_graph_add(g, mixed, r, &sum));
    CHECK_OK(jnas_graph_activation(g, sum, JNAS_ACT_RELU, &out));
    CHECK_OK(jnas_graph_global_avg_pool(g, out, &pooled));
    CHECK_OK(jnas_graph_linear(g, "fc", pooled, kClasses, 1, &m.output));
    return m;
}

std::vector<float> inputs() { return tu::random_vector(size_t(kBatch * kInputNumel), 7); }

// The weights rows of groups [first, first + count), each group's row repeated over its samples.
std::vector<float> weight_rows(int first, int count) {
    std::vector<float> rows;
    for (int g = first; g < first + count; ++g)
        for (int s = 0; s < kGroupBatch; ++s) rows.insert(rows.end(), kWeights[g], kWeights[g] + kBranches);
    return rows;
}

// A net of the model bound to groups [first, first + count) of the inputs, in sample groups of kGroupBatch.
struct Bound {
    jnas_ctx* ctx;
    tu::Graph graph;
    Model model = build(graph);
    tu::Net net;
    tu::Tensor x, w;
    int batch;
    Bound(jnas_ctx* context, int first, int count)
        : ctx(context), net(ctx, graph, model.output), x(ctx, {count * kGroupBatch, 2, kSide, kSide}),
          w(ctx, {count * kGroupBatch, kBranches}, weight_rows(first, count)), batch(count * kGroupBatch) {
        std::vector<float> all = inputs();
        x.write(std::vector<float>(all.begin() + first * kGroupBatch * kInputNumel,
                                   all.begin() + (first + count) * kGroupBatch * kInputNumel));
        CHECK_OK(jnas_net_bind_input(net, model.input, x));
        CHECK_OK(jnas_net_bind_input(net, model.weights, w));
        CHECK_OK(jnas_net_set_sample_groups(net, count));
        for (int i = 0; i < net.count(); ++i)  // BN affine away from 1 and 0, so every parameter matters
            if (net.role(i) == JNAS_PARAM_BN_WEIGHT || net.role(i) == JNAS_PARAM_BN_BIAS)
                net.set(i, tu::random_vector(size_t(net.numel(i)), 50 + i, 0.5f, 1.5f));
    }
    std::vector<float> forward() {
        tu::Tensor out(ctx, {batch, kClasses});
        CHECK_OK(jnas_net_forward(net, out));
        return out.read();
    }
};

void check_slice(const std::vector<float>& grouped, int group, const std::vector<float>& alone, double rtol) {
    CHECK(grouped.size() % kGroups == 0);
    size_t per_group = grouped.size() / kGroups;
    CHECK(alone.size() == per_group);
    for (size_t i = 0; i < per_group && i < alone.size(); ++i)
        CHECK_CLOSE(grouped[group * per_group + i], alone[i], rtol, 1e-7);
}

}  // namespace

TEST_CASE("one forward of sample groups equals a forward per group: outputs and running statistics") {
    int compared = 0;
    tu::Ctx ctx;
    Bound grouped(ctx, 0, kGroups);
    std::vector<float> out = grouped.forward();
    // The groups one after another on one net of one group each time: its running statistics then follow the
    // grouped net's, which updates them once per group in order.
    tu::Graph graph;
    Model model = build(graph);
    tu::Net sequential(ctx, graph, model.output);
    for (int i = 0; i < sequential.count(); ++i)
        if (sequential.role(i) == JNAS_PARAM_BN_WEIGHT || sequential.role(i) == JNAS_PARAM_BN_BIAS)
            sequential.set(i, tu::random_vector(size_t(sequential.numel(i)), 50 + i, 0.5f, 1.5f));
    std::vector<float> all = inputs();
    for (int g = 0; g < kGroups; ++g) {
        Bound alone(ctx, g, 1);
        check_slice(out, g, alone.forward(), 1e-6);
        tu::Tensor x(ctx, {kGroupBatch, 2, kSide, kSide},
                     std::vector<float>(all.begin() + g * kGroupBatch * kInputNumel,
                                        all.begin() + (g + 1) * kGroupBatch * kInputNumel));
        tu::Tensor w(ctx, {kGroupBatch, kBranches}, weight_rows(g, 1));
        tu::Tensor y(ctx, {kGroupBatch, kClasses});
        CHECK_OK(jnas_net_bind_input(sequential, model.input, x));
        CHECK_OK(jnas_net_bind_input(sequential, model.weights, w));
        CHECK_OK(jnas_net_forward(sequential, y));
    }
    // b1 is in every group's network (a pruned branch's batch norm runs, and updates, for every group).
    for (int i = 0; i < sequential.count(); ++i) {
        if (sequential.role(i) != JNAS_PARAM_BN_RUNNING || sequential.name(i).rfind("b1.", 0) != 0) continue;
        std::vector<float> expected = sequential.param(i), got = grouped.net.param(i);
        for (size_t k = 0; k < expected.size(); ++k) CHECK_CLOSE(got[k], expected[k], 1e-6, 1e-7);
        ++compared;
    }
    CHECK(compared == 2);
}

TEST_CASE("a backward over sample groups gives each group's input gradients and the sum of their parameter gradients") {
    tu::Ctx ctx;
    std::vector<float> dy = tu::random_vector(size_t(kBatch * kClasses), 11);
    Bound grouped(ctx, 0, kGroups);
    grouped.forward();
    tu::Tensor grad(ctx, {kBatch, kClasses}, dy);
    CHECK_OK(jnas_net_zero_grad(grouped.net));
    CHECK_OK(jnas_net_backward(grouped.net, grad));
    tu::Tensor dx(ctx, {kBatch, 2, kSide, kSide});
    CHECK_OK(jnas_net_input_grad(grouped.net, grouped.model.input, dx));
    std::vector<float> grouped_dx = dx.read();
    std::vector<std::vector<float>> summed(size_t(grouped.net.count()));
    for (int g = 0; g < kGroups; ++g) {
        Bound alone(ctx, g, 1);
        alone.forward();
        tu::Tensor part(ctx, {kGroupBatch, kClasses},
                        std::vector<float>(dy.begin() + g * kGroupBatch * kClasses,
                                           dy.begin() + (g + 1) * kGroupBatch * kClasses));
        CHECK_OK(jnas_net_zero_grad(alone.net));
        CHECK_OK(jnas_net_backward(alone.net, part));
        tu::Tensor alone_dx(ctx, {kGroupBatch, 2, kSide, kSide});
        CHECK_OK(jnas_net_input_grad(alone.net, alone.model.input, alone_dx));
        check_slice(grouped_dx, g, alone_dx.read(), 1e-5);
        for (int i = 0; i < alone.net.count(); ++i) {
            if (!alone.net.trainable(i)) continue;
            std::vector<float> grad_i = alone.net.grad(i);
            summed[size_t(i)].resize(grad_i.size(), 0.0f);
            for (size_t k = 0; k < grad_i.size(); ++k) summed[size_t(i)][k] += grad_i[k];
        }
    }
    for (int i = 0; i < grouped.net.count(); ++i) {
        if (!grouped.net.trainable(i)) continue;
        std::vector<float> got = grouped.net.grad(i);
        for (size_t k = 0; k < got.size(); ++k) CHECK_CLOSE(got[k], summed[size_t(i)][k], 1e-4, 1e-6);
    }
}

TEST_CASE("frozen Θ of each sample group equals the group's own Θ") {
    tu::Ctx ctx;
    Bound grouped(ctx, 0, kGroups);
    std::vector<tu::Tensor*> thetas;
    tu::Tensor t0(ctx, {kGroupBatch, kGroupBatch}), t1(ctx, {kGroupBatch, kGroupBatch}),
        t2(ctx, {kGroupBatch, kGroupBatch});
    jnas_tensor* matrices[kGroups] = {t0, t1, t2};
    CHECK_OK(jnas_net_ntk_groups(grouped.net, JNAS_BN_COUPLING_FROZEN, 0, nullptr, kGroups, matrices));
    const tu::Tensor* by_group[kGroups] = {&t0, &t1, &t2};
    for (int g = 0; g < kGroups; ++g) {
        Bound alone(ctx, g, 1);
        tu::Tensor theta(ctx, {kGroupBatch, kGroupBatch});
        CHECK_OK(jnas_net_ntk(alone.net, JNAS_BN_COUPLING_FROZEN, 0, nullptr, theta));
        std::vector<float> expected = theta.read(), got = by_group[g]->read();
        double scale = 0;
        for (float v : expected) scale = std::fmax(scale, std::fabs(v));
        CHECK(scale > 0);
        for (size_t k = 0; k < got.size(); ++k) CHECK_CLOSE(got[k], expected[k], 1e-5, 1e-6 * scale);
    }
    // The pruned branches differ between groups, so their Θ do too.
    CHECK(t0.read() != t1.read());
    CHECK(t1.read() != t2.read());
}

TEST_CASE("activation patterns of each sample group equal the group's own") {
    tu::Ctx ctx;
    Bound grouped(ctx, 0, kGroups);
    jnas_patterns* sets[kGroups] = {};
    for (jnas_patterns*& set : sets) CHECK_OK(jnas_patterns_create(&set));
    CHECK_OK(jnas_net_collect_patterns_groups(grouped.net, kGroups, sets));
    for (int g = 0; g < kGroups; ++g) {
        Bound alone(ctx, g, 1);
        jnas_patterns* own = nullptr;
        CHECK_OK(jnas_patterns_create(&own));
        CHECK_OK(jnas_net_collect_patterns(alone.net, own));
        int64_t samples = 0, bits = 0, own_samples = 0, own_bits = 0, count = 0, own_count = 0;
        CHECK_OK(jnas_patterns_info(sets[g], &samples, &bits));
        CHECK_OK(jnas_patterns_info(own, &own_samples, &own_bits));
        CHECK(samples == kGroupBatch && own_samples == kGroupBatch && bits == own_bits && bits > 0);
        CHECK_OK(jnas_patterns_count_distinct(sets[g], &count));
        CHECK_OK(jnas_patterns_count_distinct(own, &own_count));
        CHECK(count == own_count);
        double logdet = 0, own_logdet = 0;  // the Hamming kernel compares the rows bit by bit
        unsigned flags = 0, own_flags = 0;
        CHECK_OK(jnas_patterns_naswot(sets[g], 0, kGroupBatch, &logdet, &flags));
        CHECK_OK(jnas_patterns_naswot(own, 0, kGroupBatch, &own_logdet, &own_flags));
        CHECK(logdet == own_logdet && flags == own_flags);
        jnas_patterns_free(own);
    }
    for (jnas_patterns* set : sets) jnas_patterns_free(set);
}

TEST_CASE("sample groups: bad requests fail with the problem named") {
    tu::Ctx ctx;
    Bound grouped(ctx, 0, kGroups);
    CHECK_STATUS(jnas_net_set_sample_groups(grouped.net, 0), JNAS_ERR_INVALID_ARGUMENT);
    tu::Tensor theta(ctx, {kBatch, kBatch});
    CHECK_STATUS(jnas_net_ntk(grouped.net, JNAS_BN_COUPLING_FROZEN, 0, nullptr, theta), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("sample groups"));
    tu::Tensor t0(ctx, {kGroupBatch, kGroupBatch}), t1(ctx, {kGroupBatch, kGroupBatch}), wrong(ctx, {kBatch, kBatch});
    jnas_tensor* matrices[kGroups] = {t0, t1, wrong};
    CHECK_STATUS(jnas_net_ntk_groups(grouped.net, JNAS_BN_COUPLING_FROZEN, 0, nullptr, kGroups, matrices),
                 JNAS_ERR_SHAPE);
    CHECK(tu::error_mentions("thetas[2]"));
    matrices[2] = t0;
    CHECK_STATUS(jnas_net_ntk_groups(grouped.net, JNAS_BN_COUPLING_EXACT, 0, nullptr, kGroups, matrices),
                 JNAS_ERR_UNSUPPORTED);
    CHECK_STATUS(jnas_net_ntk_groups(grouped.net, JNAS_BN_COUPLING_FROZEN, 0, nullptr, 2, matrices),
                 JNAS_ERR_INVALID_ARGUMENT);
    jnas_patterns* set = nullptr;
    CHECK_OK(jnas_patterns_create(&set));
    jnas_patterns* same[kGroups] = {set, set, set};
    CHECK_STATUS(jnas_net_collect_patterns_groups(grouped.net, kGroups, same), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_net_collect_patterns_groups(grouped.net, 1, same), JNAS_ERR_INVALID_ARGUMENT);
    int64_t samples = -1, bits = -1;
    CHECK_OK(jnas_patterns_info(set, &samples, &bits));
    CHECK(samples == 0);
    jnas_patterns_free(set);
    // The Hessian-diagonal pass takes one group.
    grouped.forward();
    tu::Tensor seed(ctx, {kBatch, kClasses}, std::vector<float>(size_t(kBatch * kClasses), 1.0f));
    CHECK_STATUS(jnas_net_hessian_diag(grouped.net, seed), JNAS_ERR_UNSUPPORTED);
    // A batch that does not split into the groups.
    CHECK_OK(jnas_net_set_sample_groups(grouped.net, 5));
    tu::Tensor out(ctx, {kBatch, kClasses});
    CHECK_STATUS(jnas_net_forward(grouped.net, out), JNAS_ERR_SHAPE);
    CHECK(tu::error_mentions("5 sample groups"));
}

TEST_CASE("a net run on fewer groups keeps its buffers and gives what a fresh net gives") {
    tu::Ctx ctx;
    Bound three(ctx, 0, kGroups);
    three.forward();
    // Rebind the first two groups: 8 samples, at least half the 12 the buffers hold, so they are kept.
    Bound two(ctx, 0, 2);
    tu::Tensor x(ctx, {2 * kGroupBatch, 2, kSide, kSide}, two.x.read()), w(ctx, {2 * kGroupBatch, kBranches},
                                                                             weight_rows(0, 2));
    CHECK_OK(jnas_net_bind_input(three.net, three.model.input, x));
    CHECK_OK(jnas_net_bind_input(three.net, three.model.weights, w));
    CHECK_OK(jnas_net_set_sample_groups(three.net, 2));
    tu::Tensor reused_out(ctx, {2 * kGroupBatch, kClasses});
    CHECK_OK(jnas_net_forward(three.net, reused_out));
    std::vector<float> fresh = two.forward(), reused = reused_out.read();
    for (size_t k = 0; k < fresh.size(); ++k) CHECK_CLOSE(reused[k], fresh[k], 1e-6, 1e-7);
    std::vector<float> dy = tu::random_vector(fresh.size(), 13);
    tu::Tensor grad(ctx, {2 * kGroupBatch, kClasses}, dy);
    tu::Tensor reused_dx(ctx, {2 * kGroupBatch, 2, kSide, kSide}), fresh_dx(ctx, {2 * kGroupBatch, 2, kSide, kSide});
    CHECK_OK(jnas_net_backward(three.net, grad));
    CHECK_OK(jnas_net_input_grad(three.net, three.model.input, reused_dx));
    CHECK_OK(jnas_net_backward(two.net, grad));
    CHECK_OK(jnas_net_input_grad(two.net, two.model.input, fresh_dx));
    std::vector<float> a = reused_dx.read(), b = fresh_dx.read();
    for (size_t k = 0; k < b.size(); ++k) CHECK_CLOSE(a[k], b[k], 1e-5, 1e-7);
}
