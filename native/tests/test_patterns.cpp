// test_patterns.cpp — activation patterns: exact linear-region counts on nets whose regions are known, the packed
// bits against the definition, the count against an exact set of rows (also when every hash collides), NASWOT's
// log|det K| against hand-computed determinants, and the errors of the C API.
#define JNAS_TEST_MAIN
#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "check.hpp"
#include "context.hpp"
#include "patterns.hpp"
#include "test_util.hpp"

using tu::error_mentions;

namespace {

constexpr double kPi = 3.14159265358979323846;

struct Patterns {
    jnas_patterns* p = nullptr;
    Patterns() { CHECK_OK(jnas_patterns_create(&p)); }
    ~Patterns() { jnas_patterns_free(p); }
    Patterns(const Patterns&) = delete;
    Patterns& operator=(const Patterns&) = delete;
    operator jnas_patterns*() const { return p; }
    const jnas::PatternSet& set() const { return p->set; }
    int64_t samples() const {
        int64_t samples = -1, bits = -1;
        CHECK_OK(jnas_patterns_info(p, &samples, &bits));
        return samples;
    }
    int64_t bits() const {
        int64_t samples = -1, bits = -1;
        CHECK_OK(jnas_patterns_info(p, &samples, &bits));
        return bits;
    }
    int64_t distinct() const {
        int64_t count = -1;
        CHECK_OK(jnas_patterns_count_distinct(p, &count));
        return count;
    }
};

// input [d] → linear(units) with the given weights ([units, d]) and biases → ReLU.
struct LinearReluNet {
    tu::Graph g;
    int x = -1, fc = -1, relu = -1;
    std::unique_ptr<tu::Net> net;
    LinearReluNet(tu::Ctx& ctx, int d, int units, const std::vector<float>& weight, const std::vector<float>& bias) {
        x = g.input({d});
        CHECK_OK(jnas_graph_linear(g, "fc", x, units, 1, &fc));
        CHECK_OK(jnas_graph_activation(g, fc, JNAS_ACT_RELU, &relu));
        net = std::make_unique<tu::Net>(ctx, g, relu);
        net->set(net->find("fc.weight"), weight);
        net->set(net->find("fc.bias"), bias);
    }
};

// Binds `values` as a batch of [rows, per-sample shape] and appends its patterns.
void collect(tu::Ctx& ctx, jnas_net* net, int input, std::vector<int64_t> shape, const std::vector<float>& values,
             jnas_patterns* into) {
    tu::Tensor batch(ctx, std::move(shape), values);
    CHECK_OK(jnas_net_bind_input(net, input, batch));
    CHECK_OK(jnas_net_collect_patterns(net, into));
}

std::vector<uint64_t> row_words(const jnas::PatternSet& set, int64_t s) {
    return std::vector<uint64_t>(set.row(s), set.row(s) + set.words_per_row());
}

int64_t exact_distinct(const jnas::PatternSet& set) {
    std::set<std::vector<uint64_t>> rows;
    for (int64_t s = 0; s < set.samples(); ++s) rows.insert(row_words(set, s));
    return int64_t(rows.size());
}

// Packs rows given as strings of '0'/'1' (bit k = character k).
void append_rows(jnas::PatternSet& set, const std::vector<std::string>& rows) {
    int64_t bits = int64_t(rows[0].size()), words = jnas::PatternSet::words_for(bits);
    std::vector<uint64_t> packed(rows.size() * words, 0);
    for (size_t r = 0; r < rows.size(); ++r)
        for (int64_t k = 0; k < bits; ++k)
            if (rows[r][k] == '1') packed[r * words + k / 64] |= uint64_t(1) << (k % 64);
    set.append(bits, int64_t(rows.size()), packed.data());
}

// log|det| of a small dense matrix by Gaussian elimination with partial pivoting in long double: the test's own.
long double reference_log_abs_det(std::vector<long double> a, int n) {
    long double log_det = 0;
    for (int c = 0; c < n; ++c) {
        int pivot = c;
        for (int r = c + 1; r < n; ++r)
            if (std::fabs(a[r * n + c]) > std::fabs(a[pivot * n + c])) pivot = r;
        for (int k = 0; k < n; ++k) std::swap(a[c * n + k], a[pivot * n + k]);
        log_det += std::log(std::fabs(a[c * n + c]));
        for (int r = c + 1; r < n; ++r) {
            long double f = a[r * n + c] / a[c * n + c];
            for (int k = c; k < n; ++k) a[r * n + k] -= f * a[c * n + k];
        }
    }
    return log_det;
}

}  // namespace

