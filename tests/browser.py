"""A real browser for the tests: Debian's Chromium driven by Playwright, on a local copy of the site.

Every page is visited once (1280 px wide, then laid out again at 390 px for the phone); what a
reader would meet there (requests, console errors, rendered math, fonts, outputs, accessibility,
the language switch) is collected in one `Visit`, and the tests only assert on it. The visits
run in VISITORS threads, each with its own Playwright and Chromium (Playwright's sync API
belongs to the thread that started it), as soon as the site is built; the interactive tests
use one more Chromium in the test process's own thread.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from buildbook import notebooks, paths
from pages import en_pages, zh_pages

CHROMIUM = Path(os.environ.get("GRADBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = paths.ROOT / "artifacts" / "screenshots"
# Screenshots are for people to look at (`make screenshots`), never asserted: a full-page shot
# of a long chapter costs seconds, so a plain test run takes none.
TAKE_SCREENSHOTS = os.environ.get("GRADBOOK_SCREENSHOTS") == "1"
TIMEOUT_MS = 20_000
VISITORS = 2            # threads visiting pages side by side, one Chromium each (2 cores)


# ------------------------------------------------------------------ which pages there are
@dataclass(frozen=True)
class Page:
    path: str            # URL path under the site root: '', 'chain-rule/', 'en/', '404.html'
    lang: str            # 'zh', 'en', or '404' for the one not-found page of both languages
    twin: str | None     # the other language's page, if there is one
    source: str | None = None   # its markdown under docs/, for pages made from one

    def __str__(self):
        return "/" + self.path

    @property
    def slug(self) -> str:
        name = self.path.removeprefix("en/").strip("/").replace("/", "-").removesuffix(".html")
        return name if self.lang == "404" else f"{self.lang}-{name or 'index'}"


def _url_path(doc: Path) -> str:
    rel = doc.relative_to(paths.DOCS).as_posix()
    en = rel.endswith(".en.md")
    stem = rel[: -len(".en.md")] if en else rel[: -len(".md")]
    stem = "" if stem == "index" else stem.removesuffix("/index") + "/"
    return ("en/" if en else "") + stem


def site_pages() -> list[Page]:
    """Every HTML page the build makes, from the sources: docs pages, notebooks, the 404 page."""
    found = []
    for doc in zh_pages() + en_pages():
        path = _url_path(doc)
        en = path.startswith("en/")
        twin = path.removeprefix("en/") if en else "en/" + path
        found.append(Page(path, "en" if en else "zh", twin, doc.relative_to(paths.DOCS).as_posix()))
    for chapter in notebooks.chapter_pages():
        path = f"notebooks/{chapter.stem}/"
        found += [Page(path, "zh", "en/" + path), Page("en/" + path, "en", path)]
    # One 404 page serves both languages (mkdocs-static-i18n leaves the last built one, English).
    found.append(Page("404.html", "404", None))
    return sorted(found, key=lambda p: (p.lang, p.path))


def built_pages(site: Path) -> set[str]:
    """URL paths of the HTML files in a built site."""
    out = set()
    for html in site.rglob("*.html"):
        rel = html.relative_to(site).as_posix()
        out.add(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


# ------------------------------------------------------------------ serving the built site
class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


# ------------------------------------------------------------------ what a visit records
@dataclass
class Visit:
    page: Page
    url: str
    requests: list = field(default_factory=list)      # every URL the page asked for
    errors: list = field(default_factory=list)        # console errors and uncaught exceptions
    failed: list = field(default_factory=list)        # failed requests and HTTP >= 400
    facts: dict = field(default_factory=dict)         # measured in the page (see FACTS_JS)
    fonts: list = field(default_factory=list)         # platform fonts that drew a Chinese probe
    axe: list = field(default_factory=list)           # serious/critical axe violations
    copies: list = field(default_factory=list)        # (snippet, text the copy button copied)
    phone: dict = field(default_factory=dict)         # facts of the 390 px visit
    switch: dict = field(default_factory=dict)        # the language switch, clicked
    timings: dict = field(default_factory=dict)       # seconds per step of the visit
    failures: dict = field(default_factory=dict)      # step -> what went wrong in it

    def need(self, *steps: str) -> "Visit":
        """This visit, or a test failure naming the step it needed that did not complete."""
        for step in steps:
            if step in self.failures:
                pytest.fail(f"{self.page}: the step {step!r} of the visit failed: {self.failures[step]}")
            if step not in self.timings:
                pytest.fail(f"{self.page}: the step {step!r} of the visit did not run")
        return self


SETTLE_JS = """async () => {
  for (const img of document.querySelectorAll('img[loading="lazy"]')) img.loading = "eager";
  await Promise.all([...document.images].map(i => i.decode().catch(() => null)));
  await document.fonts.ready;
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  // transitions under way (the navigation fading in after a resize), at most 2 s
  await Promise.race([new Promise(r => setTimeout(r, 2000)),
                      Promise.all(document.getAnimations().map(a => a.finished.catch(() => null)))]);
}"""

FACTS_JS = r"""() => {
  const article = document.querySelector("article") || document.body;
  const withoutMath = (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll(".katex, pre, code, script, style").forEach(e => e.remove());
    return copy.textContent;
  };
  const raw = /\\\(|\\\)|\\\[|\\\]|\$\$/;
  const arith = [...document.querySelectorAll(".arithmatex")];
  const outputs = [...document.querySelectorAll(".gb-output")].map(o => {
    const prev = o.previousElementSibling;
    return {
      snippet: o.dataset.snippet,
      prevIsCode: !!prev && prev.matches(".highlight") && !!prev.querySelector("pre > code"),
      prevTitle: prev && prev.querySelector(".filename") ? prev.querySelector(".filename").textContent.trim() : null,
      text: (o.querySelector("pre code") || {textContent: ""}).textContent.trim().length,
      images: [...o.querySelectorAll("img")].map(i => ({src: i.currentSrc || i.src, width: i.naturalWidth})),
    };
  });
  const perf = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")]
    .map(e => ({name: e.name, bytes: e.transferSize || e.encodedBodySize || 0}));
  return {
    lang: document.documentElement.lang,
    title: document.title,
    arithmatex: arith.length,
    katex: document.querySelectorAll(".katex").length,
    unrendered: arith.filter(e => !e.querySelector(".katex")).map(e => e.textContent.slice(0, 80)),
    rawLeft: arith.map(withoutMath).filter(t => raw.test(t)).map(t => t.slice(0, 80)),
    rawInText: raw.test(withoutMath(article)),
    katexErrors: [...document.querySelectorAll(".katex-error")].map(e => e.textContent.slice(0, 80)),
    outputs,
    images: [...document.images].map(i => ({src: i.currentSrc || i.src, width: i.naturalWidth})),
    ids: [...document.querySelectorAll("[id]")].map(e => e.id),
    headingIds: [...article.querySelectorAll("h1[id], h2[id], h3[id]")].map(e => e.id),
    weight: perf,
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    scheme: document.body.getAttribute("data-md-color-scheme"),
  };
}"""

COPY_JS = """async () => {
  const copied = [];
  for (const output of document.querySelectorAll(".gb-output")) {
    const block = output.previousElementSibling;
    const button = block && block.querySelector("button[data-clipboard-target]");  // Material's
    if (!button) { copied.push(null); continue; }
    // A reader opens a collapsed answer before copying its code: hidden text copies as "".
    const opened = [];
    for (let d = block.closest("details"); d; d = d.parentElement.closest("details")) {
      if (!d.open) { d.open = true; opened.push(d); }
    }
    await navigator.clipboard.writeText("");
    button.click();
    let text = "";
    for (let i = 0; i < 50 && !text; i++) {
      await new Promise(r => setTimeout(r, 20));
      text = await navigator.clipboard.readText();
    }
    copied.push(text);
    opened.forEach(d => { d.open = false; });
  }
  return copied;
}"""

# What the language switch's click is answered with (Browser._switch_language): the twin page
# is checked on its own visit.
TWIN_STUB = ('<!doctype html><html><head><title>twin</title><link rel="icon" href="data:,">'
             "</head><body></body></html>")

CJK_TEXT = "梯度之书"
PROBE_JS = """(text) => {
  const p = document.createElement("span");
  p.id = "gb-cjk-probe"; p.lang = "zh"; p.textContent = text;
  p.style.cssText = "position:absolute; left:0; top:0; white-space:nowrap; visibility:hidden";
  (document.querySelector("article") || document.body).appendChild(p);
  return {width: p.getBoundingClientRect().width, fontSize: parseFloat(getComputedStyle(p).fontSize)};
}"""

# What axe need not walk, taken out of the page before it runs: KaTeX's HTML rendering, which
# is aria-hidden (assistive technology reads its MathML twin) and thousands of spans in the
# paragraph's own colour, and the token spans of highlighted code, whose colours
# tests/test_browser.py::test_code_colours_have_contrast checks once per colour scheme.
# Walking them took axe four fifths of its time on the longest chapters.
STRIP_FOR_AXE_JS = """() => {
  document.querySelectorAll(".katex-html").forEach(e => e.remove());
  document.querySelectorAll(".highlight pre > code, .highlight-ipynb pre").forEach(c => {
    c.textContent = c.textContent;
  });
}"""

AXE_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
}"""


