"""The MSE-vs-cross-entropy figure: validation accuracy of 《人工智能系列(七)》's 784-500-500-10
net after every epoch, trained on mean squared error and on cross-entropy; line: mean over the
seeds, band: their range (lowest to highest seed).  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "mse_vs_ce.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

COLOR = {"mse": "#1f77b4", "ce": "#d62728"}
LABEL = {"mse": "mean squared error (loss='mse')", "ce": "cross-entropy"}
res, s = record["results"], record["settings"]

fig, ax = plt.subplots(figsize=(6.5, 3.6))
for cost in ("mse", "ce"):
    acc = np.array([r["curves"]["val_acc"] for r in res[cost]["per_seed"]]) * 100   # [seeds, epochs+1]
    epochs = np.arange(acc.shape[1])
    ax.plot(epochs, acc.mean(axis=0), marker="o", ms=3, color=COLOR[cost],
            label=f"{LABEL[cost]}, mean of {len(acc)} seeds")
    ax.fill_between(epochs, acc.min(axis=0), acc.max(axis=0), color=COLOR[cost], alpha=0.2, lw=0)
ax.axhline(10, color="gray", lw=0.8, ls=":")
ax.set_xlabel("epoch")
ax.set_ylabel("validation accuracy (%)")
ax.set_ylim(0, 100)
ax.set_xticks(epochs)
ax.grid(True, alpha=0.3)
ax.legend(fontsize=8, loc="center right")
ax.set_title(f"784-500-500-10 sigmoid net, softmax output; SGD, lr {s['learning_rate']}, "
             f"batch {s['batch_size']}", fontsize=10)
fig.tight_layout()
plt.show()
