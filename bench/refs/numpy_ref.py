# numpy equivalents of the kernel benches (K2 Gaussian fill, K3 stochastic rounding, K1 Voronoi
# search), timed in CPU time (time.process_time), single-threaded (the caller sets the BLAS thread
# variables to 1). Prints one JSON object; bench/refs.ts runs it when python3 with numpy exists.
import json, sys, time
import numpy as np

quick = "quick" in sys.argv[1:]
def best_rate(fn, items, reps):
    fn()
    ts = []
    for _ in range(reps):
        t = time.process_time(); fn(); ts.append(time.process_time() - t)
    ts.sort()
    return items / max(ts[len(ts) // 2], 1e-9)

rng = np.random.default_rng(1)
n = 1 << (18 if quick else 22)
reps = 3 if quick else 9
out = {}
# K2: what a numpy user calls for float32 normals
out["normalF32"] = best_rate(lambda: rng.standard_normal(n, dtype=np.float32), n, reps)
# K3: QSGD stochastic rounding, s = 4, scale 0.25 (levels as int8), bytes of f32 input per second
x = rng.standard_normal(n, dtype=np.float32)
def rounding():
    a = np.abs(x) * np.float32(0.25)
    l = np.floor(a)
    u = rng.random(n, dtype=np.float32)
    lev = np.minimum(l + (u < a - l), 4).astype(np.int8)
    return np.where(x < 0, -lev, lev)
out["roundingBytes"] = best_rate(rounding, 4 * n, reps)
# K1: nearest codeword, d = 16, M = 8192, by chunks of 256 buckets (scores = X·Cᵀ − ‖c‖²/2)
d, M, nb = 16, 8192, (512 if quick else 4096)
C = rng.standard_normal((M, d), dtype=np.float32)
bias = -0.5 * np.einsum("ij,ij->i", C, C)
X = rng.standard_normal((nb, d), dtype=np.float32)
def search():
    idx = np.empty(nb, dtype=np.int64)
    for i in range(0, nb, 256):
        idx[i:i + 256] = np.argmax(X[i:i + 256] @ C.T + bias, axis=1)
    return idx
out["searchFlops"] = best_rate(search, 2 * d * M * nb, 3 if quick else 5)
out["numpy"] = np.__version__
print(json.dumps(out))