TOOLTIP_FACTS_JS = """() => [...document.querySelectorAll("article abbr")].map(a => ({
  text: a.textContent, title: a.getAttribute("title"),
  inside: (a.parentElement.closest("h1, h2, h3, h4, h5, h6, th, a, abbr, code, pre, .katex, .arithmatex, "
    + ".admonition-title, summary, label, .tabbed-labels, .gb-output") || {tagName: null}).tagName,
}))"""


PROBE_TOKENS_JS = """([block, classes]) => {
  const code = document.querySelector(block);
  code.scrollIntoView();
  for (const name of classes) {
    code.appendChild(document.createTextNode("\\n"));
    const probe = document.createElement("span");
    probe.className = name;
    probe.id = "gb-probe-" + name.replace(/ /g, "-");
    probe.textContent = "probe_" + name + " = 1";
    code.appendChild(probe);
  }
}"""

PROBE_AXE_JS = """async () => {
  const result = await axe.run({include: [["[id^=gb-probe-]"]]},
    {runOnly: {type: "rule", values: ["color-contrast"]}, resultTypes: ["passes", "violations", "incomplete"]});
  const verdicts = {};
  for (const kind of ["passes", "violations", "incomplete"]) {
    for (const rule of result[kind]) {
      for (const node of rule.nodes) {
        const id = node.target.join(" ");
        if (id.startsWith("#gb-probe-")) verdicts[id.slice(10)] = [kind, node.any.map(a => a.message).join(" ")];
      }
    }
  }
  return verdicts;
}"""


