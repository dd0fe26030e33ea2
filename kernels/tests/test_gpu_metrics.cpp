// test_gpu_metrics.cpp — the training-free metrics through the C API on a CUDA context against a CPU context (the
// kernels themselves are compared in test_gpu_twins.cpp): Θ of a small NB201-like net in both batch-norm couplings,
// its spectrum (one matrix and batched), and the activation patterns with their exact distinct count. Parameters
// and inputs come from Philox, so both contexts start from the same bits.
// Exits 77 (ctest: skipped) with "SKIPPED: <why>" where there is no usable GPU.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../../native/tests/check.hpp"
#include "../../native/tests/test_util.hpp"
#include "gpu_contexts.hpp"
#include "patterns.hpp"  // white box: a collector's rows

namespace {

jnas_ctx* g_cpu = nullptr;
jnas_ctx* g_gpu = nullptr;

template <typename... Parts>
std::string str(const Parts&... parts) {
    std::ostringstream out;
    (out << ... << parts);
    return out.str();
}

int relu_conv_bn(jnas_graph* g, const std::string& name, int x, int channels, int kernel) {
    int relu = -1, conv = -1, bn = -1;
    CHECK_OK(jnas_graph_activation(g, x, JNAS_ACT_RELU, &relu));
    CHECK_OK(jnas_graph_conv2d(g, (name + ".conv").c_str(), relu, channels, kernel, kernel, 1, kernel / 2, 1, 1, 0,
                               &conv));
    CHECK_OK(jnas_graph_batch_norm(g, (name + ".bn").c_str(), conv, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f,
                                   0.1f, &bn));
    return bn;
}

int add(jnas_graph* g, int a, int b) {
    int out = -1;
    CHECK_OK(jnas_graph_add(g, a, b, &out));
    return out;
}

// stem (conv 3×3 → BN) → one NB201 cell → ReLU → global pool → linear(10). The cell's nodes:
//   1 = conv3×3(0);  2 = skip(0) + conv1×1(1);  3 = avgpool3×3(0) + mixed{conv3×3, conv1×1, avgpool, skip}(1) + skip(2)
// with the mixed edge's weights a parameter "alpha" (initialized to ones), as in a TE-NAS supernet, or with
// per_sample_alpha an input node of 4 weights per sample (batched candidates).
struct Nb201Like {
    static constexpr int kChannels = 8;
    tu::Graph g;
    int input = -1, output = -1, alpha = -1;
    explicit Nb201Like(bool per_sample_alpha = false) {
        input = g.input({3, 8, 8});
        int stem = -1, stem_bn = -1;
        CHECK_OK(jnas_graph_conv2d(g, "stem", input, kChannels, 3, 3, 1, 1, 1, 1, 0, &stem));
        CHECK_OK(jnas_graph_batch_norm(g, "stem.bn", stem, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f,
                                       &stem_bn));
        int node0 = stem_bn;
        int node1 = relu_conv_bn(g, "e10", node0, kChannels, 3);
        int node2 = add(g, node0, relu_conv_bn(g, "e21", node1, kChannels, 1));
        int pool0 = -1, pool1 = -1, mixed = -1;
        CHECK_OK(jnas_graph_avg_pool(g, node0, 3, 1, 1, 0, &pool0));
        CHECK_OK(jnas_graph_avg_pool(g, node1, 3, 1, 1, 0, &pool1));
        const int64_t four = 4;
        if (per_sample_alpha)
            alpha = g.input({4});
        else
            CHECK_OK(jnas_graph_param(g, "alpha", 1, &four, JNAS_INIT_ONES, 1, &alpha));
        int ops[4] = {relu_conv_bn(g, "e31a", node1, kChannels, 3), relu_conv_bn(g, "e31b", node1, kChannels, 1), pool1,
                      node1};
        CHECK_OK(jnas_graph_mixed(g, 4, ops, alpha, -INFINITY, &mixed));
        int node3 = add(g, add(g, pool0, mixed), node2);
        int relu = -1, pooled = -1;
        CHECK_OK(jnas_graph_activation(g, node3, JNAS_ACT_RELU, &relu));
        CHECK_OK(jnas_graph_global_avg_pool(g, relu, &pooled));
        CHECK_OK(jnas_graph_linear(g, "classifier", pooled, 10, 1, &output));
    }
};

// A net of the NB201-like graph on ctx with its input bound to a Philox batch (the same bits on every backend).
struct BoundNet {
    Nb201Like graph;
    tu::Net net;
    tu::Tensor batch;
    BoundNet(jnas_ctx* ctx, int samples, uint64_t input_seed)
        : net(ctx, graph.g, graph.output, JNAS_INIT_KAIMING_NORMAL_FAN_IN, 11), batch(ctx, {samples, 3, 8, 8}) {
        CHECK_OK(jnas_tensor_fill_normal(batch, input_seed, 0, 0.0f, 1.0f));
        CHECK_OK(jnas_net_bind_input(net, graph.input, batch));
    }
};

std::vector<float> ntk(jnas_ctx* ctx, jnas_bn_coupling coupling, int samples) {
    BoundNet bound(ctx, samples, 5);
    tu::Tensor theta(ctx, {samples, samples});
    CHECK_OK(jnas_net_ntk(bound.net, coupling, 0, nullptr, theta));
    return theta.read();
}

// Frozen Θ of 3 sample groups of 4 in one call, each group another mask of the mixed edge (batched candidates).
std::vector<std::vector<float>> grouped_ntk(jnas_ctx* ctx) {
    constexpr int groups = 3, per_group = 4;
    const float masks[groups][4] = {{1, 1, 1, 1}, {0, 1, 1, 1}, {1, 0, 0, 1}};
    Nb201Like graph(true);
    tu::Net net(ctx, graph.g, graph.output, JNAS_INIT_KAIMING_NORMAL_FAN_IN, 11);
    tu::Tensor batch(ctx, {groups * per_group, 3, 8, 8}), weights(ctx, {groups * per_group, 4});
    CHECK_OK(jnas_tensor_fill_normal(batch, 5, 0, 0.0f, 1.0f));
    std::vector<float> rows;
    for (int g = 0; g < groups; ++g)
        for (int s = 0; s < per_group; ++s) rows.insert(rows.end(), masks[g], masks[g] + 4);
    weights.write(rows);
    CHECK_OK(jnas_net_bind_input(net, graph.input, batch));
    CHECK_OK(jnas_net_bind_input(net, graph.alpha, weights));
    CHECK_OK(jnas_net_set_sample_groups(net, groups));
    tu::Tensor t0(ctx, {per_group, per_group}), t1(ctx, {per_group, per_group}), t2(ctx, {per_group, per_group});
    jnas_tensor* thetas[groups] = {t0, t1, t2};
    CHECK_OK(jnas_net_ntk_groups(net, JNAS_BN_COUPLING_FROZEN, 0, nullptr, groups, thetas));
    return {t0.read(), t1.read(), t2.read()};
}

// ‖a − b‖ / ‖b‖
double relative_error(const std::vector<float>& a, const std::vector<float>& b) {
    double diff = 0.0, norm = 0.0;
    for (size_t i = 0; i < b.size(); ++i) {
        diff += (double(a[i]) - b[i]) * (double(a[i]) - b[i]);
        norm += double(b[i]) * b[i];
    }
    return std::sqrt(diff / norm);
}

struct Spectrum {
    std::vector<double> eigenvalues;
    double kappa = 0.0;
    unsigned flags = 99;
};

Spectrum spectrum(jnas_ctx* ctx, const std::vector<float>& values, int n) {
    tu::Tensor theta(ctx, {n, n}, values);
    Spectrum s;
    s.eigenvalues.resize(size_t(n));
    CHECK_OK(jnas_ntk_spectrum(ctx, theta, s.eigenvalues.data(), &s.kappa, &s.flags));
    return s;
}

// The CUDA spectrum of a matrix against the CPU's: eigenvalues to 1e-10 of the largest, the same flags, and κ as
// close as its sensitivity to λmin allows (δκ/κ = δλmin/λmin with δλmin <= 1e-10·λmax, i.e. δκ <= 1e-10·κ²).
void expect_same_spectrum(const std::string& what, const Spectrum& gpu, const Spectrum& cpu) {
    double largest = 0.0, error = 0.0;
    for (size_t k = 0; k < cpu.eigenvalues.size(); ++k) {
        largest = std::max(largest, std::fabs(cpu.eigenvalues[k]));
        error = std::max(error, std::fabs(gpu.eigenvalues[k] - cpu.eigenvalues[k]));
    }
    if (!(error <= 1e-10 * largest))
        jnas_test::report(__FILE__, __LINE__, str(what, ": max |gpu − cpu| = ", error, ", max |λ| = ", largest));
    if (gpu.flags != cpu.flags)
        jnas_test::report(__FILE__, __LINE__, str(what, ": flags ", gpu.flags, " on the GPU, ", cpu.flags, " on the CPU"));
    if (!(std::fabs(gpu.kappa - cpu.kappa) <= 1e-10 * cpu.kappa * cpu.kappa))
        jnas_test::report(__FILE__, __LINE__, str(what, ": κ ", gpu.kappa, " on the GPU, ", cpu.kappa, " on the CPU"));
}

TEST_CASE("ntk: Θ of an NB201-like net on CUDA equals the CPU's, exact and frozen batch norm") {
    const int samples = 12;
    for (jnas_bn_coupling coupling : {JNAS_BN_COUPLING_EXACT, JNAS_BN_COUPLING_FROZEN}) {
        std::vector<float> cpu = ntk(g_cpu, coupling, samples), gpu = ntk(g_gpu, coupling, samples);
        double error = relative_error(gpu, cpu);
        // Float sums in other orders through a dozen layers; a wrong kernel is off by order one.
        if (!(error <= 1e-3))
            jnas_test::report(__FILE__, __LINE__, str("Θ coupling ", int(coupling), ": relative error ", error));
    }
}

TEST_CASE("ntk: frozen Θ of batched candidates (sample groups, per-sample mixing weights) on CUDA equals the CPU's") {
    std::vector<std::vector<float>> cpu = grouped_ntk(g_cpu), gpu = grouped_ntk(g_gpu);
    for (size_t g = 0; g < cpu.size(); ++g) {
        double error = relative_error(gpu[g], cpu[g]);
        if (!(error <= 1e-3)) jnas_test::report(__FILE__, __LINE__, str("Θ of group ", g, ": relative error ", error));
    }
}

TEST_CASE("spectrum: the CUDA Jacobi eigenvalues of Θ equal LAPACK's, one matrix and batched") {
    const int samples = 12;
    std::vector<float> exact = ntk(g_cpu, JNAS_BN_COUPLING_EXACT, samples);
    std::vector<float> frozen = ntk(g_cpu, JNAS_BN_COUPLING_FROZEN, samples);
    Spectrum cpu_exact = spectrum(g_cpu, exact, samples), cpu_frozen = spectrum(g_cpu, frozen, samples);
    expect_same_spectrum("exact Θ", spectrum(g_gpu, exact, samples), cpu_exact);
    expect_same_spectrum("frozen Θ", spectrum(g_gpu, frozen, samples), cpu_frozen);

    std::vector<float> nan_matrix = exact;
    nan_matrix[1] = std::numeric_limits<float>::quiet_NaN();
    tu::Tensor a(g_gpu, {samples, samples}, exact), b(g_gpu, {samples, samples}, nan_matrix),
        c(g_gpu, {samples, samples}, frozen);
    const jnas_tensor* thetas[3] = {a, b, c};
    std::vector<double> eigenvalues(static_cast<size_t>(3 * samples));
    double kappas[3] = {};
    unsigned flags[3] = {};
    CHECK_OK(jnas_ntk_spectrum_batched(g_gpu, 3, thetas, eigenvalues.data(), kappas, flags));
    auto batch_member = [&](int i) {
        Spectrum s;
        s.eigenvalues.assign(eigenvalues.begin() + i * samples, eigenvalues.begin() + (i + 1) * samples);
        s.kappa = kappas[i];
        s.flags = flags[i];
        return s;
    };
    expect_same_spectrum("batched exact Θ", batch_member(0), cpu_exact);
    expect_same_spectrum("batched frozen Θ", batch_member(2), cpu_frozen);
    CHECK(flags[1] == JNAS_SPECTRUM_NONFINITE && std::isnan(kappas[1]));
    for (int k = 0; k < samples; ++k) CHECK(std::isnan(eigenvalues[size_t(samples + k)]));
}

struct Collector {
    jnas_patterns* p = nullptr;
    Collector() { CHECK_OK(jnas_patterns_create(&p)); }
    ~Collector() { jnas_patterns_free(p); }
    operator jnas_patterns*() const { return p; }
    int64_t distinct_on(jnas_ctx* ctx) const {
        int64_t count = -1;
        CHECK_OK(jnas_patterns_count_distinct_on(ctx, p, &count));
        return count;
    }
};

TEST_CASE("patterns: bits packed on the device match the CPU's, and the device count is the exact one") {
    Collector cpu, gpu;
    for (uint64_t seed : {21u, 22u}) {  // two batches appended to one collector
        BoundNet on_cpu(g_cpu, 40, seed), on_gpu(g_gpu, 40, seed);
        CHECK_OK(jnas_net_collect_patterns(on_cpu.net, cpu));
        CHECK_OK(jnas_net_collect_patterns(on_gpu.net, gpu));
    }
    const jnas::PatternSet &cpu_set = cpu.p->set, &gpu_set = gpu.p->set;
    CHECK(cpu_set.samples() == 80 && gpu_set.samples() == 80 && gpu_set.bits() == cpu_set.bits());
    // The ReLU inputs themselves differ by float rounding, so a value within rounding of zero may flip its bit.
    int64_t flipped = 0;
    for (int64_t r = 0; r < cpu_set.samples(); ++r)
        for (int64_t w = 0; w < cpu_set.words_per_row(); ++w)
            flipped += __builtin_popcountll(cpu_set.row(r)[w] ^ gpu_set.row(r)[w]);
    if (flipped * 10000 > cpu_set.samples() * cpu_set.bits())
        jnas_test::report(__FILE__, __LINE__, str(flipped, " of ", cpu_set.samples() * cpu_set.bits(), " bits differ"));
    for (const Collector* collector : {&cpu, &gpu}) {
        int64_t host = -1;
        CHECK_OK(jnas_patterns_count_distinct(*collector, &host));
        CHECK(collector->distinct_on(g_gpu) == host);
        CHECK(collector->distinct_on(g_cpu) == host);
    }
}

}  // namespace

int main(int argc, char** argv) { return jnas_test::run_on_contexts(argc, argv, g_gpu, g_cpu); }
