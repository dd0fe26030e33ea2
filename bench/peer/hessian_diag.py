"""Peer workload (d): the diagonal of the loss Hessian w.r.t. every parameter of a small CNN, by double backward.

The net: conv 3x3 (3->8) -> BN -> ReLU -> avg pool 2 -> conv 3x3 (8->16) -> BN -> ReLU -> avg pool 2 -> global
pool -> linear (16->10), train-mode BN, on a batch of Gaussian 3x16x16 images with random labels; the loss is the
mean softmax cross-entropy. The diagonal is exact: one gradient with create_graph, then for each of the P
parameter values i one more backward of gradient entry i (a Hessian-vector product with the unit vector e_i),
keeping entry i. This is not what jnas's pass computes (BayesNAS's Gauss-Newton-style recursion, one backward
sweep, exact only in special cases such as the linear head): it is the cost of the exact quantity that recursion
approximates. Prints the diagonal's sum, its linear head's part and how many entries are negative.
"""
import torch
import torch.nn.functional as F
from torch import nn

import peer


def small_cnn(width1, width2):
    def block(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, 1, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(), nn.AvgPool2d(2, 2)]
    return nn.Sequential(*block(3, width1), *block(width1, width2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(width2, 10))


def main():
    args = peer.options(__doc__, lambda p: (p.add_argument("--batch", type=int, default=32),
                                            p.add_argument("--size", type=int, default=16)))
    net = small_cnn(8, 16)
    net.train()
    params = list(net.parameters())
    images = torch.randn(args.batch, 3, args.size, args.size)
    labels = torch.randint(0, 10, (args.batch,))

    def diagonal():
        loss = F.cross_entropy(net(images), labels)
        grads = torch.cat([g.reshape(-1) for g in torch.autograd.grad(loss, params, create_graph=True)])
        diag = torch.empty_like(grads)
        for i in range(grads.numel()):
            row = torch.autograd.grad(grads[i], params, retain_graph=True, allow_unused=True)
            diag[i] = torch.cat([torch.zeros(p.numel()) if r is None else r.reshape(-1)
                                 for p, r in zip(params, row)])[i]
        return diag

    seconds, diag = peer.timed(args, diagonal)
    # The linear head's logits are linear in its parameters, so there the recursion is exact: comparable values.
    head = sum(p.numel() for p in net[-1].parameters())
    peer.report(seconds, parameters=diag.numel(), trace=float(diag.sum()), head_trace=float(diag[-head:].sum()),
                negative=int((diag < 0).sum()))


if __name__ == "__main__":
    main()
