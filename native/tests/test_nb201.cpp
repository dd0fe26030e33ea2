// test_nb201.cpp — the NB201 calls: architecture-string errors and their positions, the networks' parameter names
// and hand-counted multiply-adds, java.util.Random and SeedStreams against values the JVM printed, and
// jnas_nb201_score against `jnas score`'s output for the same options, the all-none cell's known scores, thread
// count independence and the option errors.
#define JNAS_TEST_MAIN
#include <cmath>
#include <string>

#include "check.hpp"
#include "java_random.hpp"
#include "seed_streams.hpp"
#include "test_util.hpp"

using tu::error_mentions;

namespace {

const char* const kArch1 =  // NB201 index 1
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|";
const char* const kArch0 =  // NB201 index 0
    "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";
const char* const kAllSkip =
    "|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|";
const char* const kAllConv3x3 =
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|";
const char* const kAllNone = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";

const jnas_nb201_skeleton kKappaSkeleton = {3, 1, 3, 1};

// Builds arch's κ network into g; the status of jnas_nb201_graph.
jnas_status kappa_graph(jnas_graph* g, const char* arch, int* input, int* output) {
    return jnas_nb201_graph(g, arch, &kKappaSkeleton, 3, 32, 32, 10, input, output);
}

void check_bad_arch(const char* arch, const char* message) {
    tu::Graph g;
    int input = -1, output = -1;
    CHECK_STATUS(kappa_graph(g, arch, &input, &output), JNAS_ERR_INVALID_ARGUMENT);
    if (!error_mentions(message)) std::fprintf(stderr, "  message was: %s\n", jnas_last_error());
    CHECK(error_mentions(message));
}

jnas_nb201_score_options options(uint64_t seed, int batch, int repeats, jnas_bn_coupling coupling) {
    jnas_nb201_score_options o;
    CHECK_OK(jnas_nb201_score_options_default(&o));
    o.seed = seed;
    o.batch = batch;
    o.repeats = repeats;
    o.coupling = coupling;
    return o;
}

}  // namespace

