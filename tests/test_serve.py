"""`mkdocs serve` serves both languages and re-runs a snippet when its file changes."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import BUILD_ENV
from test_build import GOOD, make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_serve_reruns_an_edited_snippet(tmp_path):
    project = make_project(tmp_path, "# P {#p}\n[[snippet t/good.py]]\n", {"t/good.py": GOOD})
    port = free_port()
    env = {**BUILD_ENV, "GRADBOOK_CACHE": str(tmp_path / "cache")}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve",
                               "-a", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
                              cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: "42" in fetch(f"{base}/page/"), 90), "served page lacks the output"
        assert "<html lang=\"en\"" in fetch(f"{base}/en/")
        assert "<html lang=\"zh\"" in fetch(f"{base}/")
        snippet = project / "snippets" / "t" / "good.py"
        snippet.write_text(snippet.read_text().replace("answer = 42", "answer = 4242"))
        assert wait_for(lambda: "4242" in fetch(f"{base}/page/"), 90), "edit did not refresh the page"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
