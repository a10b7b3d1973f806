"""`[[report]]`: the execution report, a page that says where every number on the site came from.

Two tables, as markdown (so the page links resolve per language like any hand-written link):

- every snippet that a page executes (`[[snippet]]` or `[[value]]`, found by scanning docs/):
  status, when it last really ran, how long that took, whether this build reused the cache,
  its source hash, and the page section(s) that use it;
- every trained experiment (the sweeps ``snippets/*/*_sweep.py`` and results/*.json): device,
  Keras backend, seeds, wall time, date, source hash, fresh or stale, and the page(s) that
  show it.

Each snippet goes through `execute.run`, so the table is complete whatever order the pages
are rendered in (for a snippet an earlier page already ran this is a lookup in memory).
"""
from __future__ import annotations

import posixpath
from pathlib import Path

from . import execute, experiments, paths, records
from .shortcodes import FENCE, SHORTCODE, Context, ShortcodeError, find, handler

LABELS = {
    "zh": {
        "snippet": "代码片段", "status": "状态", "ok": "成功", "ran_at": "上次运行（UTC）",
        "duration": "耗时", "cache": "本次构建", "hit": "缓存命中", "miss": "本次运行",
        "hash": "源码哈希", "pages": "所在页面", "none": "（没有页面执行代码片段）",
        "experiment": "实验", "device": "设备", "backend": "后端", "seeds": "随机种子",
        "wall": "用时", "date": "日期（UTC）", "freshness": "是否最新", "fresh": "最新",
        "stale": "已过期，请运行", "missing": "没有结果记录，请运行", "invalid": "记录无效，请运行",
        "no_page": "（尚无页面引用）", "s": " 秒", "min": " 分钟",
        "snippets_table": "代码片段执行记录", "experiments_table": "训练实验记录",
    },
    "en": {
        "snippet": "snippet", "status": "status", "ok": "ok", "ran_at": "last run (UTC)",
        "duration": "duration", "cache": "this build", "hit": "cache hit", "miss": "ran",
        "hash": "source hash", "pages": "used on", "none": "(no page executes a snippet)",
        "experiment": "experiment", "device": "device", "backend": "backend", "seeds": "seeds",
        "wall": "wall time", "date": "date (UTC)", "freshness": "fresh?", "fresh": "fresh",
        "stale": "stale, run", "missing": "no result record, run", "invalid": "invalid record, run",
        "no_page": "(not cited by any page yet)", "s": " s", "min": " min",
        "snippets_table": "snippet runs", "experiments_table": "trained experiments",
    },
}
HASH_CHARS = 10
DEFAULT_LANG = "zh"   # built first; the other languages of the same build come after it
# rel -> (cache key, cache hit) as the default language's render of this build saw it. Each
# language starts from an empty execute.SESSION, so a later language would find every snippet
# in the disk cache, including those this very build ran: it reuses the first language's view.
BUILD_SEEN: dict[str, tuple[str, bool]] = {}


def page_sources(lang: str) -> list[Path]:
    """The docs pages of one language (suffix layout: x.md is zh, x.en.md is en)."""
    pages = sorted(paths.DOCS.glob("**/*.md"))
    if lang == "en":
        return [p for p in pages if p.name.endswith(".en.md")]
    return [p for p in pages if not p.name.endswith(".en.md") and p.name.count(".") == 1]


def link_target(page: Path) -> str:
    """The page's source as written in a link: the default-language name (i18n maps it)."""
    rel = page.relative_to(paths.DOCS).as_posix()
    return rel[: -len(".en.md")] + ".md" if rel.endswith(".en.md") else rel


def scan(page: Path):
    """(title, [(section id, section title, kind, args)]) for the shortcodes of one page."""
    text = page.read_text(encoding="utf-8")
    headings = {}
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(2)
            continue
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body = line[level:].strip()
            anchor = None
            if body.endswith("}") and "{#" in body:
                body, _, attrs = body.rpartition("{#")
                anchor = attrs.rstrip("}").split()[0]
            headings[number] = (level, SHORTCODE.sub("", body).strip(), anchor)
    title = next((t for level, t, _ in headings.values() if level == 1), link_target(page))
    uses = []
    for number, match in find(text):
        above = [headings[n] for n in headings if n < number and headings[n][0] >= 2]
        section = above[-1] if above else (1, title, None)
        uses.append((section[2], section[1], match.group(1), match.group(2).split()))
    return title, uses


def cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def link(text: str, target: str, ctx: Context, hover: str | None = None) -> str:
    """A markdown link to a page source (mkdocs resolves it per language); `hover` as its title."""
    start = posixpath.dirname(ctx.page.removeprefix("docs/")) or "."
    title = ' "' + cell(hover).replace('"', "'") + '"' if hover else ""
    return f"[{cell(text)}]({posixpath.relpath(target, start)}{title})"


def uses_by_key(ctx: Context, match) -> dict[str, list[str]]:
    """key -> markdown links to the page sections (this language) whose shortcodes match."""
    found: dict[str, list[str]] = {}
    for page in page_sources(ctx.lang):
        title, uses = scan(page)
        target = link_target(page)
        for anchor, section, kind, args in uses:
            key = match(kind, args)
            if key is None:
                continue
            entry = link(section, f"{target}#{anchor}" if anchor else target, ctx,
                         hover=None if section == title else title)
            found.setdefault(key, [])
            if entry not in found[key]:
                found[key].append(entry)
    return found


