"""Shortcode expansion: placeholders survive markdown, code blocks are left alone, errors say where."""
import markdown
import pytest

from buildbook import shortcodes
from buildbook.shortcodes import Context, ShortcodeError


@pytest.fixture
def echo():
    """A throw-away shortcode that stashes its argument as HTML."""
    shortcodes.HANDLERS["echo"] = lambda args, ctx: ctx.html(f"<b>{args[0]}</b>")
    yield
    del shortcodes.HANDLERS["echo"]


def render(text: str, ctx: Context) -> str:
    html = markdown.markdown(shortcodes.expand(text, ctx), extensions=["admonition"])
    return shortcodes.fill(html, ctx)


def test_many_placeholders_each_land_in_their_own_place(echo):
    ctx = Context(page="docs/t.md", lang="en", url="t/")
    text = "\n\n".join(f"[[echo v{i}]]" for i in range(12))
    html = render(text, ctx)
    assert [f"<b>v{i}</b>" in html for i in range(12)] == [True] * 12
    assert html.index("<b>v1</b>") < html.index("<b>v10</b>") < html.index("<b>v11</b>")
    assert "GBSTASH" not in html


def test_shortcodes_in_fenced_code_are_left_alone(echo):
    ctx = Context(page="docs/t.md", lang="en", url="t/")
    text = "```text\n[[echo no]]\n```\n\n[[echo yes]]\n"
    html = render(text, ctx)
    assert "[[echo no]]" in html and "<b>yes</b>" in html


def test_indentation_is_kept_inside_admonitions(echo):
    ctx = Context(page="docs/t.md", lang="en", url="t/")
    html = render('!!! note "N"\n\n    [[echo inside]]\n', ctx)
    body = html[html.index('class="admonition note"'):]
    assert "<b>inside</b>" in body[: body.index("</div>")]


def test_unknown_shortcode_names_page_and_line():
    ctx = Context(page="docs/t.md", lang="en", url="t/")
    with pytest.raises(ShortcodeError, match=r"docs/t.md:3: unknown shortcode \[\[nope\]\]"):
        shortcodes.expand("a\n\n[[nope x]]\n", ctx)
