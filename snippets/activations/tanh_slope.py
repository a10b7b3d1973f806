"""tanh in its own right: checks tanh(z) = 2 sigma(2z) - 1 and tanh' = 1 - tanh^2 on a grid, finds
the largest slopes of tanh and sigmoid, the mean output for z ~ N(0, 1), and compares the per-layer
gradient factor of deep tanh and sigmoid MLPs with the same weights. CPU, <1 s."""
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


z = np.linspace(-6, 6, 120001)                 # step 1e-4, contains z = 0
# 1. the identity tanh(z) = 2 sigma(2z) - 1
identity_error = float(np.abs(np.tanh(z) - (2 * sigmoid(2 * z) - 1)).max())
# 2. tanh'(z) = 1 - tanh(z)^2, against a central difference
h = 1e-5
dtanh = 1 - np.tanh(z) ** 2
dtanh_fd = (np.tanh(z + h) - np.tanh(z - h)) / (2 * h)
derivative_error = float(np.abs(dtanh - dtanh_fd).max())
dsigmoid = sigmoid(z) * (1 - sigmoid(z))       # sigma'(z) = sigma(z) (1 - sigma(z))
tanh_max_slope = float(dtanh.max())
tanh_argmax = float(z[dtanh.argmax()])
sigmoid_max_slope = float(dsigmoid.max())
slope_ratio = tanh_max_slope / sigmoid_max_slope   # = 4, since tanh'(z) = 4 sigma'(2z)
print(f"max |tanh(z) - (2 sigma(2z) - 1)| on [-6, 6]: {identity_error:.1e}")
print(f"max |(1 - tanh^2) - finite difference|:     {derivative_error:.1e}")
print(f"largest slope: tanh {tanh_max_slope:.4f} at z = {tanh_argmax:.4f}, "
      f"sigmoid {sigmoid_max_slope:.4f}: ratio {slope_ratio:.4f}")

# 3. zero-centered: the mean output for standard normal inputs
rng = np.random.default_rng(0)
zs = rng.standard_normal(1_000_000)
tanh_mean = float(np.tanh(zs).mean())
sigmoid_mean = float(sigmoid(zs).mean())
print(f"mean output for z ~ N(0, 1): tanh {tanh_mean:+.4f}, sigmoid {sigmoid_mean:+.4f}")

# 4. the per-layer gradient factor ||dC/da_{l-1}|| / ||dC/da_l|| in a deep chain of layers,
#    the same weights W_l ~ N(0, 1/n) for both activations; dC/da_{l-1} = W_l^T (f'(z_l) * dC/da_l)
depth, width, batch = 20, 100, 64
Ws = [rng.standard_normal((width, width)) / np.sqrt(width) for _ in range(depth)]
x = rng.standard_normal((batch, width))
g_top = rng.standard_normal((batch, width))     # a random gradient arriving at the last layer
factors, ratios = {}, {}
for name, f, df in [("tanh", np.tanh, lambda a: 1 - a ** 2),
                    ("sigmoid", sigmoid, lambda a: a * (1 - a))]:
    a, acts = x, []
    for W in Ws:
        a = f(a @ W)                            # row convention: z_l = a_{l-1} W_l
        acts.append(a)
    g, norms = g_top, [np.linalg.norm(g_top)]
    for W, a in zip(reversed(Ws), reversed(acts)):
        g = (g * df(a)) @ W.T                   # f'(z_l) from a_l: tanh' = 1 - a^2, sigma' = a (1 - a)
        norms.append(np.linalg.norm(g))
    ratios[name] = norms[-1] / norms[0]                      # what is left after all the layers
    factors[name] = ratios[name] ** (1 / depth)               # geometric-mean factor per layer
    print(f"{name:8s} {depth} layers: gradient norm first/last {ratios[name]:.2e}, "
          f"a factor {factors[name]:.3f} per layer")
tanh_factor = float(factors["tanh"])
sigmoid_factor = float(factors["sigmoid"])
tanh_ratio = float(ratios["tanh"])
sigmoid_ratio = float(ratios["sigmoid"])
tanh_loss_per_layer = 1 - tanh_factor           # the share of the gradient norm lost per tanh layer
