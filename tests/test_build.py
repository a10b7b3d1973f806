"""The site builds strictly, every snippet's output is produced by the build, and failures are loud."""
import json
import re
import shutil
from pathlib import Path

import pytest

from buildbook import execute, hashing, notebooks, paths
from conftest import BUILD_ENV, ROOT, mkdocs_build
from pages import en_pages, executed_snippets, shortcode_list, shown_sources, twin, zh_pages

SNIPPETS = executed_snippets()


def site_page(site: Path, page: Path) -> Path:
    """Built HTML of a docs/ page (suffix layout: x.en.md -> en/x/index.html)."""
    rel = page.relative_to(paths.DOCS).as_posix()
    lang = "en/" if rel.endswith(".en.md") else ""
    stem = rel[: -len(".en.md")] if lang else rel[: -len(".md")]
    stem = "" if stem == "index" else stem + "/"
    return site / f"{lang}{stem}index.html"


def test_strict_build_passes_without_warnings(build):
    proc, _ = build
    assert proc.returncode == 0, proc.stderr[-6000:]
    warnings = [line for line in proc.stderr.splitlines() if "WARNING" in line]
    assert warnings == []


@pytest.mark.parametrize("page", zh_pages() + en_pages(), ids=lambda p: p.name)
def test_page_is_built_and_fully_expanded(site, page):
    html = site_page(site, page).read_text(encoding="utf-8")
    assert "GBSTASH" not in html
    leftovers = re.findall(r"\[\[[a-z]+ [^\]]*\]\]", re.sub(r"<pre.*?</pre>", "", html, flags=re.S))
    assert leftovers == [], "shortcodes left unexpanded"
    lang = "en" if page.name.endswith(".en.md") else "zh"
    assert f'<html lang="{lang}"' in html


@pytest.mark.parametrize("page", zh_pages() + en_pages(), ids=lambda p: p.name)
def test_every_image_on_a_page_exists(site, page):
    html_file = site_page(site, page)
    for src in re.findall(r'<img[^>]+src="([^"]+)"', html_file.read_text(encoding="utf-8")):
        if src.startswith("data:"):
            continue
        assert (html_file.parent / src).resolve().is_file(), f"{page.name}: missing image {src}"


@pytest.mark.parametrize("rel", SNIPPETS, ids=str)
def test_snippet_cache_is_fresh(site, rel):
    key = execute.cache_key(paths.snippet_path(rel))
    folder = execute.cache_dir() / key
    assert (folder / "meta.json").is_file(), f"no cached output for snippets/{rel} at its current hash"
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["source_hash"] == hashing.source_hash(paths.snippet_path(rel))


@pytest.mark.parametrize("rel", SNIPPETS, ids=str)
def test_snippet_output_comes_from_a_copy_run_alone(site, rel):
    """The build ran the snippet copied into an empty folder with exactly the files a reader
    copies (its imported siblings, the records it reads): the page shows what `python file.py`
    prints there. (That a snippet reaching outside its folder fails is tested below.)"""
    path = paths.snippet_path(rel)
    expected = sorted(f.name for f in [path, *hashing.local_imports(path), *hashing.data_files(path)])
    assert execute.run(rel).meta.get("ran_alone_with") == expected


@pytest.mark.parametrize("rel", SNIPPETS, ids=str)
def test_snippet_opens_with_a_docstring_and_prints_something(site, rel):
    import ast
    doc = ast.get_docstring(ast.parse(paths.snippet_path(rel).read_text(encoding="utf-8")))
    assert doc, "a snippet opens with a docstring saying what it shows and what it costs"
    summary = doc.split("\n\n")[0]
    assert re.search(r"\b(CPU|GPU)\b", summary), "the docstring's opening paragraph states the cost"
    output = execute.run(rel)
    assert output.stdout.strip() or output.figures, "a snippet prints its result or draws a figure"


