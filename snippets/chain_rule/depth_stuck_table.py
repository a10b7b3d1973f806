"""How often the 4-hidden-layer sigmoid net stays stuck at chance level, and when the others
escape: the share of stuck seeds with its 95 % Wilson score interval, the epochs of escape,
beside EthanYuan's single run (TensorFlow from 1 to 2, ch. 1); and the numbers the page
quotes, with the escaped nets beside the depth table's three-layer nets.  Reads the committed
records (depth_stuck, and depth_table for the three-layer nets); CPU, ~1 s.

Escape: the first epoch after which the validation accuracy is at least 50 %.  Stuck: no
such epoch within the record's epochs.  Why 50 %: a net that predicts one digit for every
image scores that digit's share of the validation images (about 10 %), the stuck nets never get
far from it (`stuck_max`), the escaped ones end above 90 % (`escaped_best_min`); any
threshold in that gap sorts the seeds the same way, and 20 % instead of 50 % would move no
escape by more than `shift_max` epochs.
"""
import json
from pathlib import Path
from statistics import NormalDist

import numpy as np

# The committed record: beside this file, or results/ in the book's repository.
name = "depth_stuck.json"
path = Path(__file__).resolve().parent / name
if not path.exists():
    path = Path(__file__).resolve().parents[2] / "results" / name
record = json.loads(path.read_text())
# The depth table's record, for the three-layer nets the escaped ones are compared with.
name3 = "depth_table.json"
path3 = Path(__file__).resolve().parent / name3
if not path3.exists():
    path3 = Path(__file__).resolve().parents[2] / "results" / name3
h3 = np.array(json.loads(path3.read_text())["results"]["sigmoid"]["h3"]["best_val_acc"]["values"])

ESCAPE = 0.5          # escape: first epoch with validation accuracy >= 50 %
LOW = 0.2             # a lower threshold, to show how little the choice matters
CONFIDENCE = 0.95

runs = record["results"]["sigmoid"]["h4"]["per_seed"]
yuan = record["settings"]["literature"]["best_val_acc_pct"]        # one run, in %
epochs = record["settings"]["epochs"]
val = np.array([r["curves"]["val_acc"] for r in runs])            # [seeds, epochs + 1], epoch 0 = init
seeds = [r["seed"] for r in runs]


def first_epoch(acc, threshold):
    """First epoch 1..E with accuracy >= threshold, or None."""
    hits = np.flatnonzero(acc[1:] >= threshold)
    return int(hits[0]) + 1 if len(hits) else None


