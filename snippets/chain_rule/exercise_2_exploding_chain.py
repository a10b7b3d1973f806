"""Exercise answer: a four-neuron sigmoid chain with every w_l = 8 and every z_l = 0 has a
gradient dC/db1 that grows by w * sigma'(0) = 2 per layer; biases slightly off break it. CPU, <1 s."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def grad_b1(w, b, x=1.0, y=0.0):
    # dC/db1 = s'(z1) * w2 s'(z2) * ... * wL s'(zL) * (aL - y),  C = (aL - y)^2 / 2
    a, ds = x, []
    for wl, bl in zip(w, b):
        z = wl * a + bl
        a = sigmoid(z)
        ds.append(a * (1 - a))                          # sigma'(z) = a (1 - a)
    return ds[0] * np.prod([w[l] * ds[l] for l in range(1, len(w))]) * (a - y)


def cost(w, b, x=1.0, y=0.0):
    a = x
    for wl, bl in zip(w, b):
        a = sigmoid(wl * a + bl)
    return 0.5 * (a - y) ** 2


def tuned_biases(w, x=1.0):
    # b_l = -w_l a_{l-1} puts every z_l at 0, where sigma' is largest (1/4)
    a, b = x, []
    for wl in w:
        b.append(-wl * a)
        a = sigmoid(0.0)
    return np.array(b)


layers, weight = 4, 8.0
w = np.full(layers, weight)
b = tuned_biases(w)
grad_tuned = float(grad_b1(w, b))
per_layer = weight * 0.25                               # w sigma'(0) = 8 / 4 = 2
h = 1e-6                                                # check the product by finite differences
e = np.zeros(layers)
e[0] = h
grad_fd = float((cost(w, b + e) - cost(w, b - e)) / (2 * h))
print(f"w_l = 8, z_l = 0: dC/db1 = {grad_tuned:.6f} (finite differences {grad_fd:.6f}); "
      f"each middle layer contributes w*sigma'(0) = {per_layer:.1f}")
# with w = 1 and the same z = 0 the same chain would give dC/db1 = (1/4)^4 * 1/2
grad_w1 = float(grad_b1(np.ones(layers), tuned_biases(np.ones(layers))))
print(f"same chain with w_l = 1: dC/db1 = {grad_w1:.6f}  (ratio {grad_tuned / grad_w1:.0f})")

# w sigma'(z) > 1 needs sigma'(z) > 1/8: a(1 - a) = 1/8 gives a = (1 + sqrt(1/2)) / 2
a_edge = (1 + np.sqrt(0.5)) / 2
z_window = float(np.log(a_edge / (1 - a_edge)))         # |z| < z_window: the factor exceeds 1
print(f"8 * sigma'(z) > 1 only for |z| < {z_window:.2f}")

# biases off by random amounts of standard deviation s
rng = np.random.default_rng(0)
print("bias noise s   median |dC/db1|   share of chains with |dC/db1| > the w=1 chain's")
medians = {}
for s in (0.5, 1.0, 2.0, 4.0):
    g = np.array([abs(grad_b1(w, b + s * rng.standard_normal(layers))) for _ in range(2000)])
    medians[s] = float(np.median(g))
    print(f"{s:12.1f}   {medians[s]:15.2e}   {np.mean(g > grad_w1):.0%}")
median_noise_1 = medians[1.0]
median_noise_4 = medians[4.0]
