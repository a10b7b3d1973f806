"""The activation race table: seven activations in a 6-hidden-layer MNIST net, ranked by
final test accuracy; validation accuracy after the first epoch, final validation and test
accuracy and final training loss, mean ± std over the seeds.  Also the numbers the page
quotes.  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "activation_race.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

LABEL = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu_0_01": "leaky ReLU 0.01",
         "leaky_relu_0_2": "leaky ReLU 0.2", "elu": "ELU", "selu": "SELU"}
INIT = {"glorot": "Xavier", "he": "He", "lecun": "LeCun"}
res = record["results"]


def seeds(k, get):
    return np.array([get(r) for r in res[k]["per_seed"]], float)


def ms(v, scale=100, digits=2):
    return f"{v.mean() * scale:.{digits}f} ± {v.std(ddof=1) * scale:.{digits}f}"


test = {k: seeds(k, lambda r: r["metrics"]["final_test_acc"]) for k in res}
order = sorted(res, key=lambda k: -test[k].mean())          # best mean test accuracy first
lines = []
for rank, k in enumerate(order, 1):
    lines.append("| " + " | ".join([
        str(rank), LABEL[k], INIT[res[k]["settings"]["init"]],
        ms(seeds(k, lambda r: r["curves"]["val_acc"][1])),
        ms(seeds(k, lambda r: r["metrics"]["final_val_acc"])), ms(test[k]),
        ms(seeds(k, lambda r: r["metrics"]["final_train_loss"]), 1, 3)]) + " |")
rows = "\n".join(lines)

# Numbers the page quotes.
n_seeds = len(record["provenance"]["seeds"])
diverged = int(sum(sum(res[k]["diverged"]["values"]) for k in res))
learned = [k for k in order if k != "sigmoid"]
best, worst = learned[0], learned[-1]
best_test, worst_test = test[best].mean(), test[worst].mean()
spread = best_test - worst_test                               # of the means of the six
max_std = max(test[k].std(ddof=1) for k in learned)           # largest seed-to-seed std
min_epoch1 = min(seeds(k, lambda r: r["curves"]["val_acc"][1]).min() for k in learned)
sigmoid_test = test["sigmoid"].mean()
loss = {k: seeds(k, lambda r: r["metrics"]["final_train_loss"]).mean() for k in res}
lowest_loss = min(learned, key=loss.get)
best_label, worst_label, lowest_loss_label = LABEL[best], LABEL[worst], LABEL[lowest_loss]
best_loss = loss[best]
tanh_loss, sigmoid_loss = loss["tanh"], loss["sigmoid"]
# the leader against the runner-up: the gap of the means and its standard error (n seeds each)
second = learned[1]
second_label = LABEL[second]
lead = best_test - test[second].mean()
lead_se = np.sqrt(test[best].var(ddof=1) / n_seeds + test[second].var(ddof=1) / n_seeds)
lead_z = lead / lead_se
# the five behind the leader: spread of their means against their seed-to-seed std
rest_spread = test[second].mean() - worst_test
rest_max_std = max(test[k].std(ddof=1) for k in learned[1:])
lead_points, rest_spread_points = lead * 100, rest_spread * 100           # percentage points
spread_points = spread * 100                      # best - worst of the six, percentage points

print(f"mean ± std over {n_seeds} seeds ({diverged} diverged)")
print("| rank | activation | init | val acc after epoch 1 % | final val acc % | final test acc % "
      "| final training loss |")
print("|---|---|---|---|---|---|---|")
print(rows)
print(f"best of the six: {best_label}, {lead:.2%} ahead of {second_label} ({lead_z:.1f} standard errors); "
      f"the other five: means within {rest_spread:.2%}, std up to {rest_max_std:.2%}; "
      f"lowest training loss: {lowest_loss_label}")
