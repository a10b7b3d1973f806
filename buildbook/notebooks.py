"""Companion notebooks: one per chapter page that asks for one, made from the page's snippets.

The notebook is generated at build time (never committed), executed top to bottom once in a
fresh kernel, cached by content hash, and handed to mkdocs-jupyter to render without running
it again. A failing cell raises NotebookError naming the snippet.
"""
import ast
import hashlib
import re
import tempfile
from pathlib import Path

import nbformat

from . import execute, hashing, paths, shortcodes

NOTEBOOK_SHORTCODE = "notebook"
SETUP = ("# Figures inline, as PNG (small pages; the chapter pages show the SVGs).\n%matplotlib inline\n"
         "%config InlineBackend.figure_formats = ['png']")


class NotebookError(Exception):
    pass


# Notebooks this build used: page stem -> True if it came from the cache, False if executed.
SESSION: dict[str, bool] = {}


def chapter_pages() -> list[Path]:
    """Default-language pages that carry a [[notebook]] shortcode."""
    return sorted(p for p in paths.DOCS.glob("*.md") if not p.name.endswith(".en.md")
                  and any(m.group(1) == NOTEBOOK_SHORTCODE for _, m in shortcodes.find(p.read_text(encoding="utf-8"))))


def snippets_of(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [m.group(2).split()[0] for _, m in shortcodes.find(text) if m.group(1) == "snippet"]


def title_of(page: Path) -> str:
    match = re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.M)
    return re.sub(r"\s*\{#[\w-]+\}\s*$", "", match.group(1)).strip() if match else page.stem


def cell_source(rel: str, earlier: set[str]) -> str:
    """The snippet's code; `from sibling import ...` of an earlier cell becomes a comment."""
    code = paths.snippet_path(rel).read_text(encoding="utf-8")
    lines = code.splitlines()
    for node in ast.walk(hashing.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module in earlier:
            for number in range(node.lineno - 1, node.end_lineno):
                lines[number] = "# " + lines[number] + "  (defined in an earlier cell)"
        elif isinstance(node, ast.Import) and any(a.name in earlier for a in node.names):
            raise NotebookError(f"snippets/{rel}, line {node.lineno}: use 'from module import "
                                "names' for sibling modules so the notebook can inline them")
    return "\n".join(lines)


def make(page: Path) -> nbformat.NotebookNode:
    twin = page.with_name(page.stem + ".en.md")
    titles = title_of(page) + (f" · {title_of(twin)}" if twin.is_file() else "")
    cells = [nbformat.v4.new_markdown_cell(
        f"# {titles}\n\nCompanion notebook of the chapter: its snippets, top to bottom. "
        "Each code cell is also a standalone file under `snippets/`."),
        nbformat.v4.new_code_cell(SETUP)]
    done: set[str] = set()
    for rel in snippets_of(page):
        path = paths.snippet_path(rel)
        doc = ast.get_docstring(hashing.parse(path.read_text(encoding="utf-8"))) or ""
        cells.append(nbformat.v4.new_markdown_cell(f"## {rel}\n\n{doc}"))  # no code span: ids stay readable
        cells.append(nbformat.v4.new_code_cell(cell_source(rel, done)))
        done.add(path.stem)
    for number, cell in enumerate(cells):  # nbformat draws random cell ids: fix them, or the
        cell["id"] = f"cell-{number}"      # cache key would change on every build
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def cache_key(page: Path) -> str:
    digest = hashlib.sha256(hashing.requirements_hash().encode())
    digest.update(Path(__file__).read_bytes())
    digest.update(nbformat.writes(make(page)).encode())
    for rel in snippets_of(page):
        digest.update(hashing.source_hash(paths.snippet_path(rel)).encode())
    return digest.hexdigest()[:32]


def build(page: Path, check_snippets: bool = True) -> Path:
    """Path of the executed notebook for `page`, executing it only on a cache miss. Its snippets
    run first (a broken one is reported with its own file and line), unless `check_snippets`
    is False: the caller runs them beside the kernel and reports them first (hooks.on_files)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    target = paths.CACHE / "notebooks" / cache_key(page) / f"{page.stem}.ipynb"
    if target.is_file():
        SESSION.setdefault(page.stem, True)
        return target
    SESSION[page.stem] = False
    for rel in snippets_of(page) if check_snippets else ():
        execute.run(rel)
    notebook = make(page)
    with tempfile.TemporaryDirectory() as scratch:
        client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=False,
                                resources={"metadata": {"path": scratch}},
                                extra_arguments=["--IPKernelApp.capture_fd_output=False",
                                                 "--IPKernelApp.log_level=ERROR"])
        log = open(Path(scratch) / "kernel.log", "w")  # TensorFlow's C++ logging goes here
        try:
            client.execute(stderr=log)
        except CellExecutionError as exc:
            failing = next((c for c in notebook.cells if c.cell_type == "code" and any(
                o.get("output_type") == "error" for o in c.get("outputs", []))), None)
            where = "?"
            if failing is not None:
                index = notebook.cells.index(failing)
                where = notebook.cells[index - 1].source.splitlines()[0].strip("# `")
            raise NotebookError(f"notebook of {page.name}: the cell from snippets/{where} failed:\n{exc}") from None
        finally:
            log.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    nbformat.write(notebook, tmp)
    tmp.replace(target)
    return target