def executed_snippets() -> list[str]:
    """Every snippet that some page (either language) runs at build time, each once."""
    seen = set()
    for lang in LABELS:
        for page in page_sources(lang):
            seen.update(args[0] for _, _, kind, args in scan(page)[1]
                        if kind in ("snippet", "value", "figure") and args)
    return sorted(seen)


def duration(seconds: float, words: dict) -> str:
    if seconds >= 90:
        return f"{seconds / 60:.1f}{words['min']}"
    return f"{seconds:.1f}{words['s']}" if seconds >= 10 else f"{seconds:.2f}{words['s']}"


def snippet_table(ctx: Context) -> str:
    words = LABELS[ctx.lang]
    rels = executed_snippets()
    if not rels:
        return words["none"] + "\n"
    used = uses_by_key(ctx, lambda kind, args: args[0] if kind in ("snippet", "value", "figure") and args
                       else None)
    head = [words["snippet"], words["status"], words["ran_at"], words["duration"],
            words["cache"], words["hash"], words["pages"]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    if ctx.lang == DEFAULT_LANG:
        BUILD_SEEN.clear()
    for rel in rels:
        try:
            out = execute.run(rel)
        except FileNotFoundError as exc:
            raise ShortcodeError(str(exc)) from None
        if ctx.lang == DEFAULT_LANG:
            BUILD_SEEN[rel] = (out.key, out.cache_hit)
        seen_key, seen_hit = BUILD_SEEN.get(rel, (None, None))
        cache_hit = seen_hit if seen_key == out.key else out.cache_hit
        meta = out.meta
        ran_at = meta.get("ran_at", "?").replace("T", " ").rstrip("Z")
        lines.append("| " + " | ".join([
            f'<span class="gb-report-name" data-snippet="{cell(rel)}">`{cell(rel)}`</span>',
            words["ok"], ran_at, duration(out.duration_s, words),
            words["hit"] if cache_hit else words["miss"],
            f"`{meta.get('source_hash', '?')[:HASH_CHARS]}`",
            "<br>".join(used.get(rel, [])) or words["no_page"]]) + " |")
    return "\n".join(lines) + "\n"


def experiment_name(name: str) -> str:
    return f'<span class="gb-report-name" data-experiment="{cell(name)}">`{cell(name)}`</span>'


def experiment_table(ctx: Context) -> str:
    words = LABELS[ctx.lang]
    sweeps = experiments.discover()
    names = dict.fromkeys([*sweeps, *sorted(p.stem for p in paths.RESULTS.glob("*.json"))])
    # a page shows an experiment by its record, its reference, its sweep or a snippet beside it
    sources = {}
    for name, sweep in sweeps.items():
        for file in sweep.parent.glob(f"{name}*.py"):
            sources[file.relative_to(paths.SNIPPETS).as_posix()] = name

    def match(kind, args):
        if not args:
            return None
        first = args[0].split(":")[0]
        if kind in ("result", "cite") and first in names:
            return first
        return sources.get(args[0])

    used = uses_by_key(ctx, match)
    head = [words["experiment"], words["device"], words["backend"], words["seeds"],
            words["wall"], words["date"], words["hash"], words["freshness"], words["pages"]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name in names:
        pages = "<br>".join(used.get(name, [])) or words["no_page"]
        try:
            rec = records.load(name)
        except records.RecordError:
            what = "missing" if not records.record_path(name).is_file() else "invalid"
            command = experiments.refresh_command(name) if name in sweeps \
                else f"python -m buildbook run {name}"
            lines.append("| " + " | ".join([experiment_name(name), *["–"] * 6,
                                            f"**{words[what]}** `{cell(command)}`", pages]) + " |")
            continue
        prov = rec["provenance"]
        seeds = prov.get("seeds", [])
        seed_text = f"{len(seeds)} ({seeds[0]}–{seeds[-1]})" if len(seeds) > 1 else \
            ", ".join(map(str, seeds))
        fresh = f"**{words['stale']}** `{cell(records.refresh_command(rec))}`" \
            if records.is_stale(rec) else words["fresh"]
        if prov.get("smoke"):
            fresh += " (smoke)"
        lines.append("| " + " | ".join([
            experiment_name(name),
            cell(f"{prov.get('device', '?')}, {str(prov.get('device_kind', '?')).upper()}"),
            cell(prov.get("backend", "?")), cell(seed_text),
            duration(float(prov.get("wall_time_s", 0)), words),
            cell(prov.get("date_utc", "?").replace("T", " ").rstrip("Z")),
            f"`{prov.get('source_hash', '?')[:HASH_CHARS]}`", fresh, pages]) + " |")
    return "\n".join(lines) + "\n"


def scroll_region(table: str, label: str) -> str:
    """A wide table in a box that scrolls sideways and that the keyboard can reach (tabindex)."""
    return (f'<div class="gb-report" role="region" aria-label="{label}" tabindex="0" markdown="1">'
            f"\n\n{table}\n</div>\n")


@handler("report")
def report(args: list[str], ctx: Context) -> str:
    if len(args) > 1 or (args and args[0] not in ("snippets", "experiments")):
        raise ShortcodeError("takes no argument (both tables) or one of: snippets, experiments")
    parts = []
    if not args or args[0] == "snippets":
        parts.append(scroll_region(snippet_table(ctx), LABELS[ctx.lang]["snippets_table"]))
    if not args or args[0] == "experiments":
        parts.append(scroll_region(experiment_table(ctx), LABELS[ctx.lang]["experiments_table"]))
    return "\n\n" + "\n\n".join(parts) + "\n"
