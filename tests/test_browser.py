"""The site tested the way a reader meets it: every page of both languages in a real Chromium.

Needs Debian's chromium (`make system-deps`) and axe-core (`make assets`); a missing one fails
the suite with the command that installs it, it never skips. `make screenshots` runs these
visits saving screenshots of every page (desktop 1280 px and phone 390 px, figures in both
schemes, tooltips) into artifacts/screenshots/, for people to look at.
"""
from __future__ import annotations

import gzip
import posixpath
import re
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from browser import CJK_TEXT, DESKTOP, built_pages, cjk_families, site_pages
from buildbook import glossary, paths
from pages import shortcode_list

PAGES = site_pages()
SWITCHABLE = [p for p in PAGES if p.twin]
BY_PATH = {p.path: p for p in PAGES}
LOCAL_SCHEMES = ("data:", "blob:", "about:")
MAX_PAGE_BYTES = 1_500_000
# axe findings let through, each one (rule, element) with the reason it cannot be fixed here.
AXE_ALLOWED = {
    ("aria-dialog-name", ".md-search"):
        "mkdocs-material's own search overlay (partials/search.html) is a role=dialog without a "
        "name; only overriding the theme template would fix it, and the search input inside it "
        "is labelled",
}


# The tests that assert on a page's one visit (tests/browser.py: Visit). Those visits run in
# threads of their own from the moment the site is built; conftest.py orders these tests after
# the others that need the site, which run in the meantime.
VISIT = pytest.mark.visit


def test_every_built_page_is_tested(site):
    assert built_pages(site) == {p.path for p in PAGES}


# ------------------------------------------------------------------ loading
@VISIT
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_page_loads_without_errors(browser, page):
    visit = browser.visit(page).need("load")
    assert visit.errors == [], "\n".join(visit.errors)
    assert visit.failed == [], "\n".join(visit.failed)
    assert visit.facts["lang"] == page.lang or page.lang == "404"


@VISIT
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_no_request_leaves_the_local_server(browser, base_url, page):
    visit = browser.visit(page).need("load")
    assert visit.requests, "no request recorded"
    outside = sorted({u for u in visit.requests
                      if not u.startswith(base_url) and not u.startswith(LOCAL_SCHEMES)})
    assert outside == []


@VISIT
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_page_weight(browser, base_url, site, page):
    """Bytes transferred for the page and everything it loads (the search index aside).

    Both figures are printed: as this plain test server sends them, and gzip-compressed as any
    static host (GitHub Pages, nginx, Netlify) sends HTML, SVG, CSS and JS. The 1.5 MB budget
    applies to the compressed transfer: SVG figures are text and shrink about 4x."""
    entries = [e for e in browser.visit(page).need("load").facts["weight"]
               if not e["name"].split("?")[0].endswith("search_index.json")]
    total = sum(e["bytes"] for e in entries)
    gzipped = 0
    for e in entries:
        local = urlsplit(e["name"]).path
        file = site / local.lstrip("/")
        file = file / "index.html" if local.endswith("/") else file
        gzipped += len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else e["bytes"]
    biggest = sorted(entries, key=lambda e: -e["bytes"])[:3]
    print(f"\n{str(page):30} {total / 1e3:7.0f} kB ({gzipped / 1e3:4.0f} kB gzipped) in "
          f"{len(entries)} requests; largest: " + ", ".join(
              f"{posixpath.basename(urlsplit(e['name']).path.rstrip('/')) or 'index'} "
              f"{e['bytes'] / 1e3:.0f} kB" for e in biggest))
    assert gzipped <= MAX_PAGE_BYTES, f"{page} transfers {gzipped} bytes gzipped (limit {MAX_PAGE_BYTES})"


# ------------------------------------------------------------------ what the page shows
@VISIT
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_math_is_rendered(browser, page):
    facts = browser.visit(page).need("load").facts
    assert facts["unrendered"] == [], "math left for KaTeX but not typeset"
    assert facts["rawLeft"] == [], "TeX delimiters left in visible text"
    assert facts["katexErrors"] == []
    assert not facts["rawInText"], "\\( \\[ or $$ in the page's visible prose"
    if facts["arithmatex"]:
        assert facts["katex"] >= facts["arithmatex"]


