"""The dead-ReLU figure: share of hidden units never positive on the training set (left) and
final validation accuracy (right) versus the learning rate, for ReLU, ReLU with hidden biases
0.01 and leaky ReLU.  Every seed is a dot and the line joins the means; seeds whose loss
became NaN/inf are left out (the table counts them), and at the highest rates the seeds split
into groups, so a mean ± std band would mislead.  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "dead_relu.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

res = record["results"]
lrs = np.asarray(record["settings"]["learning_rates"], float)
LABELS = {"relu": "ReLU", "relu_bias": "ReLU, bias 0.01", "leaky": "leaky ReLU 0.01 (never positive)"}

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
for i, (variant, label) in enumerate(LABELS.items()):
    shift = 1 + 0.06 * (i - 1)                  # nudge the variants apart on the log axis
    for ax, metric in ((ax1, "final_dead"), (ax2, "final_val_acc")):
        means = []
        for lr in lrs:
            entry = res[variant]["lr" + f"{lr:g}".replace(".", "_")]
            vals = np.array([r["metrics"][metric] for r in entry["per_seed"]
                             if not r["metrics"]["diverged"]]) * 100
            means.append(vals.mean() if len(vals) else np.nan)
            ax.plot(np.full(len(vals), lr * shift), vals, "o", ms=3.5, alpha=0.55,
                    color=f"C{i}", markeredgewidth=0)
        ax.plot(lrs * shift, means, "-", lw=1.4, color=f"C{i}", label=f"{label}: mean; dots: each seed")
for ax in (ax1, ax2):
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.grid(True, alpha=0.3)
ax1.set_ylabel("units never positive on the training set (%)")
ax2.set_ylabel("validation accuracy (%)")
ax1.legend(fontsize=7, loc="center left")
fig.tight_layout()
plt.show()
