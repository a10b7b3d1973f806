"""MkDocs hooks: thin glue from mkdocs events to the buildbook package.

Every failure becomes a PluginError naming the page or snippet, which stops `mkdocs build`
(and is reported without stopping `mkdocs serve`).
"""
import functools
import json
import logging
import re
import shutil
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root: `buildbook`

from buildbook import (execute, glossary, notebooks, offline, paths, render, report,  # noqa: E402,F401
                       shortcodes, trained, twins)

log = logging.getLogger("mkdocs.hooks.buildbook")
CONTEXTS: dict[str, shortcodes.Context] = {}
NOTEBOOK_FILES: dict[str, Path] = {}


def language(config) -> str:
    i18n = config.plugins.get("i18n")
    lang = i18n.current_language if i18n is not None else config.theme["language"]
    if lang not in render.LABELS:
        raise PluginError(f"buildbook: no labels for language {lang!r}")
    return lang


def on_config(config):
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.current_language in (None, i18n.default_language):
        # A new build (serve reloads the config on every rebuild). The other languages of the
        # same build come through here too, and keep what this build already ran.
        execute.SESSION.clear()
        notebooks.SESSION.clear()
    for folder in (paths.SNIPPETS, paths.RESULTS, Path(__file__).parent):
        if folder.is_dir() and str(folder) not in config.watch:  # watchdog dies on a missing folder
            config.watch.append(str(folder))
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is None or jupyter.config["allow_errors"] or jupyter.config["execute"]:
        raise PluginError("buildbook: mkdocs-jupyter must be enabled with allow_errors: false "
                          "and execute: false (buildbook executes notebooks itself)")
    jupyter.config["cache_dir"] = str(paths.CACHE / "mkdocs-jupyter")  # not relative to the cwd
    if "abbr" not in config.markdown_extensions:
        raise PluginError("buildbook: glossary tooltips need the abbr markdown extension")
    if not any(isinstance(e, glossary.Extension) for e in config.markdown_extensions):
        config.markdown_extensions.append(glossary.Extension())  # after abbr: replaces its wrapping
    return config


@event_priority(-200)  # after mkdocs-static-i18n (-100) has rebuilt the file list
def on_files(files, config):
    from mkdocs_jupyter.plugin import NotebookFile

    prefix = "" if language(config) == "zh" else "en/"
    try:  # every notebook kernel and every snippet a page runs, side by side (then found done)
        kernels = [functools.partial(notebooks.build, page, check_snippets=False)
                   for page in notebooks.chapter_pages()]
        execute.run_all(shortcodes.executed_snippets(Path(config.docs_dir)), first=kernels)
    except (notebooks.NotebookError, execute.SnippetError, FileNotFoundError) as exc:
        raise PluginError(f"buildbook: {exc}") from None
    for page in notebooks.chapter_pages():
        try:
            executed = notebooks.build(page)
        except (notebooks.NotebookError, execute.SnippetError, FileNotFoundError) as exc:
            raise PluginError(f"buildbook: {exc}") from None
        src_dir = executed.parent / "src"
        (src_dir / "notebooks").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(executed, src_dir / "notebooks" / executed.name)
        plain = File(f"notebooks/{executed.name}", str(src_dir), config.site_dir,
                     config.use_directory_urls)
        wrapped = NotebookFile(plain, use_directory_urls=config.use_directory_urls,
                               site_dir=config.site_dir)
        wrapped.dest_path = prefix + wrapped.dest_path
        wrapped.abs_dest_path = str(Path(config.site_dir) / wrapped.dest_path)
        wrapped.url = prefix + wrapped.url
        files.append(wrapped)
        NOTEBOOK_FILES[page.stem] = executed
    return files


