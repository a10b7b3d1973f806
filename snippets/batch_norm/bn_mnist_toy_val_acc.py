"""The MNIST-toy accuracy figure: validation accuracy of Ioffe & Szegedy's 3 x 100 sigmoid net
over 50,000 steps (log axis), without and with batch normalization, mean ± std over the seeds
as a band.  Reads the committed record; CPU, ~1 s.
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

COLOR = {"plain": "#1f77b4", "bn": "#d62728"}
LABEL = {"plain": "without BN", "bn": "with BN"}
res = record["results"]

fig, ax = plt.subplots(figsize=(6.5, 3.6))
for config in ("plain", "bn"):
    step = np.asarray(res[config]["per_seed"][0]["curves"]["step"], float)
    acc = np.array([r["curves"]["val_acc"] for r in res[config]["per_seed"]]) * 100   # [seeds, evals]
    mean, std = acc.mean(axis=0), acc.std(axis=0, ddof=1)
    ax.plot(step[1:], mean[1:], color=COLOR[config], label=LABEL[config])
    ax.fill_between(step[1:], (mean - std)[1:], (mean + std)[1:], color=COLOR[config], alpha=0.2, linewidth=0)
ax.set_xscale("log")
ax.set_xlabel(f"training step (batch {record['settings']['batch_size']}, log scale)")
ax.set_ylabel("validation accuracy (%)")
ax.set_ylim(0, 100)
ax.grid(True, alpha=0.3)
ax.legend(fontsize=8)
ax.set_title("3 x 100 sigmoid units (Ioffe & Szegedy's MNIST net)", fontsize=10)
fig.tight_layout()
plt.show()
