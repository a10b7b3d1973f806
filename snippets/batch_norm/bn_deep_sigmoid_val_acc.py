"""The deep-sigmoid figure: validation accuracy of a 10-hidden-layer sigmoid net over training,
without and with batch normalization, one line per seed.  Reads the committed record; CPU, ~1 s.
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

COLOR = {"plain": "#1f77b4", "bn": "#d62728"}
LABEL = {"plain": "without BN", "bn": "with BN"}
res = record["results"]

fig, ax = plt.subplots(figsize=(6.5, 3.6))
for config in ("plain", "bn"):
    for i, r in enumerate(res[config]["per_seed"]):
        ax.plot(r["curves"]["step"], np.asarray(r["curves"]["val_acc"]) * 100, lw=0.9,
                color=COLOR[config], alpha=0.8, label=f"{LABEL[config]} (each seed)" if i == 0 else None)
ax.set_xlabel(f"training step (batch {record['settings']['batch_size']})")
ax.set_ylabel("validation accuracy (%)")
ax.set_ylim(0, 100)
ax.grid(True, alpha=0.3)
ax.legend(fontsize=8)
ax.set_title(f"{record['settings']['hidden_layers']} hidden sigmoid layers of 100 units", fontsize=10)
fig.tight_layout()
plt.show()
