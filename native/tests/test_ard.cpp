// test_ard.cpp — the batched ARD update (jnas_ard_update) through the C API, on hand-computed numbers: the Laplace
// update of an origin group, the combination of an op group with its edge, the edge cases that prune, and the
// argument checks.
#define JNAS_TEST_MAIN
#include <cmath>
#include <limits>

#include "check.hpp"
#include "test_util.hpp"

namespace {

struct Outputs {
    std::vector<float> covariances, omegas, gammas;
};

Outputs update(tu::Ctx& ctx, int64_t groups, int64_t cells, const std::vector<float>& s, const std::vector<float>& h,
               const std::vector<float>& gammas, const std::vector<float>& lambdas, const std::vector<int32_t>& parents) {
    tu::Tensor ts(ctx, {groups, cells}, s), th(ctx, {groups, cells}, h), tg(ctx, {groups}, gammas),
            tl(ctx, {groups}, lambdas), tc(ctx, {groups, cells}), to(ctx, {groups}), tn(ctx, {groups});
    CHECK_OK(jnas_ard_update(ctx, ts, th, tg, tl, parents.data(), tc, to, tn));
    return {tc.read(), to.read(), tn.read()};
}

}  // namespace

// Group 0 (origin): s = (0.6, 0.8), H = (0.02, 0.04), γ = 0.5, λ = 0.01: H̃ = (2, 4), C = (1/4, 1/6),
// ω² = 2/2 + 4/3 = 7/3, γ' = ‖s‖/ω = 1/√(7/3).
// Group 1 (an op of group 0's edge): s = (0.3, 0.4), H = (0.01, 0), γ = 1, λ = 0.01: C = (1/2, 1), ω² = 1/2,
// γ' = 0.5/√0.5 = √0.5, combined (1/√0.5 + √(7/3))⁻¹.
TEST_CASE("an origin group follows the Laplace update and an op group is capped by its edge") {
    tu::Ctx ctx;
    Outputs out = update(ctx, 2, 2, {0.6f, 0.8f, 0.3f, 0.4f}, {0.02f, 0.04f, 0.01f, 0.0f}, {0.5f, 1.0f},
                         {0.01f, 0.01f}, {-1, 0});
    const double c[4] = {0.25, 1.0 / 6, 0.5, 1.0};
    for (int i = 0; i < 4; ++i) CHECK_CLOSE(out.covariances[size_t(i)], c[i], 1e-6, 0);
    CHECK_CLOSE(out.omegas[0], std::sqrt(7.0 / 3), 1e-6, 0);
    CHECK_CLOSE(out.omegas[1], std::sqrt(0.5), 1e-6, 0);
    const double edge = 1 / std::sqrt(7.0 / 3);
    CHECK_CLOSE(out.gammas[0], edge, 1e-6, 0);
    CHECK_CLOSE(out.gammas[1], 1 / (1 / std::sqrt(0.5) + 1 / edge), 1e-6, 0);
    CHECK(out.gammas[1] <= out.gammas[0]);
}

// s = 0.5, H = 1e-22, γ = 1, λ = 0.01: 1/γ − C/γ² = 1 − 1/(1 + 1e-20) is 0 in double, but H̃/(1 + γH̃) = 1e-20,
// so ω = 1e-10 and γ' = 5e9, finite.
TEST_CASE("a Hessian the loss barely feels gives a finite γ, not a cancellation") {
    tu::Ctx ctx;
    Outputs out = update(ctx, 1, 1, {0.5f}, {1e-22f}, {1.0f}, {0.01f}, {-1});
    CHECK_CLOSE(out.omegas[0], 1e-10, 1e-6, 0);
    CHECK_CLOSE(out.gammas[0], 5e9, 1e-6, 0);
}

