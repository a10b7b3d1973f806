"""Exercise answer: with batch normalization, sum_i dC/dz_i = 0 for any upstream gradient, and a
bias added before BN changes nothing: its gradient is that sum, 0, and the forward outputs are the
same. CPU, <1 s."""
import numpy as np


def bn_forward(z, gamma, beta, eps=1e-3):
    mu, var = z.mean(axis=0), z.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    zhat = (z - mu) * inv
    return gamma * zhat + beta, (zhat, inv, gamma)


def bn_backward(dy, cache):
    # dz = inv * (g - mean(g) - zhat * mean(g * zhat)),  g = gamma * dy  (as in bn_numpy.py)
    zhat, inv, gamma = cache
    g = dy * gamma
    return inv * (g - g.mean(axis=0) - zhat * (g * zhat).mean(axis=0))


# Summing dz over the batch: sum(g - mean(g)) = 0 and sum(zhat) = 0, so sum_i dz_i = 0 exactly.
rng = np.random.default_rng(0)
B, units = 32, 5
worst_sum, worst_scale = 0.0, 0.0
for trial in range(1000):
    z = rng.normal(rng.normal(0, 5), rng.uniform(0.1, 10), (B, units))
    gamma, beta = rng.normal(1, 0.5, units), rng.normal(0, 1, units)
    y, cache = bn_forward(z, gamma, beta)
    dy = rng.standard_normal((B, units)) * rng.uniform(0.1, 100)     # any upstream gradient
    dz = bn_backward(dy, cache)
    worst_sum = max(worst_sum, float(np.abs(dz.sum(axis=0)).max()))
    worst_scale = max(worst_scale, float(np.abs(dz).max()))
print(f"1000 random batches and upstream gradients: max |sum_i dC/dz_i| = {worst_sum:.1e} "
      f"(while |dC/dz_i| reaches {worst_scale:.1f})")
max_abs_sum = worst_sum

# z = x W + b: dC/db = sum_i dC/dz_i = 0, so gradient descent never moves b; and the forward
# pass subtracts the batch mean, which removes any b.  Check the forward pass:
x = rng.standard_normal((B, 8))
W = rng.standard_normal((8, units))
b = rng.normal(0, 3, units)
gamma, beta = np.ones(units), np.zeros(units)
y_with, _ = bn_forward(x @ W + b, gamma, beta)
y_without, _ = bn_forward(x @ W, gamma, beta)
bias_effect = float(np.abs(y_with - y_without).max())
print(f"bias b ~ N(0, 9) before BN: max |y(xW + b) - y(xW)| = {bias_effect:.1e}")
