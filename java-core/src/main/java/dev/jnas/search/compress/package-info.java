/**
 * BayesNAS's structured compression (issue 6): {@link dev.jnas.search.compress.Compression} puts one switch on every
 * conv filter and hidden neuron of a {@link dev.jnas.search.compress.CompressibleModel} (LeNet-5, a small VGG),
 * trains weights and switches with the re-weighted lasso, updates each switch's ARD prior from the engine's diagonal
 * Hessian ({@link dev.jnas.search.compress.UnitSwitches}, reusing the search's ArdUpdate, GroupLasso, SwitchSgd and
 * EntropyRule), prunes by the entropy rule and rebuilds a physically smaller network
 * ({@link dev.jnas.search.compress.NetworkSurgery}), whose cost {@link dev.jnas.search.compress.ModelNet} counts.
 */
package dev.jnas.search.compress;
