"""Run a snippet once per build, alone, in a process of its own, with its results cached by content hash.

"Alone" is the reader's situation: the snippet is copied into an empty folder with only the
sibling files it imports and the result records it reads (what ``hashing`` finds), and runs
there as ``python file.py`` would, with no ``PYTHONPATH`` and nothing of this repository on
``sys.path``. So the output a page shows is the output of the copied-out file, and a snippet
that reaches outside its folder fails the build, naming its file and line.

The process is forked from a warm interpreter (``zygote.py``) that has imported numpy and
matplotlib, and TensorFlow for the snippets that use it (``ZYGOTE_MODULES``), and nothing else:
a cold build saves about five seconds of CPU per TensorFlow snippet. Where fork is missing, or
with ``GRADBOOK_ZYGOTE=0``, each run is a new interpreter (``python harness.py``).

The cache key covers the snippet and the repo modules it imports (by syntax tree), the result
records it reads, the pinned dependency set, the harness and this module, so a hit is safe to reuse and executes nothing.
"""
import atexit
import hashlib
import json
import locale
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import hashing, paths

HARNESS = Path(__file__).with_name("harness.py")
ZYGOTE = Path(__file__).with_name("zygote.py")
TIMEOUT_S = 600
# What the warm interpreters import before they fork: one for the snippets that use a framework
# (TensorFlow or Keras), one for the rest.
ZYGOTE_MODULES = {False: ["numpy", "matplotlib.pyplot"],
                  True: ["numpy", "matplotlib.pyplot", "tensorflow"]}


class SnippetError(Exception):
    """A snippet failed: the message names the file, the line and carries the traceback."""


@dataclass
class Output:
    rel: str            # 'chapter/file.py' under snippets/
    key: str            # cache key
    stdout: str
    values: dict
    figures: list       # [{'file': 'fig-1.svg', 'title': '...'}], files in `folder`
    folder: Path
    duration_s: float
    cache_hit: bool
    meta: dict = field(default_factory=dict)


# What this process has executed or loaded, for the build report and the benchmark.
SESSION: dict[str, Output] = {}


def cache_key(path: Path) -> str:
    digest = hashlib.sha256()
    for part in (hashing.source_hash(path), hashing.data_hash(path), hashing.requirements_hash(),
                 hashing.file_digest(HARNESS), hashing.file_digest(ZYGOTE),
                 hashing.file_digest(Path(__file__))):
        digest.update(part.encode())
    return digest.hexdigest()[:32]


def cache_dir() -> Path:
    return paths.CACHE / "exec"


def run(rel: str) -> Output:
    """The output of snippets/<rel>: from this build's memory, the disk cache, or a fresh run."""
    path = paths.snippet_path(rel)
    key = cache_key(path)
    known = SESSION.get(rel)
    if known is not None and known.key == key:
        return known
    folder = cache_dir() / key
    if (folder / "meta.json").is_file():
        output = load(rel, key, folder, cache_hit=True)
    else:
        output = execute(rel, path, key, folder)
    SESSION[rel] = output
    return output


def run_all(rels, first=(), workers: int | None = None) -> None:
    """Run the snippets not cached yet, several at a time (each is its own process), so a cold
    build takes about 1/workers of the time. ``first``: other jobs (callables) for the same
    workers, started before the snippets: the longest ones (notebook kernels). Then snippets
    that import TensorFlow or Keras (seconds each), then the rest (about one second each), so
    no long job starts last. The first snippet failure, in the order given, is raised, then
    the first failure of ``first``; pages later ask `run` again and find the rest in SESSION."""
    from concurrent.futures import ThreadPoolExecutor
    todo = list(dict.fromkeys(rels))
    slow = [rel for rel in todo if _imports_a_framework(paths.snippet_path(rel))]
    workers = workers or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        early = [pool.submit(job) for job in first]
        futures = {rel: pool.submit(run, rel) for rel in slow + [r for r in todo if r not in slow]}
        errors = [futures[rel].exception() for rel in todo] + [f.exception() for f in early]
    for error in errors:
        if error is not None:
            raise error


_FRAMEWORK = re.compile(r"^\s*(?:import|from)\s+(?:tensorflow|keras)\b", re.M)


def _imports_a_framework(path: Path) -> bool:
    """Whether the snippet, or a sibling it imports, imports TensorFlow or Keras (seconds)."""
    return any(_FRAMEWORK.search(f.read_text(encoding="utf-8")) for f in [path, *hashing.local_imports(path)])


def load(rel: str, key: str, folder: Path, cache_hit: bool) -> Output:
    meta = json.loads((folder / "meta.json").read_text())
    return Output(rel=rel, key=key, stdout=(folder / "stdout.txt").read_text(encoding="utf-8"),
                  values=json.loads((folder / "values.json").read_text()),
                  figures=json.loads((folder / "figures.json").read_text()),
                  folder=folder, duration_s=meta["duration_s"], cache_hit=cache_hit, meta=meta)


def alone_files(path: Path) -> list[Path]:
    """What a reader copies with the snippet: the sibling files it imports and the records it reads."""
    return [path, *hashing.local_imports(path), *hashing.data_files(path)]


