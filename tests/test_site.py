"""Site-wide checks on the built HTML: links and anchors resolve, and the execution report is whole."""
from __future__ import annotations

import html.parser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from browser import site_pages
from buildbook import experiments
from conftest import ROOT
from pages import executed_snippets

PAGES = site_pages()
SITE_URL = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"),
                     Loader=yaml.BaseLoader)["site_url"]
BASE = "http://site.invalid/"          # stands for the site root while resolving links
REFERENCES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src",
              "iframe": "src", "use": "href"}


class Page(html.parser.HTMLParser):
    """The ids of one HTML page and every URL it refers to (tag, url)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []
        self.report_rows: list[dict] = []
        self.tables: list[list[list[str]]] = []   # table -> row -> cell text
        self._cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.ids.add(attrs[name])
        ref = attrs.get(REFERENCES.get(tag, ""))
        if ref is not None:
            self.refs.append((tag, ref))
        if tag == "span" and "gb-report-name" in (attrs.get("class") or ""):
            kind = "snippet" if "data-snippet" in attrs else "experiment"
            self.report_rows.append({"kind": kind, "name": attrs.get(f"data-{kind}")})
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def file_of(site: Path, url_path: str) -> Path:
    target = site / unquote(url_path.lstrip("/"))
    if url_path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def page_url(page) -> str:
    return BASE + page.path


@pytest.fixture(scope="session")
def parsed(site):
    cache: dict[Path, Page] = {}

    def get(path: Path) -> Page:
        if path not in cache:
            cache[path] = parse(path)
        return cache[path]
    return get


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_internal_links_and_anchors_resolve(site, parsed, page):
    source = file_of(site, page.path)
    broken = []
    for tag, ref in parsed(source).refs:
        if not ref or ref.startswith(("data:", "mailto:", "javascript:", "tel:")):
            continue
        if ref.startswith(SITE_URL):            # absolute links to our own site_url
            ref = "/" + ref[len(SITE_URL):]
        url = urlsplit(urljoin(page_url(page), ref))
        if f"{url.scheme}://{url.netloc}/" != BASE:
            assert tag == "a", f"<{tag}> loads {ref} from outside the site"
            continue                             # an outside link for the reader to follow
        target = file_of(site, url.path)
        if not target.is_file():
            broken.append(f"<{tag}> {ref}: no file {target.relative_to(site)}")
            continue
        if url.fragment and target.suffix == ".html" and unquote(url.fragment) not in parsed(target).ids:
            broken.append(f"<{tag}> {ref}: no id {url.fragment!r} in {target.relative_to(site)}")
    assert broken == [], f"{len(broken)} broken in {page}:\n" + "\n".join(sorted(set(broken)))


# ------------------------------------------------------------------ the execution report
REPORTS = [p for p in PAGES if p.path.removeprefix("en/") == "report/"]


@pytest.mark.parametrize("page", REPORTS, ids=str)
def test_report_lists_every_executed_snippet(site, parsed, page):
    rows = parsed(file_of(site, page.path)).report_rows
    listed = [r["name"] for r in rows if r["kind"] == "snippet"]
    assert sorted(listed) == executed_snippets()


@pytest.mark.parametrize("page", REPORTS, ids=str)
def test_report_lists_every_experiment(site, parsed, page):
    rows = parsed(file_of(site, page.path)).report_rows
    listed = {r["name"] for r in rows if r["kind"] == "experiment"}
    expected = set(experiments.names()) | {p.stem for p in (ROOT / "results").glob("*.json")}
    assert listed == expected


def test_report_twins_agree(site, parsed):
    """Both languages report the same runs: same snippets, times, hashes and cache verdicts."""
    verdict = {"缓存命中": "hit", "本次运行": "miss", "cache hit": "hit", "ran": "miss"}

    def runs(path):
        table = parsed(file_of(site, path)).tables[0][1:]   # the snippet table, without its head
        return [(row[0], row[2], row[3].split()[0], verdict[row[4]], row[5]) for row in table]
    zh, en = runs("report/"), runs("en/report/")
    assert zh == en
    assert len(zh) == len(executed_snippets())
