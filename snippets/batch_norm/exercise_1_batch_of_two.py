"""Exercise answer: batch normalization of a batch of 2 maps every unit's pair of inputs to
-c and +c with c = sqrt(var / (var + eps)), which is almost 1; and in inference mode the same
inputs come out very differently. CPU, <1 s."""
import numpy as np

eps = 1e-3                                            # Keras's default epsilon


def bn_forward(z):
    """Training mode, gamma = 1, beta = 0: (z - batch mean) / sqrt(batch variance + eps)."""
    return (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + eps)


# With B = 2: mean = (z1 + z2)/2, var = ((z1 - z2)/2)^2, so z_hat_1 = (z1 - z2)/2 / sqrt(var + eps)
# = sign(z1 - z2) * sqrt(var / (var + eps)): only the ORDER of the two inputs survives.
rng = np.random.default_rng(0)
z = rng.normal(3.0, 2.0, (2, 5))                      # a batch of 2 pre-activations, 5 units
zhat = bn_forward(z)
print("z     :", np.round(z, 3))
print("z_hat :", np.round(zhat, 4))
c = np.sqrt(z.var(axis=0) / (z.var(axis=0) + eps))
max_deviation = float(np.abs(np.abs(zhat) - c).max())   # |z_hat| = c exactly
opposite = bool(np.allclose(zhat[0], -zhat[1], rtol=0, atol=1e-12))
print(f"|z_hat| - c: at most {max_deviation:.1e};  z_hat_1 = -z_hat_2 in every unit: {opposite}")

# Over many batches: the values are +-c, and c is 1 unless |z1 - z2| is not much above 2 sqrt(eps).
batches = rng.normal(3.0, 2.0, (20_000, 2))
zh = np.array([bn_forward(b[:, None])[:, 0] for b in batches])
share_near_one = float(np.mean(np.abs(np.abs(zh) - 1) < 0.01))
print(f"share of z_hat values within 0.01 of -1 or +1 (20,000 batches): {share_near_one:.1%}")

# A pair 1 apart and a pair 120 apart: |z1 - z2| >> 2 sqrt(eps) ~ 0.063 in both, so both give ~ +-1.
near_pair, far_pair = np.array([[0.0], [1.0]]), np.array([[-50.0], [70.0]])
near_gap, far_gap = float(near_pair[1, 0] - near_pair[0, 0]), float(far_pair[1, 0] - far_pair[0, 0])
same = bn_forward(near_pair), bn_forward(far_pair)
c_near, c_far = float(abs(same[0][0, 0])), float(abs(same[1][0, 0]))
print(f"batch (0, 1) -> {same[0].ravel().round(3)},  batch (-50, 70) -> {same[1].ravel().round(3)}")

# Inference mode: the moving averages accumulated over those batches as Keras does (momentum 0.99,
# biased batch variance), then every value normalized on its own: (z - mu_hat) / sqrt(var_hat + eps).
rho, mu_hat, var_hat = 0.99, 0.0, 1.0
for b in batches:
    mu_hat = rho * mu_hat + (1 - rho) * b.mean()
    var_hat = rho * var_hat + (1 - rho) * b.var()
z_infer = (batches - mu_hat) / np.sqrt(var_hat + eps)
mode_gap = float(np.abs(zh - z_infer).mean())          # same inputs, training vs inference output
print(f"moving mean {mu_hat:.2f}, moving variance {var_hat:.2f} (the inputs: mean 3, variance 4)")
print(f"mean |training-mode output - inference-mode output| over the same values: {mode_gap:.2f}")
