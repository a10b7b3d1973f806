"""The shortcodes that show snippets: their code, their build-time output, values and notebooks."""
import html
import posixpath
import textwrap

from . import execute, paths
from .shortcodes import Context, ShortcodeError, handler

LABELS = {
    "zh": {"output": "输出", "figure": "图", "figure_code": "生成此图表的代码", "notebook": "配套笔记本",
           "notebook_text": "本章全部代码片段汇成一个可下载的 Jupyter 笔记本：",
           "view": "在线查看", "download": "下载 .ipynb"},
    "en": {"output": "Output", "figure": "Figure", "figure_code": "The code that draws this", "notebook": "Companion notebook",
           "notebook_text": "Every snippet of this chapter, in one downloadable Jupyter notebook:",
           "view": "view it here", "download": "download the .ipynb"},
}


def relative(ctx: Context, target: str) -> str:
    """URL of site-root-relative `target` as seen from the page."""
    start = ctx.url.rstrip("/") if ctx.url.endswith("/") else posixpath.dirname(ctx.url)
    return posixpath.relpath(target, start or ".")


def fenced(code: str, attrs: str) -> str:
    fence = "```"
    while fence in code:
        fence += "`"
    return f"\n{fence}python {attrs}\n{code.rstrip()}\n{fence}\n"


def one_arg(args: list[str], what: str) -> str:
    if len(args) != 1:
        raise ShortcodeError(f"takes exactly one argument ({what}), got {args}")
    return args[0]


def run(rel: str):
    try:
        return execute.run(rel)
    except FileNotFoundError as exc:
        raise ShortcodeError(str(exc)) from None


@handler("source")
def source(args: list[str], ctx: Context) -> str:
    """The code of a snippet that the build does not run (trained experiments)."""
    rel = one_arg(args, "snippet path")
    try:
        path = paths.snippet_path(rel)
    except FileNotFoundError as exc:
        raise ShortcodeError(str(exc)) from None
    return fenced(path.read_text(encoding="utf-8"), f'title="snippets/{rel}"')


@handler("snippet")
def snippet(args: list[str], ctx: Context) -> str:
    rel = one_arg(args, "snippet path")
    output = run(rel)
    code = paths.snippet_path(rel).read_text(encoding="utf-8")
    label = LABELS[ctx.lang]["output"]
    parts = [f'<div class="gb-output" data-snippet="{html.escape(rel)}">'
             f'<div class="gb-output-label">{label}</div>'
             f"<pre><code>{html.escape(output.stdout.rstrip())}</code></pre>"]
    parts.append(figures_html(rel, output, ctx))
    parts.append("</div>")
    return fenced(code, f'title="snippets/{rel}"') + ctx.html("".join(parts))


def figures_html(rel: str, output, ctx: Context) -> str:
    parts = []
    stem = rel[:-3]
    for number, figure in enumerate(output.figures, start=1):
        target = f"figures/{stem}-{number}.svg"
        ctx.assets[target] = output.folder / figure["file"]
        alt = figure["title"] or f"{LABELS[ctx.lang]['figure']} {number}: {rel}"
        parts.append(f'<figure class="gb-figure"><img src="{relative(ctx, target)}" '
                     f'alt="{html.escape(alt)}" loading="lazy"></figure>')
    return "".join(parts)


@handler("figure")
def figure(args: list[str], ctx: Context) -> str:
    """A snippet's figures first, then its code, collapsed (figures and tables of records)."""
    rel = one_arg(args, "snippet path")
    output = run(rel)
    code = paths.snippet_path(rel).read_text(encoding="utf-8")
    shown = ctx.html(figures_html(rel, output, ctx)) if output.figures else ""
    block = textwrap.indent(fenced(code, f'title="snippets/{rel}"'), "    ", lambda _l: True)
    return f'{shown}\n??? example "{LABELS[ctx.lang]["figure_code"]}: snippets/{rel}"\n{block}\n'


@handler("value")
def value(args: list[str], ctx: Context) -> str:
    if len(args) not in (2, 3):
        raise ShortcodeError("takes a snippet path, a variable name and an optional format spec")
    rel, name, spec = args[0], args[1], (args[2] if len(args) == 3 else "")
    output = run(rel)
    if name not in output.values:
        raise ShortcodeError(f"snippets/{rel} has no citable module-level value {name!r} "
                             f"(it has: {', '.join(sorted(output.values)) or 'none'})")
    try:
        return format(output.values[name], spec)
    except (TypeError, ValueError) as exc:
        raise ShortcodeError(f"cannot format {name}={output.values[name]!r} with {spec!r}: {exc}")


@handler("notebook")
def notebook(args: list[str], ctx: Context) -> str:
    if args:
        raise ShortcodeError("takes no arguments: the notebook is made from this page's snippets")
    words = LABELS[ctx.lang]
    source = ctx.page.removeprefix("docs/")
    stem = posixpath.basename(source).split(".")[0]
    # The rendered notebook is a page: link its source so mkdocs resolves it per language.
    page_link = posixpath.relpath(f"notebooks/{stem}.ipynb", posixpath.dirname(source) or ".")
    # The .ipynb itself is copied next to the site root after the build: a plain link.
    download = ctx.html(f'<a href="{relative(ctx, f"notebooks/{stem}.ipynb")}" '
                        f'download="{stem}.ipynb">{words["download"]}</a>').strip()
    return (f'\n!!! info "{words["notebook"]}"\n\n'
            f'    {words["notebook_text"]} [{words["view"]}]({page_link}) · {download}\n')
