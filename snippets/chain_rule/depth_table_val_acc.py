"""Validation accuracy after every epoch of the depth table's nets, sigmoid (left) and ReLU
(right), one colour per depth: mean ± std over the seeds as a band, or each seed as its own
line where the seeds disagree by more than 5 points.  Reads the committed record; CPU, ~1 s.
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
fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
lowest = 100.0
for ax, act, title in zip(axes, ("sigmoid", "relu"), ("sigmoid", "ReLU")):
    for i, d in enumerate(sorted(res[act], key=lambda k: int(k[1:]))):
        acc = np.array([r["curves"]["val_acc"][1:] for r in res[act][d]["per_seed"]]) * 100  # [seeds, E]
        x = np.arange(1, acc.shape[1] + 1)
        m, s = acc.mean(axis=0), acc.std(axis=0, ddof=1)
        if s.max() > 5:                      # seeds disagree wildly: a band would mislead
            for j, a in enumerate(acc):
                ax.plot(x, a, color=f"C{i}", lw=0.8, label=f"{d[1:]} hidden (each seed)" if j == 0 else None)
        else:
            ax.plot(x, m, color=f"C{i}", label=f"{d[1:]} hidden")
            ax.fill_between(x, m - s, m + s, color=f"C{i}", alpha=0.2, lw=0)
            lowest = min(lowest, m.min())
    ax.set_title(title)
    ax.set_xlabel("epoch")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
axes[0].set_ylabel("validation accuracy (%)")
axes[0].set_ylim(max(90.0, lowest - 0.5), 98.5)     # stuck seeds (~10 %) lie below the frame
fig.tight_layout()
plt.show()
