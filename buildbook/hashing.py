"""Content hashes of code: what a snippet or a sweep computes, not how it is commented.

``source_hash(path)`` covers the file and every module of this repository it imports, followed
recursively: sibling files (``import functions``, ``from . import x``) and the shared engine
(``from snippets.engine import stacked``).  Each file counts by its syntax tree with
docstrings removed, so editing a comment or a docstring keeps a result fresh while changing
a constant makes it stale.  A file's result data (a string constant naming an existing file in
``results/``) counts by its bytes: a figure drawn from a record is redrawn when the record
changes.  Hashes are memoised per file by (mtime, size).
"""
import ast
import hashlib
import threading
from pathlib import Path

from . import paths

_MEMO: dict[Path, tuple] = {}
_BYTES: dict[Path, tuple] = {}
_SOURCE: dict[Path, tuple] = {}


# CPython 3.11 keeps the AST constructor's recursion counter in shared state: two threads
# parsing at once (the build runs snippets and notebooks from a thread pool) can fail with
# "SystemError: AST constructor recursion depth mismatch" (python/cpython#106905).
_PARSING = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse``, one thread at a time."""
    with _PARSING:
        return ast.parse(source, filename=filename)


def _stamp(path: Path) -> tuple:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, memoised by (mtime, size)."""
    path = Path(path)
    stamp = _stamp(path)
    memo = _BYTES.get(path)
    if memo is None or memo[0] != stamp:
        memo = (stamp, hashlib.sha256(path.read_bytes()).hexdigest())
        _BYTES[path] = memo
    return memo[1]


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


def _resolve(current: Path, module: str | None, level: int, names: list[str]) -> list[Path]:
    """Files of this repository that an import statement in ``current`` may load."""
    out = []
    if level:                                   # from . import x / from .x import y
        base = current.parent
        for _ in range(level - 1):
            base = base.parent
        parts = module.split(".") if module else []
        stem = base.joinpath(*parts)
        candidates = [stem.with_suffix(".py"), stem / "__init__.py"] if parts else []
        candidates += [stem / f"{n}.py" for n in names]
    else:
        top = module.split(".")
        candidates = [current.parent / f"{top[0]}.py"]           # a sibling file
        if top[0] == paths.SNIPPETS.name:                         # snippets.engine.x
            stem = paths.ROOT.joinpath(*top)
            candidates += [stem.with_suffix(".py"), stem / "__init__.py"]
            candidates += [stem / f"{n}.py" for n in names]
    return [c.resolve() for c in candidates if c.is_file()]


def _scan(path: Path):
    """(syntax-tree digest, imported repo files, result files named) of one file, memoised."""
    stat = path.stat()
    memo = _MEMO.get(path)
    if memo and memo[0] == (stat.st_mtime_ns, stat.st_size):
        return memo[1]
    source = path.read_text(encoding="utf-8")
    tree = parse(source, filename=str(path))
    imports, data = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                imports += _resolve(path, alias.name, 0, [])
        elif isinstance(node, ast.ImportFrom):
            imports += _resolve(path, node.module, node.level, [a.name for a in node.names])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value.endswith(".json") and "\n" not in node.value:
            candidate = paths.RESULTS / Path(node.value).name
            if candidate.is_file():
                data.append(candidate)
    dump = ast.dump(_strip_docstrings(tree), annotate_fields=False, include_attributes=False)
    result = (hashlib.sha256(dump.encode()).hexdigest(), sorted(set(imports) - {path}), sorted(set(data)))
    _MEMO[path] = ((stat.st_mtime_ns, stat.st_size), result)
    return result


def local_imports(path: Path) -> list[Path]:
    """Repository files that ``path`` imports, followed recursively (static scan, no execution)."""
    path = Path(path).resolve()
    seen: dict[Path, None] = {}
    todo = [path]
    while todo:
        for dep in _scan(todo.pop())[1]:
            if dep != path and dep not in seen:
                seen[dep] = None
                todo.append(dep)
    return sorted(seen)


def data_files(path: Path) -> list[Path]:
    """Result records (``results/*.json``) named by ``path`` or a module it imports."""
    path = Path(path).resolve()
    return sorted({d for f in [path, *local_imports(path)] for d in _scan(f)[2]})


def source_hash(path: Path) -> str:
    """sha256 over the syntax trees of the file and every repo module it imports (by name)."""
    path = Path(path).resolve()
    memo = _SOURCE.get(path)
    if memo is not None and all(_stamp(f) == s for f, s in memo[0]):
        return memo[1]
    files = [path, *local_imports(path)]
    digest = hashlib.sha256()
    for file in files:
        rel = file.relative_to(paths.ROOT).as_posix() if paths.ROOT in file.parents else file.name
        digest.update(rel.encode() + b"\0" + _scan(file)[0].encode() + b"\0")
    _SOURCE[path] = ([(f, _stamp(f)) for f in files], digest.hexdigest())
    return digest.hexdigest()


def data_hash(path: Path) -> str:
    """sha256 over the bytes of the result records a snippet reads (empty string if none)."""
    files = data_files(path)
    if not files:
        return ""
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + b"\0" + file_digest(file).encode() + b"\0")
    return digest.hexdigest()


def requirements_hash() -> str:
    return file_digest(paths.REQUIREMENTS)
