"""TE-NAS's two training-free metrics in PyTorch, computed the way its public code computes them."""
import torch


def ntk_kappa(net, images):
    """κ = λmax/λmin of Θ = J·Jᵀ, row i of J the gradient of sample i's summed logits.

    As TE-NAS's get_ntk_n: the network in train mode (batch-norm statistics of the whole batch, so the rows are
    coupled), one forward, then one backward per sample through the full-batch graph, J's columns every
    parameter whose name ends in 'weight' (conv and linear weights, BN gammas) that got a gradient. The
    eigenvalues are computed in double precision, as jnas computes them.
    """
    net.train()
    weights = [p for name, p in net.named_parameters() if name.endswith("weight")]
    logits = net(images)
    rows = []
    for i in range(images.shape[0]):
        grads = torch.autograd.grad(logits[i].sum(), weights, retain_graph=True, allow_unused=True)
        rows.append(torch.cat([g.reshape(-1) for g in grads if g is not None]))
    jacobian = torch.stack(rows)
    theta = jacobian @ jacobian.T
    eigenvalues = torch.linalg.eigvalsh(theta.double())
    return float(eigenvalues[-1] / eigenvalues[0])


@torch.no_grad()
def region_count(net, patch_batches):
    """Distinct ReLU sign patterns over the batches (TE-NAS's linear regions), each batch a train-mode forward.

    TE-NAS's calc_LR counts the distinct rows through a Hamming-distance matrix; torch.unique over the rows gives
    the same number.
    """
    net.train()
    net.recorder.patterns = []
    rows = []
    for batch in patch_batches:
        net.recorder.patterns.clear()
        net(batch)
        rows.append(torch.cat(net.recorder.patterns, 1))
    net.recorder.patterns = None
    return int(torch.unique(torch.cat(rows).to(torch.uint8), dim=0).shape[0])