TEST_CASE("1-D input, k breakpoints: exactly k + 1 regions, and every bit as defined") {
    // Unit i of linear(1 → k) is w_i·(x − t_i), its sign flipping only at t_i: between consecutive breakpoints the
    // pattern is constant, and two intervals differ at every unit whose breakpoint lies between them.
    const int k = 100;  // 100 bits: two words per row
    std::vector<float> weight(k), bias(k);
    std::vector<double> w(k), t(k);
    for (int i = 0; i < k; ++i) {
        t[i] = -1.0 + 2.0 * (i + 0.5) / k;
        w[i] = (i % 2 ? -1.0 : 1.0) * (0.5 + 0.01 * i);
        weight[i] = float(w[i]);
        bias[i] = float(-w[i] * t[i]);
    }
    tu::Ctx ctx;
    LinearReluNet lr(ctx, 1, k, weight, bias);
    Patterns patterns;
    const int batches = 3, batch = 1000, n = batches * batch;
    std::vector<double> x(n);  // every sample at least 1.6e-4 from a breakpoint, so float rounding cannot flip a sign
    for (int j = 0; j < n; ++j) x[j] = -1.0 + 2.0 * (j + 0.25) / n;
    for (int b = 0; b < batches; ++b)
        collect(ctx, *lr.net, lr.x, {batch, 1}, std::vector<float>(x.begin() + b * batch, x.begin() + (b + 1) * batch),
                patterns);
    CHECK(patterns.samples() == n);
    CHECK(patterns.bits() == k);
    CHECK(patterns.set().words_per_row() == 2);
    CHECK(patterns.distinct() == k + 1);
    int wrong = 0;
    for (int j = 0; j < n; ++j) {
        const uint64_t* row = patterns.set().row(j);
        for (int i = 0; i < k; ++i) wrong += int((row[i / 64] >> (i % 64)) & 1) != int(w[i] * (x[j] - t[i]) > 0);
        wrong += int(row[1] >> (k - 64) != 0);  // bits past the row's length stay zero
    }
    CHECK(wrong == 0);
}

TEST_CASE("2-D input, n lines in general position: 1 + n + C(n, 2) regions") {
    // The tangents x·cos θ + y·sin θ = 1 of the unit circle at distinct θ in [0, π): no two parallel, no three
    // through one point (a point outside a circle lies on exactly two tangents). Every vertex is within
    // 1/cos(72°) ≈ 3.24 of the origin, so a fine grid over [-4, 4]² meets every region.
    const int n = 5;
    std::vector<float> weight, bias;
    for (int i = 0; i < n; ++i) {
        double theta = kPi * i / n;
        weight.push_back(float(std::cos(theta)));
        weight.push_back(float(std::sin(theta)));
        bias.push_back(-1.0f);
    }
    tu::Ctx ctx;
    LinearReluNet lr(ctx, 2, n, weight, bias);
    Patterns patterns;
    const int side = 400;
    for (int row = 0; row < side; row += 100) {
        std::vector<float> points;
        for (int r = row; r < row + 100; ++r)
            for (int c = 0; c < side; ++c) {
                points.push_back(float(-4.0 + 8.0 * (c + 0.5) / side));
                points.push_back(float(-4.0 + 8.0 * (r + 0.5) / side));
            }
        collect(ctx, *lr.net, lr.x, {100 * side, 2}, points, patterns);
    }
    CHECK(patterns.samples() == side * side);
    CHECK(patterns.bits() == n);
    CHECK(patterns.distinct() == 1 + n + n * (n - 1) / 2);
}

