// nb201_score.cpp — jnas_nb201_score: java-core's TrainingFreeScorer (KappaNetwork, RegionNetwork) on the
// synthetic Gaussian probe data, draw for draw, so a C or Python client gets `jnas score`'s numbers.
#include <cmath>
#include <limits>
#include <vector>

#include "java_random.hpp"
#include "nb201.hpp"
#include "net.hpp"
#include "ntk.hpp"
#include "patterns.hpp"
#include "seed_streams.hpp"
#include "tensor.hpp"

namespace jnas::nb201 {
namespace {

using seed_streams::Stream;

constexpr int kClasses = 10;          // MetricSettings.CLASSES
constexpr int kImageChannels = 3;     // ProbeData: 3×32×32 images, 1×3×3 patches
constexpr int kImageSize = 32;
constexpr int kPatchSize = 3;
constexpr int kRegionBatches = 3;     // MetricSettings.REGION_BATCHES
constexpr int kRegionBatchSize = 1000;

// A tensor of ctx that the scorer owns.
struct OwnedTensor {
    jnas_tensor tensor;

    OwnedTensor(jnas_ctx* ctx, Shape shape) : tensor{ctx, shape, {}} {
        tensor.data = DeviceBuffer(*ctx->backend, tensor.bytes());
    }
    void write(const std::vector<float>& values) {
        tensor.ctx->backend->upload(tensor.data.get(), values.data(), tensor.bytes());
    }
};

// GaussianProbeData: dst.size() standard-normal draws in order, stored as floats.
void gaussian(JavaRandom& random, std::vector<float>& dst) {
    for (float& value : dst) value = float(random.next_gaussian());
}

// A network compiled on ctx in train mode, with its input bound to a tensor of input_shape ([B, C, H, W]).
struct BoundNetwork {
    Net net;
    OwnedTensor input;

    BoundNetwork(jnas_ctx* ctx, const Graph& graph, const Network& network, jnas_init init, Shape input_shape)
        : net(ctx, graph, network.output, init, 0), input(ctx, input_shape) {
        net.set_train(true);
        net.bind_input(network.input, &input.tensor);
    }
};

// Each metric's sum over the repeats in repeat order (as RepeatAverage adds them) and the OR of their flags.
struct Sums {
    double kappa = 0, lambda_min = 0, lambda_max = 0, regions = 0, naswot = 0;
    unsigned flags = 0;
};

// KappaNetwork.measure: fresh weights and batch for (seed, repeat), then NTK and NASWOT as asked.
void measure_kappa(BoundNetwork& k, OwnedTensor& theta, const jnas_nb201_score_options& o, int repeat, Sums& sums) {
    k.net.init(o.init, seed_streams::derive(o.seed, repeat, Stream::KappaWeights));
    JavaRandom random(seed_streams::derive(o.seed, repeat, Stream::KappaBatch));
    std::vector<float> batch(size_t(k.input.tensor.shape.numel()));
    gaussian(random, batch);
    k.input.write(batch);
    if (o.metrics & JNAS_NB201_NTK) {
        net_ntk(k.net, o.coupling, ntk_default_params(k.net), {&theta.tensor});
        Spectrum spectrum =
            symmetric_spectra(*theta.tensor.ctx->backend, o.batch, {theta.tensor.f32()}).front();
        sums.kappa += spectrum.kappa;
        sums.lambda_min += spectrum.eigenvalues.front();
        sums.lambda_max += spectrum.eigenvalues.back();
        sums.flags |= spectrum.flags;
    }
    if (o.metrics & JNAS_NB201_NASWOT) {
        PatternSet patterns;
        collect_relu_patterns(k.net, patterns);
        NaswotScore naswot = patterns.naswot(0, o.batch);
        sums.naswot += naswot.logdet;
        if (naswot.flags & JNAS_NASWOT_SINGULAR) sums.flags |= JNAS_NB201_NASWOT_SINGULAR;
    }
}

// RegionNetwork.measure: fresh weights, then the patterns of 3 batches of patches counted together.
void measure_regions(BoundNetwork& r, const jnas_nb201_score_options& o, int repeat, Sums& sums) {
    r.net.init(o.init, seed_streams::derive(o.seed, repeat, Stream::RegionWeights));
    JavaRandom random(seed_streams::derive(o.seed, repeat, Stream::RegionPatches));
    std::vector<float> patches(size_t(r.input.tensor.shape.numel()));
    PatternSet patterns;
    for (int b = 0; b < kRegionBatches; ++b) {
        gaussian(random, patches);
        r.input.write(patches);
        collect_relu_patterns(r.net, patterns);
    }
    sums.regions += double(patterns.count_distinct_on(*r.net.ctx()->backend));
}

}  // namespace

jnas_nb201_scores score(jnas_ctx* ctx, const Architecture& arch, const jnas_nb201_score_options& o) {
    Sums sums;
    bool kappa_network = o.metrics & (JNAS_NB201_NTK | JNAS_NB201_NASWOT);
    bool regions = o.metrics & JNAS_NB201_LINEAR_REGIONS;
    if (kappa_network) {
        Graph graph;
        Network network = build_network(graph, arch, kKappaSkeleton, kImageChannels, kImageSize, kImageSize, kClasses);
        BoundNetwork k(ctx, graph, network, o.init, Shape{o.batch, kImageChannels, kImageSize, kImageSize});
        OwnedTensor theta(ctx, Shape{o.batch, o.batch});
        for (int repeat = 0; repeat < o.repeats; ++repeat) measure_kappa(k, theta, o, repeat, sums);
    }
    if (regions) {
        Graph graph;
        Network network = build_network(graph, arch, kRegionSkeleton, 1, kPatchSize, kPatchSize, kClasses);
        BoundNetwork r(ctx, graph, network, o.init, Shape{kRegionBatchSize, 1, kPatchSize, kPatchSize});
        for (int repeat = 0; repeat < o.repeats; ++repeat) measure_regions(r, o, repeat, sums);
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto mean = [&](unsigned metric, double sum) { return (o.metrics & metric) ? sum / o.repeats : nan; };
    return {mean(JNAS_NB201_NTK, sums.kappa),      mean(JNAS_NB201_NTK, sums.lambda_min),
            mean(JNAS_NB201_NTK, sums.lambda_max), mean(JNAS_NB201_LINEAR_REGIONS, sums.regions),
            mean(JNAS_NB201_NASWOT, sums.naswot),  sums.flags};
}

}  // namespace jnas::nb201
