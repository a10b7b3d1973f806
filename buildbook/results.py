"""Render result records for pages: tables, figures and provenance stamps.

``render(name, view, lang="zh", path=None)`` with view one of
- ``table``: depth_table: our mean +- std best validation and test accuracy (5 seeds) beside
  seed 000's single runs; layer_speed: ||dC/db|| per hidden layer at initialisation beside
  Nielsen's values;
- ``figure:<which>`` (SVG text; also written to ``path`` if given):
  depth_table: ``figure:val_acc``, ``figure:grad_norms`` (``figure:grad_norms:relu.h4``, ...),
  ``figure:grad_norms_w``, ``figure:plateau`` (each seed of ``sigmoid.h4``: accuracy and
  ||dC/db_1||; ``figure:plateau:sigmoid.h3``);
  layer_speed: ``figure:speed`` (``figure:speed:h3``, ...), ``figure:init``;
- ``stamp``: one visible provenance line; says STALE loudly when the source changed.
Figures are language-neutral (math and English axis names) and byte-for-byte reproducible.
Bands are mean +- one sample standard deviation over seeds (on log axes the lower edge is
clipped at a tenth of the mean where mean - std would be <= 0); where the seeds of one
configuration disagree by more than 5 points, each seed is drawn instead of a band.
"""
from __future__ import annotations

import ast
import io
from pathlib import Path

from . import paths, records

TEXT = {
    "zh": {"layers": "隐藏层数", "epochs": "周期", "ours_val": "最佳验证准确率（本站）",
           "ours_test": "该轮测试准确率（本站）", "seed000": "种子文章（单次）",
           "net": "网络", "layer": "隐藏层", "ours_init": "初始化时 ‖∂C/∂b‖（本站）",
           "nielsen": "Nielsen 书中数值", "trained": "训练于", "seeds": "随机种子",
           "wall": "用时", "commit": "提交", "stale": "⚠ 已过期：实验源代码在生成此结果后已修改，请运行",
           "min": "分钟", "s": "秒", "mean_std": "均值 ± 标准差，{n} 个种子",
           "per_seed": "{act}，{d} 个隐藏层，各种子的最佳验证准确率（%）：{vals}"},
    "en": {"layers": "hidden layers", "epochs": "epochs", "ours_val": "best validation accuracy (ours)",
           "ours_test": "test accuracy at that epoch (ours)", "seed000": "seed article (single run)",
           "net": "net", "layer": "hidden layer", "ours_init": "‖∂C/∂b‖ at initialisation (ours)",
           "nielsen": "Nielsen's book", "trained": "Trained on", "seeds": "seeds",
           "wall": "wall time", "commit": "commit",
           "stale": "⚠ STALE: the experiment's source changed after this result was made; run",
           "min": "min", "s": "s", "mean_std": "mean ± std over {n} seeds",
           "per_seed": "{act}, {d} hidden layers, best validation accuracy (%) of each seed: {vals}"},
}
ACT_NAME = {"sigmoid": "sigmoid", "relu": "ReLU"}


def _t(lang):
    if lang not in TEXT:
        raise ValueError(f"unknown language {lang!r}; use one of {sorted(TEXT)}")
    return TEXT[lang]