# The build forks each snippet's process from a warm interpreter (buildbook/zygote.py); a new
# interpreter per run (GRADBOOK_ZYGOTE=0) must give the same bytes. A sample: a figure, a
# TensorFlow snippet, a table read from a record (each ~1-5 s).
FRESH_SAMPLE = ["activations/functions.py", "initialization/keras_init.py", "chain_rule/depth_table_table.py"]


def run_fresh(rel: str, cache: Path, monkeypatch) -> execute.Output:
    monkeypatch.setenv("GRADBOOK_ZYGOTE", "0")
    path = paths.snippet_path(rel)
    key = execute.cache_key(path)
    return execute.execute(rel, path, key, cache / key)


@pytest.mark.parametrize("rel", FRESH_SAMPLE, ids=str)
def test_a_new_interpreter_prints_and_draws_what_the_build_showed(site, rel, tmp_path, monkeypatch):
    assert rel in SNIPPETS
    built, fresh = execute.run(rel), run_fresh(rel, tmp_path, monkeypatch)
    assert fresh.stdout == built.stdout
    assert fresh.values == built.values
    assert [f["title"] for f in fresh.figures] == [f["title"] for f in built.figures]
    for a, b in zip(fresh.figures, built.figures):
        assert (fresh.folder / a["file"]).read_bytes() == (built.folder / b["file"]).read_bytes(), a


PROCESS_REPORT = ('"""Reports on its own process. CPU, instant."""\n'
                  "import os\nimport subprocess\nimport sys\n\n"
                  "print(sorted(os.listdir('.')), sys.path[0] == os.getcwd(), __name__, sys.argv[1:])\n"
                  "print(subprocess.run([sys.executable, '-c', 'print(6 * 7)'], capture_output=True,"
                  " text=True).stdout.strip(), repr(sys.stdin.read()))\n"
                  "for name in ('buildbook', '_gradbook_harness', 'harness', 'zygote'):\n"
                  "    try:\n        __import__(name)\n    except ImportError as exc:\n        print(exc)\n")


def test_a_forked_snippet_process_is_a_plain_one(tmp_path, monkeypatch):
    """Run in the warm interpreter's child, a snippet sees what `python file.py` shows it: only
    its own folder, its folder first on sys.path, __main__, no arguments, an empty stdin, child
    processes it can wait for, nothing of this repository."""
    snippets = tmp_path / "snippets" / "t"
    snippets.mkdir(parents=True)
    (snippets / "report.py").write_text(PROCESS_REPORT)
    monkeypatch.setattr(paths, "SNIPPETS", tmp_path / "snippets")
    outputs = {}
    for zygote in ("1", "0"):
        monkeypatch.setenv("GRADBOOK_ZYGOTE", zygote)
        path = paths.snippet_path("t/report.py")
        outputs[zygote] = execute.execute("t/report.py", path, f"k{zygote}", tmp_path / f"cache-{zygote}")
    assert outputs["1"].stdout.splitlines() == [
        "['report.py'] True __main__ []", "42 ''", "No module named 'buildbook'",
        "No module named '_gradbook_harness'", "No module named 'harness'", "No module named 'zygote'"]
    assert outputs["1"].stdout == outputs["0"].stdout


def test_the_warm_interpreter_ends_with_its_build():
    """When the build that started it is gone (its stdin closes: a finished `mkdocs build`, a
    `mkdocs serve` stopped or killed), the warm interpreter exits and leaves no process behind."""
    zygote = execute.Zygote(execute.ZYGOTE_MODULES[False])
    assert zygote.alive()
    zygote.proc.stdin.close()
    assert zygote.proc.wait(timeout=30) == 0
    zygote.close()
    assert not zygote.folder.exists()


