// api_nb201.cpp — the NB201 calls: architecture strings to graphs, and the training-free scores.
#include "api_guard.hpp"
#include "context.hpp"
#include "nb201.hpp"

using jnas::api::guarded;
using jnas::api::require;
using jnas::fail;

namespace {

void check_options(const jnas_nb201_score_options& o) {
    const unsigned all = JNAS_NB201_NTK | JNAS_NB201_LINEAR_REGIONS | JNAS_NB201_NASWOT;
    if (o.metrics == 0 || (o.metrics & ~all) != 0)
        fail(JNAS_ERR_INVALID_ARGUMENT, "options->metrics = ", o.metrics,
             "; must be a non-empty or of JNAS_NB201_NTK (1), JNAS_NB201_LINEAR_REGIONS (2), JNAS_NB201_NASWOT (4)");
    if (o.batch < 2)
        fail(JNAS_ERR_INVALID_ARGUMENT, "options->batch = ", o.batch, "; an NTK needs at least 2 samples");
    if (o.repeats < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "options->repeats = ", o.repeats, "; must be at least 1");
    if (o.init != JNAS_INIT_PYTORCH_DEFAULT && o.init != JNAS_INIT_KAIMING_NORMAL_FAN_IN)
        fail(JNAS_ERR_INVALID_ARGUMENT, "options->init = ", int(o.init),
             "; the scores use JNAS_INIT_PYTORCH_DEFAULT (0) or JNAS_INIT_KAIMING_NORMAL_FAN_IN (1)");
    if (o.coupling != JNAS_BN_COUPLING_EXACT && o.coupling != JNAS_BN_COUPLING_FROZEN)
        fail(JNAS_ERR_INVALID_ARGUMENT, "options->coupling = ", int(o.coupling), " is not a jnas_bn_coupling (0, 1)");
}

}  // namespace

extern "C" {

JNAS_API jnas_status jnas_nb201_graph(jnas_graph* g, const char* arch, const jnas_nb201_skeleton* skeleton,
                                      int input_channels, int height, int width, int classes, int* input,
                                      int* output) {
    return guarded(__func__, [&] {
        require(g, "g");
        require(arch, "arch");
        require(skeleton, "skeleton");
        require(input, "input");
        require(output, "output");
        if (skeleton->stem != 0 && skeleton->stem != 1)
            fail(JNAS_ERR_INVALID_ARGUMENT, "skeleton->stem = ", skeleton->stem, "; must be 0 or 1");
        jnas::nb201::Skeleton s{skeleton->channels, skeleton->cells_per_stage, skeleton->stages, skeleton->stem == 1};
        jnas::nb201::Network network = jnas::nb201::build_network(g->graph, jnas::nb201::parse(arch), s,
                                                                  input_channels, height, width, classes);
        *input = network.input;
        *output = network.output;
    });
}

JNAS_API jnas_status jnas_nb201_score_options_default(jnas_nb201_score_options* options) {
    return guarded(__func__, [&] {
        *require(options, "options") = {0, JNAS_NB201_NTK | JNAS_NB201_LINEAR_REGIONS | JNAS_NB201_NASWOT, 72, 3,
                                        JNAS_INIT_PYTORCH_DEFAULT, JNAS_BN_COUPLING_FROZEN};
    });
}

JNAS_API jnas_status jnas_nb201_score(jnas_ctx* ctx, const char* arch, const jnas_nb201_score_options* options,
                                      jnas_nb201_scores* out) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(arch, "arch");
        require(options, "options");
        require(out, "out");
        check_options(*options);
        *out = jnas::nb201::score(ctx, jnas::nb201::parse(arch), *options);
    });
}

}  // extern "C"
