// ntk_bench.cpp — times the NTK condition number of NAS-Bench-201 cells on the CPU, through the C API only.
//
// The net is the κ network of ../../shared/vectors/README.md (C=3, N=1), as jnas_nb201_graph builds it: stem conv
// 3×3 + BN, cell, ResNet block, cell, ResNet block, cell, head BN + ReLU + global pool + linear; PyTorch-default
// init; a Gaussian batch B×3×32×32. For each cell and thread count it reports the median over the runs of
// jnas_net_ntk (exact and frozen BN coupling) + jnas_ntk_spectrum, in seconds and GFLOP/s. FLOPs are counted
// analytically from jnas_graph_macs: convolutions and the linear layer (2 per multiply-add) in the forward, the
// backward data and the per-row weight gradients, plus the Gram matrix J·Jᵀ; elementwise work (BN, ReLU, pools)
// is not counted.
//
// Usage: ntk_bench [--backend cpu|cuda] [--runs N] [--batch B] [--threads LIST] [--modes exact,frozen] [--cell ARCH]...
//                  [--groups K]
//        (LIST e.g. "1,2"; default 1,2, and only 1 on cuda, where host threads play no part; both modes by default;
//        --cell supernet: TE-NAS's unpruned NB201 supernet, what a pruning search measures 171 times; --groups K > 1:
//        the supernet as K batched candidates in one call, frozen coupling only, each a sample group of B with its
//        own per-sample mixing weights, timed per call and per candidate against K = 1's shared weights)
// Where time goes: run it under `perf record -g` and `perf report --no-children --sort symbol`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "jnas.h"

namespace {

void check(jnas_status status, const char* what) {
    if (status != JNAS_OK) throw std::runtime_error(std::string(what) + ": " + jnas_last_error());
}

struct KappaNet {
    jnas_net* net = nullptr;
    jnas_tensor* input = nullptr;
    std::vector<jnas_tensor*> thetas;   // one per sample group
    std::vector<jnas_tensor*> weights;  // batched candidates: each edge's per-sample mixing weights
    double forward_flops = 0;  // per sample: 2 × the multiply-adds of the convs and the linear layer
    int64_t jacobian_width = 0;
    int batch = 0;   // per sample group
    int groups = 1;

    ~KappaNet() {
        for (jnas_tensor* t : thetas) jnas_tensor_free(t);
        for (jnas_tensor* t : weights) jnas_tensor_free(t);
        jnas_tensor_free(input);
        jnas_net_free(net);
    }
};

// The cell named kSupernet is TE-NAS's unpruned NB201 supernet as java-core's Nb201PruningSpace builds it for κ
// (a search's round 1 measures it 3 times and 72 candidates besides): every edge mixes skip, 1×1 conv, 3×3 conv
// and 3×3 average pooling with weights 1/4, one free parameter per edge shared by the three cells; the conv
// branches leaving a node share one ReLU of it.
const char* const kSupernet = "supernet";
constexpr int kCellNodes = 4, kCellEdges = 6, kSupernetOps = 4;

std::string alpha_name(int edge) { return "arch.cell.edge" + std::to_string(edge); }

// Builder calls that keep the first failure, so a graph is checked once at the end.
struct SupernetBuilder {
    jnas_graph* g;
    int alphas[kCellEdges];
    jnas_status status = JNAS_OK;
    std::string error;  // the first failure's message

