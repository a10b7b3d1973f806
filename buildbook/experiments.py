"""Run a trained experiment and write its result record: ``python -m buildbook run NAME``.

An experiment is a sweep module ``snippets/<chapter>/<name>_sweep.py`` beside the Keras
reference it imports as ``reference`` (``from . import <module> as reference``): usually
``<name>.py``, but several sweeps may share one reference.  The sweep declares what it trains and measures and exposes
``run(seeds, epochs=None, train_size=None, eval_size=None, *, drive)`` returning
``{"settings": {...}, "configs": {"a.b": {"settings": {...}, "per_seed": [{"seed", "metrics",
"curves"}]}}}``; it hands its units of work to ``drive`` (``buildbook.checkpoint``), which
saves after every unit so that an interrupted run resumes where it stopped.  This module
finds the sweeps, shows a progress bar, aggregates mean and std over seeds, adds
provenance and writes ``results/<name>.json`` atomically.  It knows no experiment by name.
"""
from __future__ import annotations

import ast
import datetime as _dt
import functools
import importlib
import importlib.metadata
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import checkpoint, hashing, paths

SUFFIX = "_sweep.py"
SCHEMA = "gradbook-result/1"
SMOKE = {"seeds": 2, "epochs": 1, "train_size": 300, "eval_size": 300}
DEFAULT_SEEDS = 5


def discover() -> dict[str, Path]:
    """{record name: sweep file} for every ``snippets/*/*_sweep.py``, sorted by name."""
    found = {}
    for path in sorted(paths.SNIPPETS.glob(f"*/*{SUFFIX}")):
        name = path.name[:-len(SUFFIX)]
        if name in found:
            raise ValueError(f"two sweeps named {name!r}: {found[name]} and {path}")
        found[name] = path
    return found


def names() -> list[str]:
    return list(discover())


def source_path(name: str) -> Path:
    found = discover()
    if name not in found:
        raise KeyError(f"unknown experiment {name!r}; known: {', '.join(found)}")
    return found[name]


def reference_module(path: Path) -> str | None:
    """The sibling module a sweep file imports as ``reference`` (``from . import X as
    reference``), read from its syntax tree (no import, no keras); None when there is none."""
    tree = hashing.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module:
            for alias in node.names:
                if alias.asname == "reference":
                    return alias.name
    return None


def reference_path(name: str) -> Path:
    """The Keras reference shown on the page: the sibling module the sweep imports as
    ``reference``; several sweeps may share one."""
    sweep = source_path(name)
    module = reference_module(sweep)
    if module is None:
        raise ValueError(f"{sweep.name} does not import its Keras reference "
                         f"(`from . import <module> as reference`)")
    return sweep.with_name(f"{module}.py")


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(paths.ROOT).with_suffix("").parts)


def load_module(name: str):
    """Import the sweep as a module of the ``snippets`` package tree (repo root on sys.path)."""
    if str(paths.ROOT) not in sys.path:
        sys.path.insert(0, str(paths.ROOT))
    return importlib.import_module(module_name(source_path(name)))


# ------------------------------------------------------------------ provenance
def _version(dist: str):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def device_info() -> dict:
    """{'device': name, 'device_kind': 'cpu'|'gpu'} for the current Keras backend."""
    import keras
    backend = keras.backend.backend()
    gpu = None
    if backend == "jax":
        import jax
        devs = jax.devices()
        if devs and devs[0].platform == "gpu":
            gpu = f"{devs[0].device_kind} x{len(devs)}" if len(devs) > 1 else devs[0].device_kind
    elif backend == "tensorflow":
        import tensorflow as tf
        if tf.config.list_physical_devices("GPU"):
            try:
                out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                                     capture_output=True, text=True, timeout=20).stdout.strip()
                gpu = out.splitlines()[0] if out else "GPU"
            except (OSError, subprocess.SubprocessError):
                gpu = "GPU"
    if gpu:
        return {"device": gpu, "device_kind": "gpu"}
    return {"device": f"{_cpu_name()} ({os.cpu_count()} cores)", "device_kind": "cpu"}


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True,
                             text=True, timeout=10)
        return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def refresh_command(name: str, seeds: int = DEFAULT_SEEDS, backend: str | None = None) -> str:
    cmd = f"python -m buildbook run {name}"
    if seeds != DEFAULT_SEEDS:
        cmd += f" --seeds {seeds}"
    if backend and backend != "tensorflow":
        cmd += f" --backend {backend}"
    return cmd


def select_backend(backend: str | None) -> None:
    """Choose the Keras backend before keras is imported (KERAS_BACKEND)."""
    if not backend:
        return
    if "keras" in sys.modules:
        import keras
        if keras.backend.backend() != backend:
            raise RuntimeError(f"keras is already imported with backend {keras.backend.backend()!r}; "
                               f"start a new process for --backend {backend}")
        return
    os.environ["KERAS_BACKEND"] = backend


