"""Content hashes: a snippet plus the sibling modules it imports, and the pinned dependency set."""
import ast
import hashlib
from pathlib import Path

from . import paths


def local_imports(path: Path) -> list[Path]:
    """Sibling .py files that `path` imports, followed recursively (static scan, no execution)."""
    seen: dict[Path, None] = {}
    todo = [Path(path).resolve()]
    while todo:
        current = todo.pop()
        tree = ast.parse(current.read_text(encoding="utf-8"), filename=str(current))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                candidate = current.parent / (name.split(".")[0] + ".py")
                if candidate.is_file() and candidate != Path(path).resolve() and candidate not in seen:
                    seen[candidate] = None
                    todo.append(candidate)
    return sorted(seen)


def source_hash(path: Path) -> str:
    """sha256 over the file and every sibling module it imports (names and bytes)."""
    path = Path(path).resolve()
    digest = hashlib.sha256()
    for file in [path, *local_imports(path)]:
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()


def requirements_hash() -> str:
    return hashlib.sha256(paths.REQUIREMENTS.read_bytes()).hexdigest()
