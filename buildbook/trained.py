"""Shortcodes for trained results, read from the committed records in results/.

    [[result NAME stamp]]                 the provenance line (loudly marked when stale) with a
                                          link to the record itself (copied into the site)
    [[cite NAME relu.h1.best_val_acc.mean .2%]]          one value, with a format spec

Tables and figures of a record are drawn by snippets beside the experiment
(``[[figure chapter/name_what.py]]``, ``[[value chapter/name_table.py rows]]``).
"""
import html

from . import paths, records
from .render import relative
from .shortcodes import Context, ShortcodeError, handler

TEXT = {
    "zh": {"trained": "训练于", "seeds": "随机种子", "wall": "用时", "commit": "提交",
           "stale": "⚠ 已过期：实验源代码在生成此结果后已修改，请运行", "min": "分钟", "s": "秒",
           "record": "结果记录", "reference": "参考实现"},
    "en": {"trained": "Trained on", "seeds": "seeds", "wall": "wall time", "commit": "commit",
           "stale": "⚠ STALE: the experiment's source changed after this result was made; run",
           "min": "min", "s": "s", "record": "result record", "reference": "reference"},
}


def stamp(rec: dict, lang: str = "zh", record_url: str | None = None) -> str:
    """One visible provenance line: device, backend, versions, seeds, wall time, date, commit."""
    t = TEXT[lang]
    p = rec["provenance"]
    v = p.get("versions", {})
    backend = p.get("backend", "?")
    be_version = v.get("jax") if backend == "jax" else v.get("tensorflow")
    seeds = p.get("seeds", [])
    seed_text = f"{seeds[0]}–{seeds[-1]}" if len(seeds) > 1 else ",".join(map(str, seeds))
    wall = p.get("wall_time_s", 0.0)
    wall_text = f"{wall / 60:.1f} {t['min']}" if wall >= 90 else f"{wall:.0f} {t['s']}"
    parts = [f"{t['trained']} {html.escape(p.get('device', '?'))} ({p.get('device_kind', '?').upper()})",
             f"Keras {v.get('keras', '?')} + {backend} {be_version or ''}".rstrip(),
             f"Python {v.get('python', '?')}, NumPy {v.get('numpy', '?')}",
             f"{t['seeds']} {seed_text}", f"{t['wall']} {wall_text}",
             p.get("date_utc", "?")[:10], f"{t['commit']} {p.get('git_commit', 'unknown')[:10]}"]
    if record_url:
        parts.append(f'<a href="{record_url}" download>{t["record"]} {html.escape(rec["name"])}.json</a>')
    line = " · ".join(parts)
    if p.get("smoke"):
        line += " · SMOKE RUN"
    if records.is_stale(rec):
        line = f"<strong>{t['stale']} <code>{html.escape(records.refresh_command(rec))}</code></strong><br>\n" + line
    return f'<p class="gradbook-stamp"><small>{line}</small></p>\n'


@handler("result")
def result(args: list[str], ctx: Context) -> str:
    if len(args) != 2 or args[1] != "stamp":
        raise ShortcodeError("takes a record name and the view 'stamp' (tables and figures are "
                             "snippets beside the experiment: [[figure ...]], [[value ... rows]])")
    name = args[0]
    try:
        rec = records.load(name)
    except records.RecordError as exc:
        raise ShortcodeError(str(exc)) from None
    target = f"results/{name}.json"
    ctx.assets[target] = records.record_path(name)
    return ctx.html(stamp(rec, ctx.lang, relative(ctx, target)))


@handler("cite")
def cite(args: list[str], ctx: Context) -> str:
    if len(args) not in (2, 3):
        raise ShortcodeError("takes a record name, a dotted path and an optional format spec")
    name, dotted, spec = args[0], args[1], (args[2] if len(args) == 3 else "")
    try:
        found = records.value(f"{name}:{dotted}")
    except (KeyError, FileNotFoundError, records.RecordError) as exc:
        raise ShortcodeError(str(exc)) from None
    try:
        return format(found, spec)
    except (TypeError, ValueError) as exc:
        raise ShortcodeError(f"cannot format {found!r} with {spec!r}: {exc}") from None
