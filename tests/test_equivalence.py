"""The engine the records come from equals the Keras reference each page shows, step for step.

For every case a sweep lists in ``EQUIVALENCE``, the reference's own training and the stacked
engine start from the same initial weights, see the same mini-batches for at least 50 SGD
steps, and must end with the same parameters and the same measured quantities to float32
tolerance (``tests/equivalence_worker.py``).  Every case on JAX, the backend every committed
record was trained on (a test below checks that); on TensorFlow, the backend a
reader's copy of a reference runs on, the first case of each sweep. One worker process per
backend (1-2 minutes each), in the background while the rest of the suite runs
(tests/background.py).
"""
import ast
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from buildbook import experiments  # noqa: E402
from tests import background, equivalence_worker as worker  # noqa: E402

BACKENDS = ["tensorflow", "jax"]
RECORDS_BACKEND = "jax"          # every case here; the others run each sweep's first case


def declared_cases(path: Path) -> list:
    """The EQUIVALENCE list of a sweep, read from its syntax tree (no import, no keras)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EQUIVALENCE"
                                                for t in node.targets):
            return ast.literal_eval(node.value)
    return []


SWEEPS = experiments.discover()
CASES = [(name, i, case) for name, path in SWEEPS.items() for i, case in enumerate(declared_cases(path))]
RUNS = [(name, i, case, backend) for backend in BACKENDS for name, i, case in CASES
        if backend == RECORDS_BACKEND or i == 0]


def case_id(value):
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def run_worker(backend: str, folder: Path):
    """One worker process on ``backend``: (returncode, stdout, stderr, entries or None)."""
    target = folder / f"{backend}.json"
    env = background.environment(GRADBOOK_OFFLINE="1", TF_CPP_MIN_LOG_LEVEL="2")
    first = [] if backend == RECORDS_BACKEND else ["--first-case-only"]
    proc = subprocess.run([*background.NICE, sys.executable, "-m", "tests.equivalence_worker",
                           "--backend", backend, *first, "--json", str(target)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=1800)
    entries = json.loads(target.read_text()) if target.is_file() else None
    return proc.returncode, proc.stdout, proc.stderr, entries


def start_background():
    """Called by conftest once this module's tests are collected: the workers start now."""
    folder = Path(tempfile.mkdtemp(prefix="gradbook-equivalence-"))
    for backend in BACKENDS:
        if importlib.util.find_spec(backend) is not None:
            background.submit(("equivalence", backend), run_worker, backend, folder)


@pytest.fixture(scope="session")
def equivalence_results():
    """backend -> ({(name, index): entry}, worker stdout), one worker process per backend."""
    start_background()                    # a no-op when conftest already started them
    out = {}
    for backend in BACKENDS:
        if importlib.util.find_spec(backend) is None:
            continue
        code, stdout, stderr, entries = background.result(("equivalence", backend))
        assert code == 0 and entries is not None, \
            f"equivalence worker ({backend}) failed:\n{stderr[-4000:]}"
        out[backend] = ({(e["name"], e["index"]): e for e in entries}, stdout)
    return out


def test_every_experiment_declares_equivalence_cases():
    missing = [name for name, path in SWEEPS.items() if not declared_cases(path)]
    assert not missing, f"sweeps without EQUIVALENCE cases: {missing}"


def test_records_were_trained_on_the_backend_checked_case_by_case():
    from buildbook import records
    backends = {name: records.load(records.record_path(name))["provenance"]["backend"]
                for name in SWEEPS if records.record_path(name).is_file()}
    assert backends and set(backends.values()) == {RECORDS_BACKEND}, \
        f"records made on another backend than {RECORDS_BACKEND}: {backends}; check every case there"


@pytest.mark.parametrize("name,index,case,backend", RUNS, ids=case_id)
def test_engine_equals_reference(equivalence_results, backend, name, index, case):
    if backend not in equivalence_results:
        pytest.skip(f"{backend} is not installed here")
    found, log = equivalence_results[backend]
    entry = found.get((name, index))
    assert entry is not None, f"{name}[{index}] did not run on {backend}:\n{log[-3000:]}"
    assert "error" not in entry, entry["error"]
    ref_steps, eng_steps = entry["steps"]
    assert ref_steps == eng_steps >= worker.MIN_STEPS, f"steps: reference {ref_steps}, engine {eng_steps}"
    keys = entry["keys"]
    assert "weights" in keys, "the case compares no weights"
    assert len(keys) >= 2, "the case compares no measured quantity besides the weights"
    bad = {k: v for k, v in keys.items() if not v["ratio"] <= 1.0}
    assert not bad, (f"{name} {case} on {backend}: engine and reference differ beyond float32 "
                     f"tolerance (ratio > 1): {bad}")
