"""Per-layer gradient norms at initialization: a 10-layer sigmoid net vs a ReLU net. CPU, ~1 s."""
import numpy as np
import matplotlib.pyplot as plt

ACTIVATIONS = {
    # name: (f, f' from z and a = f(z), std of the initial weights given n_in); all biases start at 0
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)),
                lambda z, a: a * (1 - a),                      # sigma'(z) = a (1 - a)
                lambda n_in: np.sqrt(1 / n_in)),               # W ~ N(0, 1/n_in)
    "relu": (lambda z: np.maximum(z, 0),
             lambda z, a: (z > 0).astype(float),               # relu'(z) = 1 if z > 0 else 0
             lambda n_in: np.sqrt(2 / n_in)),                  # He: W ~ N(0, 2/n_in)
}
depth, width, batch, n_out = 10, 100, 256, 10             # hidden layers, units per layer, inputs, outputs


def bias_grad_norms(activation, seed=0, depth=depth, width=width, batch=batch, n_out=n_out, gain=1.0):
    """||dC/db_l|| for hidden layers l = 1..depth, for C = 1/(2n) sum ||W_out a_L - y||^2;
    gain multiplies the standard deviation of the hidden weights."""
    f, df, std = ACTIVATIONS[activation]
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((width, width)) * gain * std(width) for _ in range(depth)]
    W_out = rng.standard_normal((width, n_out)) * np.sqrt(1 / width)
    x = rng.standard_normal((batch, width))
    y = np.eye(n_out)[rng.integers(0, n_out, batch)]          # random one-hot targets
    a, zs, acts = x, [], []
    for W in Ws:                                              # biases start at 0, so z = a W
        zs.append(a @ W)
        a = f(zs[-1])
        acts.append(a)
    delta = (a @ W_out - y) / batch @ W_out.T                 # dC/da_L
    norms = []
    for l in reversed(range(depth)):
        dz = delta * df(zs[l], acts[l])                       # dC/dz_l = dC/da_l * f'(z_l)
        norms.append(np.linalg.norm(dz.sum(axis=0)))          # dC/db_l = sum over the batch
        delta = dz @ Ws[l].T                                  # dC/da_{l-1} = dC/dz_l W_l^T
    return np.array(norms[::-1])


norms = {name: bias_grad_norms(name) for name in ACTIVATIONS}
print("layer  ||dC/db|| sigmoid   ||dC/db|| relu")
for l, (s, r) in enumerate(zip(norms["sigmoid"], norms["relu"]), start=1):
    print(f"{l:5d}  {s:16.3e}  {r:14.3e}")
ratio_sigmoid = float(norms["sigmoid"][0] / norms["sigmoid"][-1])
ratio_relu = float(norms["relu"][0] / norms["relu"][-1])
sigmoid_per_layer = ratio_sigmoid ** (1 / (len(norms["sigmoid"]) - 1))   # geometric-mean factor
print(f"first / last layer: sigmoid {ratio_sigmoid:.2e}, relu {ratio_relu:.2f}")
print(f"sigmoid: the norm shrinks by a factor {sigmoid_per_layer:.3f} per layer on average")
# the same sigmoid net with weights four times as large, W ~ N(0, 16/n_in)
big = bias_grad_norms("sigmoid", gain=4.0)
sigmoid_x4_per_layer = float((big[0] / big[-1]) ** (1 / (len(big) - 1)))
print(f"sigmoid, W ~ N(0, 16/n_in): a factor {sigmoid_x4_per_layer:.3f} per layer")

fig, ax = plt.subplots(figsize=(6.5, 4))
layers = np.arange(1, len(norms["sigmoid"]) + 1)
ax.semilogy(layers, norms["sigmoid"], "o-", label=r"sigmoid, $W \sim N(0, 1/n_{in})$")
ax.semilogy(layers, norms["relu"], "s-", label=r"ReLU, $W \sim N(0, 2/n_{in})$ (He)")
ax.set_xlabel("hidden layer l (1 = next to the input)")
ax.set_ylabel(r"$\|\partial C / \partial b_l\|$")
ax.set_xticks(layers)
ax.grid(alpha=0.3, which="both")
ax.legend()
plt.show()
