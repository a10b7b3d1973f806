"""Vendor KaTeX into docs/assets/vendor/katex so math renders with no network at view time.

`python -m buildbook.assets` fetches the pinned tarball through npm (the registry is the only
network the set-up step uses), checks its sha512 against the pin, and unpacks dist/ only.
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


def installed() -> bool:
    stamp = TARGET / "VERSION"
    return stamp.is_file() and stamp.read_text().strip() == KATEX_VERSION and all(
        (TARGET / name).is_file() for name in NEEDED)


def vendor_katex() -> None:
    if installed():
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"katex@{KATEX_VERSION}", "--pack-destination", tmp,
                        "--silent"], check=True, stdout=subprocess.DEVNULL)
        tgz = next(Path(tmp).glob("katex-*.tgz"))
        digest = base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
        if digest != KATEX_SHA512:
            sys.exit(f"katex tarball hash mismatch: got sha512-{digest}, pinned sha512-{KATEX_SHA512}")
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


if __name__ == "__main__":
    vendor_katex()
    print(f"KaTeX {KATEX_VERSION} in {TARGET.relative_to(paths.ROOT)}")