# ------------------------------------------------------------------ aggregation
def _mean_std(values):
    import numpy as np
    v = np.asarray(values, dtype=np.float64)
    mean = v.mean(axis=0)
    std = v.std(axis=0, ddof=1) if len(v) > 1 else np.zeros_like(mean)
    return mean.tolist(), std.tolist()


def _set_path(tree: dict, dotted: str, value):
    node = tree
    parts = dotted.split(".")
    for p in parts[:-1]:
        node = node.setdefault(p, {})
    node[parts[-1]] = value


def aggregate(configs: dict) -> dict:
    """Nested ``results`` tree: results[a][b] = config summary for config name 'a.b'."""
    results = {}
    for name, c in configs.items():
        per_seed = sorted(c["per_seed"], key=lambda r: r["seed"])
        entry = {"settings": c.get("settings", {}), "seeds": [r["seed"] for r in per_seed],
                 "n": len(per_seed)}
        for metric in per_seed[0]["metrics"]:
            values = [r["metrics"][metric] for r in per_seed]
            mean, std = _mean_std(values)
            entry[metric] = {"mean": mean, "std": std, "n": len(values), "values": values}
        entry["curves"] = {}
        for curve in per_seed[0].get("curves", {}):
            values = [r["curves"][curve] for r in per_seed]
            try:
                mean, std = _mean_std(values)
            except ValueError:      # ragged: no summary
                continue
            entry["curves"][curve] = {"mean": mean, "std": std}
        entry["per_seed"] = per_seed
        _set_path(results, name, entry)
    return results


