#!/usr/bin/env python3
"""A libjnas client in plain Python: ctypes over the C ABI (native/include/jnas.h), no third-party packages.

    jnas_client.py [--library PATH] score [--seed S] [--batch B] [--repeat R]
                   [--init pytorch-default|kaiming-normal] [--bn-coupling frozen|exact] ARCH...
        scores NAS-Bench-201 architectures with jnas_nb201_score and prints the rows examples/c/score prints
        (those of `jnas score --dataset synthetic` for the same options, less its index and seconds columns).
    jnas_client.py [--library PATH] train [--steps N]
        trains a small classifier on a fixed toy problem through the graph builder, cross-entropy and SGD, printing
        the loss of every step; exits 1 unless the loss falls.

The library is --library, else $JNAS_LIBRARY, else libjnas as the system's loader finds it (e.g. after
`cmake --install`).
"""
import argparse
import ctypes
import ctypes.util
import math
import os
import random
import sys

JNAS_OK = 0
BACKEND_CPU = 0
ACT_RELU = 0
INIT = {"pytorch-default": 0, "kaiming-normal": 1}
BN_COUPLING = {"exact": 0, "frozen": 1}
NB201_ALL_METRICS = 1 | 2 | 4
# jnas_nb201_scores' flags, named as `jnas score` names them.
FLAG_NAMES = [(1, "ntk-nonpositive-min"), (2, "ntk-nonfinite"), (4, "ntk-not-converged"), (8, "naswot-singular")]


class ScoreOptions(ctypes.Structure):
    _fields_ = [("seed", ctypes.c_uint64), ("metrics", ctypes.c_uint), ("batch", ctypes.c_int),
                ("repeats", ctypes.c_int), ("init", ctypes.c_int), ("coupling", ctypes.c_int)]


class Scores(ctypes.Structure):
    _fields_ = [("kappa", ctypes.c_double), ("lambda_min", ctypes.c_double), ("lambda_max", ctypes.c_double),
                ("linear_regions", ctypes.c_double), ("naswot", ctypes.c_double), ("flags", ctypes.c_uint)]


class JnasError(Exception):
    pass


class Jnas:
    """The functions of jnas.h this client calls, with their C signatures; every status is checked."""

    P = ctypes.c_void_p
    INT_P = ctypes.POINTER(ctypes.c_int)
    SIGNATURES = {
        "jnas_ctx_create": [ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p)],
        "jnas_nb201_score_options_default": [ctypes.POINTER(ScoreOptions)],
        "jnas_nb201_score": [P, ctypes.c_char_p, ctypes.POINTER(ScoreOptions), ctypes.POINTER(Scores)],
        "jnas_graph_create": [ctypes.POINTER(ctypes.c_void_p)],
        "jnas_graph_input": [P, ctypes.c_int, ctypes.POINTER(ctypes.c_int64), INT_P],
        "jnas_graph_linear": [P, ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, INT_P],
        "jnas_graph_activation": [P, ctypes.c_int, ctypes.c_int, INT_P],
        "jnas_net_create": [P, P, ctypes.c_int, ctypes.c_int, ctypes.c_uint64, ctypes.POINTER(ctypes.c_void_p)],
        "jnas_tensor_create": [P, ctypes.c_int, ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_void_p)],
        "jnas_tensor_write": [P, ctypes.POINTER(ctypes.c_float), ctypes.c_int64],
        "jnas_net_bind_input": [P, ctypes.c_int, P],
        "jnas_net_forward": [P, P],
        "jnas_cross_entropy": [P, P, ctypes.POINTER(ctypes.c_int32), ctypes.c_int64, ctypes.c_float,
                               ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_int64), P],
        "jnas_net_zero_grad": [P],
        "jnas_net_backward": [P, P],
        "jnas_optimizer_sgd": [P, ctypes.c_int, INT_P, ctypes.c_float, ctypes.c_float, ctypes.c_float, ctypes.c_int,
                               ctypes.POINTER(ctypes.c_void_p)],
        "jnas_optimizer_step": [P],
    }
    FREES = ["jnas_ctx_free", "jnas_graph_free", "jnas_net_free", "jnas_tensor_free", "jnas_optimizer_free"]

    def __init__(self, path):
        self.lib = ctypes.CDLL(path)
        self.lib.jnas_last_error.restype = ctypes.c_char_p
        self.lib.jnas_last_error.argtypes = []
        for name, argtypes in self.SIGNATURES.items():
            function = getattr(self.lib, name)
            function.restype = ctypes.c_int
            function.argtypes = argtypes
        for name in self.FREES:
            function = getattr(self.lib, name)
            function.restype = None
            function.argtypes = [ctypes.c_void_p]

    def __getattr__(self, name):
        """jnas.graph_create(...) calls jnas_graph_create and raises JnasError with the library's message."""
        function = getattr(self.lib, "jnas_" + name)
        if name.endswith("_free"):
            return function

        def checked(*args):
            if function(*args) != JNAS_OK:
                raise JnasError(self.lib.jnas_last_error().decode())
        return checked


def find_library(given):
    path = given or os.environ.get("JNAS_LIBRARY") or ctypes.util.find_library("jnas")
    if not path:
        raise JnasError("libjnas not found: pass --library PATH, set JNAS_LIBRARY, or install it (cmake --install)")
    return path


