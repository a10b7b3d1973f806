"""Shortcodes for trained results: tables, figures, provenance stamps and cited values from
the committed records in results/ (rendered by buildbook.results, read by buildbook.records).

    [[result depth_table table]]          a markdown table
    [[result depth_table stamp]]          the provenance line (loudly marked when stale)
    [[result depth_table figure:val_acc]] an SVG figure (one file shared by both languages)
    [[cite depth_table relu.h1.best_val_acc.mean .2%]]   one value, with a format spec
"""
import hashlib
import html

from . import paths, records, results, results_activations, results_batch_norm  # noqa: F401 (registers renderers)
from .render import relative
from .shortcodes import Context, ShortcodeError, handler


def figure_file(name: str, which: str):
    """The SVG of a record's figure, rendered once per record content and renderer version."""
    digest = hashlib.sha256(records.record_path(name).read_bytes())
    for renderer in sorted(paths.ROOT.joinpath("buildbook").glob("results*.py")):   # and results_<chapter>.py
        digest.update(renderer.read_bytes())
    digest.update(which.encode())
    target = paths.CACHE / "results" / f"{name}-{digest.hexdigest()[:16]}.svg"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        results.render(name, f"figure:{which}", path=tmp)
        tmp.replace(target)
    return target


@handler("result")
def result(args: list[str], ctx: Context) -> str:
    if len(args) != 2:
        raise ShortcodeError("takes a record name and a view (table, stamp, figure:<which>)")
    name, view = args
    if not records.record_path(name).is_file():
        raise ShortcodeError(f"no result record results/{name}.json: run "
                             f"`python -m buildbook run {name}`")
    try:
        if view.startswith("figure:"):
            which = view.split(":", 1)[1]
            source = figure_file(name, which)
            target = f"figures/results/{name}-{which.replace(':', '-').replace('.', '-')}.svg"
            ctx.assets[target] = source
            return ctx.html(f'<figure class="gb-figure"><img src="{relative(ctx, target)}" '
                            f'alt="{html.escape(f"{name}: {which}")}" loading="lazy"></figure>')
        text = results.render(name, view, lang=ctx.lang)
    except (KeyError, ValueError, records.RecordError) as exc:
        raise ShortcodeError(str(exc)) from None
    return ctx.html(text) if view == "stamp" else "\n" + text + "\n"


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
