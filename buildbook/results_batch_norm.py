"""Renderers for the batch-norm chapter's records (registered in buildbook.results).

bn_seed003:       ``table``; ``figure:val_acc`` (validation accuracy per epoch, mean +- std)
bn_deep_sigmoid:  ``table``; ``figure:val_acc`` (validation accuracy over steps, every seed)
bn_learning_rate: ``table``; ``figure:final`` (final validation accuracy versus learning rate,
                  every seed a dot, the mean a line)
bn_mnist_toy:     ``table``; ``figure:val_acc`` (validation accuracy over steps, mean +- std);
                  ``figure:percentiles`` (15th/50th/85th percentiles of one sigmoid unit's
                  input over training, seed 0; ``figure:percentiles:2`` for seed 2)
Every record also answers ``figure:init`` (its main figure).  "Steps to X %" is the first
evaluation step at which validation accuracy reached X %; a seed that never reached it is
counted apart ("k/n reached").
"""
from __future__ import annotations

import io

import numpy as np

from . import results

TEXT = {
    "zh": {"config": "网络", "plain": "无 BN", "bn": "有 BN", "final_val": "最终验证准确率 %",
           "final_test": "最终测试准确率 %", "best_val": "最佳验证准确率 %", "steps_to": "达到 {t} % 的步数",
           "reached": "{k}/{n} 个种子达到", "never": "均未达到", "lr": "学习率",
           "plain_acc": "无 BN：最终验证准确率 %", "bn_acc": "有 BN：最终验证准确率 %",
           "diverged": "{k}/{n} 发散", "fewer": "无 BN 的步数 ÷ 有 BN 的步数（同一种子）",
           "width": "探测单元：第 15–85 百分位宽度的最大/最小之比", "median": "探测单元：中位数绝对值的最大值",
           "mean_std": "均值 ± 标准差，{n} 个种子", "steps_note": "；步数为验证集评估点上首次达到该准确率的训练步数",
           "probe_note": "探测单元：第 3 个隐藏层第 0 个 Sigmoid 单元的输入，在前 1000 张验证图像上；统计第 100 步及以后的各个评估点",
           "lit": "文献：Ioffe 与 Szegedy（2015）在 ImageNet 的 Inception 网络上报告，BN 以少 14 倍的训练步数达到同样的准确率"},
    "en": {"config": "net", "plain": "without BN", "bn": "with BN", "final_val": "final validation accuracy %",
           "final_test": "final test accuracy %", "best_val": "best validation accuracy %",
           "steps_to": "steps to {t} %", "reached": "{k}/{n} seeds reached", "never": "never reached",
           "lr": "learning rate", "plain_acc": "without BN: final validation accuracy %",
           "bn_acc": "with BN: final validation accuracy %", "diverged": "{k}/{n} diverged",
           "fewer": "steps without BN ÷ steps with BN (same seed)",
           "width": "probed unit: largest / smallest 15th–85th percentile width",
           "median": "probed unit: largest absolute median",
           "mean_std": "mean ± std over {n} seeds",
           "steps_note": "; steps: the first evaluated training step at which validation accuracy "
                         "reached the target",
           "probe_note": "probed unit: the input of sigmoid unit 0 of hidden layer 3 over the first 1,000 validation "
                         "images, at every evaluation from step 100 on",
           "lit": "literature: Ioffe & Szegedy (2015) report that on ImageNet (Inception) BN reached the "
                  "same accuracy in 14 times fewer training steps"},
}


def _t(lang):
    if lang not in TEXT:
        raise ValueError(f"unknown language {lang!r}; use one of {sorted(TEXT)}")
    return TEXT[lang]


def _pct(s, digits=2):
    return f"{s['mean'] * 100:.{digits}f} ± {s['std'] * 100:.{digits}f}"


def _steps(entry, target, t):
    """'mean ± std' of steps to target when every seed got there, else 'k/n seeds reached'."""
    k = round(target * 100)
    reached = entry[f"reached_{k}"]["values"]
    n = len(reached)
    if all(reached):
        s = entry[f"steps_to_{k}"]
        return f"{s['mean']:,.0f} ± {s['std']:,.0f}"
    if not any(reached):
        return t["never"]
    return t["reached"].format(k=sum(bool(r) for r in reached), n=n)