SHOWN_JS = """() => {
  const tip = document.querySelector(".md-tooltip2--active");
  const style = tip && getComputedStyle(tip);
  return !!style && style.opacity === "1" && ["none", "matrix(1, 0, 0, 1, 0, 0)"].includes(style.transform);
}"""


def cjk_families() -> set[str]:
    """Font families fontconfig knows that cover Chinese (empty when no CJK font is installed)."""
    if shutil.which("fc-list") is None:
        return set()
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


class Stopwatch:
    """Times each step of a visit; a step that fails is recorded and the visit goes on."""

    def __init__(self, visit: Visit):
        self.visit = visit

    @contextlib.contextmanager
    def __call__(self, name: str):
        started = time.perf_counter()
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - the tests that need this step report it
            self.visit.failures[name] = f"{type(exc).__name__}: {exc}"
        finally:
            self.visit.timings[name] = round(time.perf_counter() - started, 2)


class Visitors:
    """The visits of `pages`, made ahead by VISITORS threads, each with its own Browser."""

    def __init__(self, base: str, axe_script: str, pages: list[Page]):
        self.base, self.axe_script = base, axe_script
        self.todo: queue.Queue = queue.Queue()
        for page in pages:
            self.todo.put(page)
        self.ready = {page.path: threading.Event() for page in pages}
        self.visits: dict[str, Visit] = {}
        self.errors: dict[str, str] = {}
        self.threads = [threading.Thread(target=self._work, name=f"visitor-{n}", daemon=True)
                        for n in range(VISITORS)]
        for thread in self.threads:
            thread.start()

    def _work(self):
        try:
            browser = Browser(self.base, self.axe_script, fresh_screenshots=False)
        except Exception as exc:  # noqa: BLE001 - every page this thread would have taken says so
            browser, broken = None, f"Chromium did not start: {type(exc).__name__}: {exc}"
        try:
            while True:
                try:
                    page = self.todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    if browser is None:
                        self.errors[page.path] = broken
                    else:
                        self.visits[page.path] = browser.visit(page)
                except Exception as exc:  # noqa: BLE001 - the tests of this page report it
                    self.errors[page.path] = f"{type(exc).__name__}: {exc}"
                finally:
                    self.ready[page.path].set()
        finally:
            if browser is not None:
                browser.close()

    def stop(self):
        """Visit no more pages (a run stopped early); wait for the visits under way."""
        while True:
            try:
                self.todo.get_nowait()
            except queue.Empty:
                break
        for thread in self.threads:
            thread.join(timeout=120)

    def get(self, page: Page) -> Visit:
        if not self.ready[page.path].wait(timeout=900):
            pytest.fail(f"{page}: its visit did not finish in 15 minutes")
        if page.path in self.errors:
            pytest.fail(f"{page}: the visit failed: {self.errors[page.path]}")
        return self.visits[page.path]


