"""The learning-rate table: final validation accuracy of a 784-100-100-100-10 ELU net after
3 epochs of plain SGD at each learning rate, without and with batch normalization (mean ± std
over the seeds), and how many seeds diverged.  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "bn_learning_rate.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

res = record["results"]
lrs = record["settings"]["learning_rates"]
keys = list(res["plain"])                        # 'lr1e-02', ... in the order of lrs


def values(config, key, metric):
    return np.array([r["metrics"][metric] for r in res[config][key]["per_seed"]], float)


def pct(v):
    return f"{v.mean() * 100:.2f} ± {v.std(ddof=1) * 100:.2f}"


lines = []
for lr, key in zip(lrs, keys):
    cells = [f"{lr:g}"]
    for config in ("plain", "bn"):
        div = values(config, key, "diverged").astype(bool)
        cells += [pct(values(config, key, "final_val_acc")), f"{div.sum()}/{len(div)}"]
    lines.append("| " + " | ".join(cells) + " |")
rows = "\n".join(lines)


def usable(config):
    """Learning rates at which no seed diverged and the mean final accuracy exceeds 90 %."""
    return [lr for lr, key in zip(lrs, keys) if not values(config, key, "diverged").any()
            and values(config, key, "final_val_acc").mean() > 0.9]


def diverged(config):
    """Learning rates at which every seed diverged."""
    return [lr for lr, key in zip(lrs, keys) if values(config, key, "diverged").all()]


# Numbers the page quotes.
n_seeds = len(record["provenance"]["seeds"])
plain_best_lr = lrs[int(np.argmax([values("plain", k, "final_val_acc").mean() for k in keys]))]
bn_best_lr = lrs[int(np.argmax([values("bn", k, "final_val_acc").mean() for k in keys]))]
plain_max_usable = max(usable("plain"))
bn_max_usable = max(usable("bn"))
usable_ratio = bn_max_usable / plain_max_usable
# The net without BN's true limit lies between plain_max_usable and the next rate tried, so BN's
# largest rate is between usable_ratio_lo and usable_ratio times that limit.
plain_next_lr = min(lr for lr in lrs if lr > plain_max_usable)
usable_ratio_lo = bn_max_usable / plain_next_lr
plain_first_all_diverged = min(diverged("plain")) if diverged("plain") else float("nan")
bn_any_diverged = int(sum(values("bn", k, "diverged").sum() for k in keys))

print(f"mean ± std over {n_seeds} seeds; diverged: seeds whose training loss became inf/NaN")
print("| learning rate | without BN: final val acc % | diverged | with BN: final val acc % | diverged |")
print("|---|---|---|---|---|")
print(rows)
