"""The MNIST-toy percentile figure, after Ioffe & Szegedy's Figure 1(b, c): the 15th, 50th and
85th percentiles, over the first 1,000 validation images, of the input of one sigmoid (unit 0
of hidden layer 3) during training, without and with batch normalization, for one seed.
Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "bn_mnist_toy.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

SEED = 0
COLOR = {"plain": "#1f77b4", "bn": "#d62728"}
LABEL = {"plain": "without BN", "bn": "with BN"}
res = record["results"]

fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
for ax, config in zip(axes, ("plain", "bn")):
    r = next(r for r in res[config]["per_seed"] if r["seed"] == SEED)
    step = np.asarray(r["curves"]["step"], float)
    q = np.asarray(r["curves"]["probe"], float)                     # [evaluations, 3]
    for j, (pct, style) in enumerate(((15, ":"), (50, "-"), (85, "--"))):
        ax.plot(step, q[:, j], style, color=COLOR[config], label=f"{pct}th percentile")
    ax.set_title(LABEL[config], fontsize=10)
    ax.set_xlabel("training step")
    ax.grid(True, alpha=0.3)
axes[0].set_ylabel("input of one sigmoid unit (layer 3)")
axes[0].legend(fontsize=8)
fig.suptitle(f"seed {SEED}: 15th / 50th / 85th percentiles over 1,000 validation images", fontsize=10)
fig.tight_layout()
plt.show()
