"""The activation race figure: validation error (log axis, epochs 1-5) and training loss on
the first 10,000 training images (log axis) per epoch for each activation, mean ± std over
the seeds as a band.  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "activation_race.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

LABEL = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu_0_01": "leaky ReLU 0.01",
         "leaky_relu_0_2": "leaky ReLU 0.2", "elu": "ELU", "selu": "SELU"}
res = record["results"]
order = sorted(res, key=lambda k: -res[k]["final_test_acc"]["mean"])


def band(ax, x, curves, **kw):
    """Mean over the seeds as a line, mean ± std as a band (kept above 0 on a log axis)."""
    mean, std = curves.mean(axis=0), curves.std(axis=0, ddof=1)
    line, = ax.plot(x, mean, **kw)
    ax.fill_between(x, np.where(mean - std > 0, mean - std, mean / 10), mean + std,
                    color=line.get_color(), alpha=0.2, linewidth=0)
    return line


fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
for k in order:
    acc = np.array([r["curves"]["val_acc"] for r in res[k]["per_seed"]])       # [seeds, epochs + 1]
    loss = np.array([r["curves"]["train_loss"] for r in res[k]["per_seed"]])
    x = np.arange(acc.shape[1])
    # error on a log axis: the nets that learn differ by tenths of a point, sigmoid by 80
    line = band(ax1, x[1:], 100 - acc[:, 1:] * 100, label=LABEL[k])
    band(ax2, x, loss, color=line.get_color())
ax1.set_ylabel("validation error (%)")
ax1.set_xticks(x[1:])
ax1.set_yscale("log")
ax2.set_ylabel("training loss (first 10,000 images)")
ax2.set_yscale("log")
for ax in (ax1, ax2):
    ax.set_xlabel("epoch")
    ax.grid(True, alpha=0.3)
ax1.legend(fontsize=8)
fig.tight_layout()
plt.show()