def _module_constant(source: Path, name: str):
    """A literal module-level constant of a snippet, read without importing it."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise KeyError(f"{source.name} defines no constant {name}")


def _pct(summary, digits=2):
    return f"{summary['mean'] * 100:.{digits}f} ± {summary['std'] * 100:.{digits}f}"


# ------------------------------------------------------------------ tables
def _depth_table(rec, lang):
    t = _t(lang)
    seed000 = _module_constant(paths.ROOT / rec["source"], "SEED000")
    res = rec["results"]
    n = res["sigmoid"]["h1"]["n"]
    head = [t["layers"], t["epochs"]]
    for act in ("sigmoid", "relu"):
        a = ACT_NAME[act]
        head += [f"{a}: {t['ours_val']} %", f"{a}: {t['ours_test']} %", f"{a}: {t['seed000']} %"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    depths = sorted(int(k[1:]) for k in res["sigmoid"])
    for d in depths:
        row = [str(d), str(res["sigmoid"][f"h{d}"]["settings"]["epochs"])]
        for act in ("sigmoid", "relu"):
            c = res[act][f"h{d}"]
            ref = seed000[act].get(d, seed000[act].get(str(d)))
            row += [_pct(c["best_val_acc"]), _pct(c["test_acc_at_best"]), f"{ref:.2f}"]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    notes = [t["mean_std"].format(n=n)]
    for d in depths:
        for act in ("sigmoid", "relu"):
            bv = res[act][f"h{d}"]["best_val_acc"]
            if bv["std"] > 0.02:            # seeds disagree: show every one
                vals = ", ".join(f"{v * 100:.2f}" for v in bv["values"])
                notes.append(t["per_seed"].format(act=ACT_NAME[act], d=d, vals=vals))
    lines.append("<small>" + "<br>".join(notes) + "</small>")
    return "\n".join(lines) + "\n"


def _layer_speed_table(rec, lang):
    t = _t(lang)
    lit = rec["settings"].get("literature", {}).get("init_norm_b", {})
    lines = [f"| {t['net']} | {t['layer']} | {t['ours_init']} | {t['nielsen']} |", "|---|---|---|---|"]
    n = 0
    for key, c in rec["results"].items():
        s = c["init_norm_b"]
        n = c["n"]
        sizes = ",".join(str(v) for v in c["settings"]["sizes"])
        for i, (m, sd) in enumerate(zip(s["mean"], s["std"])):
            ref = lit.get(key, [None] * len(s["mean"]))[i]
            lines.append(f"| [{sizes}] | {i + 1} | {m:.4f} ± {sd:.4f} | "
                         f"{'' if ref is None else f'{ref:.3f}'} |")
    lines.append("")
    lines.append(f"<small>{t['mean_std'].format(n=n)}</small>")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ figures
def _plt():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    plt.rcParams.update({"svg.hashsalt": "gradbook", "svg.fonttype": "none",
                         "font.family": "DejaVu Sans", "font.size": 10})
    return plt


def _band(ax, x, mean, std, log, **kw):
    import numpy as np
    mean, std = np.asarray(mean, float), np.asarray(std, float)
    lo = mean - std
    if log:
        lo = np.where(lo > 0, lo, mean / 10)
    line, = ax.plot(x, mean, **kw)
    ax.fill_between(x, lo, mean + std, color=line.get_color(), alpha=0.2, linewidth=0)
    return line


def _layer_norm_plot(ax, curve, log=True, first_epoch=0, label="hidden layer"):
    import numpy as np
    mean, std = np.asarray(curve["mean"]), np.asarray(curve["std"])
    x = np.arange(first_epoch, first_epoch + len(mean))
    if len(mean) > 120:  # long curves: about 100 points keep the shape and the SVG small
        keep = np.unique(np.r_[np.arange(0, len(mean), len(mean) // 100), len(mean) - 1])
        mean, std, x = mean[keep], std[keep], x[keep]
    for l in range(mean.shape[1]):
        _band(ax, x, mean[:, l], std[:, l], log, label=f"{label} {l + 1}")
    if log:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)


def _figure(rec, which, title=None):
    import numpy as np
    plt = _plt()
    parts = which.split(":")
    kind, arg = parts[0], (parts[1] if len(parts) > 1 else None)
    res = rec["results"]
    name = rec["name"]
    if name == "depth_table" and kind == "val_acc":
        fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
        for ax, act in zip(axes, ("sigmoid", "relu")):
            for key in sorted(res[act]):
                c = res[act][key]["curves"]["val_acc"]
                mean, std = np.asarray(c["mean"][1:]) * 100, np.asarray(c["std"][1:]) * 100
                x = np.arange(1, len(mean) + 1)
                if std.max() > 5:       # seeds disagree wildly: a band would mislead, show each
                    color = None
                    for i, r in enumerate(res[act][key]["per_seed"]):
                        line, = ax.plot(x, np.asarray(r["curves"]["val_acc"][1:]) * 100, lw=0.8,
                                        color=color, label=f"{key[1:]} hidden (each seed)" if i == 0 else None)
                        color = line.get_color()
                else:
                    _band(ax, x, mean, std, False, label=f"{key[1:]} hidden")
            ax.set_title(ACT_NAME[act])
            ax.set_xlabel("epoch")
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=8)
        axes[0].set_ylabel("validation accuracy (%)")
        lo = min(np.min(np.asarray(res[a][k]["curves"]["val_acc"]["mean"][1:])) for a in res for k in res[a])
        axes[0].set_ylim(max(90.0, lo * 100 - 0.5), 98.5)
    elif name == "depth_table" and kind == "plateau":
        act, depth = (arg or "sigmoid.h4").split(".")
        c = res[act][depth]
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
        for r in c["per_seed"]:
            val = np.asarray(r["curves"]["val_acc"]) * 100
            line, = ax1.plot(np.arange(len(val)), val, lw=1, label=f"seed {r['seed']}")
            nb = np.asarray(r["curves"]["grad_norm_b"])[:, 0]
            ax2.plot(np.arange(len(nb)), nb, lw=1, color=line.get_color())
        ax1.set_ylabel("validation accuracy (%)")
        ax1.set_ylim(0, 100)
        ax2.set_yscale("log")
        ax2.set_ylabel("‖∂C/∂b‖, hidden layer 1")
        for ax in (ax1, ax2):
            ax.set_xlabel("epoch")
            ax.grid(True, alpha=0.3)
        ax1.legend(fontsize=8)
        fig.suptitle(f"{ACT_NAME[act]}, {depth[1:]} hidden layers: each seed")
    elif name == "depth_table" and kind in ("grad_norms", "grad_norms_w"):
        configs = [arg] if arg else ["sigmoid.h4", "relu.h4"]
        key = "grad_norm_w" if kind == "grad_norms_w" else "grad_norm_b"
        fig, axes = plt.subplots(1, len(configs), figsize=(4.6 * len(configs), 3.6), sharey=True,
                                 squeeze=False)
        for ax, cfg in zip(axes[0], configs):
            act, depth = cfg.split(".")
            _layer_norm_plot(ax, res[act][depth]["curves"][key])
            ax.set_title(f"{ACT_NAME[act]}, {depth[1:]} hidden layers")
            ax.set_xlabel("epoch")
        axes[0][0].set_ylabel("‖∂C/∂b‖" if key == "grad_norm_b" else "‖∂C/∂W‖")
    elif name == "layer_speed" and kind == "speed":
        nets = [arg] if arg else sorted(res)
        fig, axes = plt.subplots(1, len(nets), figsize=(4.2 * len(nets), 3.6), sharey=True, squeeze=False)
        for ax, key in zip(axes[0], nets):
            _layer_norm_plot(ax, res[key]["curves"]["norm_b"])
            ax.set_title(str(res[key]["settings"]["sizes"]).replace(" ", ""))
            ax.set_xlabel("epoch")
        axes[0][0].set_ylabel("‖∂C/∂b‖ (first 1,000 images)")
    elif name == "layer_speed" and kind == "init":
        fig, ax = plt.subplots(figsize=(5, 3.6))
        for key in sorted(res):
            s = res[key]["init_norm_b"]
            x = np.arange(1, len(s["mean"]) + 1)
            ax.errorbar(x, s["mean"], yerr=s["std"], marker="o", capsize=3,
                        label=str(res[key]["settings"]["sizes"]).replace(" ", ""))
        ax.set_yscale("log")
        ax.set_xlabel("hidden layer")
        ax.set_ylabel("‖∂C/∂b‖ at initialisation")
        ax.set_xticks(range(1, 5))
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    else:
        raise KeyError(f"{name}: unknown figure {which!r}")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buf.getvalue()


# ------------------------------------------------------------------ stamp
def stamp(rec, lang="zh"):
    t = _t(lang)
    p = rec["provenance"]
    v = p.get("versions", {})
    backend = p.get("backend", "?")
    be_version = v.get("jax") if backend == "jax" else v.get("tensorflow")
    seeds = p.get("seeds", [])
    seed_text = f"{seeds[0]}–{seeds[-1]}" if len(seeds) > 1 else ",".join(map(str, seeds))
    wall = p.get("wall_time_s", 0.0)
    wall_text = f"{wall / 60:.1f} {t['min']}" if wall >= 90 else f"{wall:.0f} {t['s']}"
    commit = p.get("git_commit", "unknown")
    parts = [f"{t['trained']} {p.get('device', '?')} ({p.get('device_kind', '?').upper()})",
             f"Keras {v.get('keras', '?')} + {backend} {be_version or ''}".rstrip(),
             f"Python {v.get('python', '?')}, NumPy {v.get('numpy', '?')}",
             f"{t['seeds']} {seed_text}", f"{t['wall']} {wall_text}",
             p.get("date_utc", "?")[:10], f"{t['commit']} {commit[:10]}"]
    line = " · ".join(parts)
    if p.get("smoke"):
        line += " · SMOKE RUN"
    if records.is_stale(rec):
        line = (f"**{t['stale']} `{records.refresh_command(rec)}`**<br>\n" + line)
    return f'<p class="gradbook-stamp"><small>{line}</small></p>\n'


# ------------------------------------------------------------------ entry point
# Renderers by record name. Other chapters register theirs from their own module
# (buildbook/results_<chapter>.py, imported by buildbook/trained.py):
#     TABLES["my_experiment"] = my_table            # (record, lang) -> markdown
#     FIGURES["my_experiment"] = my_figure          # (record, which) -> SVG text
TABLES = {"depth_table": _depth_table, "layer_speed": _layer_speed_table}
FIGURES = {"depth_table": _figure, "layer_speed": _figure}


def _load_chapter_renderers():
    """Import every buildbook/results_<chapter>.py: each registers into TABLES and FIGURES, so
    render() works however buildbook.results was imported (the build, a test, the CLI)."""
    import importlib
    for module in sorted(Path(__file__).parent.glob("results_*.py")):
        importlib.import_module(f"{__package__}.{module.stem}")


def render(name, view, lang="zh", path=None, folder=None):
    """Markdown (tables, stamp) or SVG text (figures) for record ``name``."""
    _load_chapter_renderers()
    rec = records.load(name, folder)
    if view == "table":
        if rec["name"] not in TABLES:
            raise KeyError(f"{name}: no table view (registered: {', '.join(sorted(TABLES))})")
        return TABLES[rec["name"]](rec, lang)
    if view == "stamp":
        return stamp(rec, lang)
    if view.startswith("figure:"):
        if rec["name"] not in FIGURES:
            raise KeyError(f"{name}: no figure views (registered: {', '.join(sorted(FIGURES))})")
        svg = FIGURES[rec["name"]](rec, view[len("figure:"):])
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            Path(path).write_text(svg, encoding="utf-8")
        return svg
    raise KeyError(f"unknown view {view!r}: use table, stamp or figure:<which>")


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(prog="python -m buildbook.results", description="render a result record")
    ap.add_argument("name")
    ap.add_argument("view")
    ap.add_argument("--lang", default="zh", choices=sorted(TEXT))
    ap.add_argument("--out", type=Path, default=None, help="write figures here")
    ap.add_argument("--folder", type=Path, default=None, help="records folder (default results/)")
    a = ap.parse_args(argv)
    text = render(a.name, a.view, a.lang, a.out, a.folder)
    if a.out is None:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
