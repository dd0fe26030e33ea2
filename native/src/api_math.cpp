// api_math.cpp — the free-standing tensor computations of the C ABI: GEMM and softmax cross-entropy.
#include <algorithm>
#include <climits>
#include <cmath>
#include <vector>

#include "api_guard.hpp"
#include "tensor.hpp"

using jnas::api::guarded;
using jnas::api::require;
using jnas::fail;

namespace {

// A 2-D tensor whose dims fit the backend's int-sized GEMM and loss arguments.
void require_matrix(const jnas_tensor* t, const char* what) {
    if (t->shape.ndim != 2)
        fail(JNAS_ERR_SHAPE, what, " has shape ", t->shape.str(), " but must be 2-D");
    if (t->shape[0] > INT_MAX || t->shape[1] > INT_MAX)
        fail(JNAS_ERR_UNSUPPORTED, what, " has shape ", t->shape.str(), "; dims above ", INT_MAX,
             " are not supported");
}

}  // namespace

extern "C" {

JNAS_API jnas_status jnas_gemm(jnas_ctx* ctx, int trans_a, int trans_b, float alpha, const jnas_tensor* a,
                               const jnas_tensor* b, float beta, jnas_tensor* c) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(a, "a");
        require(b, "b");
        require(c, "c");
        jnas::require_same_context(ctx, a, "a");
        jnas::require_same_context(ctx, b, "b");
        jnas::require_same_context(ctx, c, "c");
        if ((trans_a != 0 && trans_a != 1) || (trans_b != 0 && trans_b != 1))
            fail(JNAS_ERR_INVALID_ARGUMENT, "trans_a = ", trans_a, ", trans_b = ", trans_b, "; each must be 0 or 1");
        require_matrix(a, "a");
        require_matrix(b, "b");
        require_matrix(c, "c");
        int64_t m = trans_a ? a->shape[1] : a->shape[0], k = trans_a ? a->shape[0] : a->shape[1];
        int64_t kb = trans_b ? b->shape[1] : b->shape[0], n = trans_b ? b->shape[0] : b->shape[1];
        if (k != kb)
            fail(JNAS_ERR_SHAPE, "op(a) is [", m, ", ", k, "] but op(b) is [", kb, ", ", n,
                 "]: inner dims differ");
        if (c->shape[0] != m || c->shape[1] != n)
            fail(JNAS_ERR_SHAPE, "c has shape ", c->shape.str(), " but op(a)·op(b) is [", m, ", ", n, "]");
        if (c == a || c == b) fail(JNAS_ERR_INVALID_ARGUMENT, "c must not be a or b (GEMM cannot work in place)");
        ctx->backend->gemm(trans_a, trans_b, int(m), int(n), int(k), alpha, a->f32(), int(a->shape[1]), b->f32(),
                           int(b->shape[1]), beta, c->f32(), int(n));
    });
}

JNAS_API jnas_status jnas_cross_entropy(jnas_ctx* ctx, const jnas_tensor* logits, const int32_t* labels,
                                        int64_t count, float smoothing, float* loss, int64_t* correct,
                                        jnas_tensor* grad_logits) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(logits, "logits");
        require(labels, "labels");
        require(loss, "loss");
        jnas::require_same_context(ctx, logits, "logits");
        require_matrix(logits, "logits");
        int rows = int(logits->shape[0]), classes = int(logits->shape[1]);
        if (count != rows)
            fail(JNAS_ERR_SHAPE, "count = ", count, " labels but logits ", logits->shape.str(), " has ", rows,
                 " rows");
        for (int r = 0; r < rows; ++r)
            if (labels[r] < 0 || labels[r] >= classes)
                fail(JNAS_ERR_INVALID_ARGUMENT, "labels[", r, "] = ", labels[r], " is outside [0, ", classes, ")");
        if (!(smoothing >= 0.0f && smoothing < 1.0f))
            fail(JNAS_ERR_INVALID_ARGUMENT, "smoothing = ", smoothing, " is outside [0, 1)");
        if (grad_logits != nullptr) {
            jnas::require_same_context(ctx, grad_logits, "grad_logits");
            if (grad_logits->shape != logits->shape)
                fail(JNAS_ERR_SHAPE, "grad_logits has shape ", grad_logits->shape.str(), " but logits ",
                     logits->shape.str());
        }
        jnas::Backend& backend = *ctx->backend;
        jnas::DeviceBuffer device_labels(backend, sizeof(int32_t) * rows);
        jnas::DeviceBuffer loss_rows(backend, sizeof(float) * rows);
        jnas::DeviceBuffer correct_rows(backend, sizeof(int32_t) * rows);
        backend.upload(device_labels.get(), labels, sizeof(int32_t) * rows);
        // The loss is the batch mean, so each row's gradient carries 1/B.
        backend.cross_entropy(rows, classes, logits->f32(), device_labels.i32(), smoothing, 1.0f / rows,
                              loss_rows.f32(), correct_rows.i32(), grad_logits ? grad_logits->f32() : nullptr);
        std::vector<float> host_loss(rows);
        std::vector<int32_t> host_correct(rows);
        backend.download(host_loss.data(), loss_rows.get(), sizeof(float) * rows);
        backend.download(host_correct.data(), correct_rows.get(), sizeof(int32_t) * rows);
        double total = 0;  // in row order, so the mean does not depend on threads
        int64_t hits = 0;
        for (int r = 0; r < rows; ++r) {
            total += host_loss[r];
            hits += host_correct[r];
        }
        *loss = float(total / rows);
        if (correct) *correct = hits;
    });
}

// [B, K] is small next to the net: computed on the host in double for every backend.
JNAS_API jnas_status jnas_cross_entropy_hessian_diag(jnas_ctx* ctx, const jnas_tensor* logits, jnas_tensor* out) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(logits, "logits");
        require(out, "out");
        jnas::require_same_context(ctx, logits, "logits");
        jnas::require_same_context(ctx, out, "out");
        require_matrix(logits, "logits");
        if (out->shape != logits->shape)
            fail(JNAS_ERR_SHAPE, "out has shape ", out->shape.str(), " but logits ", logits->shape.str());
        int64_t rows = logits->shape[0], classes = logits->shape[1];
        std::vector<float> values(static_cast<size_t>(rows * classes));
        ctx->backend->download(values.data(), logits->f32(), logits->bytes());
        std::vector<double> exps(static_cast<size_t>(classes));
        for (int64_t r = 0; r < rows; ++r) {
            float* row = values.data() + r * classes;
            double top = row[0], total = 0;
            for (int64_t k = 1; k < classes; ++k) top = std::max(top, double(row[k]));
            for (int64_t k = 0; k < classes; ++k) total += exps[size_t(k)] = std::exp(double(row[k]) - top);
            for (int64_t k = 0; k < classes; ++k) {
                double pk = exps[size_t(k)] / total;
                row[k] = float(pk * (1.0 - pk) / double(rows));
            }
        }
        ctx->backend->upload(out->f32(), values.data(), out->bytes());
    });
}

}  // extern "C"
