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

# At the highest rate the seeds can split into groups: each seed's dead % / accuracy % (NaN: diverged).
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
per_layer = {(v, lr): finite(v, lr, "final_dead_per_layer") for v in VARIANTS for lr in lrs}  # [seeds, 3]
diverged = {(v, lr): int(sum(res[v][key(lr)]["diverged"]["values"])) for v in VARIANTS for lr in lrs}
low = lrs[0]
max_dead_at_0_1 = max(dead[(v, 0.1)].mean() for v in VARIANTS)          # all three variants
max_dead_at_0_3 = max(dead[(v, 0.3)].mean() for v in VARIANTS)          # all three variants
relu_dead_low = dead[("relu", low)].mean()
relu_dead_low_first_layer = per_layer[("relu", low)][:, 0].max()        # 0: none in layer 1
relu_dead_0_5 = dead[("relu", 0.5)].mean()
relu_dead_0_5_first_layer = per_layer[("relu", 0.5)][:, 0].mean()
relu_dead_0_5_other_layers = per_layer[("relu", 0.5)][:, 1:].max()     # 0: all in layer 1
# at the highest rate: a net "collapsed" when its validation accuracy fell below 80 %
COLLAPSED = 0.8
relu_top_dead, relu_top_acc = dead[("relu", top)], acc[("relu", top)]
relu_collapsed = int((relu_top_acc < COLLAPSED).sum())
relu_survivors = int((relu_top_acc >= COLLAPSED).sum())
relu_collapsed_dead = relu_top_dead[relu_top_acc < COLLAPSED].mean() if relu_collapsed else 0.0
relu_collapsed_acc = relu_top_acc[relu_top_acc < COLLAPSED].mean() if relu_collapsed else 0.0
relu_survivor_dead_min = relu_top_dead[relu_top_acc >= COLLAPSED].min()
relu_survivor_dead_max = relu_top_dead[relu_top_acc >= COLLAPSED].max()
relu_top_dead_mean = relu_top_dead.mean()
bias_top_dead, bias_top_acc = dead[("relu_bias", top)], acc[("relu_bias", top)]
bias_collapsed = int((bias_top_acc < COLLAPSED).sum())
bias_top_dead_mean, bias_top_acc_min = bias_top_dead.mean(), bias_top_acc.min()
# seed by seed (no seed diverged in either): among the seeds where plain ReLU survived, in how
# many did the 0.01 bias leave MORE dead units?
_by_seed = {v: {r["seed"]: r["metrics"] for r in res[v][key(top)]["per_seed"]} for v in ("relu", "relu_bias")}
_survived = [s for s, m in _by_seed["relu"].items() if not m["diverged"] and m["final_val_acc"] >= COLLAPSED
             and not _by_seed["relu_bias"][s]["diverged"]]
bias_more_dead = sum(_by_seed["relu_bias"][s]["final_dead"] > _by_seed["relu"][s]["final_dead"] for s in _survived)
bias_compared = len(_survived)
# mean dead share over exactly those seeds, without and with the 0.01 bias
relu_compared_dead_mean = float(np.mean([_by_seed["relu"][s]["final_dead"] for s in _survived]))
bias_compared_dead_mean = float(np.mean([_by_seed["relu_bias"][s]["final_dead"] for s in _survived]))
leaky_top_never, leaky_top_acc = dead[("leaky", top)].mean(), acc[("leaky", top)].mean()
leaky_top_collapsed = int((acc[("leaky", top)] < COLLAPSED).sum())
leaky_diverged_top = diverged[("leaky", top)]
leaky_diverged_total = sum(diverged[("leaky", lr)] for lr in lrs)
relu_diverged_total = sum(diverged[(v, lr)] for v in ("relu", "relu_bias") for lr in lrs)

print(f"mean ± std over the seeds that stayed finite ({n_seeds} seeds); dead units %, validation accuracy %")
print("| learning rate | ReLU dead | ReLU acc | ReLU bias 0.01 dead | acc | leaky never positive | acc "
      "| diverged (ReLU / bias / leaky) |")
print("|---|---|---|---|---|---|---|---|")
print(rows)
print(f"\nlearning rate {top:g}, each seed: dead % / validation accuracy % (NaN: diverged)")
print("| seed | ReLU | ReLU bias 0.01 | leaky ReLU |")
print("|---|---|---|---|")
print(seed_rows)