TEST_CASE("random conv nets: the count equals an exact set of the rows; ReLU6 adds no bits") {
    for (int channels : {1, 4}) {  // 18 and 72 bits per sample (one and two words)
        tu::Ctx ctx;
        tu::Graph g;
        int x = g.input({1, 3, 3});
        int c1 = -1, b1 = -1, r1 = -1, c2 = -1, b2 = -1, r2 = -1, r6 = -1, gap = -1, out = -1;
        CHECK_OK(jnas_graph_conv2d(g, "c1", x, channels, 3, 3, 1, 1, 1, 1, 0, &c1));
        CHECK_OK(jnas_graph_batch_norm(g, "b1", c1, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f, &b1));
        CHECK_OK(jnas_graph_activation(g, b1, JNAS_ACT_RELU, &r1));
        CHECK_OK(jnas_graph_conv2d(g, "c2", r1, channels, 3, 3, 1, 1, 1, 1, 0, &c2));
        CHECK_OK(jnas_graph_batch_norm(g, "b2", c2, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f, &b2));
        CHECK_OK(jnas_graph_activation(g, b2, JNAS_ACT_RELU, &r2));
        CHECK_OK(jnas_graph_activation(g, r2, JNAS_ACT_RELU6, &r6));
        CHECK_OK(jnas_graph_global_avg_pool(g, r6, &gap));
        CHECK_OK(jnas_graph_linear(g, "fc", gap, 10, 1, &out));
        tu::Net net(ctx, g, out, JNAS_INIT_PYTORCH_DEFAULT, 7 + channels);
        Patterns patterns;
        for (uint32_t b = 0; b < 3; ++b) collect(ctx, net, x, {500, 1, 3, 3}, tu::random_vector(4500, 100 + b), patterns);
        CHECK(patterns.samples() == 1500);
        CHECK(patterns.bits() == 2 * channels * 9);
        int64_t exact = exact_distinct(patterns.set());
        std::printf("  %d channels: %lld distinct patterns of 1500\n", channels, (long long)exact);
        CHECK(exact > 1);
        CHECK(patterns.distinct() == exact);
    }
}

TEST_CASE("colliding hashes never merge different rows: the count stays exact") {
    // 1,000 distinct rows of 130 bits (three words), each repeated up to 3 times, in a scrambled order.
    std::mt19937_64 gen(5);
    std::vector<std::vector<uint64_t>> distinct;
    std::set<std::vector<uint64_t>> seen;
    while (distinct.size() < 1000) {
        std::vector<uint64_t> r{gen(), gen(), gen() & 3};
        r[0] &= gen();  // sparser rows, closer to each other
        if (seen.insert(r).second) distinct.push_back(r);
    }
    std::vector<uint64_t> packed;
    int64_t rows = 0;
    for (size_t i = 0; i < distinct.size(); ++i)
        for (size_t copy = 0; copy <= i % 3; ++copy) packed.insert(packed.end(), distinct[i].begin(), distinct[i].end()), ++rows;
    std::vector<int64_t> order(rows);
    for (int64_t r = 0; r < rows; ++r) order[r] = r;
    std::shuffle(order.begin(), order.end(), gen);
    std::vector<uint64_t> scrambled;
    for (int64_t r : order) scrambled.insert(scrambled.end(), packed.begin() + r * 3, packed.begin() + r * 3 + 3);
    jnas::PatternSet set;
    set.append(130, rows, scrambled.data());
    CHECK(exact_distinct(set) == 1000);
    CHECK(set.count_distinct() == 1000);
    // Every row the same hash: the count rests on the bit-for-bit comparison alone.
    CHECK(set.count_distinct([](const uint64_t*, int64_t) { return jnas::RowHash{0, 0}; }) == 1000);
    // Only the low 8 bits of the real hash: 1,000 distinct rows in 256 buckets must collide.
    CHECK(set.count_distinct([](const uint64_t* w, int64_t n) {
              return jnas::RowHash{0, jnas::hash_row(w, n).low & 0xff};
          }) == 1000);
    // A hash of the first word only: rows equal there but different in the others collide.
    CHECK(set.count_distinct([](const uint64_t* w, int64_t) { return jnas::RowHash{0, w[0] & 1}; }) == 1000);
}

