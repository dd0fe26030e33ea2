// test_util.hpp — RAII handles and small helpers shared by the engine's C++ tests (all through the C API).
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "check.hpp"
#include "jnas.h"

namespace tu {

// Deterministic values in [lo, hi) for inputs, parameters and output weights.
inline std::vector<float> random_vector(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
    std::mt19937 gen(seed);
    std::vector<float> v(n);
    for (float& x : v) x = lo + (hi - lo) * float(gen() >> 8) * (1.0f / 16777216.0f);
    return v;
}

inline int64_t product(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
}

struct Ctx {
    jnas_ctx* p = nullptr;
    Ctx() { CHECK_OK(jnas_ctx_create(JNAS_BACKEND_CPU, 0, &p)); }
    ~Ctx() { jnas_ctx_free(p); }
    operator jnas_ctx*() const { return p; }
};

struct Tensor {
    jnas_tensor* p = nullptr;
    std::vector<int64_t> shape;
    Tensor(jnas_ctx* ctx, std::vector<int64_t> s) : shape(std::move(s)) {
        CHECK_OK(jnas_tensor_create(ctx, int(shape.size()), shape.data(), &p));
    }
    Tensor(jnas_ctx* ctx, std::vector<int64_t> s, const std::vector<float>& values) : Tensor(ctx, std::move(s)) {
        write(values);
    }
    ~Tensor() { jnas_tensor_free(p); }
    Tensor(const Tensor&) = delete;
    Tensor& operator=(const Tensor&) = delete;
    operator jnas_tensor*() const { return p; }
    int64_t numel() const { return product(shape); }
    void write(const std::vector<float>& values) { CHECK_OK(jnas_tensor_write(p, values.data(), int64_t(values.size()))); }
    std::vector<float> read() const {
        std::vector<float> v(static_cast<size_t>(numel()));
        CHECK_OK(jnas_tensor_read(p, v.data(), numel()));
        return v;
    }
};

struct Graph {
    jnas_graph* p = nullptr;
    Graph() { CHECK_OK(jnas_graph_create(&p)); }
    ~Graph() { jnas_graph_free(p); }
    operator jnas_graph*() const { return p; }
    int input(std::vector<int64_t> shape) {
        int id = -1;
        CHECK_OK(jnas_graph_input(p, int(shape.size()), shape.data(), &id));
        return id;
    }
};

struct Net {
    jnas_net* p = nullptr;
    Net(jnas_ctx* ctx, jnas_graph* g, int output, jnas_init init = JNAS_INIT_PYTORCH_DEFAULT, uint64_t seed = 1) {
        CHECK_OK(jnas_net_create(ctx, g, output, init, seed, &p));
    }
    ~Net() { jnas_net_free(p); }
    operator jnas_net*() const { return p; }
    int count() const {
        int n = 0;
        CHECK_OK(jnas_net_param_count(p, &n));
        return n;
    }
    int find(const char* name) const {
        int index = -1;
        CHECK_OK(jnas_net_param_find(p, name, &index));
        return index;
    }
    std::string name(int index) const {
        const char* s = "";
        CHECK_OK(jnas_net_param_name(p, index, &s));
        return s;
    }
    int64_t numel(int index) const {
        int64_t n = 0;
        CHECK_OK(jnas_net_param_numel(p, index, &n));
        return n;
    }
    bool trainable(int index) const {
        int t = 0;
        CHECK_OK(jnas_net_param_trainable(p, index, &t));
        return t == 1;
    }
    jnas_param_role role(int index) const {
        jnas_param_role r = JNAS_PARAM_FREE;
        CHECK_OK(jnas_net_param_role(p, index, &r));
        return r;
    }
    std::vector<float> param(int index) const {
        std::vector<float> v(size_t(numel(index)));
        CHECK_OK(jnas_net_param_read(p, index, v.data(), int64_t(v.size())));
        return v;
    }
    std::vector<float> grad(int index) const {
        std::vector<float> v(size_t(numel(index)));
        CHECK_OK(jnas_net_grad_read(p, index, v.data(), int64_t(v.size())));
        return v;
    }
    void set(int index, const std::vector<float>& v) {
        CHECK_OK(jnas_net_param_write(p, index, v.data(), int64_t(v.size())));
    }
    std::vector<int64_t> output_shape(int64_t batch) const {
        int ndim = 0;
        int64_t s[JNAS_MAX_DIMS] = {};
        CHECK_OK(jnas_net_output_shape(p, batch, &ndim, s));
        return std::vector<int64_t>(s, s + ndim);
    }
};

// Whether the last error message mentions `part`.
inline bool error_mentions(const char* part) { return std::string(jnas_last_error()).find(part) != std::string::npos; }

}  // namespace tu