def snippet_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update({"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "TF_CPP_MIN_LOG_LEVEL": "2",
                "PYTHONDONTWRITEBYTECODE": "1"})
    return env


class Zygote:
    """The client side of one warm interpreter (zygote.py), started on first use."""

    def __init__(self, modules: list[str]):
        self.modules = modules
        self.folder = Path(tempfile.mkdtemp(prefix="gradbook-zygote-"))
        self.socket = self.folder / "socket"
        with open(self.folder / "log", "wb") as log:
            self.proc = subprocess.Popen([sys.executable, "-P", str(ZYGOTE), str(self.socket), *modules],
                                         cwd=self.folder, env=snippet_env(), stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=log)
        if self.proc.stdout.readline() != b"ready\n":
            self.proc.wait()
            log = (self.folder / "log").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"the warm interpreter ({' '.join(modules)}) did not start:\n{log}")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, snippet: Path, outdir: Path, cwd: Path, env: dict) -> subprocess.CompletedProcess:
        """Run the harness on `snippet` in a forked child: (returncode, stdout, stderr)."""
        streams = {name: outdir.with_name(f"{outdir.name}.{name}") for name in ("stdout", "stderr")}
        request = {"snippet": str(snippet), "outdir": str(outdir), "cwd": str(cwd), "env": env,
                   **{name: str(path) for name, path in streams.items()}}
        pid, status = None, -1
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(TIMEOUT_S)
            conn.connect(str(self.socket))
            conn.sendall(json.dumps(request).encode() + b"\n")
            try:
                with conn.makefile("rb") as answers:
                    for line in answers:               # {"pid": N}, then {"status": CODE}
                        answer = json.loads(line)
                        pid = answer.get("pid", pid)
                        status = answer.get("status", status)
            except TimeoutError:
                if pid is not None:
                    os.kill(pid, signal.SIGKILL)
                raise subprocess.TimeoutExpired(str(snippet), TIMEOUT_S) from None
        encoding = locale.getpreferredencoding(False)
        out = [streams[name].read_bytes().decode(encoding, errors="replace") if streams[name].is_file() else ""
               for name in ("stdout", "stderr")]
        for path in streams.values():
            path.unlink(missing_ok=True)
        return subprocess.CompletedProcess([str(snippet)], status, out[0], out[1])

    def close(self):
        if self.alive():
            self.proc.stdin.close()                   # the zygote exits when its stdin closes
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


_ZYGOTES: dict[bool, Zygote] = {}
_ZYGOTE_LOCKS = {False: threading.Lock(), True: threading.Lock()}
_NO_ZYGOTE: set[bool] = set()


def zygote_for(framework: bool) -> Zygote | None:
    """The warm interpreter for this kind of snippet, or None where runs use a new interpreter."""
    if os.environ.get("GRADBOOK_ZYGOTE", "1") == "0" or not hasattr(os, "fork") \
            or not hasattr(socket, "AF_UNIX"):
        return None
    with _ZYGOTE_LOCKS[framework]:
        if framework in _NO_ZYGOTE:
            return None
        zygote = _ZYGOTES.get(framework)
        if zygote is None or not zygote.alive():
            try:
                zygote = _ZYGOTES[framework] = Zygote(ZYGOTE_MODULES[framework])
            except RuntimeError:
                # A module it preloads is missing or broken: each run starts a new interpreter
                # instead, so the snippet that needs the module fails naming its file and line.
                _NO_ZYGOTE.add(framework)
                return None
        return zygote


@atexit.register
def _close_zygotes():
    for zygote in _ZYGOTES.values():
        zygote.close()


def execute(rel: str, path: Path, key: str, folder: Path) -> Output:
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=folder.parent))
    env = snippet_env()
    files = alone_files(path)
    zygote = zygote_for(_imports_a_framework(path))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:  # an empty folder, the copy and its cwd
        for file in files:
            shutil.copy(file, Path(scratch) / file.name)
        if zygote is not None:
            proc = zygote.run(Path(scratch) / path.name, work, Path(scratch), env)
        else:
            proc = subprocess.run([sys.executable, str(HARNESS), path.name, str(work)], cwd=scratch,
                                  env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    duration = time.perf_counter() - started
    if proc.returncode != 0:
        error_file = work / "error.json"
        error = json.loads(error_file.read_text()) if error_file.is_file() else {}
        shutil.rmtree(work, ignore_errors=True)
        line = error.get("line")
        where = f"snippets/{rel}" + (f", line {line}" if line else "")
        raise SnippetError(
            f"{where}: {error.get('type', 'process failed')}: {error.get('message', '')}\n"
            f"{error.get('traceback') or proc.stderr}")
    (work / "stdout.txt").write_text(proc.stdout, encoding="utf-8")
    meta = {"snippet": f"snippets/{rel}", "key": key, "source_hash": hashing.source_hash(path),
            "ran_alone_with": sorted(f.name for f in files),
            "duration_s": round(duration, 3), "ran_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (work / "meta.json").write_text(json.dumps(meta, indent=1))
    if folder.exists():  # another build raced us to the same key: keep theirs
        shutil.rmtree(work)
    else:
        os.replace(work, folder)
    return load(rel, key, folder, cache_hit=False)
