"""The downloadable offline copy (buildbook/offline.py): the zip the build puts in site/downloads/,
unpacked into a temporary folder and opened from disk (file://) in Chromium, as a reader would.

One visit of a few pages: the home page links onward, search answers in both languages, math is
typeset by the vendored KaTeX, figures load, nothing is fetched from anywhere but the folder, and
the console stays quiet. Needs Debian's chromium (`make system-deps`) and the iframe-worker shim
(`make assets`), like tests/test_browser.py.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest

from browser import (DESKTOP, SCREENSHOTS, SETTLE_JS, TAKE_SCREENSHOTS,
                     TIMEOUT_MS)
from buildbook import offline

LOCAL = ("file://", "data:", "blob:", "about:")
MATH_WAIT = "() => [...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex'))"


@pytest.fixture(scope="module")
def book(site, tmp_path_factory) -> Path:
    """The zip, unpacked: the folder whose index.html opens the book."""
    archive = site / offline.ZIP
    assert archive.is_file(), f"the build made no {offline.ZIP}"
    print(f"\n{offline.ZIP}: {archive.stat().st_size / 1e6:.1f} MB")
    folder = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert all(n.startswith(offline.FOLDER + "/") for n in names), "the zip holds one folder"
        zipped.extractall(folder)
    return folder / offline.FOLDER


class Reader:
    """One Chromium tab on file:// pages, recording every request and console error."""

    def __init__(self, chromium, scheme: str = "light"):
        """`chromium`: the session's Chromium (tests/conftest.py); this tab gets its own context."""
        self.requests, self.errors = [], []
        self.browser = chromium
        self.context = context = chromium.new_context(viewport=DESKTOP, color_scheme=scheme,
                                                      locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        self.tab = context.new_page()
        self.tab.on("request", lambda r: self.requests.append(r.url))
        self.tab.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.tab.on("pageerror", lambda e: self.errors.append(f"exception: {e}"))
        self.tab.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}"))

    def open(self, url: str):
        self.tab.goto(url, wait_until="load")
        self.settle()

    def settle(self):
        try:
            self.tab.wait_for_function(MATH_WAIT, timeout=5000)
        except Exception:  # noqa: BLE001 - the math assertions report what is left
            pass
        self.tab.evaluate(SETTLE_JS)   # lazy images loaded, fonts ready

    def search(self, word: str) -> list[str]:
        """Type `word` in the search box; the file names of the pages the results link to."""
        box = self.tab.locator("input.md-search__input")
        box.click()
        box.fill(word)          # typed key by key, Chinese characters raise no keyup
        box.press("End")
        results = self.tab.locator(".md-search-result__item a.md-search-result__link")
        results.first.wait_for(state="attached", timeout=10_000)
        hrefs = results.evaluate_all("links => links.map(a => a.href)")
        self.tab.keyboard.press("Escape")
        return [h.split("#")[0].split("?")[0] for h in hrefs]

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def reader(book, browser):
    """A tab of the session's Chromium (one Playwright per process: a second one cannot start)."""
    tab = Reader(browser.browser)
    yield tab
    tab.close()


