"""Activations and back-propagated gradients, layer by layer, in a 10-layer net at init. CPU, ~8 s.

A net of 10 hidden layers of 500 units (no training) receives 1,000 inputs drawn
from N(0, 1); weights come from N(0, 1), N(0, 0.01^2), Xavier (Glorot) N(0, 2/(n_in + n_out)) or He
N(0, 2/n_in), biases are 0, the activation is tanh or ReLU.  Forward: the distribution of
each layer's activations.  Backward: a random gradient N(0, 1) is placed on the last layer's
output and back-propagated; we look at dL/da of each layer.  Prints the standard deviation
per layer and draws, for each of the 8 set-ups, one histogram per layer (activations, then
gradients), as in the cs231n notes and Glorot & Bengio (2010).
"""
import matplotlib.pyplot as plt
import numpy as np

LAYERS, WIDTH, N = 10, 500, 1000
INITS = {
    "N(0,1)": lambda n_in, n_out: 1.0,
    "N(0,0.01²)": lambda n_in, n_out: 0.01,
    "Xavier": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),
    "He": lambda n_in, n_out: np.sqrt(2.0 / n_in),
}
ACTS = {"tanh": (np.tanh, lambda z, a: 1 - a ** 2),
        "ReLU": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0) * 1.0)}

runs = {}
for act_name, (f, df) in ACTS.items():
    for init_name, std in INITS.items():
        rng = np.random.default_rng(0)                  # same draws for every set-up
        x = rng.standard_normal((N, WIDTH))
        Ws = [rng.standard_normal((WIDTH, WIDTH)) * std(WIDTH, WIDTH) for _ in range(LAYERS)]
        a, zs, acts = x, [], []
        for W in Ws:                                    # forward: a_l = f(a_{l-1} W_l)
            z = a @ W
            a = f(z)
            zs.append(z)
            acts.append(a)
        g = rng.standard_normal((N, WIDTH))            # dL/da_L
        grads = [None] * LAYERS
        for l in range(LAYERS - 1, -1, -1):             # backward: dL/da_{l-1} = (dL/da_l * f'(z_l)) W_l^T
            grads[l] = g
            g = (g * df(zs[l], acts[l])) @ Ws[l].T
        runs[(act_name, init_name)] = (acts, grads)

print(f"std of the activations a_l, layers 1..{LAYERS}")
for (act_name, init_name), (acts, grads) in runs.items():
    print(f"  {act_name:5s} {init_name:11s} " + " ".join(f"{a.std():8.1e}" for a in acts))
print(f"std of the back-propagated gradients dL/da_l, layers 1..{LAYERS}")
for (act_name, init_name), (acts, grads) in runs.items():
    print(f"  {act_name:5s} {init_name:11s} " + " ".join(f"{g.std():8.1e}" for g in grads))


def std_ratio(act, init, which):
    acts, grads = runs[(act, init)]
    seq = acts if which == "act" else grads
    return float(seq[-1].std() / seq[0].std())


# Values the page cites: last layer / first layer
tanh_small_act_ratio = std_ratio("tanh", "N(0,0.01²)", "act")
tanh_glorot_act_ratio = std_ratio("tanh", "Xavier", "act")
relu_he_act_ratio = std_ratio("ReLU", "He", "act")
relu_glorot_act_ratio = std_ratio("ReLU", "Xavier", "act")
relu_big_act_ratio = std_ratio("ReLU", "N(0,1)", "act")
tanh_big_saturated = float(np.mean(np.abs(runs[("tanh", "N(0,1)")][0][-1]) > 0.99))
relu_he_grad_ratio = float(runs[("ReLU", "He")][1][0].std() / runs[("ReLU", "He")][1][-1].std())
tanh_big_grad_ratio = float(runs[("tanh", "N(0,1)")][1][0].std() / runs[("tanh", "N(0,1)")][1][-1].std())
relu_glorot_grad_ratio = float(runs[("ReLU", "Xavier")][1][0].std() / runs[("ReLU", "Xavier")][1][-1].std())
print(f"tanh, N(0,1): {tanh_big_saturated:.1%} of the last layer's outputs have |a| > 0.99")


def histogram_figure(which):
    fig, axes = plt.subplots(len(runs), LAYERS, figsize=(14, 11), sharey="row")
    for r, ((act_name, init_name), (acts, grads)) in enumerate(runs.items()):
        seq = acts if which == "activations" else grads
        lim = max(float(np.percentile(np.abs(v), 99.5)) for v in seq) or 1.0
        lo = 0.0 if (which == "activations" and act_name == "ReLU") else -lim
        for l, v in enumerate(seq):
            ax = axes[r, l]
            v = v.ravel()
            if lo == 0.0:                     # ReLU outputs: half are exactly 0, show the rest
                v = v[v > 0]
            counts, edges = np.histogram(v, bins=40, range=(lo, lim))
            ax.stairs(counts / max(v.size, 1), edges, fill=True, color=f"C{r % 4}", alpha=0.8)
            ax.set_xlim(lo, lim)
            ticks = [lo, lim] if lo == 0 else [-lim, lim]
            ax.set_xticks(ticks, [f"{t:.2g}" for t in ticks])
            ax.tick_params(labelsize=6)
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"layer {l + 1}", fontsize=8)
        axes[r, 0].set_ylabel(f"{act_name}\n{init_name}", fontsize=8)
    note = "; ReLU rows: positive values only" if which == "activations" else ""
    fig.suptitle(f"{which} per layer (x-range: 99.5th percentile of |value| over the row{note})", fontsize=10)
    fig.tight_layout()
    return fig


histogram_figure("activations")
histogram_figure("gradients dL/da")

fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
for (act_name, init_name), (acts, grads) in runs.items():
    style = "-" if act_name == "ReLU" else "--"
    c = f"C{list(INITS).index(init_name)}"
    axes[0].plot(range(1, LAYERS + 1), [a.std() for a in acts], style, marker="o", ms=3, color=c,
                 label=f"{act_name}, {init_name}")
    axes[1].plot(range(1, LAYERS + 1), [g.std() for g in grads], style, marker="o", ms=3, color=c)
for ax, title in zip(axes, ("std of activations a_l", "std of gradients dL/da_l")):
    ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_title(title, fontsize=10)
    ax.grid(True, alpha=0.3)
axes[0].legend(fontsize=7, ncol=2)
fig.tight_layout()
plt.show()