TEST_CASE("one-word rows never collide under the default hash") {
    std::set<std::pair<uint64_t, uint64_t>> hashes;
    for (uint64_t w = 0; w < 100000; ++w) {
        jnas::RowHash h = jnas::hash_row(&w, 1);
        hashes.insert({h.high, h.low});
    }
    CHECK(hashes.size() == 100000);
}

TEST_CASE("NASWOT: log|det K| of a hand-computed kernel, sub-ranges, singular K") {
    jnas::PatternSet set;
    // Hamming distances 2, 3, 3 with 4 bits: K = [[4,2,1],[2,4,1],[1,1,4]], det K = 4·15 − 2·7 + 1·(−2) = 44.
    append_rows(set, {"1100", "1010", "0111", "1100"});
    jnas::NaswotScore score = set.naswot(0, 3);
    CHECK_CLOSE(score.logdet, std::log(44.0), 1e-14, 0);
    CHECK(score.flags == 0);
    score = set.naswot(1, 2);  // [[4,1],[1,4]]: det 15
    CHECK_CLOSE(score.logdet, std::log(15.0), 1e-14, 0);
    score = set.naswot(0, 4);  // rows 0 and 3 are the same pattern: two equal rows of K
    CHECK(score.flags == JNAS_NASWOT_SINGULAR);
    CHECK(std::isinf(score.logdet) && score.logdet < 0);
    score = set.naswot(3, 1);  // [[4]]
    CHECK_CLOSE(score.logdet, std::log(4.0), 1e-14, 0);
}

TEST_CASE("NASWOT: singular kernels without two equal patterns") {
    // rank K = rank [C, 1 − C] <= bits + 1: four different patterns of 2 bits cannot give a regular K.
    jnas::PatternSet two_bits;
    append_rows(two_bits, {"00", "10", "01", "11"});
    CHECK(two_bits.naswot(0, 4).flags == JNAS_NASWOT_SINGULAR);
    CHECK(std::isinf(two_bits.naswot(0, 4).logdet));
    CHECK_CLOSE(two_bits.naswot(1, 3).logdet, std::log(4.0), 1e-14, 0);  // [[2,0,1],[0,2,1],[1,1,2]]: det 4
    // Within the bound but dependent: [c, 1] of 110 is that of 100 plus 010 minus 000, so K (4×4, 3 bits) has
    // rank 3: no two rows equal and within the bound, so the pivoted Cholesky's rank is what says singular.
    jnas::PatternSet dependent;
    append_rows(dependent, {"100", "010", "110", "000"});
    CHECK(dependent.naswot(0, 4).flags == JNAS_NASWOT_SINGULAR);
    CHECK(dependent.naswot(0, 3).flags == 0);
}

TEST_CASE("NASWOT over multi-word rows equals a direct determinant") {
    std::mt19937_64 gen(11);
    const int n = 12, bits = 100;
    std::vector<std::string> rows(n, std::string(bits, '0'));
    for (auto& r : rows)
        for (char& c : r) c = gen() % 3 == 0 ? '1' : '0';
    jnas::PatternSet set;
    append_rows(set, rows);
    std::vector<long double> k(n * n);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            int agree = 0;
            for (int b = 0; b < bits; ++b) agree += rows[i][b] == rows[j][b];
            k[i * n + j] = agree;
        }
    jnas::NaswotScore score = set.naswot(0, n);
    CHECK(score.flags == 0);
    CHECK_CLOSE(score.logdet, double(reference_log_abs_det(k, n)), 1e-12, 0);
}