# ------------------------------------------------------------------ writing
def _fmt(x, indent=0):
    """Compact, diff-friendly JSON: objects one key per line, arrays of numbers on one line,
    floats with 7 significant digits (the runs are float32)."""
    pad = " " * indent
    if isinstance(x, dict):
        if not x:
            return "{}"
        items = [f'{pad} {json.dumps(str(k), ensure_ascii=False)}: {_fmt(v, indent + 1)}'
                 for k, v in x.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(x, (list, tuple)):
        if all(not isinstance(v, (dict, list, tuple)) for v in x) or \
                all(isinstance(v, (list, tuple)) and all(not isinstance(w, (dict, list, tuple)) for w in v)
                    for v in x):
            return "[" + ", ".join(_fmt(v) for v in x) + "]"
        return "[\n" + ",\n".join(f"{pad} {_fmt(v, indent + 1)}" for v in x) + f"\n{pad}]"
    if isinstance(x, float):
        if x != x or x in (float("inf"), float("-inf")):
            raise ValueError("NaN/inf in a record")
        r = float(f"{x:.7g}")
        return repr(int(r)) + ".0" if r.is_integer() and abs(r) < 1e16 else repr(r)
    if hasattr(x, "item"):          # numpy scalar
        return _fmt(x.item(), indent)
    return json.dumps(x, ensure_ascii=False)


def format_record(data: dict) -> str:
    text = _fmt(data) + "\n"
    json.loads(text)                # always valid JSON
    return text


def write_json_atomic(path: Path, data: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(format_record(data))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _ensure_gitignore(out: Path) -> None:
    gi = out / ".gitignore"
    if not gi.exists():
        out.mkdir(parents=True, exist_ok=True)
        gi.write_text("# work in progress of interrupted runs (python -m buildbook run ...)\n.partial/\n")


class _Bar:
    """tqdm bar over model-epochs (epochs x seeds x configs), created on the first report."""

    def __init__(self, name: str, enabled: bool):
        self.name, self.enabled, self.bar, self.last = name, enabled, None, 0

    def __call__(self, n: int, total: int, text: str):
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm
            self.bar = tqdm(total=total, initial=n, desc=self.name, unit="model-epoch",
                            dynamic_ncols=True, file=sys.stderr)
            self.last = n
        self.bar.update(n - self.last)
        self.last = n
        self.bar.set_postfix_str(text, refresh=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def run_experiment(name: str, seeds: int | None = None, *, smoke: bool = False,
                   out: Path | None = None, epochs: int | None = None,
                   train_size: int | None = None, eval_size: int | None = None,
                   progress: bool = True, done=None) -> Path:
    """Run (or resume) one experiment and write ``<out>/<name>.json``; returns that path."""
    if smoke:
        if out is None:
            raise ValueError("--smoke needs --out DIR (smoke records never replace results/)")
        seeds = seeds or SMOKE["seeds"]
        epochs = epochs if epochs is not None else SMOKE["epochs"]
        train_size = train_size or SMOKE["train_size"]
        eval_size = eval_size or SMOKE["eval_size"]
    out = Path(out) if out is not None else paths.RESULTS
    if smoke and out.resolve() == paths.RESULTS.resolve():
        raise ValueError("smoke runs must not write into results/: pass another --out DIR")
    src = source_path(name)
    src_hash = hashing.source_hash(src)
    module = load_module(name)
    seeds = seeds or getattr(module, "DEFAULT_SEEDS", DEFAULT_SEEDS)    # a sweep may need more
    import keras
    backend = keras.backend.backend()

    _ensure_gitignore(out)
    partial_root = out / ".partial"
    state_dir = partial_root / f"{name}-{src_hash[:12]}"
    if partial_root.is_dir():       # checkpoints of older versions of this experiment
        for old in partial_root.glob(f"{name}-*"):
            if old != state_dir:
                shutil.rmtree(old, ignore_errors=True)

    bar = _Bar(name, progress)
    t0 = time.perf_counter()
    drive = functools.partial(checkpoint.drive, state_dir=state_dir, progress=bar, done=done)
    try:
        raw = module.run(list(range(seeds)), epochs=epochs, train_size=train_size,
                         eval_size=eval_size, drive=drive)
    finally:
        bar.close()
    wall = time.perf_counter() - t0

    command = refresh_command(name, seeds, backend)
    if smoke:
        command = f"{command} --smoke --out {out}"
    versions = {"python": platform.python_version(), "numpy": _version("numpy"),
                "keras": _version("keras"), "tensorflow": _version("tensorflow"),
                "jax": _version("jax")}
    record = {
        "schema": SCHEMA,
        "name": name,
        "title": getattr(module, "TITLE", name),
        "source": src.relative_to(paths.ROOT).as_posix(),
        "reference": reference_path(name).relative_to(paths.ROOT).as_posix(),
        "settings": raw["settings"],
        "results": aggregate(raw["configs"]),
        "provenance": {
            **device_info(),
            "backend": backend,
            "versions": versions,
            "seeds": list(range(seeds)),
            "epochs": epochs,
            "smoke": bool(smoke),
            "train_size": train_size, "eval_size": eval_size,
            "wall_time_s": round(wall, 1),
            "source_hash": src_hash,
            "git_commit": git_commit(),
            "date_utc": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "command": command,
            "std": "sample standard deviation over seeds (ddof=1)",
        },
    }
    target = out / f"{name}.json"
    write_json_atomic(target, record)
    shutil.rmtree(state_dir, ignore_errors=True)
    try:
        partial_root.rmdir()
    except OSError:
        pass
    return target


def main(argv=None) -> int:
    """``python -m buildbook run NAME ... | --all [--smoke] [--seeds N] [--backend jax]``."""
    import argparse
    ap = argparse.ArgumentParser(prog="python -m buildbook run",
                                 description="Train an experiment and write results/<name>.json.")
    ap.add_argument("names", nargs="*",
                    help=f"experiments: {', '.join(names())}")
    ap.add_argument("--all", action="store_true", help="every experiment")
    ap.add_argument("--seeds", type=int, default=None,
                    help=f"number of seeds (default: the sweep's DEFAULT_SEEDS, else {DEFAULT_SEEDS})")
    ap.add_argument("--smoke", action="store_true",
                    help="tiny run: 300 images, 1 epoch, 2 seeds; needs --out")
    ap.add_argument("--out", type=Path, default=None, help="folder for the records (default results/)")
    ap.add_argument("--epochs", type=int, default=None, help="override the experiment's epochs")
    ap.add_argument("--train-size", type=int, default=None)
    ap.add_argument("--eval-size", type=int, default=None)
    ap.add_argument("--backend", choices=["tensorflow", "jax"], default=None,
                    help="Keras backend (default: $KERAS_BACKEND, else tensorflow)")
    ap.add_argument("--no-progress", action="store_true")
    a = ap.parse_args(argv)
    select_backend(a.backend)
    if a.smoke and a.out is None:
        ap.error("--smoke needs --out DIR (smoke records never replace results/)")
    chosen = names() if a.all else a.names
    if not chosen:
        ap.error("name an experiment or pass --all")
    known = names()
    for n in chosen:
        if n not in known:
            ap.error(f"unknown experiment {n!r}; known: {', '.join(known)}")
    for n in chosen:
        t0 = time.perf_counter()
        path = run_experiment(n, a.seeds, smoke=a.smoke, out=a.out, epochs=a.epochs,
                              train_size=a.train_size, eval_size=a.eval_size,
                              progress=not a.no_progress)
        print(f"{n}: wrote {path} in {time.perf_counter() - t0:.0f} s", flush=True)
    return 0
