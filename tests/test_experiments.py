"""Trained experiments: discovery, the engine's gradients, the runner, resume, hashing, records.

Runs under the TensorFlow backend on a few hundred images; every experiment's smoke run goes
through tests/smoke_worker.py, in a background process (tests/background.py).
Whether each engine equals its Keras reference: tests/test_equivalence.py; whether each
reference runs alone: tests/test_references.py; the claims pages make: the chapter tests.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "keras" not in sys.modules:
    os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ.setdefault("GRADBOOK_OFFLINE", "1")

from buildbook import experiments, hashing, records, trained  # noqa: E402
from tests import background  # noqa: E402

NAMES = experiments.names()
ENGINES = ["stacked", "deep", "bn", "costs"]


@pytest.fixture(scope="module")
def keras_tf():
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("these tests run under the TensorFlow backend")
    return keras


# ------------------------------------------------------------------ layout
def test_experiments_are_discovered_with_their_reference():
    """Each sweep imports its Keras reference explicitly; several sweeps may share one."""
    assert len(NAMES) >= 9, NAMES
    for name in NAMES:
        sweep, ref = experiments.source_path(name), experiments.reference_path(name)
        assert ref.is_file(), f"{sweep.relative_to(ROOT)} has no reference {ref.name} beside it"
        assert ref.parent == sweep.parent and not ref.name.endswith(experiments.SUFFIX)
        assert f"from . import {ref.stem} as reference" in sweep.read_text(), \
            f"{sweep.name} should import its reference explicitly"
        assert name == ref.stem or name not in {p.stem for p in sweep.parent.glob("*.py")}, \
            f"{sweep.name} sits beside {name}.py but imports {ref.name} as its reference"


def test_reference_is_what_the_sweep_imports(tmp_path, monkeypatch):
    """reference_path reads the sweep's `from . import X as reference`, not its file name."""
    chapter = tmp_path / "snippets" / "chapter"
    chapter.mkdir(parents=True)
    (chapter / "base.py").write_text("X = 1\n")
    (chapter / "base_sweep.py").write_text("from . import base as reference\n")
    (chapter / "more_sweep.py").write_text('"""Doc."""\nimport numpy as np\n\nfrom . import base as reference\n')
    (chapter / "lost_sweep.py").write_text("from . import base\n")
    monkeypatch.setattr(experiments.paths, "SNIPPETS", tmp_path / "snippets")
    assert experiments.reference_path("base") == chapter / "base.py"
    assert experiments.reference_path("more") == chapter / "base.py"
    with pytest.raises(ValueError, match="reference"):
        experiments.reference_path("lost")


def test_no_symlinks_under_snippets():
    links = [p.relative_to(ROOT).as_posix() for p in (ROOT / "snippets").rglob("*") if p.is_symlink()]
    assert not links, f"symlinks stand in for shared code: {links}; import snippets.engine instead"


def test_no_sys_path_edits_in_snippets():
    edits = [p.relative_to(ROOT).as_posix() for p in (ROOT / "snippets").rglob("*.py")
             if "sys.path.insert" in p.read_text(encoding="utf-8")]
    assert not edits, f"sys.path edits where an explicit import does: {edits}"


def test_buildbook_knows_no_chapter_or_experiment():
    chapters = [p.name for p in (ROOT / "snippets").iterdir() if p.is_dir() and p.name != "engine"
                and not p.name.startswith(("_", "."))]
    pages = [p.name.split(".")[0] for p in (ROOT / "docs").glob("*.md")]
    words = set(chapters) | set(NAMES) | {p for p in pages if "-" in p}
    hits = []
    for path in (ROOT / "buildbook").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        hits += [f"{path.name}: {w}" for w in sorted(words) if re.search(rf"\b{re.escape(w)}\b", text)]
    assert not hits, f"buildbook/ names chapters or experiments: {hits}"


# ------------------------------------------------------------------ the engine's own gradients
@pytest.mark.parametrize("engine", ENGINES, ids=str)
def test_engine_backprop_matches_gradient_tape(keras_tf, engine):
    """Each engine's hand-written keras.ops backprop == tf.GradientTape on a tiny model."""
    import importlib
    module = importlib.import_module(f"snippets.engine.{engine}")
    worst = module.check_gradients(seed=3, verbose=False)
    assert worst < 1e-4, f"snippets/engine/{engine}.py: max relative difference {worst:.2e}"


def test_fullbatch_norms_match_gradstats(keras_tf):
    """The norms recorded inside the compiled full-batch loop equal a separate gradient pass."""
    from snippets.engine import stacked as sm
    rng = np.random.default_rng(0)
    x = rng.random((50, 784), dtype=np.float32)
    labels = rng.integers(0, 10, 50)
    tr = sm.get_trainer([784, 8, 8, 10], ["sigmoid", "sigmoid"], 0.1, 0.005, 1 / 50, 50)
    p0 = tr.stack.init([np.random.default_rng(k) for k in range(2)], lambda a, n: n ** -0.5)
    nb0, _, _, _ = tr.gradstats(tr.to_device(p0), x, sm.one_hot(labels), labels)
    params, norms = tr.fullbatch(tr.to_device(p0), x, sm.one_hot(labels), 3)
    assert norms.shape == (3, 2, 2)
    np.testing.assert_allclose(norms[0], nb0, rtol=1e-5)


