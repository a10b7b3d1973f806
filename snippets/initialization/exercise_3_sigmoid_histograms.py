"""Exercise answer: the 10-layer net of histograms.py with sigmoid, under Xavier initialization
and under 16 times the Xavier variance, next to tanh with Xavier: spread of the activations
and of the back-propagated gradients, layer by layer. CPU, ~3 s."""
import numpy as np

LAYERS, WIDTH, N = 10, 500, 1000                      # as in histograms.py
XAVIER = np.sqrt(2.0 / (WIDTH + WIDTH))               # std of N(0, 2/(n_in + n_out))
SETUPS = {                                            # name: (f, f'(z, a), std of the weights)
    "tanh, Xavier": (np.tanh, lambda z, a: 1 - a ** 2, XAVIER),
    "sigmoid, Xavier": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a), XAVIER),
    "sigmoid, 16x Xavier var": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a), 4 * XAVIER),
}

runs = {}
for name, (f, df, std) in SETUPS.items():
    rng = np.random.default_rng(0)                    # same draws for every set-up
    x = rng.standard_normal((N, WIDTH))
    Ws = [rng.standard_normal((WIDTH, WIDTH)) * std for _ in range(LAYERS)]
    a, zs, acts = x, [], []
    for W in Ws:                                      # a_l = f(a_{l-1} W_l), biases 0
        zs.append(a @ W)
        a = f(zs[-1])
        acts.append(a)
    g = rng.standard_normal((N, WIDTH))              # dL/da_L
    grads = [None] * LAYERS
    for l in range(LAYERS - 1, -1, -1):               # dL/da_{l-1} = (dL/da_l * f'(z_l)) W_l^T
        grads[l] = g
        g = (g * df(zs[l], acts[l])) @ Ws[l].T
    runs[name] = (acts, grads)

print(f"std of the activations a_l, layers 1..{LAYERS}")
for name, (acts, grads) in runs.items():
    print(f"  {name:24s} " + " ".join(f"{a.std():7.3f}" for a in acts))
print(f"std of the back-propagated gradients dL/da_l, layers 1..{LAYERS}")
for name, (acts, grads) in runs.items():
    print(f"  {name:24s} " + " ".join(f"{g.std():7.1e}" for g in grads))


def grad_ratio(name):                                 # layer 1 / layer 10
    grads = runs[name][1]
    return float(grads[0].std() / grads[-1].std())


def saturated(name):                                  # share of sigmoid outputs below 0.01 or above 0.99
    acts = runs[name][0]
    return float(np.mean([np.mean((a < 0.01) | (a > 0.99)) for a in acts]))


grad_ratio_tanh = grad_ratio("tanh, Xavier")
grad_ratio_xavier = grad_ratio("sigmoid, Xavier")
grad_ratio_16x = grad_ratio("sigmoid, 16x Xavier var")
act_std_xavier = float(runs["sigmoid, Xavier"][0][-1].std())
act_std_16x = float(runs["sigmoid, 16x Xavier var"][0][-1].std())
act_std_tanh = float(runs["tanh, Xavier"][0][-1].std())
saturated_16x = saturated("sigmoid, 16x Xavier var")
# sigmoid lives in (0, 1), tanh in (-1, 1): 2 sigma(z) - 1 = tanh(z/2), so the comparable spread is 2 std
act_spread_xavier, act_spread_16x = 2 * act_std_xavier, 2 * act_std_16x
print(f"last layer's spread on tanh's scale (2 std for sigmoid): sigmoid Xavier {act_spread_xavier:.3f}, "
      f"sigmoid 16x {act_spread_16x:.3f}, tanh Xavier {act_std_tanh:.3f}")
closer_16x_activations = bool(abs(np.log(act_spread_16x / act_std_tanh)) < abs(np.log(act_spread_xavier / act_std_tanh)))
print(f"16x Xavier is closer to tanh + Xavier (activation spread): {closer_16x_activations}")
print(f"gradient std, layer 1 / layer 10: tanh Xavier {grad_ratio_tanh:.3g}, sigmoid Xavier "
      f"{grad_ratio_xavier:.3g}, sigmoid 16x {grad_ratio_16x:.3g}")
print(f"sigmoid 16x: share of outputs below 0.01 or above 0.99: {saturated_16x:.1%}")
closer_16x = bool(abs(np.log(grad_ratio_16x / grad_ratio_tanh)) < abs(np.log(grad_ratio_xavier / grad_ratio_tanh)))
print(f"16x Xavier is closer to tanh + Xavier (gradient ratio on a log scale): {closer_16x}")