    int keep(jnas_status s, const int& out) {  // out by reference: read after the call that writes it
        if (status == JNAS_OK && s != JNAS_OK) {
            status = s;
            error = jnas_last_error();
        }
        return out;
    }
    int relu(int x) {
        int out = -1;
        return keep(jnas_graph_activation(g, x, JNAS_ACT_RELU, &out), out);
    }
    int add(int a, int b) {
        int out = -1;
        return keep(jnas_graph_add(g, a, b, &out), out);
    }
    int avg_pool(int x, int kernel, int stride, int padding, int count_include_pad) {
        int out = -1;
        return keep(jnas_graph_avg_pool(g, x, kernel, stride, padding, count_include_pad, &out), out);
    }
    int conv(const std::string& name, int x, int channels, int kernel, int stride) {
        int out = -1;
        return keep(jnas_graph_conv2d(g, (name + ".conv").c_str(), x, channels, kernel, kernel, stride, kernel / 2,
                                      1, 1, 0, &out), out);
    }
    int batch_norm(const std::string& name, int x) {
        int out = -1;
        return keep(jnas_graph_batch_norm(g, name.c_str(), x, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f,
                                          &out), out);
    }
    int conv_bn(const std::string& name, int x, int channels, int kernel, int stride) {
        return batch_norm(name + ".bn", conv(name, x, channels, kernel, stride));
    }
    int mixed_cell(const std::string& name, int x, int channels) {
        int nodes[kCellNodes] = {x}, relus[kCellNodes] = {-1, -1, -1, -1};
        for (int target = 1, edge = 0; target < kCellNodes; ++target) {
            int sum = -1;
            for (int source = 0; source < target; ++source, ++edge) {
                std::string e = name + ".edge" + std::to_string(target) + "_" + std::to_string(source);
                int in = nodes[source];
                if (relus[source] < 0) relus[source] = relu(in);
                int branches[kSupernetOps] = {in, conv_bn(e + ".nor_conv_1x1", relus[source], channels, 1, 1),
                                              conv_bn(e + ".nor_conv_3x3", relus[source], channels, 3, 1),
                                              avg_pool(in, 3, 1, 1, 0)};
                int mixed = -1;
                keep(jnas_graph_mixed(g, kSupernetOps, branches, alphas[edge], 0.01f, &mixed), mixed);
                sum = sum < 0 ? mixed : add(sum, mixed);
            }
            nodes[target] = sum;
        }
        return nodes[kCellNodes - 1];
    }
    int resnet_block(const std::string& name, int x, int channels) {
        int conv_b = conv_bn(name + ".conv_b", relu(conv_bn(name + ".conv_a", relu(x), channels, 3, 2)), channels, 3,
                             1);
        return add(conv(name + ".downsample", avg_pool(x, 2, 2, 0, 1), channels, 1, 1), conv_b);
    }
    // C=3, N=1: stem, cell, block, cell, block, cell at 3, 6, 12 channels, then the head. Returns the output. The
    // mixing weights are free parameters, or with per_sample input nodes (batched candidates).
    int network(int input, bool per_sample) {
        for (int e = 0; e < kCellEdges; ++e) {
            const int64_t shape[1] = {kSupernetOps};
            if (per_sample)
                keep(jnas_graph_input(g, 1, shape, &alphas[e]), alphas[e]);
            else
                keep(jnas_graph_param(g, alpha_name(e).c_str(), 1, shape, JNAS_INIT_ZEROS, 0, &alphas[e]), 0);
        }
        int x = conv_bn("stem", input, 3, 3, 1);
        for (int stage = 0, layer = 0, channels = 3; stage < 3; ++stage, channels *= 2) {
            if (stage > 0) x = resnet_block("layer" + std::to_string(layer++), x, channels);
            x = mixed_cell("layer" + std::to_string(layer++), x, channels);
        }
        return head(x);
    }
    int head(int x) {
        int pooled = -1, out = -1;
        keep(jnas_graph_global_avg_pool(g, relu(batch_norm("head.bn", x)), &pooled), pooled);
        return keep(jnas_graph_linear(g, "head.linear", pooled, 10, 1, &out), out);
    }
};

// Mixing weights 1/4 on every edge of the supernet (its free parameters start at zero: every branch skipped).
jnas_status unmask_supernet(jnas_net* net) {
    const float uniform[kSupernetOps] = {0.25f, 0.25f, 0.25f, 0.25f};
    for (int e = 0; e < kCellEdges; ++e) {
        int index = -1;
        jnas_status s = jnas_net_param_find(net, alpha_name(e).c_str(), &index);
        if (s == JNAS_OK) s = jnas_net_param_write(net, index, uniform, kSupernetOps);
        if (s != JNAS_OK) return s;
    }
    return JNAS_OK;
}

void build_kappa_net(jnas_ctx* ctx, const std::string& arch, int batch, int groups, KappaNet& k) {
    if (groups > 1 && arch != kSupernet) throw std::runtime_error("--groups takes --cell supernet");
    jnas_graph* g = nullptr;
    check(jnas_graph_create(&g), "graph_create");
    const jnas_nb201_skeleton kappa_skeleton = {3, 1, 3, 1};
    int x = -1, out = -1;
    int64_t conv_macs = 0, linear_macs = 0;
    std::vector<int> alpha_nodes;  // batched candidates' weights inputs
    jnas_status built = JNAS_OK;
    if (arch == kSupernet) {
        const int64_t image[3] = {3, 32, 32};
        built = jnas_graph_input(g, 3, image, &x);
        SupernetBuilder supernet{g, {}};
        if (built == JNAS_OK) out = supernet.network(x, groups > 1);
        if (built == JNAS_OK && supernet.status != JNAS_OK) {
            jnas_graph_free(g);
            throw std::runtime_error("building the supernet: " + supernet.error);
        }
        if (groups > 1) alpha_nodes.assign(supernet.alphas, supernet.alphas + kCellEdges);
    } else {
        built = jnas_nb201_graph(g, arch.c_str(), &kappa_skeleton, 3, 32, 32, 10, &x, &out);
    }
    if (built == JNAS_OK) built = jnas_graph_macs(g, out, &conv_macs, &linear_macs);
    if (built == JNAS_OK) built = jnas_net_create(ctx, g, out, JNAS_INIT_PYTORCH_DEFAULT, 1, &k.net);
    if (built == JNAS_OK && arch == kSupernet && groups == 1) built = unmask_supernet(k.net);
    jnas_graph_free(g);
    check(built, "building the kappa network");
    k.forward_flops = 2.0 * double(conv_macs + linear_macs);
    k.batch = batch;
    k.groups = groups;
    const int64_t input_shape[4] = {int64_t(groups) * batch, 3, 32, 32};
    check(jnas_tensor_create(ctx, 4, input_shape, &k.input), "tensor_create");
    check(jnas_tensor_fill_normal(k.input, 7, 0, 0.0f, 1.0f), "fill_normal");
    check(jnas_net_bind_input(k.net, x, k.input), "bind_input");
    // Batched candidates: group g prunes op g % 4 of edge g % 6 (a round's candidates prune one op each), the
    // other weights 1/4; a candidate's weights repeated over its group's samples.
    for (int e = 0; e < int(alpha_nodes.size()); ++e) {
        std::vector<float> rows;
        for (int group = 0; group < groups; ++group)
            for (int sample = 0; sample < batch; ++sample)
                for (int op = 0; op < kSupernetOps; ++op)
                    rows.push_back(group % kCellEdges == e && group % kSupernetOps == op ? 0.0f : 0.25f);
        const int64_t shape[2] = {int64_t(groups) * batch, kSupernetOps};
        k.weights.push_back(nullptr);
        check(jnas_tensor_create(ctx, 2, shape, &k.weights.back()), "tensor_create");
        check(jnas_tensor_write(k.weights.back(), rows.data(), int64_t(rows.size())), "tensor_write");
        check(jnas_net_bind_input(k.net, alpha_nodes[size_t(e)], k.weights.back()), "bind_input");
    }
    check(jnas_net_set_sample_groups(k.net, groups), "set_sample_groups");
    const int64_t theta_shape[2] = {batch, batch};
    for (int group = 0; group < groups; ++group) {
        k.thetas.push_back(nullptr);
        check(jnas_tensor_create(ctx, 2, theta_shape, &k.thetas.back()), "tensor_create");
    }
    int params = 0;
    check(jnas_net_param_count(k.net, &params), "param_count");
    for (int p = 0; p < params; ++p) {
        jnas_param_role role;
        int64_t numel = 0;
        check(jnas_net_param_role(k.net, p, &role), "param_role");
        check(jnas_net_param_numel(k.net, p, &numel), "param_numel");
        if (role == JNAS_PARAM_WEIGHT || role == JNAS_PARAM_BN_WEIGHT) k.jacobian_width += numel;
    }
}

// Exact coupling: a forward, the backward data of S·B = B² stacked samples and B full-batch weight gradients
// (each B samples); frozen: a forward, one backward data and B single-sample weight gradients. Plus J·Jᵀ.
double ntk_flops(const KappaNet& k, jnas_bn_coupling coupling) {
    double b = k.batch;
    double backward_samples = coupling == JNAS_BN_COUPLING_EXACT ? b * b : b;
    double gram = 2.0 * b * b * double(k.jacobian_width);
    return k.groups * (k.forward_flops * (b + 2.0 * backward_samples) + gram);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    size_t n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// Median seconds of `runs` κ computations (Θ and its spectrum, of every group); the first group's κ of the last run
// into *kappa. The spectrum's eigenvalues come back to the host, so on cuda the time includes all device work.
double time_kappa(jnas_ctx* ctx, KappaNet& k, jnas_bn_coupling coupling, int runs, double* kappa) {
    std::vector<double> times;
    std::vector<double> eigenvalues(size_t(k.batch) * k.groups), kappas(size_t(k.groups));
    std::vector<unsigned> flags(size_t(k.groups));
    for (int run = 0; run < runs; ++run) {
        auto start = std::chrono::steady_clock::now();
        if (k.groups == 1)
            check(jnas_net_ntk(k.net, coupling, 0, nullptr, k.thetas[0]), "net_ntk");
        else
            check(jnas_net_ntk_groups(k.net, coupling, 0, nullptr, k.groups, k.thetas.data()), "net_ntk_groups");
        check(jnas_ntk_spectrum_batched(ctx, k.groups, k.thetas.data(), eigenvalues.data(), kappas.data(),
                                        flags.data()), "ntk_spectrum_batched");
        times.push_back(seconds_since(start));
    }
    *kappa = kappas[0];
    return median(times);
}

std::vector<int> parse_list(const char* text) {
    std::vector<int> values;
    for (const char* p = text; *p;) {
        char* end = nullptr;
        values.push_back(int(std::strtol(p, &end, 10)));
        p = *end == ',' ? end + 1 : end;
        if (end == p && *end) break;
    }
    return values;
}

struct Options {
    jnas_backend backend = JNAS_BACKEND_CPU;
    int runs = 5;
    int batch = 72;
    std::vector<int> threads{1, 2};
    std::vector<std::string> cells;
    bool exact = true, frozen = true;  // --modes exact,frozen (frozen alone skips the slow exact runs)
    int groups = 1;                    // batched candidates per call
};

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string flag = argv[i];
        if (flag == "--backend") {
            std::string name = argv[i + 1];
            if (name != "cpu" && name != "cuda") throw std::runtime_error("--backend is cpu or cuda, not " + name);
            o.backend = name == "cuda" ? JNAS_BACKEND_CUDA : JNAS_BACKEND_CPU;
            if (o.backend == JNAS_BACKEND_CUDA) o.threads = {1};
        }
        else if (flag == "--runs") o.runs = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--batch") o.batch = std::max(2, std::atoi(argv[i + 1]));
        else if (flag == "--threads") o.threads = parse_list(argv[i + 1]);
        else if (flag == "--cell") o.cells.push_back(argv[i + 1]);
        else if (flag == "--groups") o.groups = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--modes") {
            std::string modes = argv[i + 1];
            o.exact = modes.find("exact") != std::string::npos;
            o.frozen = modes.find("frozen") != std::string::npos;
        }
        else throw std::runtime_error("unknown option " + flag);
    }
    if (o.groups > 1) o.exact = false;  // exact coupling measures candidates one by one
    if (o.cells.empty())
        o.cells = {
            // NB201 indices 0, 1, 6111 (best CIFAR-10) and the all-3×3 cell (the most FLOPs)
            "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|",
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|",
            "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        };
    return o;
}

