"""The 4-hidden-layer sigmoid net over many seeds: validation accuracy of every seed after
every epoch (left), the epoch at which each escaped seed first reaches 50 % (middle), and
the share of seeds stuck at chance level with its 95 % Wilson interval, for all seeds, for
the depth table's first five and for EthanYuan's single run (right).  Reads the committed
record through depth_stuck_table.py; CPU, ~1 s.
"""
import matplotlib.pyplot as plt
import numpy as np

import depth_stuck_table as t

fig, (ax, hx, sx) = plt.subplots(1, 3, figsize=(11, 3.8), width_ratios=[2.2, 1.6, 1])
x = np.arange(t.val.shape[1])                                    # epoch 0 = initialization
for a, k in zip(t.val, t.stuck):
    ax.plot(x, a * 100, color="C3" if k else "C0", lw=0.7, alpha=0.6)
ax.plot([], [], color="C0", label=f"escaped ({t.n_escaped} seeds)")
ax.plot([], [], color="C3", label=f"stuck ({t.n_stuck} seeds)")
ax.axhline(t.ESCAPE * 100, color="0.4", ls="--", lw=0.8, label=f"escape threshold {t.ESCAPE:.0%}")
ax.axhline(t.yuan, color="k", ls=":", lw=1, label=f"EthanYuan, one run: best {t.yuan:.2f} %")
ax.set_xlabel("epoch")
ax.set_ylabel("validation accuracy (%)")
ax.set_ylim(0, 100)
ax.set_title(f"4 hidden sigmoid layers, {t.n_seeds} seeds")
ax.grid(True, alpha=0.3)
ax.legend(fontsize=7, loc="lower right", bbox_to_anchor=(1, 0.14))

bins = np.arange(1, t.epochs + 2) - 0.5
hx.hist(t.esc, bins=bins, color="C0", label="escaped")
never = t.epochs + 8                                               # a bar for the stuck seeds
hx.bar(never, t.n_stuck, width=4, color="C3", label=f"never within {t.epochs} epochs")
hx.axvline(t.escape_median, color="k", lw=0.8, ls="--", label=f"median {t.escape_median:g}")
ticks = list(range(0, t.epochs, 10))
hx.set_xticks(ticks + [never], [str(k) for k in ticks] + ["never"])
hx.set_xlabel(f"first epoch with validation accuracy ≥ {t.ESCAPE:.0%}")
hx.set_ylabel("seeds")
hx.yaxis.get_major_locator().set_params(integer=True)
hx.legend(fontsize=7, loc="upper center")
hx.grid(True, axis="y", alpha=0.3)

shares = [(f"all\n{t.n_seeds} seeds", t.n_stuck, t.n_seeds, (t.ci_low, t.ci_high)),
          (f"seeds\n0–{t.n_first5 - 1}\n(depth table)", t.first5_stuck, t.n_first5,
           (t.first5_ci_low, t.first5_ci_high)),
          ("EthanYuan\n(one run)", 0, 1, t.wilson(0, 1))]
for i, (label, k, n, (lo, hi)) in enumerate(shares):
    p = k / n * 100
    sx.errorbar(i, p, yerr=[[p - lo * 100], [hi * 100 - p]], fmt="o", color="C3", capsize=4)
    sx.annotate(f"{k}/{n}", (i, p), textcoords="offset points", xytext=(6, 0), fontsize=8, va="center")
sx.set_xticks(range(len(shares)), [s[0] for s in shares], fontsize=7)
sx.set_xlim(-0.5, len(shares) - 0.5)
sx.set_ylim(0, 100)
sx.set_ylabel(f"stuck (%), {t.CONFIDENCE:.0%} Wilson interval")
sx.grid(True, axis="y", alpha=0.3)
fig.tight_layout()
plt.show()
