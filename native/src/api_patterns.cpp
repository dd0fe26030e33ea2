// api_patterns.cpp — activation-pattern collectors: filling them from nets, the distinct count and NASWOT.
#include <string>
#include <vector>

#include "api_guard.hpp"
#include "net.hpp"
#include "patterns.hpp"

using jnas::api::guarded;
using jnas::api::require;
using jnas::fail;

extern "C" {

JNAS_API jnas_status jnas_patterns_create(jnas_patterns** out) {
    return guarded(__func__, [&] {
        require(out, "out");
        *out = new jnas_patterns{};
    });
}

JNAS_API void jnas_patterns_free(jnas_patterns* patterns) {
    jnas::api::release_quietly([&] { delete patterns; });
}

JNAS_API jnas_status jnas_net_collect_patterns(jnas_net* net, jnas_patterns* into) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(into, "into");
        jnas::collect_relu_patterns(net->net, into->set);
    });
}

JNAS_API jnas_status jnas_net_collect_patterns_groups(jnas_net* net, int groups, jnas_patterns* const* into) {
    return guarded(__func__, [&] {
        require(net, "net");
        if (groups < 1) fail(JNAS_ERR_INVALID_ARGUMENT, "groups = ", groups, " < 1");
        require(into, "into");
        std::vector<jnas::PatternSet*> sets;
        for (int g = 0; g < groups; ++g) {
            jnas_patterns* collector = require(into[g], ("into[" + std::to_string(g) + "]").c_str());
            for (int earlier = 0; earlier < g; ++earlier)
                if (into[earlier] == collector)
                    fail(JNAS_ERR_INVALID_ARGUMENT, "into[", earlier, "] and into[", g, "] are the same collector");
            sets.push_back(&collector->set);
        }
        jnas::collect_relu_patterns(net->net, sets);
    });
}

JNAS_API jnas_status jnas_patterns_info(const jnas_patterns* patterns, int64_t* samples, int64_t* bits) {
    return guarded(__func__, [&] {
        require(patterns, "patterns");
        require(samples, "samples");
        require(bits, "bits");
        *samples = patterns->set.samples();
        *bits = patterns->set.bits();
    });
}

JNAS_API jnas_status jnas_patterns_count_distinct(const jnas_patterns* patterns, int64_t* count) {
    return guarded(__func__, [&] {
        require(patterns, "patterns");
        require(count, "count");
        *count = patterns->set.count_distinct();
    });
}

JNAS_API jnas_status jnas_patterns_naswot(const jnas_patterns* patterns, int64_t first, int64_t count,
                                          double* logdet, unsigned* flags) {
    return guarded(__func__, [&] {
        require(patterns, "patterns");
        require(logdet, "logdet");
        require(flags, "flags");
        jnas::NaswotScore score = patterns->set.naswot(first, count);
        *logdet = score.logdet;
        *flags = score.flags;
    });
}

JNAS_API jnas_status jnas_patterns_count_distinct_on(jnas_ctx* ctx, const jnas_patterns* patterns, int64_t* count) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(patterns, "patterns");
        require(count, "count");
        *count = patterns->set.count_distinct_on(*ctx->backend);
    });
}

}  // extern "C"
