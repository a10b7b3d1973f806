"""What the tests need to know about pages and snippets, read from the files themselves."""
import re
from pathlib import Path

from buildbook import paths, shortcodes, twins

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(\{#([\w-]+)\})?\s*$")


def page_lines(page: Path) -> list[str]:
    """The page's lines, its YAML front matter (the `twin:` record) blanked: numbering kept."""
    front, body = twins.split(page.read_text(encoding="utf-8"))
    return [""] * front.count("\n") + body.splitlines()


def zh_pages() -> list[Path]:
    return sorted(p for p in paths.DOCS.glob("**/*.md") if not p.name.endswith(".en.md"))


def en_pages() -> list[Path]:
    return sorted(paths.DOCS.glob("**/*.en.md"))


def twin(page: Path) -> Path:
    return page.with_name(page.name[:-3] + ".en.md")


def shortcode_list(page: Path) -> list[tuple[str, tuple[str, ...]]]:
    text = page.read_text(encoding="utf-8")
    return [(m.group(1), tuple(m.group(2).split())) for _, m in shortcodes.find(text)]


def outside_fences(page: Path):
    """Yield (line number, line) for the page's lines outside fenced code blocks."""
    fence = None
    for number, line in enumerate(page_lines(page), start=1):
        opened = shortcodes.FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(2)
            continue
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        yield number, line


def headings(page: Path) -> list[tuple[int, str, str | None]]:
    """(level, text, explicit id) of every heading outside fenced code."""
    found = []
    for _, line in outside_fences(page):
        match = HEADING.match(line)
        if match:
            found.append((len(match.group(1)), match.group(2), match.group(4)))
    return found


def executed_snippets() -> list[str]:
    """Every snippet a page runs at build time ('chapter/file.py'), each once."""
    seen: dict[str, None] = {}
    for page in zh_pages() + en_pages():
        for kind, args in shortcode_list(page):
            if kind in ("snippet", "value", "figure"):
                seen[args[0]] = None
    return sorted(seen)


def shown_sources() -> list[str]:
    return sorted({args[0] for page in zh_pages() for kind, args in shortcode_list(page)
                   if kind == "source"})


def load_snippet(rel: str):
    """Import snippets/<rel> as a module (its folder importable, figures closed, warnings quiet)."""
    import importlib.util
    import sys
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = paths.SNIPPETS / rel
    spec = importlib.util.spec_from_file_location(rel.replace("/", "_")[:-3], path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
        plt.close("all")
    return module


# --- prose: page text outside code, math, shortcodes, HTML tags, URLs and heading ids ----------

_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(?:\\\$|[^$])+?\$")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_LINK_URL = re.compile(r"\]\(([^)\s]*)\)")
_HEADING_ID = re.compile(r"\{#[\w-]+\}")


def prose_lines(page: Path) -> list[tuple[int, str]]:
    """(line number, prose) for every line of `page`: fenced code, inline code, shortcodes
    `[[...]]`, display math `$$...$$`, inline math `$...$`, HTML tags, link URLs (the `(...)` after
    `]`, kept as `()`) and heading ids removed.  Link text stays: it is prose."""
    out, fence, display = [], None, False
    for number, line in enumerate(page_lines(page), start=1):
        opened = shortcodes.FENCE.match(line)
        if fence is None and not display and opened:
            fence = opened.group(2)
            continue
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        line = _INLINE_CODE.sub(" ", line)
        line = shortcodes.SHORTCODE.sub(" ", line)
        kept, parts = [], line.split("$$")
        for i, part in enumerate(parts):          # odd pieces (or all while display) are math
            if not display:
                kept.append(part)
            if i < len(parts) - 1:
                display = not display
        line = " ".join(kept)
        line = _INLINE_MATH.sub(" ", line)
        line = _HTML_TAG.sub(" ", line)
        line = _LINK_URL.sub("]()", line)
        line = _HEADING_ID.sub(" ", line)
        out.append((number, line))
    return out


REFERENCE_LINK = re.compile(r"\[([^\]]*)\]\((?:\./)?references(?:\.en)?\.md#([\w-]+)\)")


def reference_links(page: Path) -> list[tuple[int, str, str, str | None]]:
    """(line number, link text, reference id, section id) of every link to an entry of the
    references page, outside fenced code; the section is the id of the nearest heading above."""
    found, section = [], None
    for number, line in outside_fences(page):
        heading = HEADING.match(line)
        if heading:
            section = heading.group(4)
        for match in REFERENCE_LINK.finditer(_INLINE_CODE.sub(" ", line)):
            found.append((number, match.group(1), match.group(2), section))
    return found