def test_a_missing_preloaded_module_fails_the_snippet_not_the_build_machinery(tmp_path, monkeypatch):
    """If the warm interpreter cannot import what it preloads, snippets run in new interpreters
    and the one that needs the missing module fails naming its file and line."""
    monkeypatch.setitem(execute.ZYGOTE_MODULES, False, ["numpy", "no_such_module_gradbook"])
    monkeypatch.setattr(execute, "_ZYGOTES", {})
    monkeypatch.setattr(execute, "_NO_ZYGOTE", set())
    snippets = tmp_path / "snippets" / "t"
    snippets.mkdir(parents=True)
    (snippets / "needs.py").write_text('"""Needs a module. CPU, instant."""\nimport no_such_module_gradbook\n')
    monkeypatch.setattr(paths, "SNIPPETS", tmp_path / "snippets")
    with pytest.raises(execute.SnippetError, match=r"snippets/t/needs.py, line 2: ModuleNotFoundError"):
        execute.execute("t/needs.py", paths.snippet_path("t/needs.py"), "k", tmp_path / "cache" / "k")
    assert execute.zygote_for(False) is None


def test_every_snippet_file_is_used_by_a_page():
    """Shown or run by a page, imported by such a file, or the sweep behind a shown reference."""
    from buildbook import experiments
    shown = set(SNIPPETS) | set(shown_sources())
    sweeps = {p.relative_to(paths.SNIPPETS).as_posix() for n, p in experiments.discover().items()
              if experiments.reference_path(n).relative_to(paths.SNIPPETS).as_posix() in shown}
    used = shown | sweeps
    for rel in list(used):
        used |= {p.relative_to(paths.SNIPPETS).as_posix()
                 for p in hashing.local_imports(paths.snippet_path(rel))}
    files = {p.relative_to(paths.SNIPPETS).as_posix() for p in paths.SNIPPETS.glob("**/*.py")}
    assert sorted(files - used) == [], "snippets no page shows"


