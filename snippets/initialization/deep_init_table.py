"""The 30-layer ReLU table: per initialisation, validation accuracy after the first epoch,
final validation and test accuracy and final validation loss, mean ± std over the seeds that
did not diverge, and how many seeds diverged (loss NaN/inf).  Also the numbers the page
quotes.  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "deep_init.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

LABEL = {"he": "He", "glorot": "Xavier", "normal1": "N(0, 1)"}
res = record["results"]
inits = record["settings"]["inits"]


def finite(init, get):
    """One value of every seed that did not diverge."""
    return np.array([get(r) for r in res[init]["per_seed"] if not r["metrics"]["diverged"]], float)


def ms(v, scale=100, digits=1):
    if len(v) == 0:
        return "–"
    return f"{v.mean() * scale:.{digits}f} ± {(v.std(ddof=1) if len(v) > 1 else 0) * scale:.{digits}f}"


lines = []
for k in inits:
    n = res[k]["n"]
    lines.append("| " + " | ".join([
        LABEL[k], ms(finite(k, lambda r: r["curves"]["val_acc"][1])),
        ms(finite(k, lambda r: r["metrics"]["final_val_acc"])),
        ms(finite(k, lambda r: r["metrics"]["final_test_acc"])),
        ms(finite(k, lambda r: r["metrics"]["final_val_loss"]), 1, 3),
        f"{int(sum(res[k]['diverged']['values']))}/{n}"]) + " |")
rows = "\n".join(lines)

# Numbers the page quotes (means over the seeds that did not diverge).
n_seeds = len(record["provenance"]["seeds"])
he_epoch1 = finite("he", lambda r: r["curves"]["val_acc"][1]).mean()
he_final = finite("he", lambda r: r["metrics"]["final_val_acc"]).mean()
he_diverged = int(sum(res["he"]["diverged"]["values"]))
glorot_epoch1_acc = finite("glorot", lambda r: r["curves"]["val_acc"][1])
glorot_epoch1_loss = finite("glorot", lambda r: r["curves"]["val_loss"][1])
glorot_epoch1_loss_min, glorot_epoch1_loss_max = glorot_epoch1_loss.min(), glorot_epoch1_loss.max()
# seeds that after epoch 1 share one accuracy: the score of always giving the same answer
values, counts = np.unique(glorot_epoch1_acc, return_counts=True)
glorot_epoch1_common_acc, glorot_epoch1_common_n = values[counts.argmax()], int(counts.max())
glorot_epoch2_loss_max = finite("glorot", lambda r: r["curves"]["val_loss"][2]).max()
# the seeds that do not score the common value after epoch 1 (already above chance)
glorot_epoch1_other = glorot_epoch1_acc[glorot_epoch1_acc != glorot_epoch1_common_acc]
glorot_epoch1_other_n = len(glorot_epoch1_other)
glorot_epoch1_other_min = glorot_epoch1_other.min() if len(glorot_epoch1_other) else float("nan")
glorot_epoch1_other_max = glorot_epoch1_other.max() if len(glorot_epoch1_other) else float("nan")
# before any training: the validation loss of every Xavier net (ln 10 = uniform predictions)
glorot_epoch0_loss = finite("glorot", lambda r: r["curves"]["val_loss"][0])
glorot_epoch0_loss_min, glorot_epoch0_loss_max = glorot_epoch0_loss.min(), glorot_epoch0_loss.max()
glorot_epoch2_acc_min = finite("glorot", lambda r: r["curves"]["val_acc"][2]).min()
glorot_final = finite("glorot", lambda r: r["metrics"]["final_val_acc"])
glorot_final_mean, glorot_final_std = glorot_final.mean(), glorot_final.std(ddof=1)
glorot_final_min, glorot_final_max = glorot_final.min(), glorot_final.max()
he_epoch1_min = finite("he", lambda r: r["curves"]["val_acc"][1]).min()
glorot_diverged = int(sum(res["glorot"]["diverged"]["values"]))
normal1_diverged = int(sum(res["normal1"]["diverged"]["values"]))
# the first epoch after which a diverged net's logits were no longer finite, per seed
normal1_diverged_by = [int(np.argmin(r["curves"]["finite"])) for r in res["normal1"]["per_seed"]
                       if r["metrics"]["diverged"]]
normal1_last_epoch_diverged = max(normal1_diverged_by) if normal1_diverged_by else 0
# before training the N(0, 1) nets are still finite, but their loss is already at the record's
# cap (loss_cap: larger losses are stored as the cap)
loss_cap = record["settings"]["loss_cap"]
normal1_epoch0_finite = all(r["curves"]["finite"][0] for r in res["normal1"]["per_seed"])
normal1_epoch0_loss_min = min(r["curves"]["val_loss"][0] for r in res["normal1"]["per_seed"])

print(f"mean ± std over the seeds that did not diverge ({n_seeds} seeds)")
print("| init | val acc after epoch 1 % | final val acc % | final test acc % | final val loss | diverged |")
print("|---|---|---|---|---|---|")
print(rows)