def new_handle(create, *args):
    handle = ctypes.c_void_p()
    create(*args, ctypes.byref(handle))
    return handle


def number(value):
    """A CSV field as examples/c/score writes it: %.17g, or NaN, Infinity, -Infinity as Java writes them."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return "%.17g" % value


def score(jnas, ctx, args):
    options = ScoreOptions()
    jnas.nb201_score_options_default(ctypes.byref(options))
    options.seed = args.seed % (1 << 64)  # a Java long's 64 bits
    options.batch = args.batch if args.batch is not None else options.batch
    options.repeats = args.repeat if args.repeat is not None else options.repeats
    options.init = INIT[args.init] if args.init else options.init
    options.coupling = BN_COUPLING[args.bn_coupling] if args.bn_coupling else options.coupling
    options.metrics = NB201_ALL_METRICS
    print("arch,ntk_cond,linear_regions,naswot,flags")
    for arch in args.archs:
        result = Scores()
        jnas.nb201_score(ctx, arch.encode(), ctypes.byref(options), ctypes.byref(result))
        flags = "+".join(name for bit, name in FLAG_NAMES if result.flags & bit)
        print(",".join([arch, number(result.kappa), number(result.linear_regions), number(result.naswot), flags]))
    return 0


def toy_problem(samples, features, classes):
    """Points around one centre per class (a seeded stdlib generator): a problem a small MLP learns in a few steps."""
    rng = random.Random(1)
    centres = [[rng.uniform(-2, 2) for _ in range(features)] for _ in range(classes)]
    inputs, labels = [], []
    for i in range(samples):
        label = i % classes
        inputs.extend(c + rng.gauss(0, 0.5) for c in centres[label])
        labels.append(label)
    return inputs, labels


def train(jnas, ctx, args):
    samples, features, hidden, classes = 64, 4, 16, 3
    inputs, labels = toy_problem(samples, features, classes)
    node = ctypes.c_int
    graph = new_handle(jnas.graph_create)
    handles = []
    try:
        x, h, relu, logits = node(), node(), node(), node()
        jnas.graph_input(graph, 1, (ctypes.c_int64 * 1)(features), ctypes.byref(x))
        jnas.graph_linear(graph, b"fc1", x, hidden, 1, ctypes.byref(h))
        jnas.graph_activation(graph, h, ACT_RELU, ctypes.byref(relu))
        jnas.graph_linear(graph, b"fc2", relu, classes, 1, ctypes.byref(logits))
        net = new_handle(jnas.net_create, ctx, graph, logits, INIT["pytorch-default"], 7)
        handles.append((jnas.net_free, net))
        batch = new_handle(jnas.tensor_create, ctx, 2, (ctypes.c_int64 * 2)(samples, features))
        output = new_handle(jnas.tensor_create, ctx, 2, (ctypes.c_int64 * 2)(samples, classes))
        grad = new_handle(jnas.tensor_create, ctx, 2, (ctypes.c_int64 * 2)(samples, classes))
        handles += [(jnas.tensor_free, t) for t in (batch, output, grad)]
        jnas.tensor_write(batch, (ctypes.c_float * len(inputs))(*inputs), len(inputs))
        jnas.net_bind_input(net, x, batch)
        optimizer = new_handle(jnas.optimizer_sgd, net, 0, None, 0.1, 0.9, 0.0, 0)
        handles.insert(0, (jnas.optimizer_free, optimizer))  # freed before its net
        label_array = (ctypes.c_int32 * samples)(*labels)
        losses = []
        for step in range(args.steps):
            loss, correct = ctypes.c_float(), ctypes.c_int64()
            jnas.net_zero_grad(net)
            jnas.net_forward(net, output)
            jnas.cross_entropy(ctx, output, label_array, samples, 0.0, ctypes.byref(loss), ctypes.byref(correct), grad)
            jnas.net_backward(net, grad)
            jnas.optimizer_step(optimizer)
            losses.append(loss.value)
            print("step %d loss %.6f accuracy %d/%d" % (step, loss.value, correct.value, samples))
    finally:
        for free, handle in handles:
            free(handle)
        jnas.graph_free(graph)
    if not losses[-1] < 0.5 * losses[0]:
        print("the loss did not fall: %.6f -> %.6f" % (losses[0], losses[-1]), file=sys.stderr)
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser(description="A libjnas client over ctypes.")
    parser.add_argument("--library", help="path of libjnas.so")
    commands = parser.add_subparsers(dest="command", required=True)
    score_parser = commands.add_parser("score", help="score NB201 architecture strings")
    score_parser.add_argument("--seed", type=int, default=0)
    score_parser.add_argument("--batch", type=int)
    score_parser.add_argument("--repeat", type=int)
    score_parser.add_argument("--init", choices=sorted(INIT))
    score_parser.add_argument("--bn-coupling", choices=sorted(BN_COUPLING))
    score_parser.add_argument("archs", nargs="+", metavar="ARCH")
    train_parser = commands.add_parser("train", help="train a small classifier for a few steps")
    train_parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    try:
        jnas = Jnas(find_library(args.library))
        ctx = new_handle(jnas.ctx_create, BACKEND_CPU, 0)
        try:
            return score(jnas, ctx, args) if args.command == "score" else train(jnas, ctx, args)
        finally:
            jnas.ctx_free(ctx)
    except JnasError as e:
        print("jnas_client: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
