"""Renderers for the activation and initialisation chapters' records.

dead_relu:        ``table``; ``figure:dead`` (dead fraction and final validation accuracy versus
                  learning rate: every seed as a dot, the mean over seeds that did not diverge
                  as a line -- the seeds of the highest rate split into two groups, so a band
                  would mislead)
activation_race:  ``table`` (sorted by final test accuracy); ``figure:curves`` (validation
                  error on a log axis and training loss per epoch, mean +- std bands)
deep_init:        ``table``; ``figure:curves`` (validation accuracy and loss per epoch; each
                  seed drawn where seeds diverged or disagree by more than 5 points)
Every record also answers ``figure:init``: its main figure (the name the generic render test
asks for).  Nets flagged as diverged (NaN/inf loss) are left out of means and counted apart.
"""
from __future__ import annotations

import io

import numpy as np

from . import results

TEXT = {
    "zh": {"lr": "学习率", "relu": "ReLU", "relu_bias": "ReLU（偏置 0.01）", "leaky": "Leaky ReLU（α = 0.01）",
           "dead": "死亡单元 %", "never": "从不为正的单元 %", "acc": "验证准确率 %",
           "div_note": "{v}，学习率 {lr}：{k}/{n} 个种子发散（未计入均值）", "colon": "：", "mean_std": "均值 ± 标准差，{n} 个种子",
           "act": "激活函数", "init": "初始化", "ep1": "第 1 轮后验证准确率 %", "final_val": "最终验证准确率 %",
           "final_test": "最终测试准确率 %", "loss": "最终训练损失", "rank": "名次",
           "val_loss": "最终验证损失", "div": "发散的种子", "lit": "文献：cs231n 笔记称高学习率下 10–20 % 的单元会死亡",
           "all_div": "全部发散",
           "per_seed": "{v}，学习率 {lr}，各种子的死亡单元 % / 验证准确率 %：{vals}"},
    "en": {"lr": "learning rate", "relu": "ReLU", "relu_bias": "ReLU (bias 0.01)", "leaky": "leaky ReLU (α = 0.01)",
           "dead": "dead units %", "never": "never-positive units %", "acc": "validation accuracy %",
           "div_note": "{v}, learning rate {lr}: {k}/{n} seeds diverged (left out of the mean)", "colon": ": ", "mean_std": "mean ± std over {n} seeds",
           "act": "activation", "init": "initialisation", "ep1": "validation accuracy after epoch 1 %",
           "final_val": "final validation accuracy %", "final_test": "final test accuracy %",
           "loss": "final training loss", "rank": "rank", "val_loss": "final validation loss",
           "div": "diverged seeds", "lit": "literature: the cs231n notes say 10–20 % of units can die at high learning rates",
           "all_div": "all diverged",
           "per_seed": "{v}, learning rate {lr}, dead units % / validation accuracy % of each seed: {vals}"},
}
ACT_LABEL = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu_0_01": "leaky ReLU 0.01",
             "leaky_relu_0_2": "leaky ReLU 0.2", "elu": "ELU", "selu": "SELU"}
INIT_LABEL = {"glorot": "Glorot", "he": "He", "lecun": "LeCun", "normal1": "N(0, 1)", "normal001": "N(0, 0.01²)"}
VARIANTS = ("relu", "relu_bias", "leaky")


def _t(lang):
    if lang not in TEXT:
        raise ValueError(f"unknown language {lang!r}; use one of {sorted(TEXT)}")
    return TEXT[lang]


def _ok(entry):
    """Per-seed entries that did not diverge."""
    return [r for r in entry["per_seed"] if not r["metrics"]["diverged"]]


def _ms(values, scale=100.0, digits=2):
    v = np.asarray(values, float) * scale
    if len(v) == 0:
        return "–"
    sd = v.std(ddof=1) if len(v) > 1 else 0.0
    return f"{v.mean():.{digits}f} ± {sd:.{digits}f}"


def _svg(fig):
    plt = results._plt()
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


# ------------------------------------------------------------------ dead_relu
def _lrs(rec):
    return rec["settings"]["learning_rates"]


