"""Glossary tooltips: the glossary tables of docs/ become abbreviations on every other page.

A glossary term in a page's prose is wrapped in `<abbr title="definition (other-language term)">`,
which Material (feature `content.tooltips`) shows as a tooltip on hover, focus and tap. Nothing
is written by hand: `definitions` reads the language's glossary page (`glossary.md` for zh,
`glossary.en.md` for en; tables `中文 | English | 释义` / `中文 | English | Definition`) and returns
Python-Markdown `*[term]: title` lines that the build appends to the page's markdown.

Which words are terms:
- zh pages: the 中文 cell, the term before any bracket plus the alternatives inside （...）
  split at 、，,/; one-character terms are left out (轮 is too common a character).
- en pages: the English cell split at "," and "/", a trailing "(SGD)" counts as one more term;
  plus the 中文 cell's terms written in Latin letters (ReLU, Sigmoid, tanh).
- A Latin term in lower case also matches capitalized at the start of a sentence, and a
  capitalized single word (Sigmoid) also in lower case. A term listed in two rows keeps the
  first row's definition.

`Extension` replaces the abbr extension's tree processor (same name, same priority) with
`FirstMentions`, which wraps only whole terms (longest term first; Latin edges must not touch
other Latin letters or digits, CJK terms need no spaces around them), only the first mention of
each term in each section (h1/h2), and never inside headings, table headers, links, code, math,
or the titles of admonitions, details and content tabs. Code blocks, math and the build's
placeholders are stashed or atomic text that no tree processor touches.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from functools import lru_cache
from pathlib import Path

from markdown.extensions import Extension as _Extension
from markdown.extensions.abbr import AbbrTreeprocessor
from markdown.util import AtomicString

PAGES = {"zh": "glossary.md", "en": "glossary.en.md"}
LATIN = re.compile(r"[A-Za-z][A-Za-z \-]*")
SKIP_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "th", "a", "abbr", "code", "pre", "kbd", "script",
             "style", "summary", "label", "svg", "math"}      # label: content tabs' titles
SKIP_CLASSES = {"admonition-title", "arithmatex", "katex"}
SECTION_TAGS = {"h1", "h2"}


# ------------------------------------------------------------------ glossary tables -> abbreviations
def rows(page: Path) -> list[tuple[str, str, str]]:
    """(中文 cell, English cell, definition cell) of every table row of one glossary page."""
    def rule(line: str) -> bool:                    # |---|---|---|
        return line.startswith("|") and set(line) <= set("|-: ")

    found = []
    lines = [line.strip() for line in page.read_text(encoding="utf-8").splitlines()] + [""]
    for line, following in zip(lines, lines[1:]):
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and not rule(line) and not rule(following):
            found.append((cells[0], cells[1], cells[2]))   # a body row: not a rule, nor a header
    return found


def zh_terms(cell: str) -> list[str]:
    terms = [re.split(r"[（(]", cell)[0].strip()]
    terms += [a.strip() for inner in re.findall(r"[（(](.*?)[）)]", cell) for a in re.split(r"[、，,/]", inner)]
    return [t for t in terms if len(t) > 1]


def en_terms(en_cell: str, zh_cell: str) -> list[str]:
    terms = []
    for part in re.split(r"[,/]", en_cell):
        terms.append(re.sub(r"\(.*?\)", "", part).strip())
        terms += [a.strip() for a in re.findall(r"\((.*?)\)", part)]
    terms += [t for t in zh_terms(zh_cell) if LATIN.fullmatch(t)]
    return [t for t in terms if len(t) > 1]


def variants(term: str) -> list[str]:
    """The term, plus its sentence-start capital or its lower-case form (Latin terms only)."""
    forms = [term]
    if term[:1].isascii() and term[:1].isalpha():
        if term.islower():
            forms.append(term[0].upper() + term[1:])
        elif term[0].isupper() and (term[1:].islower() and " " not in term):
            forms.append(term[0].lower() + term[1:])
    return forms


def abbreviations(docs: Path, lang: str) -> dict[str, str]:
    """term -> tooltip text for pages in `lang`, from that language's glossary page."""
    page = Path(docs) / PAGES[lang]
    if not page.is_file():
        return {}
    return _abbreviations(page, lang, page.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _abbreviations(page: Path, lang: str, _mtime: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for zh_cell, en_cell, definition in rows(page):
        if lang == "zh":
            terms, title = zh_terms(zh_cell), f"{plain(definition)}（{en_cell}）"
        else:
            terms, title = en_terms(en_cell, zh_cell), f"{plain(definition)} ({zh_cell})"
        for term in terms:
            for form in variants(term):
                found.setdefault(form, title)
    return found


def definitions(docs: Path, lang: str, src_uri: str) -> str:
    """The `*[term]: title` lines to append to one page's markdown ('' for the glossary itself)."""
    if not src_uri.endswith(".md") or Path(src_uri).name in PAGES.values():
        return ""
    lines = [f"*[{term}]: {title}" for term, title in abbreviations(docs, lang).items()]
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


# ------------------------------------------------------------------ TeX in a definition -> text
SYMBOLS = {"nabla": "∇", "partial": "∂", "alpha": "α", "beta": "β", "gamma": "γ", "eta": "η",
           "theta": "θ", "lambda": "λ", "sigma": "σ", "cdot": "·", "leftarrow": "←", "ge": "≥",
           "le": "≤", "sim": "∼", "lVert": "‖", "rVert": "‖", "lvert": "|", "rvert": "|"}
SUB = dict(zip("0123456789+-=()aeijlnortuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₗₙₒᵣₜᵤᵥₓ"))
SUP = dict(zip("0123456789+-=()inz", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿᶻ"))
GROUP = r"\{((?:[^{}]|\{[^{}]*\})*)\}"        # one {...} with at most one level of nesting inside


def plain(text: str) -> str:
    """A glossary cell as tooltip text: inline math in Unicode, code without backticks."""
    text = re.sub(r"`([^`]*)`", r"\1", text)
    return re.sub(r"\$([^$]+)\$", lambda m: tex(m.group(1)), text)


def tex(math: str) -> str:
    """The little TeX the glossary uses, as plain Unicode text: \\frac{a}{b} -> a/b, x_{in} -> xᵢₙ."""
    math = re.sub(r"\\(?:text|mathrm|operatorname)\s*" + GROUP, r"\1", math)
    math = re.sub(r"\s*\\cdot\s*", " · ", math)
    math = re.sub(r"\\l([vV])ert\s*", lambda m: SYMBOLS[f"l{m.group(1)}ert"], math)
    math = re.sub(r"\s*\\r([vV])ert", lambda m: SYMBOLS[f"r{m.group(1)}ert"], math)
    math = re.sub(r"\\(nabla|partial)\s*", lambda m: SYMBOLS[m.group(1)], math)
    math = re.sub(r"\\([A-Za-z]+)", lambda m: SYMBOLS.get(m.group(1), m.group(0)), math)
    math = re.sub(r"\\frac\s*" + GROUP + r"\s*" + GROUP,
                  lambda m: f"{wrap(tex(m.group(1)))}/{wrap(tex(m.group(2)))}", math)
    math = re.sub(r"\\hat\s*\{?(\w)\}?", "\\1\u0302", math)
    math = re.sub(r"\\([A-Za-z]+)", r"\1", math)           # \max, \tanh: the name itself
    math = re.sub(r"([_^])(?:" + GROUP + r"|(\S))",
                  lambda m: script(m.group(1), m.group(2) if m.group(2) is not None else m.group(3)), math)
    return math.replace("{", "").replace("}", "")


def wrap(part: str) -> str:
    return f"({part})" if re.search(r"[\s+\-·/]", part) else part


def script(kind: str, text: str) -> str:
    table = SUB if kind == "_" else SUP
    if all(c in table for c in text):
        return "".join(table[c] for c in text)
    return f"{kind}({text})" if len(text) > 1 else kind + text


# ------------------------------------------------------------------ the tree processor
class FirstMentions(AbbrTreeprocessor):
    """Wrap the first mention of each abbreviation per section; see the module docstring."""

    def run(self, root: etree.Element) -> None:
        if not self.abbrs:
            return
        terms = sorted(self.abbrs, key=len, reverse=True)
        self.RE = re.compile("|".join(
            (r"(?<![A-Za-z0-9])" if t[0].isascii() and t[0].isalnum() else "") + re.escape(t)
            + (r"(?![A-Za-z0-9])" if t[-1].isascii() and t[-1].isalnum() else "") for t in terms))
        self.seen: set[str] = set()
        self.walk(root)

    def walk(self, el: etree.Element) -> None:
        children = list(el)                       # in document order, before any <abbr> is added
        for index, abbr in enumerate(self.wrap(el, "text")):
            el.insert(index, abbr)
        for child in children:
            if child.tag in SECTION_TAGS:
                self.seen = set()
            if child.tag not in SKIP_TAGS and not SKIP_CLASSES & set((child.get("class") or "").split()):
                self.walk(child)
            index = list(el).index(child) + 1
            for offset, abbr in enumerate(self.wrap(child, "tail")):
                el.insert(index + offset, abbr)

    def wrap(self, el: etree.Element, where: str) -> list[etree.Element]:
        """Cut el.text (or el.tail) at first mentions; the <abbr> elements that follow it."""
        text = getattr(el, where)
        if not text or isinstance(text, AtomicString):
            return []
        made: list[etree.Element] = []
        kept, start = "", 0
        for match in self.RE.finditer(text):
            title = self.abbrs.get(match.group(0))
            if not title or title in self.seen:
                continue
            self.seen.add(title)
            piece = text[start:match.start()]
            if made:
                made[-1].tail = piece
            else:
                kept = piece
            made.append(self.create_element(title, match.group(0), ""))
            start = match.end()
        if not made:
            return []
        made[-1].tail = text[start:]
        setattr(el, where, kept)
        return made


class Extension(_Extension):
    """Replaces the abbr extension's tree processor with FirstMentions (abbr must be enabled)."""

    def extendMarkdown(self, md):
        if "abbr" not in md.treeprocessors:
            raise ValueError("glossary tooltips need the abbr extension, listed before them")
        abbrs = md.treeprocessors["abbr"].abbrs   # filled by abbr's block processor from `*[...]:`
        md.treeprocessors.register(FirstMentions(md, abbrs), "abbr", 7)
