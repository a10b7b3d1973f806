"""Chinese and English twins: every page has one, with the same snippets, values and heading ids."""
import pytest

from pages import en_pages, headings, shortcode_list, twin, zh_pages


@pytest.mark.parametrize("page", zh_pages(), ids=lambda p: p.name)
def test_every_chinese_page_has_an_english_twin(page):
    assert twin(page).is_file(), f"{page.name} has no {twin(page).name}"


@pytest.mark.parametrize("page", en_pages(), ids=lambda p: p.name)
def test_every_english_page_has_a_chinese_twin(page):
    assert page.with_name(page.name.replace(".en.md", ".md")).is_file()


@pytest.mark.parametrize("page", zh_pages(), ids=lambda p: p.name)
def test_twins_show_the_same_snippets_values_and_results(page):
    """Code, figures and results in the same order; inline numbers ([[value]], [[cite]]) the same
    ones, in whatever order each language's sentences put them."""
    inline = ("value", "cite")
    ours, theirs = shortcode_list(page), shortcode_list(twin(page))
    assert [s for s in ours if s[0] not in inline] == [s for s in theirs if s[0] not in inline]
    assert sorted(s for s in ours if s[0] in inline) == sorted(s for s in theirs if s[0] in inline)


@pytest.mark.parametrize("page", zh_pages() + en_pages(), ids=lambda p: p.name)
def test_every_heading_has_an_explicit_id(page):
    missing = [text for level, text, anchor in headings(page) if anchor is None]
    assert missing == [], "give headings an explicit {#id} shared with the twin"


@pytest.mark.parametrize("page", zh_pages(), ids=lambda p: p.name)
def test_twins_share_heading_ids_in_order(page):
    ours = [(level, anchor) for level, _, anchor in headings(page)]
    theirs = [(level, anchor) for level, _, anchor in headings(twin(page))]
    assert ours == theirs


@pytest.mark.parametrize("page", zh_pages(), ids=lambda p: p.name)
def test_chinese_page_is_written_in_chinese(page):
    text = page.read_text(encoding="utf-8")
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in text)
    assert han > 20, "a default-language page that is not in Chinese (fallback?)"


@pytest.mark.parametrize("page", en_pages(), ids=lambda p: p.name)
def test_english_page_is_written_in_english(page):
    prose = "\n".join(line for line in page.read_text(encoding="utf-8").splitlines()
                      if not line.lstrip().startswith("|"))  # glossary tables pair both languages
    han = sum("\u4e00" <= ch <= "\u9fff" for ch in prose)
    assert han < 0.02 * len(prose), "an English page with Chinese prose (untranslated?)"
