"""Find `[[kind args]]` shortcodes in page markdown and expand them; unknown kinds stop the build.

Expansion happens in two steps so that no markdown processor ever touches generated HTML:
`expand` swaps each shortcode for markdown or for a placeholder, and `fill` swaps the
placeholders in the rendered HTML for the stashed fragments.
"""
import re
import secrets
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import paths

SHORTCODE = re.compile(r"\[\[([a-z]+)((?:\s+[^\]\s]+)*)\s*\]\]")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})")


class ShortcodeError(Exception):
    pass


@dataclass
class Context:
    page: str                     # the page's source path, for error messages
    lang: str                     # 'zh' or 'en'
    url: str                      # the page's URL relative to the site root
    token: str = field(default_factory=lambda: secrets.token_hex(6))
    stash: dict = field(default_factory=dict)
    assets: dict = field(default_factory=dict)   # site path -> file to copy there

    def html(self, fragment: str) -> str:
        """A placeholder paragraph that `fill` replaces with `fragment` after markdown ran."""
        key = f"GBSTASH{self.token}N{len(self.stash)}Z"  # the Z ends it: N1Z never matches inside N15Z
        self.stash[key] = fragment
        return f"\n\n{key}\n\n"


HANDLERS: dict[str, Callable[[list[str], Context], str]] = {}


def handler(name: str):
    def register(function):
        HANDLERS[name] = function
        return function
    return register


def find(markdown: str):
    """Yield (line_number, match) for each shortcode outside fenced code blocks."""
    fence = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(2)
            continue
        if fence is not None:
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
            continue
        for match in SHORTCODE.finditer(line):
            yield number, match


EXECUTED = ("snippet", "figure", "value")   # the shortcodes whose snippet the build runs


def executed_snippets(docs: Path) -> list[str]:
    """The snippets (``chapter/file.py``) that the pages under ``docs`` run, existing files only
    (a missing one is reported by its page, with the line)."""
    found = []
    for page in sorted(docs.rglob("*.md")):
        for _, match in find(page.read_text(encoding="utf-8")):
            args = match.group(2).split()
            if match.group(1) in EXECUTED and args and (paths.SNIPPETS / args[0]).is_file():
                found.append(args[0])
    return list(dict.fromkeys(found))


def expand(markdown: str, ctx: Context) -> str:
    lines = markdown.splitlines(keepends=True)
    for number, match in reversed(list(find(markdown))):
        kind, args = match.group(1), match.group(2).split()
        function = HANDLERS.get(kind)
        if function is None:
            raise ShortcodeError(f"{ctx.page}:{number}: unknown shortcode [[{kind}]] "
                                 f"(known: {', '.join(sorted(HANDLERS))})")
        try:
            replacement = function(args, ctx)
        except ShortcodeError as exc:
            raise ShortcodeError(f"{ctx.page}:{number}: {match.group(0)}: {exc}") from None
        line = lines[number - 1]
        if line.strip() == match.group(0):  # alone on its line: keep its indentation (admonitions, tabs)
            indent = line[:len(line) - len(line.lstrip())]
            lines[number - 1] = textwrap.indent(replacement, indent, lambda _l: True).rstrip(" ") + "\n"
        else:
            lines[number - 1] = line[:match.start()] + replacement + line[match.end():]
    return "".join(lines)


def fill(html: str, ctx: Context) -> str:
    for key, fragment in ctx.stash.items():
        pattern = re.compile(rf"<p>{key}</p>|{key}")
        html, count = pattern.subn(lambda _m: fragment, html, count=1)
        if count != 1:
            raise ShortcodeError(f"{ctx.page}: generated block {key} vanished while rendering "
                                 "(is the shortcode inside an HTML block or a table?)")
    return html
