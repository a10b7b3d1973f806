"""The learning-rate figure: final validation accuracy versus learning rate of a
784-100-100-100-10 ELU net, without and with batch normalization; every seed a dot, the mean a
line (a diverged run ends at chance level, about 10 %).  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "bn_learning_rate.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

COLOR = {"plain": "#1f77b4", "bn": "#d62728"}
LABEL = {"plain": "without BN", "bn": "with BN"}
res = record["results"]

fig, ax = plt.subplots(figsize=(6.5, 3.6))
for config in ("plain", "bn"):
    lrs, means = [], []
    for c in res[config].values():
        lr = c["settings"]["learning_rate"]
        acc = np.array([r["metrics"]["final_val_acc"] for r in c["per_seed"]]) * 100
        ax.scatter(np.full(len(acc), lr), acc, s=14, color=COLOR[config], alpha=0.6)
        lrs.append(lr)
        means.append(acc.mean())
    ax.plot(lrs, means, marker="o", color=COLOR[config], label=f"{LABEL[config]} (mean; dots: seeds)")
ax.set_xscale("log")
ax.set_xlabel("learning rate (plain SGD)")
ax.set_ylabel("final validation accuracy (%)")
ax.set_ylim(0, 100)
ax.grid(True, alpha=0.3)
ax.legend(fontsize=8, loc="lower left")
ax.set_title(f"784-100-100-100-10 ELU, batch {record['settings']['batch_size']}", fontsize=10)
fig.tight_layout()
plt.show()