def test_the_offline_copy_has_every_page_and_loads_nothing_from_elsewhere(book, site):
    """Every page of the site at the same place, its folder links ending in index.html, the
    search index as a script that a file:// page can load, the shim, no online-only paragraph."""
    served = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    have = {p.relative_to(book).as_posix() for p in book.rglob("*.html")}
    assert served == have
    chapter = (book / "en" / "chain-rule" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../chain-rule/index.html"' in chapter, "the language switch names a file"
    assert not re.search(r'<a [^>]*href="(?![a-z]+:)[^"#?]*/(?:[#?][^"]*)?"', chapter), "a folder link left"
    assert (book / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = ")
    assert (book / offline.SHIM).is_file()
    assert "gb-online-only" not in (book / "index.html").read_text(encoding="utf-8")
    assert "gb-online-only" in (site / "index.html").read_text(encoding="utf-8")
    remote = [r for p in book.rglob("*.html")
              for r in offline.remote_references(p.name, p.read_text(encoding="utf-8"))]
    assert remote == []


def test_the_home_pages_link_to_the_zip(site):
    for home, link in ((site / "index.html", offline.ZIP), (site / "en" / "index.html", "../" + offline.ZIP)):
        assert f'href="{link}"' in home.read_text(encoding="utf-8"), home


WORDS = {"zh": ("index.html", "梯度"), "en": ("en/index.html", "gradient")}


@pytest.mark.parametrize("lang", WORDS, ids=str)
def test_search_works_from_disk(reader, book, lang):
    start, word = WORDS[lang]
    reader.open((book / start).as_uri())
    found = reader.search(word)
    pages = [Path(unquote(h.removeprefix("file://"))) for h in found]
    assert all(p.is_file() for p in pages), f"results that are no file: {found}"
    same_language = [p for p in pages if (p.relative_to(book).parts[0] == "en") == (lang == "en")]
    containing = [p for p in same_language if word.lower() in p.read_text(encoding="utf-8").lower()]
    assert containing, f"{word!r} from {start}: no page of that language among {found}"
    assert reader.errors == [], "\n".join(reader.errors)


def test_a_chapter_opened_from_disk_navigates_typesets_and_draws(reader, book):
    """From the home page, follow the link to a chapter: its math is typeset by KaTeX and its
    figures load; then the language switch leads to the twin's file. No request leaves the
    folder and no error reaches the console."""
    reader.requests.clear()
    reader.open((book / "index.html").as_uri())
    link = reader.tab.locator("article a[href$='chain-rule/index.html']").first
    with reader.tab.expect_navigation(wait_until="load"):
        link.click()
    reader.settle()
    assert reader.tab.url == (book / "chain-rule" / "index.html").as_uri()
    facts = reader.tab.evaluate("""() => ({
      arithmatex: document.querySelectorAll('.arithmatex').length,
      katex: document.querySelectorAll('.arithmatex .katex').length,
      errors: document.querySelectorAll('.katex-error').length,
      figures: [...document.querySelectorAll('figure.gb-figure img')].map(i => i.naturalWidth),
    })""")
    assert facts["arithmatex"] > 0 and facts["katex"] == facts["arithmatex"], facts
    assert facts["errors"] == 0
    assert facts["figures"] and min(facts["figures"]) > 0, f"figures that did not load: {facts['figures']}"
    with reader.tab.expect_navigation(wait_until="load"):
        reader.tab.locator(".md-header a[hreflang='en']").first.dispatch_event("click")
    assert reader.tab.url.split("#")[0] == (book / "en" / "chain-rule" / "index.html").as_uri()
    outside = sorted({u for u in reader.requests if not u.startswith(LOCAL)})
    assert outside == [], f"requests that left the folder: {outside[:5]}"
    assert reader.errors == [], "\n".join(reader.errors)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_offline_home_page_follows_the_readers_scheme(reader, book, scheme):
    """The unpacked zip's home page from disk, for a reader whose system is light or dark, in
    that scheme and without errors (`make screenshots` saves offline-home-<scheme>.png)."""
    context = reader.browser.new_context(viewport=DESKTOP, color_scheme=scheme, locale="zh-CN")
    errors = []
    try:
        tab = context.new_page()
        tab.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
        tab.on("pageerror", lambda e: errors.append(f"exception: {e}"))
        tab.goto((book / "index.html").as_uri(), wait_until="load")
        tab.evaluate(SETTLE_JS)
        if TAKE_SCREENSHOTS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(SCREENSHOTS / f"offline-home-{scheme}.png"))
        body = tab.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
        assert body == ("slate" if scheme == "dark" else "default")
        assert errors == [], "\n".join(errors)
    finally:
        context.close()