# ------------------------------------------------------------------ the runner
def run_smoke(folder: Path):
    """tests/smoke_worker.py: every experiment's smoke configuration, in its own process."""
    env = background.environment(GRADBOOK_OFFLINE="1", TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.run([*background.NICE, sys.executable, "-m", "tests.smoke_worker", str(folder)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)


def start_background():
    """Called by conftest once this module's tests are collected: the smoke runs start now."""
    background.submit("smoke", run_smoke, Path(tempfile.mkdtemp(prefix="gradbook-smoke-")))


@pytest.fixture(scope="module")
def smoke_records():
    """Every experiment's smoke configuration through the runner: the same code as the records,
    run on TensorFlow by tests/smoke_worker.py beside the rest of the suite."""
    start_background()                    # a no-op when conftest already started it
    proc = background.result("smoke")
    folder = Path(proc.args[-1])
    assert proc.returncode == 0, f"tests/smoke_worker.py failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    units = json.loads((folder / "units.json").read_text())
    return {n: folder / f"{n}.json" for n in NAMES}, units


@pytest.mark.parametrize("name", NAMES, ids=str)
def test_smoke_run_writes_valid_record(smoke_records, name):
    path = smoke_records[0][name]
    assert path.name == f"{name}.json" and path.parent != experiments.paths.RESULTS
    rec = records.load(path)                        # validates the schema
    prov = rec["provenance"]
    assert prov["smoke"] is True and prov["seeds"] == [0, 1] and prov["backend"] == "tensorflow"
    assert prov["device_kind"] in ("cpu", "gpu") and prov["source_hash"]
    assert rec["reference"] == experiments.reference_path(name).relative_to(ROOT).as_posix()
    assert not records.is_stale(rec)
    assert not list((path.parent / ".partial").glob(f"{name}-*"))
    assert (path.parent / ".gitignore").read_text().strip().endswith(".partial/")


def test_smoke_refuses_results_folder(keras_tf):
    with pytest.raises(ValueError, match="results/"):
        experiments.run_experiment(NAMES[0], smoke=True, out=experiments.paths.RESULTS)


def _leaves(x):
    if isinstance(x, dict):
        return [v for k in sorted(x) for v in _leaves(x[k])]
    if isinstance(x, list):
        return [v for item in x for v in _leaves(item)]
    return [x]


def test_interrupted_run_resumes_without_redoing_work(keras_tf, smoke_records, tmp_path):
    """Stop after the second unit of work, rerun: nothing finished is redone, and the record
    equals that of the uninterrupted smoke run (same code, same settings)."""
    units = smoke_records[1]
    name = max(NAMES, key=lambda n: len(units.get(n, [])))
    every = [(u["group"], u["epoch"]) for u in units[name]]   # as tests/smoke_worker.py saw them
    assert len(every) >= 3, f"{name}: too few units of work to interrupt ({every})"
    first, second = [], []

    def stop_after_two(unit):
        first.append((unit["group"], unit["epoch"]))
        if len(first) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        experiments.run_experiment(name, smoke=True, out=tmp_path, done=stop_after_two, progress=False)
    assert not (tmp_path / f"{name}.json").exists()
    assert list((tmp_path / ".partial").glob(f"{name}-*/*.npz")), "the interrupted run kept nothing"
    resumed = experiments.run_experiment(name, smoke=True, out=tmp_path, progress=False,
                                         done=lambda u: second.append((u["group"], u["epoch"])))
    assert json.loads(json.dumps(first + second)) == json.loads(json.dumps(every)), \
        "a resumed run redid or skipped work"
    a = json.loads(resumed.read_text())["results"]
    b = json.loads(smoke_records[0][name].read_text())["results"]
    la, lb = _leaves(a), _leaves(b)
    assert [type(v) for v in la] == [type(v) for v in lb]
    num = [(x, y) for x, y in zip(la, lb) if isinstance(x, float)]
    assert [x for x, y in zip(la, lb) if not isinstance(x, float)] == \
        [y for x, y in zip(la, lb) if not isinstance(x, float)]
    np.testing.assert_allclose([x for x, _ in num], [y for _, y in num], rtol=1e-5, atol=1e-7)


def test_lookup_and_staleness(smoke_records):
    rec = json.loads(json.dumps(records.load(smoke_records[0][NAMES[0]])))   # a copy: we change it
    config, entry = next(records._leaves(rec["results"]))
    metric = next(iter(entry["per_seed"][0]["metrics"]))
    assert records.lookup(rec, f"{config}.{metric}.n") == 2
    assert records.lookup(rec, "provenance.backend") == "tensorflow"
    with pytest.raises(KeyError, match="nope"):
        records.lookup(rec, f"{config}.nope.mean")
    rec["provenance"]["source_hash"] = "0" * 64
    assert records.is_stale(rec)
    broken = dict(rec)
    del broken["provenance"]
    with pytest.raises(records.RecordError, match="provenance"):
        records.validate(broken)


# ------------------------------------------------------------------ hashing: code, not comments
def _bump_first_constant(source: str) -> str:
    """``source`` with the first numeric literal of a module-level assignment increased by one."""
    import ast
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            for c in ast.walk(node.value):
                if isinstance(c, ast.Constant) and type(c.value) in (int, float):
                    lines = source.splitlines(keepends=True)
                    line = lines[c.lineno - 1]
                    lines[c.lineno - 1] = line[:c.col_offset] + repr(c.value + 1) + line[c.end_col_offset:]
                    return "".join(lines)
    raise AssertionError("no module-level numeric constant to change")


def _copy_project(tmp_path) -> Path:
    copy = tmp_path / "book"
    for part in ("buildbook", "snippets", "results"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__", ".partial"))
    shutil.copy(ROOT / "requirements.txt", copy / "requirements.txt")
    return copy


def _stale_in(copy: Path, name: str) -> bool:
    code = ("import json, sys; from buildbook import records; "
            f"print(json.dumps(records.is_stale(records.load({name!r}))))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=copy, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(copy)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("name", NAMES[:1] + NAMES[-1:], ids=str)
def test_comment_edit_keeps_a_record_fresh_and_a_constant_makes_it_stale(tmp_path, name):
    copy = _copy_project(tmp_path)
    assert not _stale_in(copy, name), f"results/{name}.json must be fresh to begin with"
    reference = copy / experiments.reference_path(name).relative_to(ROOT)
    engine = copy / "snippets" / "engine" / "common.py"
    text = reference.read_text(encoding="utf-8")
    # comments, a docstring line and blank lines: the code is the same
    edited = text.replace('"""', '"""An edited docstring line.\n', 1) + "\n\n# a new closing comment\n"
    reference.write_text(edited, encoding="utf-8")
    engine.write_text(engine.read_text() + "\n# an engine comment\n")
    assert not _stale_in(copy, name), "a comment or docstring edit made the record stale"
    # a changed constant: the first number assigned at module level
    reference.write_text(_bump_first_constant(edited), encoding="utf-8")
    assert _stale_in(copy, name), "changing a constant of the reference kept the record fresh"
    reference.write_text(edited, encoding="utf-8")
    engine.write_text(engine.read_text().replace("n=10", "n=11"))
    assert _stale_in(copy, name), "changing the shared engine kept the record fresh"


def test_hash_follows_imports_and_ignores_docstrings(tmp_path):
    (tmp_path / "a.py").write_text('"""Doc."""\nfrom . import b\nX = 1  # note\n')
    (tmp_path / "b.py").write_text("def f():\n    '''Doc.'''\n    return 2\n")
    h = hashing.source_hash(tmp_path / "a.py")
    (tmp_path / "b.py").write_text("def f():\n    # comment\n    return 2\n")
    assert hashing.source_hash(tmp_path / "a.py") == h
    (tmp_path / "b.py").write_text("def f():\n    return 3\n")
    assert hashing.source_hash(tmp_path / "a.py") != h


# ------------------------------------------------------------------ committed records
@pytest.fixture(scope="module", params=NAMES, ids=str)
def committed(request):
    name = request.param
    path = records.record_path(name)
    assert path.is_file(), (f"results/{name}.json is missing; create it with: "
                            f"{experiments.refresh_command(name, backend='jax')}")
    return records.load(path)


def test_committed_record_is_valid_and_complete(committed):
    prov = committed["provenance"]
    assert prov["smoke"] is False, f"results/{committed['name']}.json is a smoke run"
    assert len(prov["seeds"]) >= 5
    assert committed.get("reference") == \
        experiments.reference_path(committed["name"]).relative_to(ROOT).as_posix()
    if prov["device_kind"] == "cpu":
        assert "GPU" not in prov["device"] and "H100" not in prov["device"] and "H200" not in prov["device"]


def test_committed_record_is_fresh(committed):
    assert not records.is_stale(committed), (
        f"results/{committed['name']}.json is stale: {committed['source']} (or its reference, "
        f"or the engine it imports) changed since it was made. "
        f"Refresh it with: {records.refresh_command(committed)}")


def test_stamp_says_stale_loudly(committed):
    rec = json.loads(json.dumps(committed))
    for lang in ("zh", "en"):
        text = trained.stamp(rec, lang)
        assert "Keras" in text and "STALE" not in text and "过期" not in text
    rec["provenance"]["source_hash"] = "0" * 64
    for lang, word in (("en", "STALE"), ("zh", "过期")):
        text = trained.stamp(rec, lang)
        assert word in text and f"python -m buildbook run {rec['name']}" in text
