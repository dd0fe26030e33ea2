/* abi_test.c — plain C99 against jnas.h and libjnas.so only: builds input → conv → bn → relu → global pool →
   linear, runs forward and backward, and checks the output shape and that outputs and gradients are finite. */
#include <math.h>
#include <stdio.h>

#include "jnas.h"

#define EXPECT_OK(call)                                                                                     \
    do {                                                                                                    \
        jnas_status status_ = (call);                                                                       \
        if (status_ != JNAS_OK) {                                                                           \
            fprintf(stderr, "%s:%d: %s -> %s: %s\n", __FILE__, __LINE__, #call, jnas_status_name(status_), \
                    jnas_last_error());                                                                     \
            return 1;                                                                                       \
        }                                                                                                   \
    } while (0)

#define EXPECT(cond)                                                             \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); \
            return 1;                                                            \
        }                                                                        \
    } while (0)

#define STEP(cond)                                                                                \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            fprintf(stderr, "%s:%d: FAILED: %s (%s)\n", __FILE__, __LINE__, #cond, jnas_last_error()); \
            goto done;                                                                            \
        }                                                                                         \
    } while (0)

enum { BATCH = 4, CLASSES = 5 };

static int all_finite(const float* v, int n) {
    int i;
    for (i = 0; i < n; ++i)
        if (!isfinite(v[i])) return 0;
    return 1;
}

static int run(jnas_ctx* ctx, jnas_graph* g) {
    const int64_t input_shape[3] = {3, 8, 8};
    const int64_t x_shape[4] = {BATCH, 3, 8, 8};
    const int64_t y_shape[2] = {BATCH, CLASSES};
    int x, conv, bn, relu, pool, fc, ndim = 0, count = 0;
    int64_t out_shape[JNAS_MAX_DIMS];
    float y[BATCH * CLASSES], conv_grad[8 * 3 * 3 * 3];
    jnas_tensor *input = NULL, *output = NULL, *grad = NULL;
    jnas_net* net = NULL;
    int status = 1;

    EXPECT_OK(jnas_graph_input(g, 3, input_shape, &x));
    EXPECT_OK(jnas_graph_conv2d(g, "conv", x, 8, 3, 3, 1, 1, 1, 1, 0, &conv));
    EXPECT_OK(jnas_graph_batch_norm(g, "bn", conv, JNAS_BN_AFFINE | JNAS_BN_TRACK_RUNNING, 1e-5f, 0.1f, &bn));
    EXPECT_OK(jnas_graph_activation(g, bn, JNAS_ACT_RELU, &relu));
    EXPECT_OK(jnas_graph_global_avg_pool(g, relu, &pool));
    EXPECT_OK(jnas_graph_linear(g, "fc", pool, CLASSES, 1, &fc));
    EXPECT_OK(jnas_net_create(ctx, g, fc, JNAS_INIT_PYTORCH_DEFAULT, 1, &net));

    /* From here on, failures jump to the cleanup so the handles are freed. */
    STEP(jnas_tensor_create(ctx, 4, x_shape, &input) == JNAS_OK);
    STEP(jnas_tensor_create(ctx, 2, y_shape, &output) == JNAS_OK);
    STEP(jnas_tensor_create(ctx, 2, y_shape, &grad) == JNAS_OK);
    STEP(jnas_tensor_fill_normal(input, 7, 0, 0.0f, 1.0f) == JNAS_OK);
    STEP(jnas_tensor_fill_uniform(grad, 7, 1, -1.0f, 1.0f) == JNAS_OK);
    STEP(jnas_net_output_shape(net, BATCH, &ndim, out_shape) == JNAS_OK);
    STEP(ndim == 2 && out_shape[0] == BATCH && out_shape[1] == CLASSES);
    STEP(jnas_net_bind_input(net, x, input) == JNAS_OK);
    STEP(jnas_net_forward(net, output) == JNAS_OK);
    STEP(jnas_tensor_read(output, y, BATCH * CLASSES) == JNAS_OK);
    STEP(all_finite(y, BATCH * CLASSES));
    STEP(jnas_net_backward(net, grad) == JNAS_OK);
    /* conv.weight, bn.{weight,bias,running_mean,running_var}, fc.{weight,bias} */
    STEP(jnas_net_param_count(net, &count) == JNAS_OK && count == 7);
    STEP(jnas_net_grad_read(net, 0, conv_grad, 8 * 3 * 3 * 3) == JNAS_OK);
    STEP(all_finite(conv_grad, 8 * 3 * 3 * 3));
    /* The Hessian-diagonal pass over the same forward, seeded with the cross-entropy's diagonal. */
    STEP(jnas_cross_entropy_hessian_diag(ctx, output, grad) == JNAS_OK);
    STEP(jnas_net_hessian_diag(net, grad) == JNAS_OK);
    STEP(jnas_net_hessian_read(net, 0, conv_grad, 8 * 3 * 3 * 3) == JNAS_OK);
    STEP(all_finite(conv_grad, 8 * 3 * 3 * 3));
    status = 0;
done:
    jnas_tensor_free(grad);
    jnas_tensor_free(output);
    jnas_tensor_free(input);
    jnas_net_free(net);
    return status;
}

int main(void) {
    jnas_ctx* ctx = NULL;
    jnas_graph* g = NULL;
    int status;
    printf("libjnas %s (CUDA compiled: %d)\n", jnas_version(), jnas_cuda_compiled());
    EXPECT_OK(jnas_ctx_create(JNAS_BACKEND_CPU, 0, &ctx));
    EXPECT_OK(jnas_graph_create(&g));
    status = run(ctx, g);
    jnas_graph_free(g);
    jnas_ctx_free(ctx);
    EXPECT(status == 0);
    printf("abi_test: ok\n");
    return 0;
}
