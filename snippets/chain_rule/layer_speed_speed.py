"""Speed of learning during training: ||dC/db_l|| of every hidden layer l after each of the
full-batch epochs, one panel per net (log axis; mean ± std over the seeds as a band, the lower
edge clipped at a tenth of the mean).  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "layer_speed.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

res = record["results"]
fig, axes = plt.subplots(1, len(res), figsize=(4.2 * len(res), 3.6), sharey=True, squeeze=False)
for ax, (net, c) in zip(axes[0], res.items()):
    nb = np.array([r["curves"]["norm_b"] for r in c["per_seed"]])      # [seeds, epochs + 1, layers]
    keep = np.unique(np.r_[np.arange(0, nb.shape[1], 5), nb.shape[1] - 1])   # every 5th epoch
    x, m, s = keep, nb.mean(axis=0)[keep], nb.std(axis=0, ddof=1)[keep]
    for l in range(nb.shape[2]):
        ax.plot(x, m[:, l], color=f"C{l}", label=f"hidden layer {l + 1}")
        ax.fill_between(x, np.where(m[:, l] - s[:, l] > 0, m[:, l] - s[:, l], m[:, l] / 10),
                        m[:, l] + s[:, l], color=f"C{l}", alpha=0.2, lw=0)
    ax.set_yscale("log")
    ax.set_title("[" + ",".join(str(v) for v in c["settings"]["sizes"]) + "]", fontsize=10)
    ax.set_xlabel("epoch")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
axes[0][0].set_ylabel("‖∂C/∂b‖ (first 1,000 images)")
fig.tight_layout()
plt.show()
