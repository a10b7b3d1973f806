"""A warm interpreter that forks one new process per snippet run.

    python -P zygote.py SOCKET [MODULE ...]

A cold build runs some seventy snippets, each in a process of its own. Starting Python and
importing numpy and matplotlib costs about half a second of CPU per process, importing
TensorFlow about five. This process imports them once (the MODULEs), then listens on the Unix
socket SOCKET; for each request it forks, and the child is the snippet's process: it moves into
the snippet's folder, puts that folder first on ``sys.path``, takes the request's environment,
writes its stdout and stderr to the request's files, and runs the harness (``harness.py``) just
as ``python harness.py SNIPPET OUTDIR`` does. Nothing of this repository is importable there:
``-P`` keeps this file's folder off ``sys.path``, and the harness is loaded under a private name.

The one thing a snippet could see is that the MODULEs were imported before its own first line:
a snippet that sets an environment variable to change how one of them starts (a Keras backend,
say) would get the module as it already is. ``execute.ZYGOTE_MODULES`` lists what is preloaded.
All 72 snippets printed and drew the same bytes either way when this was written;
``tests/test_build.py`` re-runs a sample in a new interpreter and compares.

Protocol, one connection per run: the client sends one JSON line ``{"snippet", "outdir", "cwd",
"stdout", "stderr", "env"}``; the child answers ``{"pid": N}`` at once and ``{"status": CODE}``
when the snippet is done (0, or 1 after the harness wrote error.json). The zygote exits when its
stdin closes (the build that started it is gone).
"""
import importlib
import importlib.util
import json
import os
import random
import selectors
import signal
import socket
import sys
import traceback
from pathlib import Path


def load_harness():
    spec = importlib.util.spec_from_file_location("_gradbook_harness", Path(__file__).with_name("harness.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module                   # while it runs, as an import has it
    spec.loader.exec_module(module)
    del sys.modules[spec.name]                        # not importable by the snippets either
    return module


def child(request: dict, harness) -> int:
    """The snippet's process: runs it, returns the exit status."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)     # the snippet may wait for processes of its own
    signal.signal(signal.SIGINT, signal.default_int_handler)   # Ctrl-C stops it as it would `python`
    random.seed()                                     # as a new interpreter would: its own seed
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, name, flags in ((0, os.devnull, os.O_RDONLY),
                            (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
                            (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)):
        target = os.open(name, flags, 0o644)
        os.dup2(target, fd)
        os.close(target)
    snippet = Path(request["snippet"]).resolve()
    sys.path.insert(0, str(snippet.parent))           # as `python snippet.py` would have it
    try:
        harness.run(snippet, Path(request["outdir"]))
        return 0
    except SystemExit as exit_:                       # harness.fail exits 1
        return exit_.code if isinstance(exit_.code, int) else 1
    except BaseException:                             # noqa: BLE001 - the harness itself failed
        traceback.print_exc()
        return 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def serve(path: str, modules: list[str]) -> None:
    for name in modules:
        importlib.import_module(name)
    harness = load_harness()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)     # children are reaped by the kernel
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # Ctrl-C in `mkdocs serve`: the build ends us
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    events = selectors.DefaultSelector()
    events.register(listener, selectors.EVENT_READ, "connect")
    events.register(sys.stdin, selectors.EVENT_READ, "stdin")
    while True:
        for key, _ in events.select():
            if key.data == "stdin":                   # the build closed our stdin: it is done
                if not sys.stdin.buffer.read1(1):
                    return
                continue
            conn, _ = listener.accept()
            with conn.makefile("rb") as stream:
                request = json.loads(stream.readline())
            pid = os.fork()
            if pid == 0:
                listener.close()
                status = 1
                try:
                    conn.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
                    status = child(request, harness)
                finally:
                    try:
                        conn.sendall(json.dumps({"status": status}).encode() + b"\n")
                    finally:
                        os._exit(status)
            conn.close()


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2:])