def _lr_key(lr):
    return "lr" + f"{lr:g}".replace(".", "_")


def dead_relu_table(rec, lang):
    t = _t(lang)
    res = rec["results"]
    head = [t["lr"]]
    for v in VARIANTS:
        head += [f"{t[v]}{t['colon']}{t['never'] if v == 'leaky' else t['dead']}", f"{t[v]}{t['colon']}{t['acc']}"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    notes, n = [], 0
    for lr in _lrs(rec):
        row = [f"{lr:g}"]
        for v in VARIANTS:
            e = res[v][_lr_key(lr)]
            n = e["n"]
            ok = _ok(e)
            row += [_ms([r["metrics"]["final_dead"] for r in ok]) if ok else t["all_div"],
                    _ms([r["metrics"]["final_val_acc"] for r in ok]) if ok else t["all_div"]]
            if len(ok) > 1 and np.std([r["metrics"]["final_dead"] for r in ok], ddof=1) > 0.05:
                vals = ", ".join(f"{r['metrics']['final_dead'] * 100:.1f}/{r['metrics']['final_val_acc'] * 100:.1f}"
                                 for r in ok)
                notes.append(t["per_seed"].format(v=t[v], lr=f"{lr:g}", vals=vals))
            if len(ok) < e["n"]:
                notes.append(t["div_note"].format(v=t[v], lr=f"{lr:g}", k=e["n"] - len(ok), n=e["n"]))
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append("<small>" + "<br>".join([t["mean_std"].format(n=n), *notes, t["lit"]]) + "</small>")
    return "\n".join(lines) + "\n"


def dead_relu_figure(rec, which):
    if which not in ("dead", "init"):
        raise KeyError(f"dead_relu: unknown figure {which!r} (dead)")
    plt = results._plt()
    res = rec["results"]
    lrs = np.asarray(_lrs(rec), float)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
    labels = {"relu": "ReLU", "relu_bias": "ReLU, bias 0.01", "leaky": "leaky ReLU 0.01 (never positive)"}
    for i, v in enumerate(VARIANTS):
        color = f"C{i}"
        for ax, metric in ((ax1, "final_dead"), (ax2, "final_val_acc")):
            means = []
            for lr in lrs:
                vals = np.asarray([r["metrics"][metric] for r in _ok(res[v][_lr_key(lr)])], float) * 100
                means.append(vals.mean() if len(vals) else np.nan)
                ax.plot(np.full(len(vals), lr * (1 + 0.06 * (i - 1))), vals, "o", ms=3.5, alpha=0.55,
                        color=color, markeredgewidth=0)
            ax.plot(lrs * (1 + 0.06 * (i - 1)), means, "-", lw=1.4, color=color,
                    label=f"{labels[v]}: mean; dots: each seed")
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.set_xlabel("learning rate")
        ax.grid(True, alpha=0.3)
    ax1.set_ylabel("units never positive on the training set (%)")
    ax2.set_ylabel("validation accuracy (%)")
    ax1.legend(fontsize=7, loc="center left")
    return _svg(fig)


# ------------------------------------------------------------------ activation_race
def _race_order(res):
    return sorted(res, key=lambda k: -res[k]["final_test_acc"]["mean"])


def race_table(rec, lang):
    t = _t(lang)
    res = rec["results"]
    head = [t["rank"], t["act"], t["init"], t["ep1"], t["final_val"], t["final_test"], t["loss"]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    n = 0
    for i, k in enumerate(_race_order(res), 1):
        e = res[k]
        n = e["n"]
        ep1 = [r["curves"]["val_acc"][1] for r in e["per_seed"]]
        lines.append("| " + " | ".join([
            str(i), ACT_LABEL.get(k, k), INIT_LABEL.get(e["settings"]["init"], e["settings"]["init"]),
            _ms(ep1), _pct(e["final_val_acc"]), _pct(e["final_test_acc"]),
            f"{e['final_train_loss']['mean']:.3f} ± {e['final_train_loss']['std']:.3f}"]) + " |")
    lines.append("")
    lines.append(f"<small>{t['mean_std'].format(n=n)}</small>")
    return "\n".join(lines) + "\n"


def _pct(s):
    return f"{s['mean'] * 100:.2f} ± {s['std'] * 100:.2f}"


def race_figure(rec, which):
    if which not in ("curves", "init"):
        raise KeyError(f"activation_race: unknown figure {which!r} (curves)")
    plt = results._plt()
    res = rec["results"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    for k in _race_order(res):
        c = res[k]["curves"]
        x = np.arange(len(c["val_acc"]["mean"]))
        # error on a log axis: the nets that learn differ by tenths of a point, sigmoid by 80
        line = results._band(ax1, x[1:], 100 - np.asarray(c["val_acc"]["mean"][1:]) * 100,
                             np.asarray(c["val_acc"]["std"][1:]) * 100, True, label=ACT_LABEL.get(k, k))
        results._band(ax2, x, c["train_loss"]["mean"], c["train_loss"]["std"], True, color=line.get_color())
    ax1.set_ylabel("validation error (%), epochs 1-5")
    ax1.set_xticks(np.arange(1, len(res[_race_order(res)[0]]["curves"]["val_acc"]["mean"])))
    ax1.set_yscale("log")
    ax2.set_ylabel("training loss (first 10,000 images)")
    ax2.set_yscale("log")
    for ax in (ax1, ax2):
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
    ax1.legend(fontsize=8)
    return _svg(fig)


# ------------------------------------------------------------------ deep_init
def deep_init_table(rec, lang):
    t = _t(lang)
    res = rec["results"]
    head = [t["init"], t["ep1"], t["final_val"], t["final_test"], t["val_loss"], t["div"]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    n = 0
    for k in rec["settings"]["inits"]:
        e = res[k]
        n = e["n"]
        ep1 = [r["curves"]["val_acc"][1] for r in e["per_seed"]]
        ok = _ok(e)
        loss = _ms([r["metrics"]["final_val_loss"] for r in ok], scale=1.0, digits=3) if ok else t["all_div"]
        lines.append("| " + " | ".join([INIT_LABEL.get(k, k), _ms(ep1), _pct(e["final_val_acc"]),
                                        _pct(e["final_test_acc"]), loss,
                                        f"{e['n'] - len(ok)}/{e['n']}"]) + " |")
    lines.append("")
    lines.append(f"<small>{t['mean_std'].format(n=n)}</small>")
    return "\n".join(lines) + "\n"


def deep_init_figure(rec, which):
    if which not in ("curves", "init"):
        raise KeyError(f"deep_init: unknown figure {which!r} (curves)")
    plt = results._plt()
    res = rec["results"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
    for i, k in enumerate(rec["settings"]["inits"]):
        e = res[k]
        color = f"C{i}"
        acc = np.asarray([r["curves"]["val_acc"] for r in e["per_seed"]]) * 100
        loss = np.asarray([r["curves"]["val_loss"] for r in e["per_seed"]])
        x = np.arange(acc.shape[1])
        label = INIT_LABEL.get(k, k)
        if len(_ok(e)) < e["n"] or acc.std(0, ddof=1).max() > 5:   # diverged or disagreeing: each seed
            for j in range(len(acc)):
                ax1.plot(x, acc[j], color=color, lw=0.8, label=f"{label} (each seed)" if j == 0 else None)
                ax2.plot(x, loss[j], color=color, lw=0.8)
        else:
            results._band(ax1, x, acc.mean(0), acc.std(0, ddof=1), False, color=color, label=label)
            results._band(ax2, x, loss.mean(0), loss.std(0, ddof=1), True, color=color)
    ax1.set_ylabel("validation accuracy (%)")
    ax1.set_ylim(0, 100)
    ax2.set_ylabel("validation loss (capped at 1e3)")
    ax2.set_yscale("log")
    for ax in (ax1, ax2):
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
    ax1.legend(fontsize=8)
    return _svg(fig)


results.TABLES.update({"dead_relu": dead_relu_table, "activation_race": race_table,
                       "deep_init": deep_init_table})
results.FIGURES.update({"dead_relu": dead_relu_figure, "activation_race": race_figure,
                        "deep_init": deep_init_figure})
