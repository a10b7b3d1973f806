"""The one-neuron-per-layer chain: dC/db1 as a product of factors, checked by finite differences. CPU, <1 s."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(w, b, x):
    # z_l = w_l a_{l-1} + b_l,  a_l = sigma(z_l),  a_0 = x
    zs, a = [], x
    for wl, bl in zip(w, b):
        zs.append(wl * a + bl)
        a = sigmoid(zs[-1])
    return np.array(zs), a


def cost(w, b, x, y):
    return 0.5 * (forward(w, b, x)[1] - y) ** 2          # C = (a_L - y)^2 / 2


def grad_b1_factors(w, b, x, y):
    # dC/db1 = s'(z1) * w2 s'(z2) * w3 s'(z3) * ... * wL s'(zL) * dC/daL
    zs, aL = forward(w, b, x)
    ds = sigmoid(zs) * (1 - sigmoid(zs))                  # sigma'(z) = sigma(z)(1 - sigma(z))
    return [ds[0]] + [f for l in range(1, len(w)) for f in (w[l], ds[l])] + [aL - y]


def grad_b1_numeric(w, b, x, y, h=1e-6):
    e = np.zeros_like(b)
    e[0] = h
    return (cost(w, b + e, x, y) - cost(w, b - e, x, y)) / (2 * h)


rng = np.random.default_rng(1)
layers = 4
w, b = rng.standard_normal(layers), rng.standard_normal(layers)   # w, b ~ N(0, 1)
x, y = 1.0, 0.0
factors = grad_b1_factors(w, b, x, y)
names = ["s'(z1)"] + [n for l in range(2, layers + 1) for n in (f"w{l}", f"s'(z{l})")] + ["dC/da4"]
for n, f in zip(names, factors):
    print(f"{n:8s} {f:+.5f}")

grad_b1 = float(np.prod(factors))
grad_b1_fd = float(grad_b1_numeric(w, b, x, y))
rel_error = abs(grad_b1 - grad_b1_fd) / abs(grad_b1_fd)
print(f"product     dC/db1 = {grad_b1:+.10f}")
print(f"finite diff dC/db1 = {grad_b1_fd:+.10f}   relative error {rel_error:.1e}")

# dC/db4 = s'(z4) * dC/da4 has none of the middle factors; compare over many random chains
trials = 10_000
W, Bs = rng.standard_normal((trials, layers)), rng.standard_normal((trials, layers))
ratios = np.array([abs(np.prod(grad_b1_factors(wi, bi, x, y))) /
                   abs(np.prod(grad_b1_factors(wi, bi, x, y)[-2:])) for wi, bi in zip(W, Bs)])
median_ratio = float(np.median(ratios))
share_below_one = float(np.mean(ratios < 1))
print(f"|dC/db1| / |dC/db4| over {trials} random chains: median {median_ratio:.4f}, "
      f"below 1 in {share_below_one:.1%} of them")