@VISIT
@pytest.mark.parametrize("page", [p for p in PAGES if p.lang == "zh"], ids=str)
def test_chinese_is_drawn_with_a_cjk_font(browser, page):
    visit = browser.visit(page).need("fonts")
    families = cjk_families()
    assert families, "no font with Chinese glyphs is installed: run `make system-deps`"
    used = {f["familyName"] for f in visit.fonts if f["glyphCount"]}
    assert used & families, (f"{CJK_TEXT!r} was drawn with {sorted(used)}, none of which covers "
                             f"Chinese ({sorted(families)[:5]}...)")
    probe = visit.facts["probe"]
    # a CJK glyph is one em wide; a missing-glyph box (tofu) is much narrower
    assert probe["width"] >= 0.9 * len(CJK_TEXT) * probe["fontSize"], probe


@VISIT
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_snippet_outputs_follow_their_code_and_images_load(browser, page):
    facts = browser.visit(page).need("load").facts
    for out in facts["outputs"]:
        rel = out["snippet"]
        assert out["prevIsCode"], f"{rel}: the output block does not directly follow a code block"
        assert out["prevTitle"] == f"snippets/{rel}", f"{rel}: follows the code of {out['prevTitle']}"
        assert out["text"] or out["images"], f"{rel}: empty output block"
    broken = [i["src"] for i in facts["images"] if i["width"] == 0]
    assert broken == [], "images that did not load"


def snippets_on(page) -> list[str]:
    if page.source is None:
        return []
    return [args[0] for kind, args in shortcode_list(paths.DOCS / page.source) if kind == "snippet"]


@VISIT
@pytest.mark.parametrize("page", [p for p in PAGES if snippets_on(p)], ids=str)
def test_every_snippet_shows_its_output(browser, page):
    shown = [out["snippet"] for out in browser.visit(page).need("load").facts["outputs"]]
    assert shown == snippets_on(page)


@VISIT
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_copy_button_copies_the_snippet_file(browser, page):
    visit = browser.visit(page).need("load", "copy")
    assert len(visit.copies) == len(visit.facts["outputs"])
    for rel, copied in visit.copies:
        assert copied is not None, f"{rel}: its code block has no copy button"
        expected = paths.snippet_path(rel).read_text(encoding="utf-8")
        assert copied.rstrip("\n") == expected.rstrip("\n"), f"{rel}: the copy button copied other text"


@VISIT
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_phone_width_has_no_sideways_scroll(browser, page):
    phone = browser.visit(page).need("phone").phone
    assert phone["viewport"] == 390
    assert phone["scrollWidth"] <= phone["viewport"], "the page scrolls sideways on a phone"


@VISIT
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_accessibility_no_serious_violations(browser, page):
    found = []
    for violation in browser.visit(page).need("axe").axe:
        nodes = [n for n in violation["nodes"] if (violation["id"], n["target"]) not in AXE_ALLOWED]
        if nodes:
            found.append({**violation, "nodes": nodes})
    report = "\n".join(f"{v['impact']}: {v['id']}: {v['help']}\n" + "\n".join(
        f"    {n['target']} :: {n['summary']}" for n in v["nodes"][:5]) for v in found)
    assert found == [], report


# ------------------------------------------------------------------ interaction
@VISIT
@pytest.mark.parametrize("page", SWITCHABLE, ids=str)
def test_language_switch_lands_on_the_twin_and_keeps_the_anchor(browser, base_url, page):
    """The header's other-language link, clicked on a page scrolled to a heading, goes to the
    twin at the same heading; the twin (its own visit) is in the other language and has it."""
    switch = browser.visit(page).need("language switch").switch
    assert switch["error"] is None, switch["error"]
    landed, fragment = urldefrag(switch["landed"])
    assert landed == urljoin(base_url, page.twin), f"from {switch['start']} landed on {landed}"
    twin = browser.visit(BY_PATH[page.twin]).need("load")
    assert twin.facts["lang"] == ("en" if page.lang == "zh" else "zh")
    if switch["anchor"]:
        assert fragment == switch["anchor"], f"the anchor was lost: {switch['landed']}"
        assert twin.facts["ids"].count(switch["anchor"]) == 1, \
            f"#{switch['anchor']} does not exist (once) on {landed}"


