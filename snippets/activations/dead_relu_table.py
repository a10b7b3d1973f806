"""The dead-ReLU table: for each learning rate and variant, the share of hidden units that
never fire on the training set after training and the final validation accuracy (mean ± std
over the seeds that stayed finite), and how many seeds diverged.  Also the numbers the page
quotes.  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "dead_relu.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

VARIANTS = ("relu", "relu_bias", "leaky")
res = record["results"]
lrs = record["settings"]["learning_rates"]


def key(lr):
    return "lr" + f"{lr:g}".replace(".", "_")


def finite(variant, lr, metric):
    """One metric of every seed that did not diverge (a NaN net counts as all units dead)."""
    return np.array([r["metrics"][metric] for r in res[variant][key(lr)]["per_seed"]
                     if not r["metrics"]["diverged"]])


def pct(v):
    if len(v) == 0:
        return "–"
    return f"{v.mean() * 100:.1f} ± {(v.std(ddof=1) if len(v) > 1 else 0) * 100:.1f}"


lines = []
for lr in lrs:
    cells = [f"{lr:g}"]
    for v in VARIANTS:
        cells += [pct(finite(v, lr, "final_dead")), pct(finite(v, lr, "final_val_acc"))]
    diverged = [int(sum(res[v][key(lr)]["diverged"]["values"])) for v in VARIANTS]
    cells.append(" / ".join(map(str, diverged)))
    lines.append("| " + " | ".join(cells) + " |")
rows = "\n".join(lines)
n_seeds = len(record["provenance"]["seeds"])

# At the highest rate the seeds split into groups: each seed's dead % / accuracy % (NaN: diverged).
top = lrs[-1]
seed_lines = []
for seed in record["provenance"]["seeds"]:
    cells = [str(seed)]
    for v in VARIANTS:
        m = {r["seed"]: r for r in res[v][key(top)]["per_seed"]}[seed]["metrics"]
        cells.append("NaN" if m["diverged"] else f"{m['final_dead'] * 100:.1f} / {m['final_val_acc'] * 100:.1f}")
    seed_lines.append("| " + " | ".join(cells) + " |")
seed_rows = "\n".join(seed_lines)

# Numbers the page quotes (means over the seeds that stayed finite).
dead = {(v, lr): finite(v, lr, "final_dead") for v in VARIANTS for lr in lrs}
acc = {(v, lr): finite(v, lr, "final_val_acc") for v in VARIANTS for lr in lrs}
per_layer = {(v, lr): np.array([r["metrics"]["final_dead_per_layer"] for r in res[v][key(lr)]["per_seed"]
                                if not r["metrics"]["diverged"]]) for v in VARIANTS for lr in lrs}
diverged = {(v, lr): int(sum(res[v][key(lr)]["diverged"]["values"])) for v in VARIANTS for lr in lrs}

print(f"mean ± std over the seeds that stayed finite ({n_seeds} seeds); dead units %, validation accuracy %")
print("| learning rate | ReLU dead | ReLU acc | ReLU bias 0.01 dead | acc | leaky never positive | acc "
      "| diverged (ReLU / bias / leaky) |")
print("|---|---|---|---|---|---|---|---|")
print(rows)
print(f"\nlearning rate {top:g}, each seed: dead % / validation accuracy % (NaN: diverged)")
print("| seed | ReLU | ReLU bias 0.01 | leaky ReLU |")
print("|---|---|---|---|")
print(seed_rows)