TEST_CASE("bad architecture strings are refused, naming the problem and where") {
    check_bad_arch("", "string is empty");
    check_bad_arch("|none~0|+|none~0|none~1|", "found 2 node group(s) separated by '+' but an NB201 cell has 3");
    check_bad_arch("|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|", "unknown op 'conv' at offset 1 (node 1");
    check_bad_arch("|none~0|+|none~0|none~1|+|none~0|none~1|none~0|",
                   "edge 2 of node 3 at offset 40 says '~0' but must come from node 2");
    check_bad_arch("|none~0|+|none~0|+|none~0|none~1|none~2|", "node 2 (offset 9) has 1 edge(s) but needs 2");
    check_bad_arch("none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "expected '|' at offset 0 to open node 1");
    check_bad_arch("|none~0+|none~0|none~1|+|none~0|none~1|none~2|", "expected '|' at offset 6 to close node 1");
    check_bad_arch("|none|+|none~0|none~1|+|none~0|none~1|none~2|", "edge 'none' at offset 1 (node 1) has no '~source'");
    tu::Graph g;
    int input = -1, output = -1;
    CHECK_STATUS(kappa_graph(g, nullptr, &input, &output), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("arch is NULL"));
}

TEST_CASE("the networks carry the benchmark's parameter names in java-core's order") {
    tu::Ctx ctx;
    tu::Graph g;
    int input = -1, output = -1;
    CHECK_OK(kappa_graph(g, kArch1, &input, &output));
    CHECK(input == 0);
    tu::Net net(ctx, g, output);
    const char* name = nullptr;
    CHECK_OK(jnas_net_param_name(net, 0, &name));
    CHECK(std::string(name) == "stem.conv.weight");
    int index = -1;
    CHECK_OK(jnas_net_param_find(net, "layer0.edge1_0.conv.weight", &index));  // nor_conv_3x3 on edge 1←0
    CHECK(index == 5);  // after the stem's conv weight, γ, β, running mean and variance
    CHECK_OK(jnas_net_param_find(net, "layer1.downsample.conv.weight", &index));
    CHECK_OK(jnas_net_param_find(net, "head.linear.bias", &index));
    int count = 0;
    CHECK_OK(jnas_net_param_count(net, &count));
    CHECK(index == count - 1);
    CHECK_STATUS(jnas_net_param_find(net, "layer0.edge3_2.conv.weight", &index), JNAS_ERR_INVALID_ARGUMENT);  // skip
}

TEST_CASE("the κ network's multiply-adds equal a hand count") {
    // All-skip cells: stem 32²·3·27; ResNet block C=3→6 at 16²: conv_a 6·27, conv_b 6·54, shortcut 6·3 per pixel;
    // block 6→12 at 8²: 12·54, 12·108, 12·6; the linear layer 12·10.
    const int64_t skip_conv = 1024 * 3 * 27 + 256 * (6 * 27 + 6 * 54 + 6 * 3) + 64 * (12 * 54 + 12 * 108 + 12 * 6);
    // All-3×3 cells add 6 convs per cell: C·C·9 per pixel at 32² (C=3), 16² (6), 8² (12).
    const int64_t cell_convs = 6 * (1024 * 3 * 27 + 256 * 6 * 54 + 64 * 12 * 108);
    int64_t conv = 0, linear = 0;
    {
        tu::Graph g;
        int input = -1, output = -1;
        CHECK_OK(kappa_graph(g, kAllSkip, &input, &output));
        CHECK_OK(jnas_graph_macs(g, output, &conv, &linear));
        CHECK(conv == skip_conv);
        CHECK(linear == 120);
    }
    tu::Graph g;
    int input = -1, output = -1;
    CHECK_OK(kappa_graph(g, kAllConv3x3, &input, &output));
    CHECK_OK(jnas_graph_macs(g, output, &conv, &linear));
    CHECK(conv == skip_conv + cell_convs);
}

TEST_CASE("bad skeletons are refused") {
    int input = -1, output = -1;
    {
        tu::Graph g;
        const jnas_nb201_skeleton no_channels = {0, 1, 3, 1};
        CHECK_STATUS(jnas_nb201_graph(g, kArch1, &no_channels, 3, 32, 32, 10, &input, &output),
                     JNAS_ERR_INVALID_ARGUMENT);
        CHECK(error_mentions("channels, cells per stage and stages >= 1, got C=0"));
    }
    {
        tu::Graph g;
        const jnas_nb201_skeleton thin = {1, 1, 1, 0};
        CHECK_STATUS(jnas_nb201_graph(g, kArch1, &thin, 3, 3, 3, 10, &input, &output), JNAS_ERR_INVALID_ARGUMENT);
        CHECK(error_mentions("needs 1 channel(s), got 3"));
        CHECK_OK(jnas_nb201_graph(g, kArch1, &thin, 1, 3, 3, 10, &input, &output));
    }
}

TEST_CASE("java.util.Random and SeedStreams draw what the JVM draws") {
    // Printed by new java.util.Random(42).nextGaussian() (three calls), new Random(-7).nextDouble() and
    // dev.jnas.metrics.SeedStreams.derive. Java takes the Gaussians' log from fdlibm, this from the C library: the
    // doubles may differ in the last bit (the first two do), the floats the scorer keeps are equal.
    const double jvm[] = {1.1419053154730547, 0.9194079489827879, -0.9498666368908959};
    jnas::JavaRandom random(42);
    for (double expected : jvm) {
        double drawn = random.next_gaussian();
        CHECK(std::fabs(drawn - expected) <= std::fabs(expected) * 0x1.0p-52);
        CHECK(float(drawn) == float(expected));
    }
    CHECK(jnas::JavaRandom(uint64_t(-7)).next_double() == 0.2691218093260761);
    using jnas::seed_streams::Stream;
    CHECK(int64_t(jnas::seed_streams::derive(0, 0, Stream::KappaWeights)) == 2558736989570252433LL);
    CHECK(int64_t(jnas::seed_streams::derive(uint64_t(-5), 2, Stream::RegionPatches)) == -2093227714036637352LL);
}

TEST_CASE("scores equal jnas score's for the same options") {
    // jnas score --dataset synthetic --batch 8 --repeat 2 --bn-coupling exact --seed 11 --arch A (CSV columns
    // ntk_cond, linear_regions, naswot).
    tu::Ctx ctx;
    jnas_nb201_score_options o = options(11, 8, 2, JNAS_BN_COUPLING_EXACT);
    jnas_nb201_scores s;
    CHECK_OK(jnas_nb201_score(ctx, kArch1, &o, &s));
    CHECK(s.kappa == 3.7797782775721558);
    CHECK(s.linear_regions == 2770.5);
    CHECK(s.naswot == 77.07355145697395);
    CHECK(s.flags == 0);
    CHECK(s.lambda_min > 0 && s.lambda_max > s.lambda_min);
    CHECK_OK(jnas_nb201_score(ctx, kArch0, &o, &s));
    CHECK(s.kappa == 5.3625878808257781);
    CHECK(s.linear_regions == 2113.0);
    CHECK(s.naswot == 75.09048339380422);
}

TEST_CASE("the all-none cell: one region, a zero NTK and a singular NASWOT kernel") {
    // Every cell outputs zeros, so the logits are the linear bias alone: Θ = 0 (κ = 0/0), every ReLU input is 0
    // (one pattern), and K has equal entries (rank 1).
    tu::Ctx ctx;
    jnas_nb201_score_options o = options(3, 8, 1, JNAS_BN_COUPLING_FROZEN);
    jnas_nb201_scores s;
    CHECK_OK(jnas_nb201_score(ctx, kAllNone, &o, &s));
    CHECK(std::isnan(s.kappa));
    CHECK(s.lambda_min == 0 && s.lambda_max == 0);
    CHECK(s.linear_regions == 1);
    CHECK(std::isinf(s.naswot) && s.naswot < 0);
    CHECK(s.flags == (JNAS_SPECTRUM_NONPOSITIVE_MIN | JNAS_SPECTRUM_NONFINITE | JNAS_NB201_NASWOT_SINGULAR));
}

TEST_CASE("a metric not asked for is NaN; the thread count changes no bit") {
    tu::Ctx ctx;
    jnas_nb201_score_options o = options(5, 8, 1, JNAS_BN_COUPLING_FROZEN);
    o.metrics = JNAS_NB201_LINEAR_REGIONS;
    jnas_nb201_scores one, two;
    CHECK_OK(jnas_ctx_set_threads(ctx, 1));
    CHECK_OK(jnas_nb201_score(ctx, kArch1, &o, &one));
    CHECK(std::isnan(one.kappa) && std::isnan(one.naswot) && one.linear_regions > 1);
    o.metrics = JNAS_NB201_NTK | JNAS_NB201_LINEAR_REGIONS | JNAS_NB201_NASWOT;
    CHECK_OK(jnas_nb201_score(ctx, kArch1, &o, &one));
    CHECK_OK(jnas_ctx_set_threads(ctx, 2));
    CHECK_OK(jnas_nb201_score(ctx, kArch1, &o, &two));
    CHECK(one.kappa == two.kappa && one.lambda_min == two.lambda_min && one.lambda_max == two.lambda_max);
    CHECK(one.linear_regions == two.linear_regions && one.naswot == two.naswot && one.flags == two.flags);
}

TEST_CASE("bad options are refused, naming the field") {
    tu::Ctx ctx;
    jnas_nb201_scores s;
    jnas_nb201_score_options o = options(0, 8, 1, JNAS_BN_COUPLING_FROZEN);
    o.metrics = 0;
    CHECK_STATUS(jnas_nb201_score(ctx, kArch1, &o, &s), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("options->metrics = 0"));
    o = options(0, 1, 1, JNAS_BN_COUPLING_FROZEN);
    CHECK_STATUS(jnas_nb201_score(ctx, kArch1, &o, &s), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("options->batch = 1"));
    o = options(0, 8, 0, JNAS_BN_COUPLING_FROZEN);
    CHECK_STATUS(jnas_nb201_score(ctx, kArch1, &o, &s), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("options->repeats = 0"));
    o = options(0, 8, 1, JNAS_BN_COUPLING_FROZEN);
    o.init = JNAS_INIT_ZEROS;
    CHECK_STATUS(jnas_nb201_score(ctx, kArch1, &o, &s), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("options->init = 3"));
    o = options(0, 8, 1, jnas_bn_coupling(2));
    CHECK_STATUS(jnas_nb201_score(ctx, kArch1, &o, &s), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("options->coupling = 2"));
    o = options(0, 8, 1, JNAS_BN_COUPLING_FROZEN);
    CHECK_STATUS(jnas_nb201_score(ctx, "|skip~0|", &o, &s), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("bad NB201 architecture '|skip~0|'"));
    CHECK_STATUS(jnas_nb201_score(ctx, kArch1, nullptr, &s), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("options is NULL"));
}
