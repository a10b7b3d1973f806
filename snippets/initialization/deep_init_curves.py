"""The 30-layer ReLU figure: validation accuracy (left) and validation loss (right, log axis,
capped at 1e3) after every epoch for He, Xavier (Glorot) and N(0, 1) initialisation.  Where seeds
diverged or disagree by more than 5 points, each seed is its own line; otherwise mean ± std
as a band.  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "deep_init.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

LABEL = {"he": "He", "glorot": "Xavier", "normal1": "N(0, 1)"}
res = record["results"]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
for i, k in enumerate(record["settings"]["inits"]):
    seeds = res[k]["per_seed"]
    acc = np.array([r["curves"]["val_acc"] for r in seeds]) * 100        # [seeds, epochs + 1]
    loss = np.array([r["curves"]["val_loss"] for r in seeds])
    x = np.arange(acc.shape[1])
    if any(r["metrics"]["diverged"] for r in seeds) or acc.std(axis=0, ddof=1).max() > 5:
        for j in range(len(seeds)):                                       # each seed its own line
            ax1.plot(x, acc[j], color=f"C{i}", lw=0.8, label=f"{LABEL[k]} (each seed)" if j == 0 else None)
            ax2.plot(x, loss[j], color=f"C{i}", lw=0.8)
    else:
        for ax, v in ((ax1, acc), (ax2, loss)):
            m, s = v.mean(axis=0), v.std(axis=0, ddof=1)
            ax.plot(x, m, color=f"C{i}", label=LABEL[k] if ax is ax1 else None)
            ax.fill_between(x, np.where(m - s > 0, m - s, m / 10), m + s, color=f"C{i}", alpha=0.2, lw=0)
ax1.set_ylabel("validation accuracy (%)")
ax1.set_ylim(0, 100)
ax2.set_ylabel("validation loss (capped at 1e3)")
ax2.set_yscale("log")
for ax in (ax1, ax2):
    ax.set_xlabel("epoch")
    ax.grid(True, alpha=0.3)
ax1.legend(fontsize=8)
fig.tight_layout()
plt.show()
