"""Peer workload (b): one op-pruning round of TE-NAS on the NB201 supernet, as jnas's TenasPruner runs it.

Per repeat: fresh weights (PyTorch default) for the κ supernet (C=3, N=1) and the thin region supernet, a fresh
Gaussian batch of 3x32x32 images and 3 batches of 1000 Gaussian 1x3x3 patches; then κ and the region count of the
unpruned supernet (every edge mixing its 4 ops at 1/4) and of the 24 candidates (one op of one edge removed, the
others at 1/3), all on that draw. Each candidate's Δκ and ΔR (relative, rounded to 3 decimals) are averaged over
repeats and ranked as TE-NAS ranks them; --prune-number ops are pruned per edge. Unlike TE-NAS's public code,
which measures the unpruned supernet again for every candidate, it is measured once per repeat (as jnas does).
"""
import math

import torch

import metrics
import nb201
import peer


def significant(x, digits=3):
    """x rounded to 3 significant figures (TE-NAS's round_to); non-finite values are left as they are."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


def dense_ranks(keys):
    """Rank 0 for the first distinct key in order, equal keys sharing a rank."""
    ranks, last, rank = [], None, -1
    for key in keys:
        if key != last:
            rank, last = rank + 1, key
        ranks.append(rank)
    return ranks


def ranked(candidates, delta_kappa, delta_regions):
    """Candidates in pruning order: Δκ ranked descending plus ΔR ranked ascending, stably sorted by the sum."""
    def finite_first(value, descending):
        return (0, -value if descending else value) if math.isfinite(value) else (1, 0)

    by_kappa = sorted(range(len(candidates)), key=lambda i: finite_first(significant(delta_kappa[i]), True))
    kappa_rank = dict(zip(by_kappa, dense_ranks([significant(delta_kappa[i]) for i in by_kappa])))
    by_regions = sorted(range(len(candidates)), key=lambda i: finite_first(significant(delta_regions[i]), False))
    regions_rank = dict(zip(by_regions, dense_ranks([significant(delta_regions[i]) for i in by_regions])))
    return sorted(by_kappa, key=lambda i: kappa_rank[i] + regions_rank[i])


def main():
    args = peer.options(__doc__, lambda p: (p.add_argument("--batch", type=int, default=72),
                                            p.add_argument("--repeats", type=int, default=3),
                                            p.add_argument("--prune-number", type=int, default=1)))
    ops = len(nb201.MIXED_OPS)
    candidates = [(e, k) for e in range(nb201.EDGES) for k in range(ops)]

    def measure(kappa_net, region_net, mixing, images, patches, active):
        mixing.zero_()
        for e in range(nb201.EDGES):
            kept = [k for k in range(ops) if active[e][k]]
            for k in kept:
                mixing[e, k] = 1.0 / len(kept)
        return metrics.ntk_kappa(kappa_net, images), metrics.region_count(region_net, patches)

    def one_round():
        delta_kappa = [0.0] * len(candidates)
        delta_regions = [0.0] * len(candidates)
        for _ in range(args.repeats):
            mixing = torch.zeros(nb201.EDGES, ops, device="cpu")  # read on the host by every forward
            kappa_net = nb201.kappa_network(nb201.mixed(mixing))
            region_net = nb201.region_network(nb201.mixed(mixing))
            images = torch.randn(args.batch, 3, 32, 32)
            patches = [torch.randn(1000, 1, 3, 3) for _ in range(3)]
            full = [[True] * ops for _ in range(nb201.EDGES)]
            base_kappa, base_regions = measure(kappa_net, region_net, mixing, images, patches, full)
            for i, (e, k) in enumerate(candidates):
                active = [row[:] for row in full]
                active[e][k] = False
                kappa, regions = measure(kappa_net, region_net, mixing, images, patches, active)
                delta_kappa[i] += round((base_kappa - kappa) / base_kappa, 3) / args.repeats
                delta_regions[i] += round((base_regions - regions) / base_regions, 3) / args.repeats
        pruned = [0] * nb201.EDGES
        active = [[True] * ops for _ in range(nb201.EDGES)]
        for i in ranked(candidates, delta_kappa, delta_regions):
            e, k = candidates[i]
            if pruned[e] < min(args.prune_number, ops - 1):
                active[e][k] = False
                pruned[e] += 1
        kept = ["+".join(nb201.MIXED_OPS[k] for k in range(ops) if active[e][k]) for e in range(nb201.EDGES)]
        return base_kappa, base_regions, nb201.format_cell(kept)

    seconds, (base_kappa, base_regions, kept) = peer.timed(args, one_round)
    peer.report(seconds, base_kappa=base_kappa, base_regions=base_regions, kept=kept)


if __name__ == "__main__":
    main()
