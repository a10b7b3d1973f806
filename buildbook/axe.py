"""Fetch axe-core (the accessibility checker the browser tests inject into every page).

`python -m buildbook.axe` gets the pinned tarball with `npm pack` (the registry is the only
network the set-up step uses), checks its sha512 against the pin and keeps `axe.min.js` in a
cache folder outside the repository. It is a test tool, never part of the site.

Cache path: ``$GRADBOOK_AXE_DIR`` if set, else ``~/.cache/gradbook/axe-core-<version>/``.
"""
import base64
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_SHA512 = "FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
MEMBER = "package/axe.min.js"


def folder() -> Path:
    env = os.environ.get("GRADBOOK_AXE_DIR")
    return Path(env).expanduser() if env else \
        Path.home() / ".cache" / "gradbook" / f"axe-core-{AXE_VERSION}"


def script_path() -> Path:
    """Where axe.min.js lives once `vendor_axe()` ran (it may not exist yet)."""
    return folder() / "axe.min.js"


def vendor_axe() -> Path:
    target = script_path()
    if target.is_file():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", tmp,
                        "--silent"], check=True, stdout=subprocess.DEVNULL)
        tgz = next(Path(tmp).glob("axe-core-*.tgz"))
        digest = base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
        if digest != AXE_SHA512:
            sys.exit(f"axe-core tarball hash mismatch: got sha512-{digest}, pinned sha512-{AXE_SHA512}")
        with tarfile.open(tgz) as tar:
            data = tar.extractfile(MEMBER).read()
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        partial.write_bytes(data)
        partial.replace(target)
    return target


if __name__ == "__main__":
    print(f"axe-core {AXE_VERSION} in {vendor_axe()}")
