"""The depth table: best validation accuracy and test accuracy at that epoch, mean ± std over
the seeds, for sigmoid and ReLU nets with 1-4 hidden layers, beside the single runs of
EthanYuan's TensorFlow from 1 to 2, ch. 1; and the numbers the page quotes (the seeds of the four-layer sigmoid net one by one).
Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "depth_table.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

res = record["results"]
yuan = record["settings"]["literature"]["best_val_acc_pct"]   # one run per cell, in %
depths = sorted(res["sigmoid"], key=lambda k: int(k[1:]))        # "h1" ... "h4"


def ms(summary):
    """'mean ± std' in percent."""
    return f"{summary['mean'] * 100:.2f} ± {summary['std'] * 100:.2f}"


lines = []
for d in depths:
    row = [d[1:], str(res["sigmoid"][d]["settings"]["epochs"])]
    for act in ("sigmoid", "relu"):
        c = res[act][d]
        row += [ms(c["best_val_acc"]), ms(c["test_acc_at_best"]), f"{yuan[act][d]:.2f}"]
    lines.append("| " + " | ".join(row) + " |")
rows = "\n".join(lines)

# Numbers the page quotes.
n_seeds = len(record["provenance"]["seeds"])
# largest distance (percentage points) between our mean and EthanYuan's single runs, 1-3 hidden layers
shallow_gap = max(abs(res[a][d]["best_val_acc"]["mean"] * 100 - yuan[a][d])
                  for a in ("sigmoid", "relu") for d in depths if d != "h4")
# ReLU ahead of sigmoid at every depth by at least this many percentage points
relu_lead_min = min(res["relu"][d]["best_val_acc"]["mean"] - res["sigmoid"][d]["best_val_acc"]["mean"]
                    for d in depths) * 100
h4 = res["sigmoid"]["h4"]
h4_best = np.array(h4["best_val_acc"]["values"])                 # per seed, fraction
h4_seeds = [r["seed"] for r in h4["per_seed"]]
stuck = h4_best < 0.2                                            # never left chance level (10 digits: ~10 %)
n_stuck, n_trained = int(stuck.sum()), int((h4_best > 0.9).sum())
stuck_seeds = ", ".join(str(s) for s, k in zip(h4_seeds, stuck) if k) or "–"
h4_seed_list = ", ".join(str(s) for s in h4_seeds)
h4_per_seed = ", ".join(f"{v * 100:.2f}" for v in h4_best)       # in the order of h4_seeds
h4_trained_mean = float(h4_best[~stuck].mean()) if (~stuck).any() else float("nan")
h4_stuck_max = float(h4_best[stuck].max()) if stuck.any() else float("nan")
# where that best score of a stuck seed happened (seed, epoch)
h4_stuck_max_seed, h4_stuck_max_epoch = max(
    ((r["metrics"]["best_val_acc"], r["seed"], r["metrics"]["best_epoch"])
     for r, k in zip(h4["per_seed"], stuck) if k), default=(0, -1, -1))[1:]
# the epoch at which each seed that escaped first passed 50 % validation accuracy
h4_escape_epochs = [int(np.argmax(np.array(r["curves"]["val_acc"]) > 0.5))
                    for r, k in zip(h4["per_seed"], stuck) if not k]
h4_escape_last = max(h4_escape_epochs) if h4_escape_epochs else 0
# the escaped seeds beside the three-layer nets (fraction): the drop of the four-layer mean
# comes from the stuck seeds
h3_mean = res["sigmoid"]["h3"]["best_val_acc"]["mean"]
h4_trained_minus_h3 = h4_trained_mean - h3_mean

# The plateau at the start of the four-layer sigmoid net.  Every seed: how many epochs it
# spends at chance level before anything else, and the accuracy after epoch 1.
h4_val = [np.array(r["curves"]["val_acc"]) for r in h4["per_seed"]]
h4_plateau_epochs = min(int(np.argmax(np.r_[v[1:], 1.0] >= 0.2)) for v in h4_val)  # epochs 1..k below 20 %
h4_ep1_acc_max = float(max(v[1] for v in h4_val))
# In epoch 1 the gradient collapses in EVERY hidden layer, not only in the first: the factor by
# which ||dC/db_l|| falls, over all seeds and layers, and for the first and last layer alone
h4_g = np.array([r["curves"]["grad_norm_b"] for r in h4["per_seed"]])       # [seeds, E + 1, layers]
h4_ep1_drop = h4_g[:, 0] / h4_g[:, 1]                                        # [seeds, layers]
h4_ep1_drop_min, h4_ep1_drop_max = float(h4_ep1_drop.min()), float(h4_ep1_drop.max())
h4_ep1_drop_first_min, h4_ep1_drop_first_max = float(h4_ep1_drop[:, 0].min()), float(h4_ep1_drop[:, 0].max())
h4_ep1_drop_last_min, h4_ep1_drop_last_max = float(h4_ep1_drop[:, -1].min()), float(h4_ep1_drop[:, -1].max())
h4_ep1_b1_min, h4_ep1_b1_max = float(h4_g[:, 1, 0].min()), float(h4_g[:, 1, 0].max())
# ... while the gap between the last and the first hidden layer stays: ||dC/db_4|| / ||dC/db_1||
h4_init_gap = h4_g[:, 0, -1] / h4_g[:, 0, 0]
h4_ep1_gap = h4_g[:, 1, -1] / h4_g[:, 1, 0]
h4_init_gap_min, h4_init_gap_max = float(h4_init_gap.min()), float(h4_init_gap.max())
h4_ep1_gap_min, h4_ep1_gap_max = float(h4_ep1_gap.min()), float(h4_ep1_gap.max())
# on the plateau (every epoch >= 1 that a seed ends below 20 %): the median of that ratio
h4_plateau_gap_median = float(np.median(np.concatenate(
    [h4_g[i, 1:, -1][v[1:] < 0.2] / h4_g[i, 1:, 0][v[1:] < 0.2] for i, v in enumerate(h4_val)])))
# after the last epoch: the same ratio in the seeds that escaped and in those that stayed stuck
h4_final_gap = h4_g[:, -1, -1] / h4_g[:, -1, 0]
h4_trained_final_gap_min = float(h4_final_gap[~stuck].min()) if (~stuck).any() else float("nan")
h4_trained_final_gap_max = float(h4_final_gap[~stuck].max()) if (~stuck).any() else float("nan")
h4_stuck_final_gap_min = float(h4_final_gap[stuck].min()) if stuck.any() else float("nan")
h4_stuck_final_gap_max = float(h4_final_gap[stuck].max()) if stuck.any() else float("nan")
# A fall of the gradient in epoch 1 is no sign of trouble by itself: the four-layer ReLU nets
# show one too, after reaching high accuracy in that epoch
relu_g = np.array([r["curves"]["grad_norm_b"] for r in res["relu"]["h4"]["per_seed"]])
relu_ep1_drop = relu_g[:, 0] / relu_g[:, 1]
relu_ep1_drop_min, relu_ep1_drop_max = float(relu_ep1_drop.min()), float(relu_ep1_drop.max())
relu_h4_ep1_acc_min = float(min(r["curves"]["val_acc"][1] for r in res["relu"]["h4"]["per_seed"]))

print(f"mean ± std over {n_seeds} seeds; EthanYuan (TensorFlow from 1 to 2, ch. 1): one run")
print("| hidden layers | epochs | sigmoid best val % | sigmoid test at best % | sigmoid EthanYuan % "
      "| ReLU best val % | ReLU test at best % | ReLU EthanYuan % |")
print("|---|---|---|---|---|---|---|---|")
print(rows)
print(f"4 hidden layers, sigmoid: best validation accuracy of seeds {h4_seeds}: {h4_per_seed} %")
print(f"stuck at chance level: {n_stuck} (seeds {stuck_seeds}); above 90 %: {n_trained}")