def test_executed_notebooks_match_their_snippets(site):
    pages = notebooks.chapter_pages()
    assert pages, "at least one chapter has a companion notebook"
    import nbformat
    for page in pages:
        nb = nbformat.read(notebooks.build(page), as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"][1:]  # after the set-up cell
        rels = notebooks.snippets_of(page)
        assert len(code) == len(rels)
        for cell, rel in zip(code, rels):
            assert not [o for o in cell.outputs if o.output_type == "error"], rel
            printed = "".join(o.get("text", "") for o in cell.outputs
                              if o.output_type == "stream" and o.name == "stdout")
            assert printed == execute.run(rel).stdout, f"notebook cell of {rel} printed differently"
        assert (site / "notebooks" / f"{page.stem}.ipynb").is_file()
        for prefix in ("", "en/"):
            assert (site / f"{prefix}notebooks/{page.stem}/index.html").is_file()


# ---- failures are loud: a throw-away copy of the project with one bad page ----------------

def make_project(tmp_path: Path, page_md: str, snippet_files: dict[str, str]) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "buildbook", project / "buildbook",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(paths.DOCS / "assets", project / "docs" / "assets")
    shutil.copy(paths.REQUIREMENTS, project / "requirements.txt")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    nav = "nav:\n  - 首页: index.md\n  - 页: page.md\n\n"
    config = re.sub(r"^nav:\n.*?(?=^markdown_extensions:)", nav, config, flags=re.S | re.M)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name, text in {"index.md": "# 首页 {#home}\n", "index.en.md": "# Home {#home}\n",
                       "page.md": page_md, "page.en.md": page_md}.items():
        (project / "docs" / name).write_text(text, encoding="utf-8")
    for rel, code in snippet_files.items():
        (project / "snippets" / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / "snippets" / rel).write_text(code, encoding="utf-8")
    return project


BROKEN = '"""Raises on purpose. CPU, instant."""\nimport math\n\nprint(math.pi)\n\n\ndef divide(a, b):\n    return a / b\n\n\ndivide(1, 0)\n'
GOOD = '"""Prints a number. CPU, instant."""\nanswer = 42\nprint(answer)\n'
OUTSIDE = ('"""Imports this repository\'s build package. CPU, instant."""\n'
           'from buildbook import paths\n\nprint(paths.ROOT)\n')
SIBLING = '"""Prints a sibling\'s value. CPU, instant."""\nfrom good import answer\n\nprint(answer + 1)\n'
KERNEL_ONLY = ('"""Fails only inside a Jupyter kernel. CPU, instant."""\nimport sys\n\n'
               'if "ipykernel" in sys.modules:\n    raise RuntimeError("cell failed")\nprint("ok")\n')

FAILURES = {
    "raising-snippet": ("# P {#p}\n[[snippet t/broken.py]]\n", {"t/broken.py": BROKEN},
                        ["snippets/t/broken.py, line 8", "ZeroDivisionError", "divide(1, 0)"]),
    "missing-include": ("# P {#p}\n[[snippet t/nope.py]]\n", {}, ["snippet not found: snippets/t/nope.py"]),
    "unknown-shortcode": ("# P {#p}\n[[snipet t/good.py]]\n", {"t/good.py": GOOD},
                          ["docs/page.md:2: unknown shortcode [[snipet]]"]),
    "missing-value": ("# P {#p}\n[[value t/good.py answr]]\n", {"t/good.py": GOOD},
                      ["has no citable module-level value 'answr'", "answer"]),
    "snippet-reaching-outside-its-folder": (
        "# P {#p}\n[[snippet t/good.py]]\n[[snippet t/sibling.py]]\n[[snippet t/outside.py]]\n",
        {"t/good.py": GOOD, "t/sibling.py": SIBLING, "t/outside.py": OUTSIDE},
        ["snippets/t/outside.py, line 2", "No module named 'buildbook'"]),
    "failing-notebook-cell": ("# P {#p}\n[[notebook]]\n[[snippet t/kernel.py]]\n",
                              {"t/kernel.py": KERNEL_ONLY},
                              ["notebook of page.md", "snippets/t/kernel.py", "cell failed"]),
}


@pytest.mark.parametrize("case", FAILURES, ids=str)
def test_a_bad_page_stops_the_build_and_says_where(case, tmp_path):
    page_md, files, expected = FAILURES[case]
    project = make_project(tmp_path, page_md, files)
    env = {**BUILD_ENV, "GRADBOOK_CACHE": str(tmp_path / "cache")}
    proc = mkdocs_build(project / "mkdocs.yml", tmp_path / "site", cwd=tmp_path, env=env)
    assert proc.returncode != 0
    for text in expected:
        assert text in proc.stderr, f"expected {text!r} in:\n{proc.stderr[-3000:]}"


def test_outputs_are_escaped_and_figures_are_deterministic(tmp_path):
    """A snippet printing markup shows it as text; its SVG is byte-identical on a second run."""
    code = ('"""Prints markup and draws. CPU, ~1 s."""\nimport matplotlib.pyplot as plt\n\n'
            'print("<script>alert(1)</script> & <b>bold</b>")\nplt.plot([0, 1], [1, 0])\n'
            'plt.title("σ′(z) 与 z")\nplt.show()\n')
    project = make_project(tmp_path, "# P {#p}\n[[snippet t/markup.py]]\n", {"t/markup.py": code})
    svgs = []
    for run in ("a", "b"):
        env = {**BUILD_ENV, "GRADBOOK_CACHE": str(tmp_path / f"cache-{run}")}
        proc = mkdocs_build(project / "mkdocs.yml", tmp_path / f"site-{run}", cwd=tmp_path, env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]
        svgs.append((tmp_path / f"site-{run}" / "figures" / "t" / "markup-1.svg").read_bytes())
    html = (tmp_path / "site-a" / "page" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html
    assert svgs[0] == svgs[1], "the same snippet drew a different SVG"


def test_notebook_cache_key_is_stable():
    """Generating the same notebook twice gives the same key: a cached rebuild runs no kernel."""
    for page in notebooks.chapter_pages():
        assert notebooks.cache_key(page) == notebooks.cache_key(page), page.name
