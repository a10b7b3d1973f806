"""||dC/db_l|| of every hidden layer l of the four-layer nets after every epoch (C = mean
cross-entropy on the first 1,000 training images), log axis: the sigmoid seeds that left the
chance-level plateau, the sigmoid seeds that did not (if any), and the ReLU seeds; lines are
the geometric mean over those seeds, bands their range.  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "depth_table.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

res = record["results"]
panels = []
for act, title in (("sigmoid", "sigmoid"), ("relu", "ReLU")):
    runs = res[act]["h4"]["per_seed"]
    stuck = [r["metrics"]["best_val_acc"] < 0.2 for r in runs]          # never left chance level
    for flag, what in ((False, "trained"), (True, "stuck at chance")):
        group = [r for r, s in zip(runs, stuck) if s == flag]
        if group:
            label = f"{title}: {len(group)} {what}" if any(stuck) else f"{title}: {len(group)} seeds"
            panels.append((label, np.array([r["curves"]["grad_norm_b"] for r in group])))  # [seeds, E+1, 4]

fig, axes = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 3.6), sharey=True, squeeze=False)
for ax, (label, g) in zip(axes[0], panels):
    x = np.arange(g.shape[1])
    for l in range(g.shape[2]):
        ax.plot(x, np.exp(np.log(g[:, :, l]).mean(axis=0)), color=f"C{l}", label=f"hidden layer {l + 1}")
        ax.fill_between(x, g[:, :, l].min(axis=0), g[:, :, l].max(axis=0), color=f"C{l}", alpha=0.2, lw=0)
    ax.set_yscale("log")
    ax.set_title(label, fontsize=10)
    ax.set_xlabel("epoch")
    ax.grid(True, alpha=0.3)
axes[0][0].set_ylabel("‖∂C/∂b‖")
axes[0][0].legend(fontsize=8)
fig.tight_layout()
plt.show()
