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

from buildbook import paths

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
