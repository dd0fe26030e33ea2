// op_list.hpp — THE list of graph ops, in one place. Each entry is X(Kind, name): the OpKind enumerator and the
// op's name in messages. An op is added here plus in one ops/<family>.cpp file that defines its builder (shape
// rule), forward and backward, and its OpDef k<Kind>Op (see op.hpp).
#pragma once

#define JNAS_OP_LIST(X)                 \
    X(Input, "input")                   \
    X(Param, "param")                   \
    X(Conv2d, "conv2d")                 \
    X(BatchNorm, "batch_norm")          \
    X(Activation, "activation")         \
    X(AvgPool, "avg_pool")              \
    X(MaxPool, "max_pool")              \
    X(GlobalAvgPool, "global_avg_pool") \
    X(Linear, "linear")                 \
    X(Add, "add")                       \
    X(Concat, "concat")                 \
    X(Scale, "scale")                   \
    X(Zero, "zero")                     \
    X(Mixed, "mixed")                   \
    X(Shift, "shift")                   \
    X(Softmax, "softmax")               \
    X(LayerNorm, "layer_norm")          \
    X(GroupNorm, "group_norm")          \
    X(GlobalMaxPool, "global_max_pool") \
    X(Flatten, "flatten")               \
    X(Mul, "mul")                       \
    X(Dropout, "dropout")

namespace jnas {

enum class OpKind {
#define JNAS_OP_ENUM(kind, name) kind,
    JNAS_OP_LIST(JNAS_OP_ENUM)
#undef JNAS_OP_ENUM
};

}  // namespace jnas
