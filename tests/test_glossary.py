"""The glossary is used consistently: a glossary term (zh column) that a Chinese chapter page
uses must have its English counterpart (en column) in the page's English twin.

Matching rule:
- zh column: the term before any bracket, plus the alternatives inside （...） split at 、，/;
  single characters are ignored (too ambiguous, e.g. 轮).  A term that is written in Latin
  letters in the zh column (Sigmoid, ReLU) is also an acceptable English form.
- en column: alternatives split at "," and "/", the text of a trailing "(...)" (an
  abbreviation such as SGD) counts as one more alternative.
- English text and terms are compared after lowercasing, turning hyphens into spaces and
  British -is- spellings into -iz- (initialisation = initialization); each English word
  matches by its stem (its first max(4, len - 3) letters): "saturation" is found in
  "saturated".  A two-word term also matches in reverse order with up to two words between
  ("gradients vanish" for "vanishing gradient"), and a trailing "function" may be dropped
  ("the cost" for "cost function").
"""
import re

import pytest

from pages import twin, zh_pages

from buildbook import glossary, paths

NOT_CHAPTERS = {"index.md", "glossary.md", "references.md", "report.md"}


def glossary_rows():
    """(zh alternatives, en alternatives) for every table row of docs/glossary.md."""
    rows = []
    for line in (paths.DOCS / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("中文", "") or set(cells[0]) <= set("-: "):
            continue
        zh_cell, en_cell = cells[0], cells[1]
        zh = [re.split(r"[（(]", zh_cell)[0].strip()]
        zh += [a.strip() for inner in re.findall(r"[（(](.*?)[）)]", zh_cell)
               for a in re.split(r"[、，,/]", inner)]
        zh = [a for a in zh if len(a) > 1]
        en = []
        for part in re.split(r"[,/]", en_cell):
            abbrev = re.findall(r"\((.*?)\)", part)
            en += [re.sub(r"\(.*?\)", "", part).strip()] + [a.strip() for a in abbrev]
        en += [a for a in zh if re.fullmatch(r"[A-Za-z][A-Za-z \-]*", a)]
        rows.append((zh_cell, zh, [a for a in en if a]))
    return rows


def normalize(text: str) -> str:
    text = text.lower().replace("-", " ")
    return re.sub(r"(?<=[a-z])is(e|ed|es|ing|ation|ations)\b", r"iz\1", text)


def en_pattern(term: str) -> re.Pattern:
    words = normalize(term).split()
    if len(words) > 1 and words[-1] == "function":      # "the cost" = "the cost function"
        words = words[:-1]
    stems = [re.escape(w[:max(4, len(w) - 3)]) + r"\w*" for w in words]
    forms = [r"\s+".join(stems)]
    if len(stems) == 2:                                  # "gradients vanish" = "vanishing gradient"
        forms.append(stems[1] + r"(?:\s+\w+){0,2}\s+" + stems[0])
    return re.compile(r"\b(?:" + "|".join(forms) + ")")


def zh_uses(text: str, alternatives) -> bool:
    return any(a in text for a in alternatives)


def chapter_pages():
    return [p for p in zh_pages() if p.name not in NOT_CHAPTERS]


def test_glossary_parses():
    rows = glossary_rows()
    assert len(rows) > 30
    by_zh = {zh[0]: en for _, zh, en in rows}
    assert "vanishing gradient" in by_zh["梯度消失"]
    assert "SGD" in by_zh["随机梯度下降"]
    assert en_pattern("vanishing gradient").search(normalize("the vanishing-gradients problem"))
    assert en_pattern("initialization").search(normalize("at initialisation"))
    assert not en_pattern("epoch").search(normalize("an epic"))
    assert en_pattern("vanishing gradient").search(normalize("the gradients vanish layer by layer"))
    assert en_pattern("cost function").search(normalize("the cost rises"))


@pytest.mark.parametrize("page", chapter_pages(), ids=lambda p: p.name)
def test_glossary_terms_have_their_english_counterpart(page):
    zh_text = page.read_text(encoding="utf-8")
    en_text = normalize(twin(page).read_text(encoding="utf-8"))
    missing = []
    for cell, zh, english in glossary_rows():
        if zh_uses(zh_text, zh) and not any(en_pattern(a).search(en_text) for a in english):
            missing.append(f"{cell} -> {' / '.join(english)}")
    assert not missing, (f"{page.name} uses these glossary terms, but {twin(page).name} has none of "
                         f"their English forms:\n  " + "\n  ".join(missing))


# --- one form per term ---------------------------------------------------------------------------
# (chosen, avoided pattern): the chosen form is the glossary's first form; the avoided one is listed
# in the glossary as an alternative and must not appear in chapter prose (outside code, math and
# shortcodes).  "Glorot" stays allowed as an author's name (Glorot and Bengio, Xavier Glorot).
CHOSEN_TERMS = {
    "zh": [("周期", r"轮"),
           ("Xavier 初始化", r"(?<!Xavier )Glorot(?!\s*(?:与|和|、|,|&))")],
    "en": [("Xavier initialization", r"(?<!Xavier )\bGlorot\b(?!\s*(?:and\b|&|,))"),
           ("epoch", r"\btraining rounds?\b")],
}
TERM_CASES = [(lang, chosen, avoided) for lang, pairs in CHOSEN_TERMS.items()
              for chosen, avoided in pairs]


def _prose(page):
    from pages import prose_lines
    return prose_lines(page)


def _all_chapters(lang):
    pages = chapter_pages() + [p for p in zh_pages() if p.name == "index.md"]
    return pages if lang == "zh" else [twin(p) for p in pages]


@pytest.mark.parametrize("lang,chosen,avoided", TERM_CASES, ids=str)
def test_each_term_is_used_one_way(lang, chosen, avoided):
    glossary = (paths.DOCS / ("glossary.md" if lang == "zh" else "glossary.en.md")).read_text(encoding="utf-8")
    assert chosen.split()[0] in glossary, f"{chosen} is not in the glossary"
    bad = [f"{page.name}:{number}: {line.strip()[:80]}"
           for page in _all_chapters(lang) for number, line in _prose(page)
           if re.search(avoided, line)]
    assert not bad, f"use {chosen!r}, not /{avoided}/:\n  " + "\n  ".join(bad)


# --- one English spelling: American (-ize, -yze, -or, -er) ---------------------------------------
# Most of the English pages already wrote initialization, normalization and batch normalization
# (the terms of the glossary and of the cited papers), so the book spells American English.
BRITISH = [r"\b\w+is(?:e|ed|es|ing|ation|ations|er|ers)\b", r"\banalys(?:e|ed|es|ing)\b",
           r"\b\w*centre[sd]?\b", r"\b\w*(?:behavio|colo|favo|neighbo|labo)ur\w*\b"]
NOT_BRITISH = {"otherwise", "likewise", "wise", "rise", "rises", "raise", "raised", "raises", "raising",
               "precise", "precisely", "noise", "noises", "exercise", "exercises", "promise", "promises",
               "surprise", "surprising", "surprised", "premise", "concise", "advise", "advised", "devise",
               "revise", "revised", "arise", "arises", "arising", "comprise", "comprises", "compromise",
               "compromises", "expertise", "franchise", "supervise", "supervised", "unsupervised",
               "televise", "disguise", "enterprise", "paradise", "poise", "praise", "merchandise",
               "pointwise", "elementwise", "layerwise", "clockwise", "stepwise", "bitwise",
               "noisier", "raiser", "rising", "arisen", "risen", "appraise", "chaise", "mise", "cruise", "bruise", "guise",
               "analysis", "analyses"}


@pytest.mark.parametrize("page", [twin(p) for p in zh_pages()], ids=str)
def test_english_pages_spell_american(page):
    bad = []
    for number, line in _prose(page):
        for pattern in BRITISH:
            for word in re.findall(pattern, line, flags=re.I):
                if word.lower() not in NOT_BRITISH and not word.lower().endswith("wise"):
                    bad.append(f"line {number}: {word}")
    assert not bad, f"{page.name}: British spellings (the book writes American English):\n  " + "\n  ".join(bad)


# ------------------------------------------------------------------ tooltips made from the glossary
def table_rows(name: str) -> list[list[str]]:
    """The body rows of the glossary page's tables, cell by cell, as written."""
    lines = (paths.DOCS / name).read_text(encoding="utf-8").splitlines()
    rows = []
    for line, following in zip(lines, lines[1:] + [""]):
        if line.startswith("|") and not re.fullmatch(r"[|\-: ]+", line) \
                and not re.fullmatch(r"[|\-: ]+", following):
            rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows


def test_tooltips_are_the_glossary_tables():
    """Each language's tooltips are exactly its glossary page's rows: every term of a row (see
    buildbook/glossary.py for which words count) is titled with that row's definition, as plain
    text, and the other language's cell; and nothing else is a term."""
    for lang, name in glossary.PAGES.items():
        rows = table_rows(name)
        assert len(rows) > 30 and all(len(r) == 3 for r in rows), name
        made = glossary.abbreviations(paths.DOCS, lang)
        expected = {}
        for zh_cell, en_cell, definition in rows:
            terms = glossary.zh_terms(zh_cell) if lang == "zh" else glossary.en_terms(en_cell, zh_cell)
            other = f"（{en_cell}）" if lang == "zh" else f" ({zh_cell})"
            for term in terms:
                assert term in zh_cell + en_cell, f"{name}: {term!r} is in no cell of its row"
                for form in glossary.variants(term):
                    expected.setdefault(form, glossary.plain(definition) + other)
        assert made == expected, name
        text = "\n".join(made.values())
        assert not re.search(r"[$`\\]", text), f"{name}: TeX or markdown left in a tooltip"


def test_tooltip_terms_examples():
    zh = glossary.abbreviations(paths.DOCS, "zh")
    en = glossary.abbreviations(paths.DOCS, "en")
    assert zh["梯度消失"].endswith("（vanishing gradient）") and zh["梯度消失"].startswith("反向传播时")
    assert "损失函数" in zh and "轮" not in zh and "ReLU" in zh and "整流线性单元" in zh
    assert en["SGD"] == en["stochastic gradient descent"] and en["SGD"].endswith("(随机梯度下降)")
    assert en["ReLU"] == en["rectified linear unit"] and "Gradient descent" in en
    assert glossary.plain(r"$\frac{dC}{dx} = \frac{dC}{du}\cdot\frac{du}{dx}$") == "dC/dx = dC/du · du/dx"
    assert glossary.plain(r"$W \sim N(0, 2/n_{\text{in}})$, `tf.GradientTape`") == "W ∼ N(0, 2/nᵢₙ), tf.GradientTape"
    assert glossary.plain(r"$\lVert \partial C / \partial b_l \rVert$") == "‖∂C / ∂bₗ‖"


def test_glossary_pages_get_no_tooltips_of_their_own():
    for lang, name in glossary.PAGES.items():
        assert glossary.definitions(paths.DOCS, lang, name) == ""
        assert glossary.definitions(paths.DOCS, lang, "notebooks/x.ipynb") == ""
        lines = glossary.definitions(paths.DOCS, lang, "page.md").strip().splitlines()
        assert len(lines) == len(glossary.abbreviations(paths.DOCS, lang))
        assert all(re.fullmatch(r"\*\[[^\]\\]+\]: \S.*", line) for line in lines)


MARKDOWN = """# 梯度消失 {#vanishing-gradients}

反向传播时梯度逐层变小：梯度消失。随机梯度下降不是梯度下降，但梯度又出现了。ReLU 与 Leaky ReLU。

!!! note "梯度"
    提示框里 $\\nabla C$ 与$梯度$，`梯度下降` 与 [反向传播](other.md)。

```python
gradient = "梯度消失"  # 反向传播
```

GBSTASH0123abcdBNN1Z

## Vanishing gradient {#second}

| gradient | SGD |
|---|---|
| The gradients, SGD-like, BN, xBN, gradient. | the sigmoid |
"""


def render(text: str, lang: str) -> str:
    import markdown
    extensions = ["abbr", "admonition", "attr_list", "md_in_html", "tables", "toc",
                  "pymdownx.arithmatex", "pymdownx.highlight", "pymdownx.superfences",
                  glossary.Extension()]
    md = markdown.Markdown(extensions=extensions,
                           extension_configs={"pymdownx.arithmatex": {"generic": True}})
    return md.convert(text + glossary.definitions(paths.DOCS, lang, "page.md"))


def test_tooltips_mark_whole_terms_once_per_section_and_leave_code_math_and_headings_alone():
    html = render(MARKDOWN, "zh")
    marked = re.findall(r"<abbr title=\"[^\"]*\">([^<]*)</abbr>", html)
    # First section: each term once, the longest term where terms overlap; headings, the
    # admonition title, inline code, math, links and code blocks untouched.
    assert marked[:7] == ["反向传播", "梯度", "梯度消失", "随机梯度下降", "梯度下降", "ReLU", "Leaky ReLU"]
    assert '<h1 id="vanishing-gradients">梯度消失</h1>' in html
    assert '<p class="admonition-title">梯度</p>' in html
    assert r"\(\nabla C\)" in html and r"\(梯度\)" in html
    assert "<code>梯度下降</code>" in html and '<a href="other.md">反向传播</a>' in html
    assert "<abbr" not in html[html.index('<div class="highlight">'):html.index("</pre>")]
    assert "<p>GBSTASH0123abcdBNN1Z</p>" in html          # the build's placeholders survive
    html = render(MARKDOWN, "en")
    assert '<h2 id="second">Vanishing gradient</h2>' in html
    assert "<th>gradient</th>" in html
    body = html[html.index("<tbody>"):]
    # Latin terms only as whole words: not in "gradients", "SGD-like"'s SGD is a whole word.
    assert re.findall(r"<abbr title=\"[^\"]*\">([^<]*)</abbr>", body) == ["SGD", "BN", "gradient", "sigmoid"]
