"""The MNIST-toy tables (Ioffe & Szegedy's 3 x 100 sigmoid net, batch 60, 50,000 steps), without
and with batch normalization, mean ± std over the seeds.  ``rows``: final validation and test
accuracy and training steps to 90, 95 and 97 % validation accuracy; ``ratio_row`` (the table's
last row): how many times fewer steps the BN net needed, paired by seed.  ``probe_rows``: how
steady the probed sigmoid's input is from step 100 on (largest / smallest width of its
15th-85th percentile band, largest |median|).  Also what the evaluation grid allows the
speed-up factors to be, and when the probed band widens.  Reads the committed record; CPU, ~1 s.
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


def crossing(config, t):
    """Per seed: (last evaluated step below t %, first at or above): the true crossing lies between."""
    out = []
    for r in res[config]["per_seed"]:
        step, acc = np.asarray(r["curves"]["step"]), np.asarray(r["curves"]["val_acc"])
        k = int(np.argmax(acc >= t / 100))
        out.append((step[k - 1], step[k]))
    return np.array(out, float)


# The evaluation grid limits what the speed-up factors can say: without BN the crossing lies in
# (a_p, b_p], with BN in (a_b, b_b], so the true factor lies in (a_p / b_b, b_p / a_b).  Over the
# seeds, the smallest lower and the largest upper end of that bracket:
bracket = {}
for t in targets:
    p, b = crossing("plain", t), crossing("bn", t)
    bracket[t] = (float((p[:, 0] / b[:, 1]).min()), float((p[:, 1] / b[:, 0]).max()))
fewer_90_lo, fewer_90_hi = bracket[90]
fewer_95_lo, fewer_95_hi = bracket[95]
fewer_97_lo, fewer_97_hi = bracket[97]


def widths(config):
    """[seeds, evaluations] width of the probed input's 15th-85th percentile band, and the steps."""
    w = np.array([np.asarray(r["curves"]["probe"])[:, 2] - np.asarray(r["curves"]["probe"])[:, 0]
                  for r in res[config]["per_seed"]])
    return w, np.asarray(res[config]["per_seed"][0]["curves"]["step"])


# When the band widens: from step 100 to step 1000, and (largest / smallest width) from step 1000 on.
w_plain, step = widths("plain")
i100, i1000 = int(np.nonzero(step == 100)[0][0]), int(np.nonzero(step == 1000)[0][0])
early = w_plain[:, i1000] / w_plain[:, i100]
plain_early_widen_min, plain_early_widen_max = float(early.min()), float(early.max())
plain_width_100_min, plain_width_100_max = float(w_plain[:, i100].min()), float(w_plain[:, i100].max())
late = {c: widths(c)[0][:, i1000:].max(axis=1) / widths(c)[0][:, i1000:].min(axis=1) for c in ("plain", "bn")}
plain_late_widen_min, plain_late_widen_max = float(late["plain"].min()), float(late["plain"].max())
bn_late_widen_min, bn_late_widen_max = float(late["bn"].min()), float(late["bn"].max())

print(f"mean ± std over {n_seeds} seeds; steps: first evaluation at or above the target")
print("| net | final val acc % | final test acc % | " + " | ".join(f"steps to {t} %" for t in targets) + " |")
print("|---|---|---|" + "---|" * len(targets))
print(rows)
print(ratio_row)
print()
print("| net | probed input: largest / smallest 15-85th percentile width | largest abs(median) |")
print("|---|---|---|")
print(probe_rows)
print()
for t in targets:
    print(f"steps to {t} %: on the evaluation grid the true factor lies between "
          f"{bracket[t][0]:.2f} and {bracket[t][1]:.2f} (all seeds)")
print(f"probed band without BN: width {plain_width_100_min:.3f}-{plain_width_100_max:.3f} at step 100, "
      f"{plain_early_widen_min:.0f}-{plain_early_widen_max:.0f} times wider at step 1000")
print(f"from step 1000 on, largest / smallest width: without BN {plain_late_widen_min:.2f}-"
      f"{plain_late_widen_max:.2f}, with BN {bn_late_widen_min:.2f}-{bn_late_widen_max:.2f}")
