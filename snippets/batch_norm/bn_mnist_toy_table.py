"""The MNIST-toy tables (Ioffe & Szegedy's 3 x 100 sigmoid net, batch 60, 50,000 steps), without
and with batch normalization, mean ± std over the seeds.  ``rows``: final validation and test
accuracy and training steps to 90, 95 and 97 % validation accuracy; ``ratio_row`` (the table's
last row): how many times fewer steps the BN net needed, paired by seed.  ``probe_rows``: how
steady the probed sigmoid's input is from step 100 on (largest / smallest width of its
15th-85th percentile band, largest |median|).  Reads the committed record; CPU, ~1 s.
"""
import json
from pathlib import Path

import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "bn_mnist_toy.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())

LABEL = {"plain": "sigmoid", "bn": "sigmoid + BN"}
res = record["results"]
targets = [round(t * 100) for t in record["settings"]["targets"]]


def values(config, metric):
    return np.array([r["metrics"][metric] for r in res[config]["per_seed"]], float)


def ms(v, scale=1.0, digits=0, sep=","):
    return f"{v.mean() * scale:{sep}.{digits}f} ± {v.std(ddof=1) * scale:{sep}.{digits}f}"


def steps_to(config, t):
    """Mean ± std of the first evaluated step at >= t %; '(k/n)' if only k of n seeds got there."""
    hit = values(config, f"reached_{t}").astype(bool)
    if not hit.any():
        return f"– (0/{len(hit)})"
    s = values(config, f"steps_to_{t}")[hit]
    cell = f"{s.mean():,.0f} ± {s.std(ddof=1) if len(s) > 1 else 0:,.0f}"
    return cell if hit.all() else f"{cell} ({hit.sum()}/{len(hit)})"


lines = []
for config in ("plain", "bn"):
    cells = [LABEL[config], ms(values(config, "final_val_acc"), 100, 2),
             ms(values(config, "final_test_acc"), 100, 2)] + [steps_to(config, t) for t in targets]
    lines.append("| " + " | ".join(cells) + " |")
rows = "\n".join(lines)
# Paired by seed: steps without BN / steps with BN (blank where a seed never got there).
both = {t: values("plain", f"reached_{t}").all() and values("bn", f"reached_{t}").all() for t in targets}
ratio_row = "| " + " | ".join([f"{LABEL['plain']} ÷ {LABEL['bn']}", "", ""] + [
    f"{ms(values('bn', f'fewer_steps_{t}'), 1, 1)} ×" if both[t] else "" for t in targets]) + " |"

probe_rows = "\n".join(
    f"| {LABEL[c]} | {ms(values(c, 'probe_width_ratio'), 1, 1)} | {ms(values(c, 'probe_max_abs_median'), 1, 2)} |"
    for c in ("plain", "bn"))

# Numbers the page quotes.
n_seeds = len(record["provenance"]["seeds"])

print(f"mean ± std over {n_seeds} seeds; steps: first evaluation at or above the target")
print("| net | final val acc % | final test acc % | " + " | ".join(f"steps to {t} %" for t in targets) + " |")
print("|---|---|---|" + "---|" * len(targets))
print(rows)
print(ratio_row)
print()
print("| net | probed input: largest / smallest 15-85th percentile width | largest abs(median) |")
print("|---|---|---|")
print(probe_rows)
