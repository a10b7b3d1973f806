"""The whole book as one zip that opens from disk (file://), built beside the site.

After the normal build, `make_zip` runs a second `mkdocs build` of the same config with
Material's `offline` plugin switched on (the environment variable `GRADBOOK_OFFLINE_SITE=true`,
read by `mkdocs.yml`): that plugin turns off directory URLs (`chain-rule.html`, not `chain-rule/`,
which a file system cannot resolve) and inlines the search index into a script. Its search
worker runs through the iframe-worker shim, vendored by `make assets` (buildbook/assets.py),
never fetched from a CDN. The snippet and notebook caches make this second build cheap: it
executes nothing. The result goes to `site/downloads/gradient-book-offline.zip`, one folder
inside (`gradient-book/index.html` opens the book), with fixed timestamps so the same site
gives the same bytes.
"""
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ENV = "GRADBOOK_OFFLINE_SITE"
ZIP = "downloads/gradient-book-offline.zip"
FOLDER = "gradient-book"
SHIM = "assets/vendor/iframe-worker/shim.js"   # under docs/, vendored by buildbook.assets
# Anything a page would fetch from elsewhere: scripts, styles, fonts, images. Plain links and the
# <link>s that only name a page (canonical, prev/next) fetch nothing.
TAG = re.compile(r"<(script|link|img|source|iframe|audio|video)\b[^>]*>", re.I)
REMOTE_URL = re.compile(r"""\b(?:src|href)=["']?(?:https?:)?//""", re.I)
NAMES_A_PAGE = re.compile(r"""\brel=["']?(?:canonical|alternate|prev|next)\b""", re.I)


# A paragraph that makes sense only on the served site (the link to this very zip).
ONLINE_ONLY = re.compile(r'<p class="gb-online-only">.*?</p>\s*', re.S)


class OfflineError(Exception):
    pass


def wanted() -> bool:
    """False when GRADBOOK_OFFLINE_ZIP=0: a build that makes no zip (tests of other things)."""
    return os.environ.get("GRADBOOK_OFFLINE_ZIP", "1") != "0"


def is_offline_build() -> bool:
    """True inside the second build (the one that becomes the zip)."""
    return os.environ.get(ENV, "").lower() in ("1", "true", "yes")


def polyfills(existing: list, docs_dir: Path) -> list:
    """The page polyfills with the iframe-worker shim served from the site itself: Material's
    offline plugin would otherwise add a CDN copy (it adds none when one is already listed)."""
    if not (Path(docs_dir) / SHIM).is_file():
        raise OfflineError(f"docs/{SHIM} is missing: run `make assets` (vendors iframe-worker)")
    return [p for p in existing if "iframe-worker" not in str(p)] + [SHIM]


def page_html(html: str) -> str:
    """A page as the offline copy shows it: without its online-only paragraphs."""
    return ONLINE_ONLY.sub("", html) if is_offline_build() else html


def remote_references(site: Path) -> list[str]:
    """'page: tag' for every HTML element of the built site that loads something from the network."""
    found = []
    for page in sorted(site.rglob("*.html")):
        for match in TAG.finditer(page.read_text(encoding="utf-8")):
            tag = match.group(0)
            if REMOTE_URL.search(tag) and not NAMES_A_PAGE.search(tag):
                found.append(f"{page.relative_to(site).as_posix()}: {tag[:120]}")
    return found


def write_zip(folder: Path, target: Path) -> None:
    """Zip `folder` as FOLDER/..., files sorted, timestamps fixed (the same site, the same bytes)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{FOLDER}/{file.relative_to(folder).as_posix()}",
                                   date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, file.read_bytes(), compresslevel=6)
    tmp.replace(target)


def make_zip(config_file: str, site_dir: str, strict: bool) -> tuple[Path, float]:
    """Build the offline copy of the site from `config_file` and zip it into `site_dir`/ZIP.
    Returns the zip's path and the seconds the second build took."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="gradbook-offline-") as tmp:
        out = Path(tmp) / FOLDER
        command = [sys.executable, "-m", "mkdocs", "build", "-f", config_file, "-d", str(out)]
        proc = subprocess.run(command + (["--strict"] if strict else []),
                              cwd=Path(config_file).parent, env={**os.environ, ENV: "true"},
                              capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0:
            raise OfflineError(f"the offline build failed:\n{proc.stderr[-4000:]}")
        remote = remote_references(out)
        if remote:
            raise OfflineError("the offline build loads things from the network:\n" + "\n".join(remote[:10]))
        seconds = time.perf_counter() - started
        target = Path(site_dir) / ZIP
        write_zip(out, target)
    return target, seconds
