"""The deep-sigmoid gradient figure: the norm of dC/dW of every layer of the 10-hidden-layer
sigmoid net, without and with batch normalization, at initialization, after the first epoch and
after the last (C = mean cross-entropy on the first 1,000 training images, training mode);
line: geometric mean over the seeds, band: their range.  Also the ratios the page quotes (the
shrink per hidden layer, the spread between layers with BN at any evaluation).
Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "bn_deep_sigmoid.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

res = record["results"]
TITLE = {"plain": "without BN", "bn": "with BN"}


def norms(config):
    """||dC/dW_l|| [seeds, evaluations, layers] (evaluation 0 = initialization)."""
    return np.array([r["curves"]["grad_norm_w"] for r in res[config]["per_seed"]], float)


steps = res["plain"]["per_seed"][0]["curves"]["step"]
per_epoch = record["settings"]["steps_per_epoch"]
epoch1 = int(np.argmin(np.abs(np.asarray(steps) - per_epoch)))      # the evaluation at epoch 1
WHEN = [(0, "initialization", "#7f7f7f"), (epoch1, "after epoch 1", "#1f77b4"),
        (len(steps) - 1, f"after epoch {record['settings']['epochs']}", "#d62728")]

fig, axes = plt.subplots(1, 2, figsize=(8, 3.6), sharey=True)
for ax, config in zip(axes, ("plain", "bn")):
    g = norms(config)
    layers = np.arange(1, g.shape[2] + 1)
    for i, label, color in WHEN:
        v = g[:, i, :]
        ax.plot(layers, np.exp(np.log(v).mean(axis=0)), marker="o", ms=3, color=color, label=label)
        ax.fill_between(layers, v.min(axis=0), v.max(axis=0), color=color, alpha=0.2, lw=0)
    ax.set_yscale("log")
    ax.set_xticks(layers)
    ax.set_xlabel("layer l (11 = output)")
    ax.set_title(TITLE[config], fontsize=10)
    ax.grid(True, alpha=0.3)
axes[0].set_ylabel(r"$\|\partial C/\partial W_l\|$")
axes[1].legend(fontsize=8)
fig.tight_layout()
plt.show()


def ratio(config, i, hi, lo):
    """Per seed: ||dC/dW_hi|| / ||dC/dW_lo|| at evaluation i (layers counted from 1)."""
    g = norms(config)[:, i, :]
    return g[:, hi - 1] / g[:, lo - 1]


# Numbers the page quotes: the output layer against the first hidden layer, over the seeds.
n_layers = int(norms("plain").shape[2])
plain_init_ratio_min = float(ratio("plain", 0, n_layers, 1).min())
plain_init_ratio_max = float(ratio("plain", 0, n_layers, 1).max())
plain_final_ratio_min = float(ratio("plain", -1, n_layers, 1).min())
plain_final_ratio_max = float(ratio("plain", -1, n_layers, 1).max())
# Factor per HIDDEN layer at initialization: geometric mean of ||dC/dW_(l+1)|| / ||dC/dW_l||
# over layers 2..11 (the step from layer 1 to 2 differs: layer 1's input is the pixels, not sigmoids).
hidden_steps = np.exp(np.log(ratio("plain", 0, n_layers, 2)) / (n_layers - 2))     # per seed
plain_init_step = float(np.exp(np.log(hidden_steps).mean()))     # geometric mean over the seeds
plain_init_step_min = float(hidden_steps.min())
plain_init_step_max = float(hidden_steps.max())
plain_first_step = float(np.exp(np.log(ratio("plain", 0, 2, 1)).mean()))           # layer 1 -> 2
# Derived, not measured: with weights N(0, 1/n_in) the backward pass keeps the size of the
# gradient, so each hidden layer multiplies it by about sigma'(z); a shrink of plain_init_step
# per layer then means sigma' ~ 1 / plain_init_step, near its maximum 1/4 (inputs near 0).
implied_slope = 1.0 / plain_init_step
bn_init_ratio_max = float(ratio("bn", 0, n_layers, 1).max())
bn_final_ratio_max = float(ratio("bn", -1, n_layers, 1).max())
bn_init_ratio_min = float(ratio("bn", 0, n_layers, 1).min())
bn_final_ratio_min = float(ratio("bn", -1, n_layers, 1).min())
# the plain net's first and output layers: how much their gradients shrink from initialization to the end
plain_first_drop_min = float((norms("plain")[:, 0, 0] / norms("plain")[:, -1, 0]).min())
plain_first_drop_max = float((norms("plain")[:, 0, 0] / norms("plain")[:, -1, 0]).max())
plain_out_drop_min = float((norms("plain")[:, 0, -1] / norms("plain")[:, -1, -1]).min())
plain_out_drop_max = float((norms("plain")[:, 0, -1] / norms("plain")[:, -1, -1]).max())
# with BN: the largest ratio between any two layers' gradient norms, over the seeds
bn_init_spread_max = float((norms("bn")[:, 0, :].max(axis=1) / norms("bn")[:, 0, :].min(axis=1)).max())
bn_final_spread_max = float((norms("bn")[:, -1, :].max(axis=1) / norms("bn")[:, -1, :].min(axis=1)).max())
# ... and at any evaluation (initialization, during training, end)
bn_spread = norms("bn").max(axis=2) / norms("bn").min(axis=2)                # [seeds, evaluations]
bn_any_spread_max = float(bn_spread.max())
bn_any_spread_step = int(steps[int(np.unravel_index(bn_spread.argmax(), bn_spread.shape)[1])])
# without BN: the training loss at the end, against ln 10 (a net that gives every digit 1/10)
plain_final_loss_max = float(max(res["plain"]["final_train_loss"]["values"]))
ln_10 = float(np.log(10))
print(f"||dC/dW_out|| / ||dC/dW_1||, over {norms('plain').shape[0]} seeds:")
print(f"  without BN: initialization {plain_init_ratio_min:.3g}-{plain_init_ratio_max:.3g}, "
      f"end {plain_final_ratio_min:.3g}-{plain_final_ratio_max:.3g}; "
      f"per hidden layer at initialization {plain_init_step:.2f} "
      f"({plain_init_step_min:.2f}-{plain_init_step_max:.2f}), layer 1 -> 2 {plain_first_step:.2f}")
print(f"  with BN:    initialization {bn_init_ratio_min:.3g}-{bn_init_ratio_max:.3g}, "
      f"end {bn_final_ratio_min:.3g}-{bn_final_ratio_max:.3g}")
print(f"  with BN: largest ratio between two layers' norms at any evaluation {bn_any_spread_max:.2f} "
      f"(step {bn_any_spread_step})")
print(f"  without BN: final training loss at most {plain_final_loss_max:.4f}, ln 10 = {ln_10:.4f}")