class Browser:
    """One Chromium, one tab, and a cache of visits; with `ahead`, those pages are visited
    beforehand by Visitors threads."""

    def __init__(self, base: str, axe_script: str, ahead: list[Page] = (), fresh_screenshots=True):
        from playwright.sync_api import sync_playwright

        self.base = base
        self.axe_script = axe_script
        if TAKE_SCREENSHOTS and fresh_screenshots:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            for old in SCREENSHOTS.glob("*.png"):   # the folder shows this run's pages only
                old.unlink()
        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        self.tab = self._tab(DESKTOP)   # one tab for every page: 1280 px, then 390 px
        self.visits: dict[str, Visit] = {}
        self.current: Visit | None = None
        self.ahead = Visitors(base, axe_script, list(ahead)) if ahead else None

    def _tab(self, viewport):
        context = self.browser.new_context(viewport=viewport, color_scheme="light",
                                           locale="zh-CN", service_workers="block")
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=self.base)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # every visit is a first visit
        page.on("request", lambda r: self.current and self.current.requests.append(r.url))
        # ERR_ABORTED is a request cancelled by leaving the page (the search worker still
        # loading when the test clicks on): not a failure; a missing file shows as HTTP 404.
        page.on("requestfailed", lambda r: self.current and "ERR_ABORTED" not in (r.failure or "")
                and self.current.failed.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r: self.current and r.status >= 400 and self.current.failed.append(
            f"{r.url}: HTTP {r.status}"))
        page.on("console", lambda m: self.current and m.type == "error" and self.current.errors.append(
            f"console: {m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})"))
        page.on("pageerror", lambda e: self.current and self.current.errors.append(f"exception: {e}"))
        return page

    @staticmethod
    def shoot(tab, name: str, full_page: bool = False):
        """Save a screenshot under artifacts/screenshots/ when GRADBOOK_SCREENSHOTS=1."""
        if TAKE_SCREENSHOTS:
            tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    def close(self):
        if self.ahead is not None:
            self.ahead.stop()
        self.browser.close()
        self._pw.stop()

    def new_context(self, **kwargs):
        options = {"viewport": DESKTOP, "color_scheme": "light", "service_workers": "block", **kwargs}
        context = self.browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        return context

    # -------------------------------------------------------------- colour schemes and tooltips
    def figures_in_scheme(self, page: Page, scheme: str, limit: int = 3) -> dict:
        """Open `page` with the reader's system in `scheme` ('dark' or 'light'): the scheme the
        site chose, and an RGB array of each of the first `limit` figures as the reader sees it
        (its box included). A screenshot of the first one in its page is saved."""
        import numpy as np
        from PIL import Image

        context = self.new_context(color_scheme=scheme)
        try:
            tab = context.new_page()
            self._load(tab, self.base + page.path)
            figures = tab.locator("article figure.gb-figure")
            shots = []
            for index in range(min(limit, figures.count())):
                png = figures.nth(index).screenshot()
                shots.append(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")))
                if index == 0:
                    self.shoot(tab, f"{page.slug}-{scheme}-figure")
            return {"scheme": tab.evaluate("() => document.body.getAttribute('data-md-color-scheme')"),
                    "figures": figures.count(), "shots": shots}
        finally:
            context.close()

    def tooltip(self, page: Page, how: str) -> dict:
        """Every glossary abbreviation in the article of `page` (text, title, where it sits), then
        the tooltip the first one in running text shows when hovered ('hover', desktop mouse) or
        tapped ('tap', a phone's touch screen)."""
        touch = how == "tap"
        context = self.new_context(**({"viewport": PHONE, "has_touch": True, "is_mobile": True}
                                      if touch else {}))
        try:
            tab = context.new_page()
            self._load(tab, self.base + page.path)
            abbrs = tab.evaluate(TOOLTIP_FACTS_JS)
            # A handle, not a locator: Material takes the title off the element it shows.
            host = tab.locator("article p abbr[title]").first.element_handle()
            host.scroll_into_view_if_needed()
            title, text = host.get_attribute("title"), host.inner_text()
            if touch:
                host.tap()
            else:
                host.hover()
            shown = tab.locator(".md-tooltip2--active")
            shown.wait_for(state="visible", timeout=5000)
            tab.wait_for_function(SHOWN_JS, timeout=5000)   # faded in and slid into place
            self.shoot(tab, f"{page.slug}-tooltip-{how}")
            return {"abbrs": abbrs, "host": text, "title": title,
                    "shown": shown.inner_text().strip(), "role": shown.get_attribute("role")}
        finally:
            context.close()

    def code_colours(self, page: Page, scheme: str, block: str, classes: list[str]) -> dict:
        """Open `page` in colour scheme `scheme`, write one probe of each Pygments token class
        in `classes` into its first code block matching `block` ('.highlight pre > code' on a
        chapter page, '.highlight-ipynb pre' on a notebook page), and let axe's colour-contrast
        rule judge every probe against the block's background: class -> 'passes', 'violations'
        or 'incomplete' (axe could not tell)."""
        context = self.new_context(color_scheme=scheme)
        try:
            tab = context.new_page()
            self._load(tab, self.base + page.path)
            tab.evaluate(STRIP_FOR_AXE_JS)      # the page's own tokens: axe need not walk them
            tab.evaluate(PROBE_TOKENS_JS, [block, classes])
            tab.add_script_tag(content=self.axe_script)
            verdicts = tab.evaluate(PROBE_AXE_JS)
            self.shoot(tab, f"{page.slug}-{scheme}-code")
            return {"scheme": tab.evaluate("() => document.body.getAttribute('data-md-color-scheme')"),
                    "verdicts": verdicts}
        finally:
            context.close()

    # -------------------------------------------------------------- one page, as a reader meets it
    def visit(self, page: Page) -> Visit:
        if self.ahead is not None and page.path in self.ahead.ready:
            return self.ahead.get(page)
        if page.path not in self.visits:
            try:
                self.visits[page.path] = self._visit(page)
            finally:
                self.current = None
        return self.visits[page.path]

    def _load(self, tab, url: str):
        tab.goto(url, wait_until="load")
        try:  # math and copy buttons are added when Material's document$ fires
            tab.wait_for_function("() => [...document.querySelectorAll('.arithmatex')]"
                                  ".every(e => e.querySelector('.katex'))", timeout=5000)
        except Exception:  # noqa: BLE001 - the math test reports what is left
            pass
        tab.evaluate(SETTLE_JS)

    def _visit(self, page: Page) -> Visit:
        visit = self.current = Visit(page, self.base + page.path)
        tab = self.tab
        step = Stopwatch(visit)
        with step("load"):
            self._load(tab, visit.url)
            visit.facts = tab.evaluate(FACTS_JS)
        with step("desktop screenshot"):
            self.shoot(tab, f"{page.slug}-desktop", full_page=True)
        if page.lang == "zh":
            with step("fonts"):
                visit.facts["probe"] = tab.evaluate(PROBE_JS, CJK_TEXT)
                visit.fonts = self._probe_fonts(tab)
        with step("phone"):  # the same page, laid out again 390 px wide
            tab.set_viewport_size(PHONE)
            try:
                tab.evaluate(SETTLE_JS)
                visit.phone = tab.evaluate(FACTS_JS)
                self.shoot(tab, f"{page.slug}-phone", full_page=True)
            finally:
                tab.set_viewport_size(DESKTOP)
        # axe after the phone layout (taking KaTeX's HTML out changes the layout) and before the
        # copy buttons (a clicked button's tooltip fading out reads as faint text); the token
        # spans it takes out leave each code block's text, which is what a copy button copies.
        with step("axe"):
            tab.evaluate(SETTLE_JS)         # back at 1280 px: let the layout settle again
            tab.evaluate(STRIP_FOR_AXE_JS)
            tab.add_script_tag(content=self.axe_script)
            visit.axe = tab.evaluate(AXE_JS)
        with step("copy"):
            visit.copies = self._copy_buttons(tab, visit.facts)
        if page.twin is not None:
            with step("language switch"):
                visit.switch = self._switch_language(tab, page, visit.facts)
        return visit

    def _probe_fonts(self, tab) -> list[dict]:
        """The fonts Chromium really used to draw the Chinese probe (in the page's body font)."""
        cdp = tab.context.new_cdp_session(tab)
        try:
            cdp.send("DOM.enable")
            cdp.send("CSS.enable")
            root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
            node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#gb-cjk-probe"})
            return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
        finally:
            cdp.detach()

    def _copy_buttons(self, tab, facts) -> list[tuple[str, str | None]]:
        """Click the copy button of each snippet's code block; what landed on the clipboard."""
        copied = tab.evaluate(COPY_JS)
        return [(out["snippet"], text) for out, text in zip(facts["outputs"], copied)]

    def _switch_language(self, tab, page: Page, facts) -> dict:
        """On the loaded page, go to #anchor (as a reader following a heading's link), click the
        other language, and say where that landed. The twin itself has its own visit (its
        language, its ids): the request for it is answered here with an empty page (TWIN_STUB),
        which spares Chromium a second full load of every page; a click that goes anywhere
        else is answered by the server as usual and shows up as the wrong landing."""
        other = "en" if page.lang == "zh" else "zh"
        anchor = next((i for i in facts["headingIds"][1:] if i), None) or \
            next((i for i in facts["headingIds"] if i), None)
        start = self.base + page.path + (f"#{anchor}" if anchor else "")
        if anchor:
            tab.evaluate("(anchor) => { location.hash = anchor; }", anchor)
            tab.wait_for_function("(anchor) => location.hash === '#' + anchor", arg=anchor)
        link = tab.locator(f".md-header a[hreflang='{other}']")
        if link.count() == 0:
            return {"start": start, "anchor": anchor, "landed": None,
                    "error": f"no a[hreflang={other}] in the header"}
        twin = self.base + page.twin
        stub = lambda route: route.fulfill(status=200, content_type="text/html", body=TWIN_STUB)  # noqa: E731
        tab.route(twin, stub)
        try:
            # The menu opens on hover; the click the link then gets goes through the page's own
            # handlers (lang-switch.js, Material's) just the same when dispatched directly.
            with tab.expect_navigation(wait_until="domcontentloaded"):
                link.first.dispatch_event("click")
        finally:
            tab.unroute(twin, stub)
        return {"start": start, "anchor": anchor, "landed": tab.url, "error": None}
