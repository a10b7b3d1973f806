"""Exercise answer: the ReLU net of layer_norms.py with weight standard deviations sqrt(1/n_in),
sqrt(2/n_in) (He) and sqrt(4/n_in): the per-layer factor of the gradient norm, predicted and
measured. CPU, ~1 s."""
import numpy as np

depth, width, batch, n_out = 10, 100, 256, 10          # as in layer_norms.py


def bias_grad_norms(weight_var, seed=0):
    """||dC/db_l|| of a ReLU net with W ~ N(0, weight_var / n_in), C = 1/(2n) sum ||W_out a_L - y||^2."""
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((width, width)) * np.sqrt(weight_var / width) for _ in range(depth)]
    W_out = rng.standard_normal((width, n_out)) * np.sqrt(1 / width)
    x = rng.standard_normal((batch, width))
    y = np.eye(n_out)[rng.integers(0, n_out, batch)]
    a, zs = x, []
    for W in Ws:
        zs.append(a @ W)
        a = np.maximum(zs[-1], 0)
    delta = (a @ W_out - y) / batch @ W_out.T           # dC/da_L
    norms, rms = [], []
    for l in reversed(range(depth)):
        dz = delta * (zs[l] > 0)                        # relu'(z) = 1 if z > 0 else 0
        norms.append(np.linalg.norm(dz.sum(axis=0)))    # dC/db_l: summed over the batch
        rms.append(np.sqrt(np.mean(dz ** 2)))           # dC/dz_l: size of one example's gradient
        delta = dz @ Ws[l].T                            # dC/da_{l-1} = dC/dz_l W_l^T
    return np.array(norms[::-1]), np.array(rms[::-1])


# Going back one layer sums over the next layer's units (fan-out n_out) and keeps the units with
# z > 0: the gradient's variance is multiplied by n_out * Var[w] * P(z > 0)
# = n_out * (c / n_in) * 1/2 = c / 2 here (all widths equal, n_out = n_in), so its norm by sqrt(c / 2).
# Factors per layer going back (layer l+1 -> l), geometric means over the 9 steps.
print("n_in*Var[w]  predicted  measured: per-example dC/dz  ||dC/db||  first/last ||dC/db||")
predicted, per_example, bias_norm, first_last = {}, {}, {}, {}
for c in (1.0, 2.0, 4.0):
    norms, rms = bias_grad_norms(c)
    predicted[c] = float(np.sqrt(c / 2))
    per_example[c] = float((rms[0] / rms[-1]) ** (1 / (depth - 1)))
    bias_norm[c] = float((norms[0] / norms[-1]) ** (1 / (depth - 1)))
    first_last[c] = float(norms[0] / norms[-1])
    print(f"{c:11.0f}  {predicted[c]:9.3f}  {per_example[c]:27.3f}  {bias_norm[c]:9.3f}  {norms[0] / norms[-1]:18.3g}")
predicted_1, predicted_4 = predicted[1.0], predicted[4.0]
rms_factor_1, rms_factor_2, rms_factor_4 = per_example[1.0], per_example[2.0], per_example[4.0]
norm_factor_1, norm_factor_2, norm_factor_4 = bias_norm[1.0], bias_norm[2.0], bias_norm[4.0]
# how far apart a variance off by a factor of two puts first/last ||dC/db|| after ten layers
apart_1_2 = first_last[2.0] / first_last[1.0]
apart_4_2 = first_last[4.0] / first_last[2.0]
