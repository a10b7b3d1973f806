"""The table of the batch-norm example of Hands-On Machine Learning, ch. 11: its 784-300-100-10
ELU net without and with batch normalization; final validation and test accuracy (mean ± std
over the seeds) and the training steps to 95 and 97 % validation accuracy.
Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "bn_seed003.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

LABEL = {"plain": "ELU", "bn": "ELU + BN"}
res = record["results"]
targets = [round(t * 100) for t in record["settings"]["targets"]]


def values(config, metric):
    return np.array([r["metrics"][metric] for r in res[config]["per_seed"]], float)


def pct(v):
    return f"{v.mean() * 100:.2f} ± {v.std(ddof=1) * 100:.2f}"


def steps_to(config, t):
    """'mean ± std' of the first evaluated step at >= t %, over the seeds that got there;
    '(k/n)' when only k of the n seeds did, '–' when none did."""
    hit = values(config, f"reached_{t}").astype(bool)
    s = values(config, f"steps_to_{t}")[hit]
    if not hit.any():
        return f"– (0/{len(hit)})"
    cell = f"{s.mean():,.0f} ± {s.std(ddof=1) if len(s) > 1 else 0:,.0f}"
    return cell if hit.all() else f"{cell} ({hit.sum()}/{len(hit)})"


lines = []
for config in ("plain", "bn"):
    cells = [LABEL[config], pct(values(config, "final_val_acc")), pct(values(config, "final_test_acc"))]
    lines.append("| " + " | ".join(cells + [steps_to(config, t) for t in targets]) + " |")
rows = "\n".join(lines)

# Numbers the page quotes.
n_seeds = len(record["provenance"]["seeds"])
gain = values("bn", "final_test_acc") - values("plain", "final_test_acc")   # same seed, BN - plain
bn_ahead = int((gain > 0).sum())                    # seeds on which BN ends higher (test)
gain_mean = float(gain.mean())
plain_reached_95 = int(values("plain", "reached_95").sum())
bn_reached_95 = int(values("bn", "reached_95").sum())
best_final_test = float(max(values("plain", "final_test_acc").max(), values("bn", "final_test_acc").max()))

print(f"mean ± std over {n_seeds} seeds; steps: first evaluation at or above the target")
print("| net | final val acc % | final test acc % | " + " | ".join(f"steps to {t} %" for t in targets) + " |")
print("|---|---|---|" + "---|" * len(targets))
print(rows)
