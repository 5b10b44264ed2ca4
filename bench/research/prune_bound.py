# Issue #9 item 6 (research): how much could an EXACT norm-bound pruned Voronoi search skip?
# With score_j = <x, c_j> - |c_j|^2 / 2 (the search's argmax, assembly/voronoi.ts) and
# Cauchy-Schwarz, score_j <= U_j = |x| |c_j| - |c_j|^2 / 2. Visiting codewords in decreasing U_j
# and stopping once U_j <= the best score found, a search must visit at least every codeword with
# U_j above the optimum: that fraction is a lower bound on the work of any such pruned search.
# Gaussian codebook N(0, I_16), M = 8192 (DoStoVoQ's default), buckets N(0, s^2 I_16).
# Run: python3 bench/research/prune_bound.py
import numpy as np

rng = np.random.default_rng(1)
M, d, nb = 8192, 16, 2000
for xs in [0.5, 1.0, 2.0]:
    C = rng.standard_normal((M, d)).astype(np.float32)
    X = (xs * rng.standard_normal((nb, d))).astype(np.float32)
    cn = np.linalg.norm(C, axis=1)
    h = cn**2 / 2
    best = (X @ C.T - h).max(axis=1)
    U = np.linalg.norm(X, axis=1)[:, None] * cn[None, :] - h[None, :]
    print(f"bucket scale {xs}: at least {(U > best[:, None]).mean():.3f} of the codewords must be visited")
