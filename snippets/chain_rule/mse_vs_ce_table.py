"""The MSE-vs-cross-entropy table: 《人工智能系列(七)》's 784-500-500-10 net trained on mean squared
error and on cross-entropy; validation accuracy after the first and the last epoch, the best
validation accuracy over the epochs (what the depth table reports; the MSE curves are not
monotone, so best and final differ), final test accuracy (mean ± std over the seeds) and the epochs to fixed validation accuracies.  Also the
numbers the page quotes.  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "mse_vs_ce.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

LABEL = {"mse": "mean squared error", "ce": "cross-entropy"}
res = record["results"]
targets = [round(t * 100) for t in record["settings"]["targets"]]


def values(cost, metric):
    return np.array([r["metrics"][metric] for r in res[cost]["per_seed"]], float)


def pct(v):
    return f"{v.mean() * 100:.2f} ± {v.std(ddof=1) * 100:.2f}"


def epochs_to(cost, t):
    """'mean ± std' of the first epoch at >= t %, over the seeds that got there; '(k/n)' when
    only k of the n seeds did, '–' when none did."""
    hit = values(cost, f"reached_{t}").astype(bool)
    e = values(cost, f"epochs_to_{t}")[hit]
    if not hit.any():
        return f"– (0/{len(hit)})"
    cell = f"{e.mean():.1f} ± {e.std(ddof=1) if len(e) > 1 else 0:.1f}"
    return cell if hit.all() else f"{cell} ({hit.sum()}/{len(hit)})"


lines = []
for cost in ("mse", "ce"):
    cells = [LABEL[cost], pct(values(cost, "epoch1_val_acc")), pct(values(cost, "final_val_acc")),
             pct(values(cost, "best_val_acc")), pct(values(cost, "final_test_acc"))]
    lines.append("| " + " | ".join(cells + [epochs_to(cost, t) for t in targets]) + " |")
rows = "\n".join(lines)

# Numbers the page quotes (each seed's MSE and cross-entropy nets share weights and batches).
n_seeds = len(record["provenance"]["seeds"])
epochs = int(record["settings"]["epochs"])
gap = values("ce", "final_val_acc") - values("mse", "final_val_acc")    # paired, per seed
gap_min_pts = float(gap.min() * 100)                      # smallest lead of CE, percentage points
mse_final_max = float(values("mse", "final_val_acc").max())             # best MSE seed, last epoch
# best over the epochs instead of the last epoch: the MSE curves go down as well as up
mse_best_mean = float(values("mse", "best_val_acc").mean())
mse_final_mean = float(values("mse", "final_val_acc").mean())
gap_best = values("ce", "best_val_acc") - values("mse", "best_val_acc")  # paired, per seed
gap_best_min_pts = float(gap_best.min() * 100)
mse_drop_max_pts = float((values("mse", "best_val_acc") - values("mse", "final_val_acc")).max() * 100)
ce_final_min = float(values("ce", "final_val_acc").min())               # worst CE seed, last epoch
mse_epoch1_max = float(values("mse", "epoch1_val_acc").max())
ce_epoch1_min = float(values("ce", "epoch1_val_acc").min())
mse_init_max = float(max(r["curves"]["val_acc"][0] for r in res["mse"]["per_seed"]))
# MSE seeds whose validation accuracy fell after some epoch (the curves are not monotone)
mse_seeds_falling = int(sum(bool((np.diff(r["curves"]["val_acc"][1:]) < 0).any()) for r in res["mse"]["per_seed"]))

print(f"mean ± std over {n_seeds} seeds; epochs: first epoch at or above the target")
print("| cost | val acc after epoch 1 % | final val acc % | best val acc % | final test acc % | "
      + " | ".join(f"epochs to {t} %" for t in targets) + " |")
print("|---|---|---|---|---|" + "---|" * len(targets))
print(rows)