// Group 0: γ = 0 stays 0 (C = 0 too). Group 1: H = 0 everywhere, so ω = 0: pruned (γ = 0, C = old γ = 2).
// Group 2: an op under the pruned edge 0 is pruned with it.
TEST_CASE("a pruned group stays pruned, an unfelt group is pruned, and so are the ops of a pruned edge") {
    tu::Ctx ctx;
    Outputs out = update(ctx, 3, 1, {0.7f, 0.7f, 0.7f}, {0.5f, 0.0f, 0.5f}, {0.0f, 2.0f, 1.0f},
                         {0.01f, 0.01f, 0.01f}, {-1, -1, 0});
    CHECK(out.gammas[0] == 0 && out.covariances[0] == 0);
    CHECK(out.gammas[1] == 0 && out.omegas[1] == 0 && out.covariances[1] == 2.0f);
    CHECK(out.gammas[2] == 0 && out.omegas[2] > 0);
}

TEST_CASE("NaN in a Hessian is NaN in its group's outputs only") {
    tu::Ctx ctx;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    Outputs out = update(ctx, 2, 1, {0.5f, 0.5f}, {nan, 1.0f}, {1.0f, 1.0f}, {0.01f, 0.01f}, {-1, -1});
    CHECK(std::isnan(out.gammas[0]) && std::isnan(out.omegas[0]));
    CHECK(std::isfinite(out.gammas[1]));
}

TEST_CASE("in place: new_gammas may be gammas") {
    tu::Ctx ctx;
    tu::Tensor s(ctx, {1, 2}, {0.6f, 0.8f}), h(ctx, {1, 2}, {0.02f, 0.04f}), g(ctx, {1}, {0.5f}), l(ctx, {1}, {0.01f}),
            c(ctx, {1, 2}), o(ctx, {1});
    const int32_t parents[1] = {-1};
    CHECK_OK(jnas_ard_update(ctx, s, h, g, l, parents, c, o, g));
    CHECK_CLOSE(g.read()[0], 1 / std::sqrt(7.0 / 3), 1e-6, 0);
}

TEST_CASE("errors: shapes, values, hierarchy, aliasing") {
    tu::Ctx ctx;
    tu::Tensor s(ctx, {3, 2}), h(ctx, {3, 2}), g(ctx, {3}, {1, 1, 1}), l(ctx, {3}, {0.01f, 0.01f, 0.01f}),
            c(ctx, {3, 2}), o(ctx, {3}), n(ctx, {3}), wrong(ctx, {2}), flat(ctx, {6});
    const int32_t ok[3] = {-1, 0, 0}, self[3] = {-1, 1, 0}, chain[3] = {-1, 0, 1}, outside[3] = {-1, 3, 0};
    CHECK_OK(jnas_ard_update(ctx, s, h, g, l, ok, c, o, n));
    CHECK_STATUS(jnas_ard_update(ctx, flat, h, g, l, ok, c, o, n), JNAS_ERR_SHAPE);
    CHECK_STATUS(jnas_ard_update(ctx, s, h, wrong, l, ok, c, o, n), JNAS_ERR_SHAPE);
    CHECK(tu::error_mentions("gammas") && tu::error_mentions("[3]"));
    CHECK_STATUS(jnas_ard_update(ctx, s, h, g, l, self, c, o, n), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("parents[1] = 1"));
    CHECK_STATUS(jnas_ard_update(ctx, s, h, g, l, chain, c, o, n), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("origin group"));
    CHECK_STATUS(jnas_ard_update(ctx, s, h, g, l, outside, c, o, n), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_ard_update(ctx, s, h, g, l, nullptr, c, o, n), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_ard_update(ctx, s, h, g, l, ok, s, o, n), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_ard_update(ctx, s, h, g, l, ok, c, o, o), JNAS_ERR_INVALID_ARGUMENT);
    tu::Tensor negative(ctx, {3}, {1, -1, 1}), zero(ctx, {3}, {0.01f, 0, 0.01f});
    CHECK_STATUS(jnas_ard_update(ctx, s, h, negative, l, ok, c, o, n), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("gammas[1] = -1"));
    CHECK_STATUS(jnas_ard_update(ctx, s, h, g, zero, ok, c, o, n), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(tu::error_mentions("lambdas[1]"));
}