TEST_CASE("patterns through the C API: NASWOT of a collected batch, skipped branches, a net without ReLUs") {
    tu::Ctx ctx;
    // x → [ReLU(x), ReLU(−x)] mixed with weights (1, 0) and threshold 0.5: the second branch never runs.
    tu::Graph g;
    int x = g.input({4});
    int neg = -1, a = -1, b = -1, alpha = -1, mixed = -1;
    int64_t two = 2;
    CHECK_OK(jnas_graph_activation(g, x, JNAS_ACT_RELU, &a));
    CHECK_OK(jnas_graph_scale(g, x, -1.0f, &neg));
    CHECK_OK(jnas_graph_activation(g, neg, JNAS_ACT_RELU, &b));
    CHECK_OK(jnas_graph_param(g, "alpha", 1, &two, JNAS_INIT_ZEROS, 1, &alpha));
    int branches[2] = {a, b};
    CHECK_OK(jnas_graph_mixed(g, 2, branches, alpha, 0.5f, &mixed));
    tu::Net net(ctx, g, mixed);
    net.set(net.find("alpha"), {1.0f, 0.0f});
    Patterns patterns;
    std::vector<float> values = {1, -1, 2, -2,   -1, 1, -2, 2,   3, -3, 4, -4,   0, 0, 0, 0};
    collect(ctx, net, x, {4, 4}, values, patterns);
    CHECK(patterns.bits() == 4);  // only the ReLU that ran
    CHECK(patterns.distinct() == 3);
    std::vector<uint64_t> expected = {0b0101, 0b1010, 0b0101, 0};
    for (int s = 0; s < 4; ++s) CHECK(patterns.set().row(s)[0] == expected[s]);
    double logdet = 0;
    unsigned flags = 99;
    CHECK_OK(jnas_patterns_naswot(patterns, 0, 2, &logdet, &flags));  // K = [[4,0],[0,4]]
    CHECK_CLOSE(logdet, std::log(16.0), 1e-14, 0);
    CHECK(flags == 0);
    CHECK_OK(jnas_patterns_naswot(patterns, 0, 3, &logdet, &flags));  // samples 0 and 2 agree everywhere
    CHECK(flags == JNAS_NASWOT_SINGULAR);
    CHECK(std::isinf(logdet) && logdet < 0);

    // Both branches running gives 8 bits: not the collector's 4, so it is refused and the collector kept.
    net.set(net.find("alpha"), {1.0f, 1.0f});
    tu::Tensor batch(ctx, {4, 4}, values);
    CHECK_OK(jnas_net_bind_input(net, x, batch));
    CHECK_STATUS(jnas_net_collect_patterns(net, patterns), JNAS_ERR_SHAPE);
    CHECK(error_mentions("8 bits") && error_mentions("have 4"));
    CHECK(patterns.samples() == 4 && patterns.bits() == 4);
    Patterns both;
    CHECK_OK(jnas_net_collect_patterns(net, both));
    CHECK(both.bits() == 8 && both.distinct() == 3);

    // No ReLU at all: rows of 0 bits, one region.
    tu::Graph linear;
    int in = linear.input({3}), fc = -1;
    CHECK_OK(jnas_graph_linear(linear, "fc", in, 2, 1, &fc));
    tu::Net plain(ctx, linear, fc);
    Patterns none;
    collect(ctx, plain, in, {5, 3}, tu::random_vector(15, 3), none);
    CHECK(none.samples() == 5 && none.bits() == 0);
    CHECK(none.distinct() == 1);
}