def wilson(k, n, confidence=CONFIDENCE):
    """Wilson score interval for a binomial share k/n:
    (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), z = the normal quantile."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(centre - half), float(centre + half)


escape = [first_epoch(a, ESCAPE) for a in val]
stuck = np.array([e is None for e in escape])
escaped = ~stuck
n_seeds, n_stuck, n_escaped = len(runs), int(stuck.sum()), int(escaped.sum())
share_stuck = n_stuck / n_seeds
ci_low, ci_high = wilson(n_stuck, n_seeds)
stuck_seeds = ", ".join(str(s) for s, k in zip(seeds, stuck) if k) or "–"

# escaped nets: when they pass 50 %, how high they get
esc = np.array([e for e in escape if e is not None])
escape_min, escape_max = int(esc.min()), int(esc.max())
escape_median = float(np.median(esc))
escape_q1, escape_q3 = (float(q) for q in np.percentile(esc, [25, 75]))
n_escape_by_10 = int((esc <= 10).sum())                          # escaped within 10 epochs
# epochs from the first at >= 20 % to the first at >= 50 % (0: both in the same epoch)
climb = {s: e - first_epoch(a, LOW) for s, a, e in zip(seeds, val, escape) if e is not None}
shift_max = max(climb.values())
climb_median = float(np.median(list(climb.values())))
# the seed that takes longest: where it first reaches 20 %, how far it falls back, when it escapes
shift_max_seed = max(climb, key=climb.get)
climb_max_others = max(c for s, c in climb.items() if s != shift_max_seed)   # every other seed
_a = val[seeds.index(shift_max_seed)]
shift_low_epoch = first_epoch(_a, LOW)
shift_low_acc = float(_a[shift_low_epoch])
shift_escape = escape[seeds.index(shift_max_seed)]
shift_dip_epoch = shift_low_epoch + int(np.argmin(_a[shift_low_epoch:shift_escape]))
shift_dip_acc = float(_a[shift_dip_epoch])
best = np.array([r["metrics"]["best_val_acc"] for r in runs])
test_at_best = np.array([r["metrics"]["test_acc_at_best"] for r in runs])
escaped_best_mean, escaped_best_std = float(best[escaped].mean()), float(best[escaped].std(ddof=1))
escaped_best_min, escaped_best_max = float(best[escaped].min()), float(best[escaped].max())
escaped_test_mean = float(test_at_best[escaped].mean())
n_above_yuan = int((best[escaped] * 100 >= yuan).sum())          # escaped nets at least as good
# beside the depth table's three-layer sigmoid nets (best validation accuracy per seed)
h3_best_mean, h3_best_std, h3_best_min = float(h3.mean()), float(h3.std(ddof=1)), float(h3.min())
escaped_below_h3_pts = (h3_best_mean - escaped_best_mean) * 100    # percentage points
n_below_h3_min = int((best[escaped] < h3_best_min).sum())         # escaped nets below every 3-layer seed
# the lowest validation accuracy an escaped net shows after its escape epoch
escaped_after_min = min(float(a[e:].min()) for a, e in zip(val, escape) if e is not None)

# stuck nets: how far from chance they ever get, and what they predict at the end
stuck_max = float(val[stuck, 1:].max()) if stuck.any() else float("nan")
stuck_max_seed = max((float(a[1:].max()), s) for s, a, k in zip(seeds, val, stuck) if k)[1]
stuck_digits_max = max((r["metrics"]["final_digits"] for r, k in zip(runs, stuck) if k), default=0)
# seeds 0-4 are the depth table's five runs of this net
n_first5 = sum(s < 5 for s in seeds)
first5_stuck = int(sum(k for s, k in zip(seeds, stuck) if s < 5))
first5_share = first5_stuck / n_first5
first5_ci_low, first5_ci_high = wilson(first5_stuck, n_first5)
# one run that escaped: the interval for the share stuck still reaches this far
yuan_ci_high = wilson(0, 1)[1]

# The table: one row per source, the page writes the first cell (who) and the header.
ours = (f"{n_seeds} | {n_stuck}/{n_seeds} = {share_stuck:.0%} "
        f"[{ci_low:.0%}, {ci_high:.0%}] | {escape_min} / {escape_median:g} / {escape_max} | "
        f"{escaped_best_mean * 100:.2f} ± {escaped_best_std * 100:.2f} "
        f"({escaped_best_min * 100:.2f}–{escaped_best_max * 100:.2f})")
yuan_ci = wilson(0, 1)
theirs = f"1 | 0/1 [{yuan_ci[0]:.0%}, {yuan_ci[1]:.0%}] | – | {yuan:.2f}"
if __name__ == "__main__":         # the figure snippet imports this file without printing
    print(f"stuck at chance for {epochs} epochs: {n_stuck} of {n_seeds} seeds = {share_stuck:.1%}, "
          f"{CONFIDENCE:.0%} Wilson interval {ci_low:.1%}-{ci_high:.1%}; seeds {stuck_seeds}")
    print(f"escape epoch (first with validation accuracy >= {ESCAPE:.0%}): min {escape_min}, "
          f"quartiles {escape_q1:g} / {escape_median:g} / {escape_q3:g}, max {escape_max}")
    print("epochs of escape, sorted:", " ".join(str(e) for e in sorted(esc)))
    print(f"escaped nets: best validation accuracy {escaped_best_mean:.2%} ± {escaped_best_std:.2%} "
          f"({escaped_best_min:.2%}-{escaped_best_max:.2%}), EthanYuan's single run {yuan:.2f} %")
    print(f"three-layer nets (depth table): {h3_best_mean:.2%} ± {h3_best_std:.2%} (lowest {h3_best_min:.2%}); "
          f"{n_below_h3_min} escaped nets below the lowest")
    print(f"epochs from >= {LOW:.0%} to >= {ESCAPE:.0%}: median {climb_median:g}, every seed but one "
          f"at most {climb_max_others}; longest: seed {shift_max_seed}, {shift_low_acc:.1%} after epoch "
          f"{shift_low_epoch}, back to {shift_dip_acc:.1%} after epoch {shift_dip_epoch}, "
          f"{ESCAPE:.0%} after epoch {shift_escape}")
    print(f"stuck nets: at most {stuck_max:.2%} in any epoch (seed {stuck_max_seed}); at the end they predict "
          f"at most {stuck_digits_max} different digit(s)")