def _table(rec, lang):
    t = _t(lang)
    res = rec["results"]
    name = rec["name"]
    targets = rec["settings"].get("targets", [])
    if name == "bn_learning_rate":
        return _lr_table(rec, lang)
    head = [t["config"], t["final_val"], t["final_test"]]
    head += [t["steps_to"].format(t=round(x * 100)) for x in targets]
    toy = name == "bn_mnist_toy"
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    n = 0
    for key in ("plain", "bn"):
        c = res[key]
        n = c["n"]
        row = [t[key], _pct(c["final_val_acc"]), _pct(c["final_test_acc"])]
        row += [_steps(c, x, t) for x in targets]
        lines.append("| " + " | ".join(row) + " |")
    if toy:                         # paired by seed: plain steps / BN steps
        row = [t["fewer"], "", ""]
        for x in targets:
            k = round(x * 100)
            both = all(res["plain"][f"reached_{k}"]["values"]) and all(res["bn"][f"reached_{k}"]["values"])
            f = res["bn"][f"fewer_steps_{k}"]
            row.append(f"{f['mean']:.1f} ± {f['std']:.1f}" if both else "")
        lines.append("| " + " | ".join(row) + " |")
        lines += ["", f"| {t['config']} | {t['width']} | {t['median']} |", "|---|---|---|"]
        for key in ("plain", "bn"):
            w, m = res[key]["probe_width_ratio"], res[key]["probe_max_abs_median"]
            lines.append(f"| {t[key]} | {w['mean']:.1f} ± {w['std']:.1f} | {m['mean']:.2f} ± {m['std']:.2f} |")
    lines.append("")
    note = t["mean_std"].format(n=n) + t["steps_note"]
    if toy:
        note += "<br>" + t["probe_note"] + "<br>" + t["lit"]
    lines.append(f"<small>{note}</small>")
    return "\n".join(lines) + "\n"


def _lr_table(rec, lang):
    t = _t(lang)
    res = rec["results"]
    lines = [f"| {t['lr']} | {t['plain_acc']} | {t['bn_acc']} |", "|---|---|---|"]
    n = 0
    for key in res["plain"]:
        row = [f"{res['plain'][key]['settings']['learning_rate']:g}"]
        for cfg in ("plain", "bn"):
            c = res[cfg][key]
            n = c["n"]
            div = sum(bool(v) for v in c["diverged"]["values"])
            cell = _pct(c["final_val_acc"])
            if div:
                cell += f" ({t['diverged'].format(k=div, n=c['n'])})"
            row.append(cell)
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    lines.append(f"<small>{t['mean_std'].format(n=n)}</small>")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ figures
COLORS = {"plain": "#1f77b4", "bn": "#d62728"}
LABELS = {"plain": "without BN", "bn": "with BN"}


def _svg(fig):
    plt = results._plt()
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