TEST_CASE("errors: empty collector, bad ranges, NULL arguments, unbound inputs") {
    Patterns patterns;
    CHECK(patterns.samples() == 0 && patterns.bits() == 0);
    int64_t count = -1;
    double logdet = 0;
    unsigned flags = 0;
    CHECK_STATUS(jnas_patterns_count_distinct(patterns, &count), JNAS_ERR_STATE);
    CHECK(error_mentions("no patterns") && count == -1);
    CHECK_STATUS(jnas_patterns_naswot(patterns, 0, 1, &logdet, &flags), JNAS_ERR_STATE);

    append_rows(patterns.p->set, {"10", "01", "11"});
    CHECK_STATUS(jnas_patterns_naswot(patterns, -1, 2, &logdet, &flags), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("first = -1"));
    CHECK_STATUS(jnas_patterns_naswot(patterns, 3, 1, &logdet, &flags), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_patterns_naswot(patterns, 0, 0, &logdet, &flags), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("count = 0"));
    CHECK_STATUS(jnas_patterns_naswot(patterns, 1, 3, &logdet, &flags), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_patterns_naswot(patterns, 0, 3, nullptr, &flags), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("logdet is NULL"));
    CHECK_STATUS(jnas_patterns_naswot(patterns, 0, 3, &logdet, nullptr), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_patterns_count_distinct(nullptr, &count), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_patterns_count_distinct(patterns, nullptr), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_patterns_info(patterns, nullptr, &count), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_patterns_create(nullptr), JNAS_ERR_INVALID_ARGUMENT);
    jnas_patterns_free(nullptr);
    CHECK_OK(jnas_patterns_count_distinct(patterns, &count));
    CHECK(count == 3);

    tu::Ctx ctx;
    LinearReluNet lr(ctx, 2, 3, tu::random_vector(6, 1), tu::random_vector(3, 2));
    Patterns fresh;
    CHECK_STATUS(jnas_net_collect_patterns(*lr.net, fresh), JNAS_ERR_STATE);
    CHECK(error_mentions("not bound"));
    CHECK(fresh.samples() == 0);
    CHECK_STATUS(jnas_net_collect_patterns(nullptr, fresh), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_net_collect_patterns(*lr.net, nullptr), JNAS_ERR_INVALID_ARGUMENT);
}

TEST_CASE("count_distinct_on a CPU context: the same exact count, also with a masked hash; its errors") {
    tu::Ctx ctx;
    std::mt19937_64 gen(9);
    std::vector<uint64_t> packed;
    for (int r = 0; r < 700; ++r) packed.insert(packed.end(), {gen() % 5, gen() % 3 == 0 ? 0 : ~uint64_t(0)});
    Patterns patterns;
    patterns.p->set.append(128, 700, packed.data());
    int64_t on = -1;
    CHECK_OK(jnas_patterns_count_distinct_on(ctx, patterns, &on));
    CHECK(on == patterns.distinct() && on == exact_distinct(patterns.set()));
    // The backend's hash mask narrows every hash to one of 4 values: the count stays exact.
    jnas::Backend& backend = *ctx.p->backend;
    CHECK(backend.count_distinct_rows(700, 2, packed.data(), jnas::RowHash{1, 1}) == on);
    CHECK(backend.count_distinct_rows(700, 2, packed.data(), jnas::RowHash{0, 0}) == on);

    Patterns empty;
    CHECK_STATUS(jnas_patterns_count_distinct_on(ctx, empty, &on), JNAS_ERR_STATE);
    CHECK(error_mentions("no patterns"));
    CHECK_STATUS(jnas_patterns_count_distinct_on(nullptr, patterns, &on), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_patterns_count_distinct_on(ctx, nullptr, &on), JNAS_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(jnas_patterns_count_distinct_on(ctx, patterns, nullptr), JNAS_ERR_INVALID_ARGUMENT);
    CHECK(error_mentions("count is NULL"));
}
