"""Vendor KaTeX and the iframe-worker shim into docs/assets/vendor so the site needs no network.

`python -m buildbook.assets` fetches each pinned tarball through npm (the registry is the only
network the set-up step uses) and checks its sha512 against the pin: KaTeX's dist/ (math), and
iframe-worker's shim (search in the offline copy opened from file://, buildbook/offline.py).
"""
import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from . import paths

KATEX_VERSION = "0.19.1"
KATEX_SHA512 = "jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA=="
TARGET = paths.DOCS / "assets" / "vendor" / "katex"
NEEDED = ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js")
IFRAME_WORKER_VERSION = "1.0.4"
IFRAME_WORKER_SHA512 = "roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SOkAtSUA5q7Q=="
IFRAME_WORKER = paths.DOCS / "assets" / "vendor" / "iframe-worker"


def npm_pack(name: str, version: str, sha512: str, folder: str) -> Path:
    """The package's tarball, fetched by npm into `folder`, its sha512 checked against the pin."""
    subprocess.run(["npm", "pack", f"{name}@{version}", "--pack-destination", folder, "--silent"],
                   check=True, stdout=subprocess.DEVNULL)
    tgz = next(Path(folder).glob(f"{name}-*.tgz"))
    digest = base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
    if digest != sha512:
        sys.exit(f"{name} tarball hash mismatch: got sha512-{digest}, pinned sha512-{sha512}")
    return tgz


def installed() -> bool:
    stamp = TARGET / "VERSION"
    return stamp.is_file() and stamp.read_text().strip() == KATEX_VERSION and all(
        (TARGET / name).is_file() for name in NEEDED)


def vendor_katex() -> None:
    if installed():
        return
    with tempfile.TemporaryDirectory() as tmp:
        tgz = npm_pack("katex", KATEX_VERSION, KATEX_SHA512, tmp)
        staging = Path(tmp) / "out"
        with tarfile.open(tgz) as tar:
            members = [m for m in tar.getmembers()
                       if m.name.startswith("package/dist/") and m.isfile()
                       and (m.name.endswith((".min.js", ".min.css", ".woff2"))
                            or "/contrib/auto-render" in m.name)]
            tar.extractall(staging, members=members, filter="data")
        shutil.rmtree(TARGET, ignore_errors=True)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging / "package" / "dist"), TARGET)
        (TARGET / "VERSION").write_text(KATEX_VERSION + "\n")
    missing = [name for name in NEEDED if not (TARGET / name).is_file()]
    if missing:
        sys.exit(f"katex {KATEX_VERSION} unpacked without {missing}")


def iframe_worker_installed() -> bool:
    stamp = IFRAME_WORKER / "VERSION"
    return (stamp.is_file() and stamp.read_text().strip() == IFRAME_WORKER_VERSION
            and (IFRAME_WORKER / "shim.js").is_file())


def vendor_iframe_worker() -> None:
    """shim/index.js (a Worker that runs in a hidden iframe when the page is a file://) and
    its licence."""
    if iframe_worker_installed():
        return
    with tempfile.TemporaryDirectory() as tmp:
        tgz = npm_pack("iframe-worker", IFRAME_WORKER_VERSION, IFRAME_WORKER_SHA512, tmp)
        with tarfile.open(tgz) as tar:
            shim = tar.extractfile("package/shim/index.js").read()
            licence = tar.extractfile("package/LICENSE").read()
    shutil.rmtree(IFRAME_WORKER, ignore_errors=True)
    IFRAME_WORKER.mkdir(parents=True)
    (IFRAME_WORKER / "shim.js").write_bytes(shim)
    (IFRAME_WORKER / "LICENSE").write_bytes(licence)
    (IFRAME_WORKER / "VERSION").write_text(IFRAME_WORKER_VERSION + "\n")


if __name__ == "__main__":
    vendor_katex()
    print(f"KaTeX {KATEX_VERSION} in {TARGET.relative_to(paths.ROOT)}")
    vendor_iframe_worker()
    print(f"iframe-worker {IFRAME_WORKER_VERSION} in {IFRAME_WORKER.relative_to(paths.ROOT)}")
