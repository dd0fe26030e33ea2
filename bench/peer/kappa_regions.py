"""Peer workload (a): TE-NAS's κ and linear-region count for each given NB201 cell, from scratch per cell.

Per cell: a fresh κ network (C=3, N=1, PyTorch default init) on one Gaussian batch of 3x32x32 images, and a fresh
thin network on 3 batches of 1000 Gaussian 1x3x3 patches; one repeat. Prints the seconds of each timed run of all
cells, and the last run's κ and region count per cell.
"""
import torch

import metrics
import nb201
import peer


def main():
    args = peer.options(__doc__, lambda p: (p.add_argument("--batch", type=int, default=72),
                                            p.add_argument("cells", nargs="+")))
    cells = [nb201.parse_cell(text) for text in args.cells]

    def score_all():
        kappas, regions = [], []
        for ops in cells:
            net = nb201.kappa_network(nb201.fixed(ops))
            kappas.append(metrics.ntk_kappa(net, torch.randn(args.batch, 3, 32, 32)))
            thin = nb201.region_network(nb201.fixed(ops))
            regions.append(metrics.region_count(thin, [torch.randn(1000, 1, 3, 3) for _ in range(3)]))
        return kappas, regions

    seconds, (kappas, regions) = peer.timed(args, score_all)
    peer.report(seconds, kappa=kappas, regions=regions)


if __name__ == "__main__":
    main()
