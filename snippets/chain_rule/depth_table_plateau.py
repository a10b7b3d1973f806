"""Each seed of the four-layer sigmoid net on its own: validation accuracy (left) and
||dC/db_1||, the gradient norm of the first hidden layer on the first 1,000 training images
(right, log axis), after every epoch.  Reads the committed record; CPU, ~1 s.
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

config = record["results"]["sigmoid"]["h4"]
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
for i, r in enumerate(config["per_seed"]):
    acc = np.array(r["curves"]["val_acc"]) * 100
    nb1 = np.array(r["curves"]["grad_norm_b"])[:, 0]            # hidden layer 1
    ax1.plot(np.arange(len(acc)), acc, color=f"C{i}", lw=1, label=f"seed {r['seed']}")
    ax2.plot(np.arange(len(nb1)), nb1, color=f"C{i}", lw=1)
ax1.set_ylabel("validation accuracy (%)")
ax1.set_ylim(0, 100)
ax1.legend(fontsize=8)
ax2.set_yscale("log")
ax2.set_ylabel("‖∂C/∂b‖, hidden layer 1")
for ax in (ax1, ax2):
    ax.set_xlabel("epoch")
    ax.grid(True, alpha=0.3)
fig.suptitle("sigmoid, 4 hidden layers: each seed")
fig.tight_layout()
plt.show()
