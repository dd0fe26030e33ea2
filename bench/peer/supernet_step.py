"""Peer workload (c): one training step of the NB201 supernet (C=16, N=1: stem, 3 mixed cells, 2 ResNet blocks).

Every edge mixes its 4 ops at fixed weights 1/4 (not trained). A step on a batch of Gaussian 3x32x32 images with
random labels: train-mode forward, mean softmax cross-entropy, backward, SGD (lr 0.025, momentum 0.9, weight decay
5e-4). Each timed run is one step; prints the seconds of each and the loss of the first and the last step.
"""
import torch
import torch.nn.functional as F

import nb201
import peer


def main():
    args = peer.options(__doc__, lambda p: (p.add_argument("--batch", type=int, default=64),
                                            p.add_argument("--channels", type=int, default=16)))
    mixing = torch.full((nb201.EDGES, len(nb201.MIXED_OPS)), 1.0 / len(nb201.MIXED_OPS))
    net = nb201.Network(nb201.mixed(mixing), args.channels, 3, True, 3, 10)
    net.train()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.025, momentum=0.9, weight_decay=5e-4)
    images = torch.randn(args.batch, 3, 32, 32)
    labels = torch.randint(0, 10, (args.batch,))
    losses = []

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(net(images), labels)
        loss.backward()
        optimizer.step()
        losses.append(float(loss))

    seconds, _ = peer.timed(args, step)
    peer.report(seconds, first_loss=losses[0], last_loss=losses[-1])


if __name__ == "__main__":
    main()
