"""Citations: every work the chapters cite is an entry of the references page, and the references
page links back to every section that cites it.

Convention (checkable):
- Each entry of docs/references.md (and its twin) is a level-3 heading with an id,
  `### Rumelhart, Hinton & Williams (1986) {#rumelhart-1986}`, followed by the full reference and a
  last paragraph that ends with the back-links: `（见：[链式法则 › 梯度消失](chain-rule.md#vanishing-gradients)、...）`
  / `(cited in: [...](chain-rule.md#vanishing-gradients), ...)`.
- A chapter cites a work with a markdown link to its entry, `[1986](references.md#rumelhart-1986)`
  or `[Rumelhart, Hinton and Williams](references.md#rumelhart-1986)`; an author-year mention links
  its year.  In Chinese prose a work's title in 《...》 is the link text.
- An author-year mention is a year (1950-2029) in prose with a capitalized Latin word within the 60
  characters before it on the same line; it must be the text of a link to the references page.
  (Event years such as the timeline's `<span class="gb-year">` markers have no author before them;
  the numerals test keeps those honest.)
"""
import re

import pytest

from pages import headings, prose_lines, reference_links, twin, zh_pages

from buildbook import paths

NOT_CITING = {"references.md", "report.md", "glossary.md"}
ENTRY = re.compile(r"^### .*?\{#([\w-]+)\}\s*$", re.M)
BACK = re.compile(r"\]\(([\w-]+)\.md#([\w-]+)\)")
YEAR = re.compile(r"(?<![\d.])(?:19[5-9]\d|20[0-2]\d)(?![\d])")
AUTHORISH = re.compile(r"\b[A-Z][a-zé]+\b")
NOT_AUTHORS = {"ImageNet", "MNIST", "AlexNet", "LeNet", "ReLU", "Sigmoid", "The", "After", "In",
               "ICLR", "NIPS", "CIFAR", "Keras", "TensorFlow", "Layer"}


def chapters(lang="zh"):
    pages = [p for p in zh_pages() if p.name not in NOT_CITING]
    return pages if lang == "zh" else [twin(p) for p in pages]


def entries(page_name):
    """id -> set of (page stem, section id) the entry links back to."""
    text = (paths.DOCS / page_name).read_text(encoding="utf-8")
    found = {}
    parts = ENTRY.split(text)
    for rid, body in zip(parts[1::2], parts[2::2]):
        body = body.split("\n## ")[0]
        found[rid] = {(stem, anchor) for stem, anchor in BACK.findall(body)}
    return found


def citing_sections(lang):
    """id -> set of (page stem, section id) whose prose links to the entry (a chapter's own
    closing reference list, section `references`, is not counted)."""
    cited = {}
    for page in chapters(lang):
        stem = page.name.split(".")[0]
        for _, _, rid, section in reference_links(page):
            if section != "references":
                cited.setdefault(rid, set()).add((stem, section))
    return cited


def test_reference_pages_list_the_same_entries():
    assert list(entries("references.md")) == list(entries("references.en.md"))


@pytest.mark.parametrize("page", chapters("zh") + chapters("en"), ids=str)
def test_every_citation_link_has_an_entry(page):
    known = entries("references.md")
    missing = [f"line {n}: [{text}](references.md#{rid})" for n, text, rid, _ in reference_links(page)
               if rid not in known]
    assert not missing, f"{page.name} links to references that do not exist:\n  " + "\n  ".join(missing)


@pytest.mark.parametrize("page", chapters("zh"), ids=str)
def test_twins_cite_the_same_works_in_the_same_sections(page):
    ours = sorted({(rid, sec) for _, _, rid, sec in reference_links(page)})
    theirs = sorted({(rid, sec) for _, _, rid, sec in reference_links(twin(page))})
    assert ours == theirs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_references_page_links_back_to_every_citing_section(lang):
    name = "references.md" if lang == "zh" else "references.en.md"
    listed, cited = entries(name), citing_sections(lang)
    problems = []
    for rid, back in listed.items():
        want = cited.get(rid, set())
        if back != want:
            problems.append(f"{rid}: missing {sorted(want - back)}, stale {sorted(back - want)}")
    assert not problems, f"{name} back-links disagree with the chapters:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_back_links_point_at_existing_sections(lang):
    name = "references.md" if lang == "zh" else "references.en.md"
    bad = []
    for rid, back in entries(name).items():
        for stem, anchor in back:
            page = paths.DOCS / (stem + (".md" if lang == "zh" else ".en.md"))
            if not page.is_file() or anchor not in {a for _, _, a in headings(page)}:
                bad.append(f"{rid} -> {stem}.md#{anchor}")
    assert not bad, bad


def _unlinked(line: str) -> str:
    """The prose with every link to the references page blanked out."""
    return re.sub(r"\[[^\]]*\]\(\)", lambda m: " " * len(m.group(0)), line)


@pytest.mark.parametrize("page", chapters("zh") + chapters("en"), ids=str)
def test_author_year_mentions_link_to_the_references(page):
    # prose_lines keeps link text but drops URLs, so read the link targets from the raw line
    raw = page.read_text(encoding="utf-8").splitlines()
    bad = []
    for number, line in prose_lines(page):
        if line.startswith("#"):
            continue
        ref_texts = [m.group(1) for m in re.finditer(r"\[([^\]]*)\]\((?:\./)?references(?:\.en)?\.md#[\w-]+\)",
                                                     raw[number - 1])]
        blank = line
        for text in ref_texts:                   # blank the link texts of reference links
            blank = blank.replace(f"[{text}]()", " " * (len(text) + 4), 1)
        for match in YEAR.finditer(blank):
            before = blank[max(0, match.start() - 60):match.start()]
            if [w for w in AUTHORISH.findall(before) if w not in NOT_AUTHORS]:
                bad.append(f"line {number}: ...{before[-40:]}{match.group(0)}")
    assert not bad, (f"{page.name}: author-year mentions without a link to the references page "
                     f"(write [year](references.md#id)):\n  " + "\n  ".join(bad))


@pytest.mark.parametrize("page", chapters("zh"), ids=str)
def test_chinese_titles_link_to_the_references(page):
    """A work named by its title in 《...》 links to its entry (headings excepted)."""
    bad = []
    for number, line in prose_lines(page):
        if line.lstrip().startswith("#"):
            continue
        links = [m.span(1) for m in re.finditer(r"\[([^\]]*)\]\(\)", line)]
        for match in re.finditer(r"《[^》]*》", line):
            if not any(a <= match.start() and match.end() <= b for a, b in links):
                bad.append(f"line {number}: {match.group(0)}")
    assert not bad, f"{page.name}: titles not linked to the references page:\n  " + "\n  ".join(bad)
