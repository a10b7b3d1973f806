"""The whole book as one zip that opens from disk (file://), made from the site just built.

A file system cannot open a directory URL: `page/` must become `page/index.html`.
Material's `offline` plugin gets there with a second build (`use_directory_urls: false`), which
costs as much as the build itself (mostly the search plugin parsing every page again). This
module does the plugin's three jobs on the finished site instead, in a second or two:

- every relative `href` that names a folder (`page/`, `../en/`, `..`) gets `index.html`,
  and so does every `location` of the search index;
- the search index is also written as a script, `search/search_index.js` (`var __index = ...`),
  which Material's bundle loads instead of fetching the JSON when the page is a file://;
- every page loads the iframe-worker shim first: browsers refuse to start the search Web Worker
  from file://, and the shim runs it in a hidden iframe instead. The plugin would load it from a
  CDN; here it is the copy `make assets` vendors from npm (buildbook/assets.py).

The copy keeps the site's layout, so every other relative URL (styles, scripts, KaTeX fonts,
figures) is already right. It must load nothing from the network: `make_zip` fails otherwise.
The zip goes to `site/downloads/gradient-book-offline.zip`, one folder inside
(`gradient-book/index.html` opens the book), files sorted and timestamps fixed.
"""
import json
import posixpath
import re
import zipfile
from pathlib import Path

ZIP = "downloads/gradient-book-offline.zip"
FOLDER = "gradient-book"
SHIM = "assets/vendor/iframe-worker/shim.js"   # under docs/, vendored by buildbook.assets
SEARCH_INDEX = "search/search_index.json"
SEARCH_SCRIPT = "search/search_index.js"
LEFT_OUT = ("downloads/", SEARCH_INDEX)   # the zip itself; the JSON index (file:// reads the script)

HREF = re.compile(r"""(\shref=)(["'])([^"']*)\2""", re.I)
HEAD_END = re.compile(r"</head>", re.I)
# A paragraph that makes sense only on the served site (the link to this very zip).
ONLINE_ONLY = re.compile(r'<p class="gb-online-only">.*?</p>\s*', re.S)
# Anything a page would fetch from elsewhere: scripts, styles, fonts, images. Plain links and the
# <link>s that only name a page (canonical, prev/next) fetch nothing.
TAG = re.compile(r"<(script|link|img|source|iframe|audio|video)\b[^>]*>", re.I)
REMOTE_URL = re.compile(r"""\b(?:src|href)=["']?(?:https?:)?//""", re.I)
NAMES_A_PAGE = re.compile(r"""\brel=["']?(?:canonical|alternate|prev|next)\b""", re.I)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


class OfflineError(Exception):
    pass


def file_url(url: str) -> str:
    """A relative URL that works on a file system: a folder gets its index.html."""
    if not url or url.startswith(("#", "?", "/")) or SCHEME.match(url):
        return url
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if path.endswith("/"):
        path += "index.html"
    elif posixpath.basename(path) in (".", ".."):
        path += "/index.html"
    return path + rest


def page(html: str, rel: str) -> str:
    """One HTML page of the site (at `rel` under the site root) as the offline copy has it."""
    html = ONLINE_ONLY.sub("", html)
    html = HREF.sub(lambda m: m.group(1) + m.group(2) + file_url(m.group(3)) + m.group(2), html)
    root = posixpath.relpath(".", posixpath.dirname(rel) or ".")
    shim = posixpath.normpath(posixpath.join(root, SHIM))
    return HEAD_END.sub(lambda m: f'<script src="{shim}"></script>\n' + m.group(0), html, count=1)


def search_script(index_json: str) -> str:
    """Material's search index as the script a file:// page loads, every location a file."""
    index = json.loads(index_json)
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        doc["location"] = file_url("./" + location)[2:] if not location.startswith("#") \
            else "index.html" + location
    return "var __index = " + json.dumps(index, ensure_ascii=False, separators=(",", ":"))


def remote_references(rel: str, html: str) -> list[str]:
    """'page: tag' for every element of the page that would load something from the network."""
    found = []
    for match in TAG.finditer(html):
        tag = match.group(0)
        if REMOTE_URL.search(tag) and not NAMES_A_PAGE.search(tag):
            found.append(f"{rel}: {tag[:120]}")
    return found


def files(site: Path) -> dict[str, bytes]:
    """Every file of the offline copy: path under the copy's folder -> content."""
    site = Path(site)
    if not (site / SHIM).is_file():
        raise OfflineError(f"{SHIM} is missing from the site: run `make assets` (vendors iframe-worker)")
    out, remote = {}, []
    for file in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = file.relative_to(site).as_posix()
        if rel.startswith(LEFT_OUT):
            continue
        if rel.endswith(".html"):
            html = page(file.read_text(encoding="utf-8"), rel)
            remote += remote_references(rel, html)
            out[rel] = html.encode("utf-8")
        else:
            out[rel] = file.read_bytes()
    index = site / SEARCH_INDEX
    if index.is_file():
        out[SEARCH_SCRIPT] = search_script(index.read_text(encoding="utf-8")).encode("utf-8")
    if remote:
        raise OfflineError("the offline copy would load things from the network:\n" + "\n".join(remote[:10]))
    return out


def make_zip(site: Path) -> Path:
    """Write the offline copy of the built `site` to site/ZIP (files sorted, fixed timestamps:
    the same site gives the same bytes)."""
    content = files(site)
    target = Path(site) / ZIP
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for rel, data in sorted(content.items()):
            info = zipfile.ZipInfo(f"{FOLDER}/{rel}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=6)
    tmp.replace(target)
    return target
