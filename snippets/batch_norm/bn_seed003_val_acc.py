"""The figure of the batch-norm example of Hands-On Machine Learning, ch. 11: validation accuracy
after every epoch of its 784-300-100-10 ELU net, without and with batch normalization (mean ± std
over the seeds as a band).  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "bn_seed003.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

COLOR = {"plain": "#1f77b4", "bn": "#d62728"}
LABEL = {"plain": "without BN", "bn": "with BN"}
res = record["results"]
s = record["settings"]

fig, ax = plt.subplots(figsize=(6.5, 3.6))
for config in ("plain", "bn"):
    acc = np.array([r["curves"]["val_acc"] for r in res[config]["per_seed"]]) * 100   # [seeds, epochs + 1]
    epoch = np.arange(acc.shape[1])
    mean, std = acc.mean(axis=0)[1:], acc.std(axis=0, ddof=1)[1:]      # from epoch 1 on
    ax.plot(epoch[1:], mean, color=COLOR[config], label=f"{LABEL[config]} (mean ± std)")
    ax.fill_between(epoch[1:], mean - std, mean + std, color=COLOR[config], alpha=0.2, linewidth=0)
ax.set_xlabel("epoch")
ax.set_ylabel("validation accuracy (%)")
ax.set_xticks(epoch[1::2] if len(epoch) > 10 else epoch[1:])
ax.grid(True, alpha=0.3)
ax.legend(fontsize=8)
ax.set_title(f"784-300-100-10 ELU, SGD {s['learning_rate']:g}, batch {s['batch_size']}", fontsize=10)
fig.tight_layout()
plt.show()