void bench_cell(jnas_ctx* ctx, const Options& o, const std::string& arch) {
    KappaNet k;
    build_kappa_net(ctx, arch, o.batch, o.groups, k);
    for (int threads : o.threads) {
        check(jnas_ctx_set_threads(ctx, threads), "set_threads");
        for (jnas_bn_coupling coupling : {JNAS_BN_COUPLING_EXACT, JNAS_BN_COUPLING_FROZEN}) {
            if (!(coupling == JNAS_BN_COUPLING_EXACT ? o.exact : o.frozen)) continue;
            double kappa = 0;
            time_kappa(ctx, k, coupling, 1, &kappa);  // warm-up: workspaces, page faults
            double seconds = time_kappa(ctx, k, coupling, o.runs, &kappa);
            double gflop = ntk_flops(k, coupling) * 1e-9;
            std::printf("%-6s %d  %9.4f s  %7.2f GFLOP  %7.2f GFLOP/s  kappa %.6g  %s", coupling ==
                        JNAS_BN_COUPLING_EXACT ? "exact" : "frozen", threads, seconds, gflop, gflop / seconds, kappa,
                        arch.c_str());
            if (k.groups > 1) std::printf(" (%d candidates: %.4f s each)", k.groups, seconds / k.groups);
            std::printf("\n");
            std::fflush(stdout);
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    try {
        Options o = parse_options(argc, argv);
        jnas_ctx* ctx = nullptr;
        check(jnas_ctx_create(o.backend, 0, &ctx), "ctx_create");
        std::printf("mode  thr   median(%d)     work        rate          kappa   cell (batch %d)\n", o.runs,
                    o.batch);
        for (const std::string& arch : o.cells) bench_cell(ctx, o, arch);
        jnas_ctx_free(ctx);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ntk_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
