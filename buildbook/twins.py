"""Which version of its twin each page was last synchronized with, and the banner when that changed.

Every page `docs/x.md` (zh) and its twin `docs/x.en.md` (en) record, in YAML front matter, the
content hash of the other one as it was when they were last brought in line:

    ---
    twin: 3f9a0c1d2e4b
    ---

The hash covers the twin's text *after* its own front matter, so writing one page's record never
changes the hash the other page records. When one language is edited and the other is not, the
untouched page's record no longer matches its twin: the build shows a banner on it (in its own
language) that links to the newer twin. `python -m buildbook twins --sync` writes every record
anew (after a translator brought both in line); `--check` lists the pages out of sync.
"""
import argparse
import hashlib
import html
import re
from pathlib import Path

from . import paths

KEY = "twin"
HASH_LENGTH = 12
# The same front matter mkdocs reads (mkdocs.utils.meta): `---` lines around YAML, at the very top.
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)
RECORD = re.compile(rf"^{KEY}:[ \t]*(\S*)[ \t]*$", re.M)
SYNC_COMMAND = "python -m buildbook twins --sync"

LANGUAGE_NAMES = {"zh": {"zh": "中文", "en": "英文"}, "en": {"zh": "Chinese", "en": "English"}}
BANNER = {
    "zh": ("译文可能未同步",
           "本页的{twin}版更新过，本页可能未同步：新增或修改的内容请以"
           '<a href="{href}" hreflang="{twin_lang}">{twin}版</a>为准。'),
    "en": ("This translation may be out of date",
           "The {twin} version of this page has changed since this page was last synchronized "
           'with it: see <a href="{href}" hreflang="{twin_lang}">the {twin} version</a> '
           "for what is new."),
}


def split(text: str) -> tuple[str, str]:
    """(front matter block including its `---` lines, the rest); ('', text) without one."""
    match = FRONT_MATTER.match(text)
    return (match.group(0), text[match.end():]) if match else ("", text)


def content_hash(page: Path) -> str:
    """Hash of the page's text without its front matter (line endings normalized)."""
    body = split(page.read_text(encoding="utf-8"))[1].replace("\r\n", "\n")
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def twin_of(page: Path) -> Path:
    """docs/x.md <-> docs/x.en.md."""
    name = page.name
    return page.with_name(name[: -len(".en.md")] + ".md" if name.endswith(".en.md")
                          else name[: -len(".md")] + ".en.md")


def recorded(page: Path) -> str | None:
    """The twin hash this page's front matter records, or None."""
    front, _ = split(page.read_text(encoding="utf-8"))
    match = RECORD.search(front)
    return match.group(1).strip("'\"") if match else None


def pages(docs: Path = paths.DOCS) -> list[Path]:
    """Every page that has a twin, both languages, sorted."""
    found = [p for p in docs.glob("**/*.md") if twin_of(p).is_file()]
    return sorted(found, key=lambda p: p.relative_to(docs).as_posix())


def in_sync(page: Path) -> bool:
    return recorded(page) == content_hash(twin_of(page))


def out_of_sync(docs: Path = paths.DOCS) -> list[Path]:
    return [p for p in pages(docs) if not in_sync(p)]


def write_record(page: Path, value: str) -> bool:
    """Set `twin: value` in the page's front matter (made if missing); True if the file changed."""
    text = page.read_text(encoding="utf-8")
    front, body = split(text)
    line = f"{KEY}: {value}\n"
    if not front:
        front = f"---\n{line}---\n"
    elif RECORD.search(front):
        front = RECORD.sub(line.rstrip("\n"), front, count=1)
    else:
        first_newline = front.index("\n") + 1
        front = front[:first_newline] + line + front[first_newline:]
    new = front + body
    if new != text:
        page.write_text(new, encoding="utf-8")
        return True
    return False


def sync(docs: Path = paths.DOCS) -> list[Path]:
    """Record each page's twin as it is now; the pages whose record changed."""
    hashes = {p: content_hash(twin_of(p)) for p in pages(docs)}   # all read before any write
    return [p for p, value in hashes.items() if write_record(p, value)]


def banner(lang: str, twin_lang: str, href: str) -> str:
    """The notice for a page whose twin changed since they were synchronized: a Material
    admonition (it follows the light and dark schemes) in the page's own language."""
    title, text = BANNER[lang]
    body = text.format(twin=LANGUAGE_NAMES[lang][twin_lang], twin_lang=twin_lang,
                       href=html.escape(href, quote=True))
    return (f'<div class="admonition warning gb-twin-stale" data-twin-lang="{twin_lang}">\n'
            f'<p class="admonition-title">{title}</p>\n<p>{body}</p>\n</div>\n')


H1_END = re.compile(r"</h1>\s*", re.I)


def with_banner(page_html: str, notice: str) -> str:
    """Put the notice right under the page's first heading (at the top when it has none)."""
    match = H1_END.search(page_html)
    if match is None:
        return notice + page_html
    return page_html[:match.end()] + notice + page_html[match.end():]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m buildbook twins",
                                     description="record or check which version of its twin each page matches")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--sync", action="store_true",
                       help="write each page's `twin:` hash from its twin as it is now")
    group.add_argument("--check", action="store_true",
                       help="list the pages whose twin changed since they were synchronized (exit 1 if any)")
    args = parser.parse_args(argv)
    if args.sync:
        changed = sync()
        for page in changed:
            print(f"recorded twin of {page.relative_to(paths.ROOT)}")
        print(f"{len(changed)} page(s) updated, {len(pages())} in sync")
        return 0
    stale = out_of_sync()
    for page in stale:
        print(f"{page.relative_to(paths.ROOT)}: {twin_of(page).name} changed since it was synchronized")
    if stale:
        print(f"{len(stale)} page(s) out of sync; once both languages say the same: {SYNC_COMMAND}")
        return 1
    print(f"all {len(pages())} pages in sync with their twins")
    return 0