def search(tab, base_url, start: str, word: str) -> list[str]:
    """Type `word` into the search box of page `start`; the site paths the results link to."""
    tab.set_viewport_size(DESKTOP)   # the search box is in the header at this width
    box = tab.locator("input.md-search__input")
    results = tab.locator(".md-search-result__item a.md-search-result__link")
    for attempt in range(3):
        # Now and then the search worker of a freshly loaded page never becomes ready (its
        # lunr scripts cut off while the previous page's worker is torn down): load it again.
        tab.goto(base_url + start, wait_until="load")
        box.click()
        box.press_sequentially(word, delay=20)
        try:
            results.first.wait_for(state="attached", timeout=8000)
            break
        except Exception:  # noqa: BLE001 - the third time the failure stands
            if attempt == 2:
                raise
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    tab.keyboard.press("Escape")
    paths = [urljoin(tab.url, h).split("?")[0].split("#")[0] for h in hrefs]  # drop ?h=word#section
    return list(dict.fromkeys(p.removeprefix(base_url) for p in paths))


WORDS = {"zh-word-from-zh-page": ("", "梯度"), "en-word-from-en-page": ("en/", "gradient")}


@pytest.mark.parametrize("start, word", WORDS.values(), ids=WORDS.keys())
def test_search_finds_a_word_on_a_page_of_the_same_language(browser, base_url, site, start, word):
    """The search index holds both languages (mkdocs-static-i18n stacks them into one): among
    the results there must be a page of the reader's language that contains the word."""
    found = search(browser.tab, base_url, start, word)
    same_language = [p for p in found if p.startswith("en/") == (start == "en/")]
    containing = [p for p in same_language
                  if word.lower() in (site / p / "index.html").read_text(encoding="utf-8").lower()]
    assert containing, f"{word!r} from /{start}: no page of that language among {found}"


TITLES = {"zh-title": ("", "术语表", "glossary/"), "en-title": ("en/", "glossary", "en/glossary/")}


@pytest.mark.parametrize("start, word, target", TITLES.values(), ids=TITLES.keys())
def test_search_for_a_page_title_leads_to_that_page(browser, base_url, start, word, target):
    found = search(browser.tab, base_url, start, word)
    assert found[0] == target, f"{word!r} from /{start}: results {found}"


