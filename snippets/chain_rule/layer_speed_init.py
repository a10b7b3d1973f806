"""Speed of learning at initialisation: ||dC/db_l|| against the hidden layer l for the three
sigmoid nets (log axis; mean ± std over the seeds as error bars), with Nielsen's ch. 5 values
as open markers.  Reads the committed record; CPU, ~1 s.
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

nielsen = record["settings"]["literature"]["init_norm_b"]
fig, ax = plt.subplots(figsize=(5, 3.6))
for i, (net, c) in enumerate(record["results"].items()):
    s = c["init_norm_b"]
    layer = np.arange(1, len(s["mean"]) + 1)
    label = "[" + ",".join(str(v) for v in c["settings"]["sizes"]) + "]"
    ax.errorbar(layer, s["mean"], yerr=s["std"], marker="o", capsize=3, color=f"C{i}", label=label)
    ax.plot(layer, nielsen[net], "o", mfc="none", ms=9, color=f"C{i}")
ax.plot([], [], "o", mfc="none", ms=9, color="gray", label="Nielsen, ch. 5")
ax.set_yscale("log")
ax.set_xlabel("hidden layer")
ax.set_ylabel("‖∂C/∂b‖ at initialisation")
ax.set_xticks(range(1, 5))
ax.grid(True, alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
