// ntk.hpp — the empirical neural tangent kernel of a net over its bound batch, Θ = J Jᵀ with row i of J the
// gradient of the sum of sample i's outputs w.r.t. a set of parameters, and the spectrum of a symmetric matrix.
#pragma once

#include <vector>

#include "jnas.h"
#include "net.hpp"

namespace jnas {

// Every conv/linear weight and batch-norm gamma (roles WEIGHT and BN_WEIGHT), in parameter order: the
// references' "every parameter named weight".
std::vector<int> ntk_default_params(const Net& net);

// Runs the forward over the bound batch B (in the net's batch-norm mode; a train-mode forward updates running
// statistics as any forward does) and writes Θ [B, B] into thetas[0]; with G sample groups (Net::set_sample_groups),
// group g's Θ [B/G, B/G] into thetas[g], frozen coupling only. `params` are J's columns in order; each
// must be a weight, bias or gamma/beta of a conv, linear or batch-norm node, at most once. Parameters of
// branches the forward skipped have zero columns. The net's parameter and input gradients are not touched.
void net_ntk(Net& net, jnas_bn_coupling coupling, const std::vector<int>& params,
             const std::vector<jnas_tensor*>& thetas);

struct Spectrum {
    std::vector<double> eigenvalues;  // ascending; NaN when flags say they could not be computed
    double kappa;                     // eigenvalues.back() / eigenvalues.front(), whatever that gives
    unsigned flags;                   // JNAS_SPECTRUM_* bits
};

// The spectra of symmetric n×n row-major float matrices in `backend`'s memory, of which the upper triangles are
// read: the eigenvalues from Backend::symmetric_eigenvalues (every matrix in one call), κ and flags from them.
std::vector<Spectrum> symmetric_spectra(Backend& backend, int n, const std::vector<const float*>& matrices);

}  // namespace jnas