def test_light_dark_toggle(browser, base_url):
    context = browser.new_context()  # its own storage: the choice must not leak into other tests
    try:
        tab = context.new_page()
        tab.goto(base_url, wait_until="load")
        scheme = lambda: tab.evaluate("() => document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
        assert scheme() == "default"
        tab.locator("form[data-md-component=palette] label:visible").click()
        assert scheme() == "slate"
        tab.locator("form[data-md-component=palette] label:visible").click()
        assert scheme() == "default"
    finally:
        context.close()


# ------------------------------------------------------------------ figures in both colour schemes
def luminance(rgb):
    """WCAG relative luminance of an (..., 3) uint8 array."""
    import numpy as np
    c = rgb.astype(float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return c @ np.array([0.2126, 0.7152, 0.0722])


def contrast(a, b):
    import numpy as np
    return (np.maximum(a, b) + 0.05) / (np.minimum(a, b) + 0.05)


def figure_ink(shot) -> dict:
    """The figure's background (its most common colour) and its ink against that background:
    the share of pixels at 4.5:1 or more (text, axes, lines, fills), and how many pixels reach
    7:1 (the cores of text and axes; a figure shrunk to the column still has some)."""
    import numpy as np
    pixels = shot.reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    background = luminance(colours[counts.argmax()])
    ratios = contrast(luminance(pixels), background)
    return {"background": round(float(background), 3), "ink": round(float((ratios >= 4.5).mean()), 4),
            "strong": int((ratios >= 7).sum()), "max": round(float(ratios.max()), 1)}


# Figures drawn by snippets and from records, on pages of both languages (not the longest,
# chain-rule/, whose every load costs Chromium twice as much).
FIGURE_PAGES = {p.slug: p for p in PAGES if p.path in ("activations/", "history/", "en/batch-norm/",
                                                          "en/initialization/")}
SCHEMES = {"dark": "slate", "light": "default"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("page", FIGURE_PAGES.values(), ids=FIGURE_PAGES.keys())
def test_figures_are_legible_in_the_readers_colour_scheme(browser, page, scheme):
    """A reader whose system is dark gets the dark (slate) scheme, and its figures sit on a dark
    background in light ink; in the light scheme they stay dark ink on white. Sampled from
    screenshots of the figures as drawn (the dark scheme inverts them with a CSS filter)."""
    seen = browser.figures_in_scheme(page, scheme)
    assert seen["scheme"] == SCHEMES[scheme]
    assert seen["shots"], f"{page} shows no figure"
    for number, shot in enumerate(seen["shots"], start=1):
        ink = figure_ink(shot)
        where = f"{page} figure {number}: {ink}"
        if scheme == "dark":
            assert ink["background"] <= 0.05, f"not on a dark background: {where}"
        else:
            assert ink["background"] >= 0.95, f"not on a white background: {where}"
        assert ink["ink"] >= 0.005, f"too little legible ink: {where}"
        assert ink["strong"] >= 100, f"its text and axes lack contrast: {where}"


# ------------------------------------------------------------------ code colours in both schemes
def code_token_classes(site) -> dict[str, list[str]]:
    """Every Pygments token class in the built site's highlighted code, per kind of block:
    'highlight' (chapter pages, Material's colours) and 'highlight-ipynb' (notebook pages,
    mkdocs-jupyter's)."""
    found: dict[str, set] = {"highlight": set(), "highlight-ipynb": set()}
    block = re.compile(r'<div class="(highlight(?:-ipynb)?)[ "][^>]*>.*?<pre[^>]*>(.*?)</pre>', re.S)
    for html in site.rglob("*.html"):
        for kind, code in block.findall(html.read_text(encoding="utf-8")):
            found[kind] |= set(re.findall(r'<span class="([\w ]+)">', code))
    return {kind: sorted(names) for kind, names in found.items()}


CODE_PAGES = {"highlight": ("en/activations/", ".highlight pre > code"),
              "highlight-ipynb": ("en/notebooks/history/", ".highlight-ipynb pre")}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", CODE_PAGES, ids=str)
def test_code_colours_have_contrast(browser, site, kind, scheme):
    """Every token colour the site's code uses reads against its block's background (WCAG AA,
    axe's colour-contrast rule), in both schemes. The page visits leave code tokens out of
    their axe run (tests/browser.py: STRIP_FOR_AXE_JS); this is where their colours are judged:
    one probe per token class, written into a code block of the page."""
    classes = code_token_classes(site)[kind]
    assert len(classes) >= 10, f"few token classes in {kind} blocks: {classes}"
    path, block = CODE_PAGES[kind]
    page = BY_PATH[path]
    seen = browser.code_colours(page, scheme, block, classes)
    assert seen["scheme"] == SCHEMES[scheme]
    assert sorted(seen["verdicts"]) == classes, "axe did not judge every probe"
    failing = {name: v for name, v in seen["verdicts"].items() if v[0] != "passes"}
    assert failing == {}, f"{kind} code on {page} in the {scheme} scheme: {failing}"


# ------------------------------------------------------------------ glossary tooltips
TOOLTIP_PAGES = {p.slug: p for p in PAGES if p.path in ("history/", "en/history/")}  # the shortest chapter


@pytest.mark.parametrize("how", ["hover", "tap"])
@pytest.mark.parametrize("page", TOOLTIP_PAGES.values(), ids=TOOLTIP_PAGES.keys())
def test_glossary_terms_show_their_definition(browser, page, how):
    """Glossary terms in running text are <abbr> elements titled with the glossary's definition
    and the other language's term (buildbook/glossary.py); hovering one with a mouse, or tapping
    it on a phone, shows that text in Material's tooltip."""
    expected = glossary.abbreviations(paths.DOCS, page.lang)
    seen = browser.tooltip(page, how)
    abbrs = seen["abbrs"]
    assert len(abbrs) >= 10, f"{page}: only {len(abbrs)} glossary terms marked"
    wrong = [a for a in abbrs if expected.get(a["text"]) != a["title"]]
    assert wrong == [], f"{page}: terms whose tooltip is not their glossary entry: {wrong[:5]}"
    misplaced = [a for a in abbrs if a["inside"]]
    assert misplaced == [], f"{page}: terms marked inside headings, links, code or math: {misplaced[:5]}"
    assert len({a["title"] for a in abbrs}) > 5, f"{page}: few distinct terms"
    assert seen["shown"] == seen["title"] == expected[seen["host"]], seen
    assert seen["role"] == "tooltip"