def on_page_markdown(markdown, page, config, files):
    ctx = shortcodes.Context(page=f"docs/{page.file.src_uri}", lang=language(config), url=page.url)
    try:
        markdown = shortcodes.expand(markdown, ctx)
    except (shortcodes.ShortcodeError, execute.SnippetError) as exc:
        raise PluginError(f"buildbook: {exc}") from None
    CONTEXTS[page.file.src_uri] = ctx
    return markdown + glossary.definitions(Path(config.docs_dir), ctx.lang, page.file.src_uri)


def on_page_content(html, page, config, files):
    ctx = CONTEXTS.pop(page.file.src_uri, None)
    if ctx is None:
        return html
    try:
        html = shortcodes.fill(html, ctx)
    except shortcodes.ShortcodeError as exc:
        raise PluginError(f"buildbook: {exc}") from None
    for target, source in ctx.assets.items():
        dest = Path(config.site_dir) / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
    return twin_banner(html, page, config)


def twin_banner(html, page, config):
    """The notice on a page whose twin changed since they were synchronized (buildbook/twins.py)."""
    source = Path(page.file.abs_src_path)
    alternates = getattr(page.file, "alternates", {})
    lang = language(config)
    other = next((alt for locale, alt in alternates.items()
                  if locale != lang and alt.abs_src_path == str(twins.twin_of(source))), None)
    if other is None or twins.in_sync(source):
        return html
    href = get_relative_url(other.url, page.url)
    return twins.with_banner(html, twins.banner(lang, other.locale, href))


@event_priority(-200)  # after mkdocs-static-i18n (-100) built every other language
def on_post_build(config):
    """After each language: the notebooks' downloads and the build report. After the last one
    (mkdocs-static-i18n builds the others inside the first one's post_build), the offline copy
    of the whole site (buildbook/offline.py), once per build (`mkdocs serve` too: a reader who
    serves the book locally can download it as well; about 3 s)."""
    for stem, executed in NOTEBOOK_FILES.items():  # the downloadable .ipynb, one for both languages
        dest = Path(config.site_dir) / "notebooks" / f"{stem}.ipynb"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(executed, dest)
    report = {"snippets": {rel: {"key": out.key, "cache_hit": out.cache_hit,
                                 "duration_s": out.duration_s}
                           for rel, out in sorted(execute.SESSION.items())},
              "notebooks": {stem: {"cache_hit": hit} for stem, hit in sorted(notebooks.SESSION.items())}}
    paths.CACHE.mkdir(parents=True, exist_ok=True)
    (paths.CACHE / "last_build.json").write_text(json.dumps(report, indent=1))
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return
    started = time.perf_counter()
    try:
        target = offline.make_zip(Path(config.site_dir))
    except offline.OfflineError as exc:
        raise PluginError(f"buildbook: {exc}") from None
    log.info(f"buildbook: offline copy {target.name} ({target.stat().st_size / 1e6:.1f} MB) "
             f"made in {time.perf_counter() - started:.1f} s")


@event_priority(40)  # after mkdocs-static-i18n (50) filled in the language switch
def on_page_context(context, page, config, nav):
    """A generated notebook page has no i18n twin of its own: point the switch at its twin."""
    uri = page.file.src_uri
    if uri.startswith("notebooks/") and uri.endswith(".ipynb") and config.extra.get("alternate"):
        stem = Path(uri).stem
        config.extra.alternate = [
            {**alt, "link": ("" if alt["lang"] == "zh" else f"{alt['lang']}/") + f"notebooks/{stem}/"}
            for alt in config.extra.alternate]
    return context


# mkdocs-material fetches <alternate>/sitemap.xml for every <link rel="alternate"> in the head
# (404s here) and then takes over the language links, dropping the #anchor. The header's
# language links and sitemap.xml keep their hreflang; only the head links go.
HEAD_ALTERNATE = re.compile(r'\n\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output, page, config):
    return HEAD_ALTERNATE.sub("", output)


def on_post_template(output, template_name, config):
    return HEAD_ALTERNATE.sub("", output) if template_name == "404.html" else output
