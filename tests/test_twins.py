"""Translation status (buildbook/twins.py): every page records the content hash of its twin as it
was when both were last synchronized, and the build shows a banner on a page whose twin changed.
"""
import re
import shutil
from pathlib import Path

import pytest

from buildbook import paths, twins
from conftest import BUILD_ENV, mkdocs_build
from test_build import make_project

PAGES = twins.pages()


def test_every_page_has_a_twin_and_both_languages_are_listed():
    zh = [p for p in PAGES if not p.name.endswith(".en.md")]
    assert zh and len(PAGES) == 2 * len(zh)
    assert all(twins.twin_of(twins.twin_of(p)) == p for p in PAGES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(paths.DOCS).as_posix())
def test_page_is_in_sync_with_its_twin(page):
    """A failure means the twin was edited after this page was last synchronized (the site then
    shows a banner on this page). Bring this page in line with its twin, then record it."""
    recorded, actual = twins.recorded(page), twins.content_hash(twins.twin_of(page))
    assert recorded == actual, (
        f"{page.name} records its twin {twins.twin_of(page).name} as {recorded}, but the twin is "
        f"now {actual}. Once both say the same, run: {twins.SYNC_COMMAND}")


def test_syncing_one_page_leaves_the_others_record_valid(tmp_path):
    """The hash covers the text after the front matter: writing one record never changes the
    hash the other page records; an edit of the body does."""
    zh, en = tmp_path / "a.md", tmp_path / "a.en.md"
    zh.write_text("---\ntitle: 甲\n---\n# 甲 {#a}\n\n正文。\n", encoding="utf-8")
    en.write_text("# A {#a}\n\nText.\n", encoding="utf-8")
    assert twins.out_of_sync(tmp_path) == [en, zh]          # no record yet
    before = twins.content_hash(zh)
    assert sorted(twins.sync(tmp_path)) == [en, zh]
    assert twins.content_hash(zh) == before
    assert twins.out_of_sync(tmp_path) == [] and twins.sync(tmp_path) == []
    assert zh.read_text(encoding="utf-8").startswith("---\ntwin: ")
    assert "title: 甲" in zh.read_text(encoding="utf-8")
    assert en.read_text(encoding="utf-8").endswith("---\n# A {#a}\n\nText.\n")
    en.write_text(en.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    assert twins.out_of_sync(tmp_path) == [zh]               # the page that did not follow


BANNER = re.compile(r'<div class="admonition warning gb-twin-stale"[^>]*>.*?</div>', re.S)


def test_a_changed_twin_shows_a_banner_on_the_other_page(tmp_path):
    """A real small build of two page pairs, synchronized, then one side of each edited: the
    English side of `page`, the Chinese side of `other`. The page that did not follow shows the
    banner, in its own language, linking to its newer twin; the edited pages and the untouched
    home pages show none."""
    project = make_project(tmp_path, "# P {#p}\n", {})
    docs = project / "docs"
    texts = {"page.md": "# 页 {#p}\n\n一段话。\n", "page.en.md": "# Page {#p}\n\nA paragraph.\n",
             "other.md": "# 另一页 {#o}\n\n一段话。\n", "other.en.md": "# Other {#o}\n\nA paragraph.\n"}
    for name, text in texts.items():
        (docs / name).write_text(text, encoding="utf-8")
    twins.sync(docs)
    for name, added in (("page.en.md", "A paragraph added in English only.\n"),
                        ("other.md", "只在中文版里加的一段话。\n")):
        (docs / name).write_text((docs / name).read_text(encoding="utf-8") + "\n" + added, encoding="utf-8")
    assert twins.out_of_sync(docs) == [docs / "other.en.md", docs / "page.md"]
    env = {**BUILD_ENV, "GRADBOOK_CACHE": str(tmp_path / "cache")}
    proc = mkdocs_build(project / "mkdocs.yml", tmp_path / "site", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = tmp_path / "site"
    expected = {  # older page: (words of its banner, link, language of the newer twin, that twin)
        "page": ("本页的英文版更新过", "../en/page/", "en", "en/page"),
        "en/other": ("The Chinese version of this page has changed", "../../other/", "zh", "other")}
    for older, (words, href, lang, newer) in expected.items():
        html = (site / older / "index.html").read_text(encoding="utf-8")
        banners = BANNER.findall(html)
        assert len(banners) == 1, f"{older}: no banner (or more than one) though its twin changed"
        assert words in banners[0]
        link = re.search(r'<a href="([^"]+)" hreflang="([a-z]+)">', banners[0])
        assert link and link.groups() == (href, lang), banners[0]
        assert (site / older / href / "index.html").resolve() == site / newer / "index.html"
        assert html.index("</h1>") < html.index("gb-twin-stale"), "the banner sits under the title"
    for fresh in ("en/page", "other", "", "en"):
        assert "gb-twin-stale" not in (site / fresh / "index.html").read_text(encoding="utf-8"), fresh


def test_the_english_banner_links_to_the_chinese_page():
    html = twins.banner("en", "zh", "../../page/")
    assert "The Chinese version of this page has changed" in html
    assert '<a href="../../page/" hreflang="zh">' in html
    assert twins.with_banner("<h1 id='x'>T</h1>\n<p>text</p>", html).index(html) > 0
