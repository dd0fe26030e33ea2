"""NAS-Bench-201 networks in PyTorch, built as jnas builds them (java-core space/nb201), for the peer comparison.

The skeleton: an optional stem (conv 3x3 + BN), then stages of cells with a ResNet basic block (stride 2, channels
doubled) before every stage but the first, then the head (BN, ReLU, global average pool, linear). A cell is either
one fixed architecture (none edges left out of their node's sum) or a supernet cell whose every edge mixes the four
non-none ops with weights shared by all cells, skipping branches whose weight is at most 0.01. Weights keep
PyTorch's default initialization, which jnas's pytorch-default init draws from the same distributions.

Every ReLU records the signs of its input (x > 0) into the network's `patterns` list while `patterns` is not None:
the activation patterns of TE-NAS's linear-region count.
"""
import torch
from torch import nn

OPS = ("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3")
MIXED_OPS = OPS[1:]  # 'none' is never a supernet branch
SKIP_THRESHOLD = 0.01
EDGES = 6  # (1<-0), (2<-0), (2<-1), (3<-0), (3<-1), (3<-2)
NODES = 4


def parse_cell(text):
    """'|op~0|+|op~0|op~1|+|op~0|op~1|op~2|' -> the six ops in edge order."""
    ops = [token.split("~")[0] for token in text.split("|") if token not in ("", "+")]
    if len(ops) != EDGES or any(op not in OPS for op in ops):
        raise ValueError(f"'{text}' is not an NB201 cell of {EDGES} edges over {OPS}")
    return ops


def format_cell(ops):
    """The six ops in edge order -> '|op~0|+|op~0|op~1|+|op~0|op~1|op~2|'."""
    nodes = ["|".join(f"{ops[e]}~{source}" for e, (t, source) in enumerate(edge_pairs()) if t == target)
             for target in range(1, NODES)]
    return "|" + "|+|".join(nodes) + "|"


def edge_pairs():
    return [(target, source) for target in range(1, NODES) for source in range(target)]


class Recorder:
    """Where the ReLUs of one network put their sign patterns; None while not recording."""

    def __init__(self):
        self.patterns = None


class RecordingReLU(nn.Module):
    def __init__(self, recorder):
        super().__init__()
        self.recorder = recorder

    def forward(self, x):
        if self.recorder.patterns is not None:
            self.recorder.patterns.append((x > 0).flatten(1))
        return torch.relu(x)


def relu_conv_bn(recorder, c_in, c_out, kernel, stride):
    return nn.Sequential(RecordingReLU(recorder), nn.Conv2d(c_in, c_out, kernel, stride, kernel // 2, bias=False),
                         nn.BatchNorm2d(c_out))


def edge_op(recorder, op, channels):
    if op == "skip_connect":
        return nn.Identity()
    if op == "nor_conv_1x1":
        return relu_conv_bn(recorder, channels, channels, 1, 1)
    if op == "nor_conv_3x3":
        return relu_conv_bn(recorder, channels, channels, 3, 1)
    if op == "avg_pool_3x3":
        return nn.AvgPool2d(3, 1, 1, count_include_pad=False)
    raise ValueError(f"no module for op '{op}'")


class Cell(nn.Module):
    """One fixed architecture's cell: node i sums its non-none incoming edges; a node with none is zeros."""

    def __init__(self, recorder, ops, channels):
        super().__init__()
        self.ops = ops
        self.edges = nn.ModuleList(nn.Identity() if op == "none" else edge_op(recorder, op, channels) for op in ops)

    def forward(self, x):
        nodes = [x]
        for target in range(1, NODES):
            total = None
            for e, (t, source) in enumerate(edge_pairs()):
                if t == target and self.ops[e] != "none":
                    out = self.edges[e](nodes[source])
                    total = out if total is None else total + out
            nodes.append(torch.zeros_like(x) if total is None else total)
        return nodes[-1]


class MixedCell(nn.Module):
    """A supernet cell: edge e gives sum_k w[e, k] * op_k(x) over the branches with w[e, k] > 0.01."""

    def __init__(self, recorder, mixing, channels):
        super().__init__()
        self.mixing = mixing  # [EDGES, len(MIXED_OPS)], shared by every cell, not a parameter
        self.edges = nn.ModuleList(nn.ModuleList(edge_op(recorder, op, channels) for op in MIXED_OPS)
                                   for _ in range(EDGES))

    def forward(self, x):
        nodes = [x]
        for target in range(1, NODES):
            total = None
            for e, (t, source) in enumerate(edge_pairs()):
                if t != target:
                    continue
                for k, branch in enumerate(self.edges[e]):
                    weight = float(self.mixing[e, k])
                    if weight > SKIP_THRESHOLD:
                        out = weight * branch(nodes[source])
                        total = out if total is None else total + out
            nodes.append(torch.zeros_like(x) if total is None else total)
        return nodes[-1]


class ResNetBlock(nn.Module):
    """NB201's ResNetBasicblock at stride 2, its shortcut an avg pool 2x2 then a conv 1x1 without BN."""

    def __init__(self, recorder, c_in, c_out):
        super().__init__()
        self.conv_a = relu_conv_bn(recorder, c_in, c_out, 3, 2)
        self.conv_b = relu_conv_bn(recorder, c_out, c_out, 3, 1)
        self.shortcut = nn.Sequential(nn.AvgPool2d(2, 2), nn.Conv2d(c_in, c_out, 1, bias=False))

    def forward(self, x):
        return self.shortcut(x) + self.conv_b(self.conv_a(x))


class Network(nn.Module):
    """The skeleton around cells made by make_cell(recorder, channels); records patterns through `recorder`."""

    def __init__(self, make_cell, channels, stages, stem, input_channels, classes):
        super().__init__()
        self.recorder = Recorder()
        layers = []
        if stem:
            layers += [nn.Conv2d(input_channels, channels, 3, 1, 1, bias=False), nn.BatchNorm2d(channels)]
        for stage in range(stages):
            width = channels << stage
            if stage > 0:
                layers.append(ResNetBlock(self.recorder, width // 2, width))
            layers.append(make_cell(self.recorder, width))
        last = channels << (stages - 1)
        layers += [nn.BatchNorm2d(last), RecordingReLU(self.recorder), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                   nn.Linear(last, classes)]
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


# TE-NAS's two networks (C=3 N=1 with stem for the NTK; the thin C=1 single cell without stem for the regions)
# and the supernet trained by the training-step comparison (C=16, N=1).
def kappa_network(make_cell, classes=10):
    return Network(make_cell, 3, 3, True, 3, classes)


def region_network(make_cell, classes=10):
    return Network(make_cell, 1, 1, False, 1, classes)


def fixed(ops):
    return lambda recorder, channels: Cell(recorder, ops, channels)


def mixed(mixing):
    return lambda recorder, channels: MixedCell(recorder, mixing, channels)
