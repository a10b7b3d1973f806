"""Where things live. Every path is derived from this file, never from the working directory."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
RESULTS = ROOT / "results"
REQUIREMENTS = ROOT / "requirements.txt"
# The build cache: executed snippet outputs and notebooks. GRADBOOK_CACHE moves it (tests do).
CACHE = Path(os.environ.get("GRADBOOK_CACHE", ROOT / ".cache"))


def snippet_path(rel: str) -> Path:
    """Resolve 'chapter/file.py' under snippets/, refusing anything outside it."""
    path = (SNIPPETS / rel).resolve()
    if SNIPPETS.resolve() not in path.parents:
        raise ValueError(f"snippet path {rel!r} leaves snippets/")
    if not path.is_file():
        raise FileNotFoundError(f"snippet not found: snippets/{rel}")
    return path
