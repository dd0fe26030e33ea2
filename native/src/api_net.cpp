// api_net.cpp — nets: creation, binding, forward/backward and parameter access.
#include "api_guard.hpp"
#include "net.hpp"

using jnas::api::guarded;
using jnas::api::require;
using jnas::fail;

namespace {

void require_count(const jnas::Parameter& p, int64_t count) {
    if (count != p.spec.shape.numel())
        fail(JNAS_ERR_SHAPE, "count = ", count, " but parameter '", p.spec.name, "' ", p.spec.shape.str(), " has ",
             p.spec.shape.numel(), " elements");
}

}  // namespace

extern "C" {

JNAS_API jnas_status jnas_net_create(jnas_ctx* ctx, const jnas_graph* g, int output, jnas_init init, uint64_t seed,
                                     jnas_net** out) {
    return guarded(__func__, [&] {
        require(ctx, "ctx");
        require(g, "g");
        require(out, "out");
        *out = new jnas_net{jnas::Net(ctx, g->graph, output, init, seed)};
    });
}

JNAS_API void jnas_net_free(jnas_net* net) {
    jnas::api::release_quietly([&] { delete net; });
}

JNAS_API jnas_status jnas_net_init(jnas_net* net, jnas_init init, uint64_t seed) {
    return guarded(__func__, [&] { require(net, "net")->net.init(init, seed); });
}

JNAS_API jnas_status jnas_net_set_train(jnas_net* net, int train) {
    return guarded(__func__, [&] {
        require(net, "net");
        if (train != 0 && train != 1) fail(JNAS_ERR_INVALID_ARGUMENT, "train = ", train, "; must be 0 or 1");
        net->net.set_train(train == 1);
    });
}

JNAS_API jnas_status jnas_net_set_sample_groups(jnas_net* net, int groups) {
    return guarded(__func__, [&] {
        require(net, "net");
        net->net.set_sample_groups(groups);
    });
}

JNAS_API jnas_status jnas_net_set_random(jnas_net* net, uint64_t seed, uint64_t step) {
    return guarded(__func__, [&] {
        require(net, "net");
        if (step >= jnas::RandomKey::kStepLimit)
            fail(JNAS_ERR_INVALID_ARGUMENT, "step = ", step, " is at or above 2^39, where dropout streams repeat");
        net->net.set_random(seed, step);
    });
}

JNAS_API jnas_status jnas_net_bind_input(jnas_net* net, int node, const jnas_tensor* input) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(input, "input");
        net->net.bind_input(node, input);
    });
}

JNAS_API jnas_status jnas_net_forward(jnas_net* net, jnas_tensor* out) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(out, "out");
        net->net.forward(out);
    });
}

JNAS_API jnas_status jnas_net_output_shape(const jnas_net* net, int64_t batch, int* ndim, int64_t* shape) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(ndim, "ndim");
        require(shape, "shape");
        if (batch < 1 || batch > INT32_MAX) fail(JNAS_ERR_INVALID_ARGUMENT, "batch = ", batch, " is outside [1, 2^31)");
        jnas::Shape s = net->net.output_shape(batch);
        for (int i = 0; i < s.ndim; ++i) shape[i] = s[i];
        *ndim = s.ndim;
    });
}

JNAS_API jnas_status jnas_net_backward(jnas_net* net, const jnas_tensor* grad_output) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(grad_output, "grad_output");
        net->net.backward(grad_output);
    });
}

JNAS_API jnas_status jnas_net_zero_grad(jnas_net* net) {
    return guarded(__func__, [&] { require(net, "net")->net.zero_grad(); });
}

JNAS_API jnas_status jnas_net_input_grad(const jnas_net* net, int node, jnas_tensor* out) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(out, "out");
        net->net.input_grad(node, out);
    });
}

JNAS_API jnas_status jnas_net_hessian_diag(jnas_net* net, const jnas_tensor* seed) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(seed, "seed");
        net->net.hessian_diag(seed);
    });
}

JNAS_API jnas_status jnas_net_hessian_read(const jnas_net* net, int index, float* dst, int64_t count) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(dst, "dst");
        net->net.read_hessian(index, dst, count);
    });
}

JNAS_API jnas_status jnas_net_param_count(const jnas_net* net, int* out) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(out, "out");
        *out = net->net.param_count();
    });
}

JNAS_API jnas_status jnas_net_param_find(const jnas_net* net, const char* name, int* index) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(name, "name");
        require(index, "index");
        int found = net->net.find_param(name);
        if (found < 0) fail(JNAS_ERR_INVALID_ARGUMENT, "no parameter is named '", name, "'");
        *index = found;
    });
}

JNAS_API jnas_status jnas_net_param_name(const jnas_net* net, int index, const char** out) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(out, "out");
        *out = net->net.param(index).spec.name.c_str();
    });
}

JNAS_API jnas_status jnas_net_param_role(const jnas_net* net, int index, jnas_param_role* out) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(out, "out");
        *out = net->net.param(index).spec.role;
    });
}

JNAS_API jnas_status jnas_net_param_shape(const jnas_net* net, int index, int* ndim, int64_t* shape) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(ndim, "ndim");
        require(shape, "shape");
        const jnas::Shape& s = net->net.param(index).spec.shape;
        for (int i = 0; i < s.ndim; ++i) shape[i] = s[i];
        *ndim = s.ndim;
    });
}

JNAS_API jnas_status jnas_net_param_numel(const jnas_net* net, int index, int64_t* out) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(out, "out");
        *out = net->net.param(index).spec.shape.numel();
    });
}

JNAS_API jnas_status jnas_net_param_trainable(const jnas_net* net, int index, int* out) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(out, "out");
        *out = net->net.param(index).trainable ? 1 : 0;
    });
}

JNAS_API jnas_status jnas_net_param_set_trainable(jnas_net* net, int index, int trainable) {
    return guarded(__func__, [&] {
        require(net, "net");
        if (trainable != 0 && trainable != 1)
            fail(JNAS_ERR_INVALID_ARGUMENT, "trainable = ", trainable, "; must be 0 or 1");
        net->net.set_trainable(index, trainable == 1);
    });
}

JNAS_API jnas_status jnas_net_param_read(const jnas_net* net, int index, float* dst, int64_t count) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(dst, "dst");
        const jnas::Parameter& p = net->net.param(index);
        require_count(p, count);
        net->net.ctx()->backend->download(dst, p.data.get(), p.data.bytes());
    });
}

JNAS_API jnas_status jnas_net_param_write(jnas_net* net, int index, const float* src, int64_t count) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(src, "src");
        net->net.write_param(index, src, count);
    });
}

JNAS_API jnas_status jnas_net_grad_read(const jnas_net* net, int index, float* dst, int64_t count) {
    return guarded(__func__, [&] {
        require(net, "net");
        require(dst, "dst");
        const jnas::Parameter& p = net->net.param(index);
        require_count(p, count);
        net->net.ctx()->backend->download(dst, p.grad.get(), p.grad.bytes());
    });
}

}  // extern "C"
