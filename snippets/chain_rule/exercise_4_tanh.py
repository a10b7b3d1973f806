"""Exercise answer: tanh added to the per-layer gradient norms of layer_norms.py (10 hidden
layers of 100 units, W ~ N(0, 1/n_in) for sigmoid and tanh, He for ReLU). CPU, ~1 s."""
import numpy as np

ACTIVATIONS = {
    # name: (f, f' from z and a = f(z), std of the initial weights given n_in); biases start at 0
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a), lambda n: np.sqrt(1 / n)),
    "tanh": (np.tanh, lambda z, a: 1 - a ** 2, lambda n: np.sqrt(1 / n)),          # tanh' = 1 - tanh^2
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0) * 1.0, lambda n: np.sqrt(2 / n)),
}
depth, width, batch, n_out = 10, 100, 256, 10


def bias_grad_norms(activation, seed=0):
    """||dC/db_l|| for l = 1..depth, C = 1/(2n) sum ||W_out a_L - y||^2 (as in layer_norms.py)."""
    f, df, std = ACTIVATIONS[activation]
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((width, width)) * std(width) for _ in range(depth)]
    W_out = rng.standard_normal((width, n_out)) * np.sqrt(1 / width)
    x = rng.standard_normal((batch, width))
    y = np.eye(n_out)[rng.integers(0, n_out, batch)]
    a, zs, acts = x, [], []
    for W in Ws:
        zs.append(a @ W)
        a = f(zs[-1])
        acts.append(a)
    delta = (a @ W_out - y) / batch @ W_out.T
    norms, slopes, slopes_sq = [], [], []
    for l in reversed(range(depth)):
        d = df(zs[l], acts[l])
        slopes.append(d.mean())                         # mean local slope f'(z_l) of the layer
        slopes_sq.append((d ** 2).mean())               # E[f'(z_l)^2]: what the variance sees
        dz = delta * d
        norms.append(np.linalg.norm(dz.sum(axis=0)))
        delta = dz @ Ws[l].T
    return np.array(norms[::-1]), np.array(slopes[::-1]), np.array(slopes_sq[::-1])


# Going back one layer multiplies the gradient's variance by n * Var[w] * E[f'(z)^2] (n = width):
# not the mean slope but its square counts, and He's Var[w] = 2/n doubles ReLU's.
print("activation   first/last ||dC/db||   factor per layer   mean f'(z)   sqrt(n Var[w] E[f'^2])")
factor, slope, variance_factor = {}, {}, {}
for name in ACTIVATIONS:
    norms, slopes, slopes_sq = bias_grad_norms(name)
    factor[name] = float((norms[0] / norms[-1]) ** (1 / (depth - 1)))
    slope[name] = float(slopes.mean())
    n_var_w = width * ACTIVATIONS[name][2](width) ** 2            # n * Var[w]: 1, or 2 for He
    variance_factor[name] = float(np.sqrt(n_var_w * slopes_sq.mean()))
    print(f"{name:10s}   {norms[0] / norms[-1]:20.3g}   {factor[name]:16.3f}   {slope[name]:10.3f}"
          f"   {variance_factor[name]:.3f}")
factor_sigmoid, factor_tanh, factor_relu = factor["sigmoid"], factor["tanh"], factor["relu"]
slope_sigmoid, slope_tanh, slope_relu = slope["sigmoid"], slope["tanh"], slope["relu"]
vf_sigmoid, vf_tanh, vf_relu = variance_factor["sigmoid"], variance_factor["tanh"], variance_factor["relu"]
tanh_like_relu = bool(abs(np.log(factor_tanh / factor_relu)) < abs(np.log(factor_tanh / factor_sigmoid)))
print(f"tanh's factor is closer to ReLU's than to sigmoid's: {tanh_like_relu}")