def _acc_over(ax, res, x_key, each_seed=False, scale=100.0):
    for key in ("plain", "bn"):
        c = res[key]
        x = np.asarray(c["per_seed"][0]["curves"][x_key], float)
        if each_seed:
            for i, r in enumerate(c["per_seed"]):
                ax.plot(x, np.asarray(r["curves"]["val_acc"]) * scale, lw=0.9, color=COLORS[key],
                        alpha=0.8, label=f"{LABELS[key]} (each seed)" if i == 0 else None)
        else:
            cur = c["curves"]["val_acc"]
            results._band(ax, x, np.asarray(cur["mean"]) * scale, np.asarray(cur["std"]) * scale,
                          False, color=COLORS[key], label=LABELS[key])
    ax.set_ylabel("validation accuracy (%)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)


def _figure(rec, which):
    plt = results._plt()
    name, res = rec["name"], rec["results"]
    parts = which.split(":")
    kind, arg = parts[0], (parts[1] if len(parts) > 1 else None)
    if kind == "init":
        kind = {"bn_seed003": "val_acc", "bn_deep_sigmoid": "val_acc", "bn_learning_rate": "final",
                "bn_mnist_toy": "percentiles"}[name]
    if name == "bn_seed003" and kind == "val_acc":
        fig, ax = plt.subplots(figsize=(6.5, 3.6))
        c = res["plain"]["curves"]["val_acc"]
        epochs = np.arange(len(c["mean"]))
        for key in ("plain", "bn"):
            cur = res[key]["curves"]["val_acc"]
            results._band(ax, epochs[1:], np.asarray(cur["mean"][1:]) * 100,
                          np.asarray(cur["std"][1:]) * 100, False, color=COLORS[key], label=LABELS[key])
        ax.set_xlabel("epoch")
        ax.set_ylabel("validation accuracy (%)")
        ax.set_xticks(epochs[1::2] if len(epochs) > 10 else epochs[1:])
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
        ax.set_title("784-300-100-10 ELU, SGD 0.01, batch 200", fontsize=10)
    elif name == "bn_deep_sigmoid" and kind == "val_acc":
        fig, ax = plt.subplots(figsize=(6.5, 3.6))
        _acc_over(ax, res, "step", each_seed=True)
        ax.set_xlabel("training step (batch 60)")
        ax.set_ylim(0, 100)
        depth = rec["settings"].get("hidden_layers", "?")
        ax.set_title(f"{depth} hidden sigmoid layers of 100 units", fontsize=10)
    elif name == "bn_learning_rate" and kind == "final":
        fig, ax = plt.subplots(figsize=(6.5, 3.6))
        for cfg in ("plain", "bn"):
            lrs, means = [], []
            for key, c in res[cfg].items():
                lr = c["settings"]["learning_rate"]
                vals = np.asarray(c["final_val_acc"]["values"]) * 100
                ax.scatter(np.full(len(vals), lr), vals, s=14, color=COLORS[cfg], alpha=0.6)
                lrs.append(lr)
                means.append(vals.mean())
            ax.plot(lrs, means, marker="o", color=COLORS[cfg], label=f"{LABELS[cfg]} (mean; dots: seeds)")
        ax.set_xscale("log")
        ax.set_xlabel("learning rate (plain SGD)")
        ax.set_ylabel("final validation accuracy (%)")
        ax.set_ylim(0, 100)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8, loc="lower left")
        ax.set_title("784-100-100-100-10 ELU, batch 60", fontsize=10)
    elif name == "bn_mnist_toy" and kind == "val_acc":
        fig, ax = plt.subplots(figsize=(6.5, 3.6))
        _acc_over(ax, res, "step")
        ax.set_xscale("log")
        ax.set_xlim(100, None)
        ax.set_xlabel("training step (batch 60, log scale)")
        ax.set_ylim(0, 100)
        ax.set_title("3 x 100 sigmoid units (Ioffe & Szegedy's MNIST net)", fontsize=10)
    elif name == "bn_mnist_toy" and kind == "percentiles":
        seed = int(arg) if arg else 0
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
        for ax, key in zip(axes, ("plain", "bn")):
            r = next(r for r in res[key]["per_seed"] if r["seed"] == seed)
            steps = np.asarray(r["curves"]["step"], float)
            q = np.asarray(r["curves"]["probe"], float)               # [evals, 3]
            for j, (pct, style) in enumerate(((15, ":"), (50, "-"), (85, "--"))):
                ax.plot(steps, q[:, j], style, color=COLORS[key], label=f"{pct}th percentile")
            ax.set_title(f"{LABELS[key]}", fontsize=10)
            ax.set_xlabel("training step")
            ax.grid(True, alpha=0.3)
        axes[0].set_ylabel("input of one sigmoid unit (layer 3)")
        axes[0].legend(fontsize=8)
        fig.suptitle(f"seed {seed}: 15th / 50th / 85th percentiles over 1,000 validation images",
                     fontsize=10)
    else:
        raise KeyError(f"{name}: unknown figure {which!r}")
    return _svg(fig)


for _name in ("bn_seed003", "bn_deep_sigmoid", "bn_learning_rate", "bn_mnist_toy"):
    results.TABLES[_name] = _table
    results.FIGURES[_name] = _figure
