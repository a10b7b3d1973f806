"""Every experiment's Keras reference runs alone: copied into an empty folder, as a reader runs it.

The page shows ``snippets/<chapter>/<name>.py`` as the experiment's code (the module each sweep
imports as ``reference``; several sweeps may share one).  Here each one is
copied ALONE into an empty temporary folder and run as ``python <name>.py`` with a smoke
configuration (1 epoch, 300 images), with nothing of the repository importable, on Keras's
default backend, TensorFlow, which is what a reader who installs keras and tensorflow gets.
The same files run on JAX in tests/test_equivalence.py: its JAX worker imports each reference
and trains it through the reference's own ``build_model`` and ``train`` (only the few lines of
argument parsing under ``__main__`` are not run there), so a second copy-alone run per file on
JAX would repeat that at the cost of a process start and a Keras import each.
MNIST comes from ``$MNIST_PATH`` (``make data``).
"""
import ast
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from buildbook import experiments  # noqa: E402
from tests import background  # noqa: E402

SMOKE = ["--epochs", "1", "--train-size", "300", "--eval-size", "300"]
BACKENDS = ["tensorflow"]
ALLOWED_IMPORTS = {"numpy", "keras", "tensorflow", "jax", "matplotlib"}
# one entry per reference file, by its own name (several sweeps may share a reference)
REFERENCES = {path.stem: path for path in {experiments.reference_path(n) for n in experiments.names()}}


def mnist_path() -> str:
    path = background.environment().get("MNIST_PATH") or str(Path.home() / ".cache" / "gradbook" / "mnist.npz")
    if not Path(path).is_file():
        pytest.fail(f"no MNIST copy at {path}: run `make data` (it writes the keras-format mnist.npz)")
    return path


def run_alone(reference: Path, backend: str, folder: Path) -> subprocess.CompletedProcess:
    folder.mkdir(parents=True)
    shutil.copy(reference, folder / reference.name)
    env = {k: v for k, v in background.environment().items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    env.update(KERAS_BACKEND=backend, MNIST_PATH=mnist_path(), TF_CPP_MIN_LOG_LEVEL="2",
               PYTHONHASHSEED="0", MPLBACKEND="Agg")
    return subprocess.run([*background.NICE, sys.executable, "-I", reference.name, *SMOKE],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=600)


def start_background():
    """Called by conftest once this module's tests are collected: the runs start now."""
    root = Path(tempfile.mkdtemp(prefix="gradbook-alone-"))
    for name in sorted(REFERENCES):
        for backend in BACKENDS:
            if importlib.util.find_spec(backend) is not None:
                background.submit(("alone", name, backend), run_alone, REFERENCES[name], backend,
                                  root / f"{name}-{backend}")


@pytest.fixture(scope="session")
def smoke_runs():
    start_background()                    # a no-op when conftest already started them
    return lambda name, backend: background.result(("alone", name, backend))


@pytest.mark.parametrize("name", sorted(REFERENCES), ids=str)
def test_reference_is_short_and_standalone(name):
    path = REFERENCES[name]
    assert path.is_file(), f"experiment {name} has no reference {path.relative_to(ROOT)}"
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert ast.get_docstring(tree), f"{path.name} needs a docstring saying what it shows and costs"
    lines = len(source.splitlines())
    assert lines <= 130, f"{path.name} has {lines} lines; a reference reads in a minute (about 100)"
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            assert not getattr(node, "level", 0), f"{path.name} imports a sibling (relative import)"
            for mod in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]):
                top = mod.split(".")[0]
                assert top in ALLOWED_IMPORTS or top in sys.stdlib_module_names, \
                    f"{path.name} imports {mod}: a reference uses numpy, keras, matplotlib and the standard library"
    for hook in ("load_mnist", "build_model", "train"):
        assert any(isinstance(n, ast.FunctionDef) and n.name == hook for n in tree.body), \
            f"{path.name} defines no {hook}() (the sweep and the equivalence test use it)"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(REFERENCES), ids=str)
def test_reference_runs_alone(smoke_runs, name, backend):
    if importlib.util.find_spec(backend) is None:
        pytest.skip(f"{backend} is not installed here")
    proc = smoke_runs(name, backend)
    assert proc.returncode == 0, (f"python {name}.py {' '.join(SMOKE)} alone in an empty folder, "
                                  f"KERAS_BACKEND={backend}, failed:\n{proc.stderr[-4000:]}")
    assert proc.stdout.strip(), f"{name}.py printed no per-epoch metrics"
