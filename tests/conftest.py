"""Shared fixtures: the repository's paths and one strict build of the whole site per session."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The keras-format MNIST that the experiment references read (written by `make data`).
os.environ.setdefault("MNIST_PATH", str(Path.home() / ".cache" / "gradbook" / "mnist.npz"))

MKDOCS = [sys.executable, "-m", "mkdocs"]
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GRADBOOK_OFFLINE": "1"}


def mkdocs_build(config: Path, site: Path, cwd: Path, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([*MKDOCS, "build", "--strict", "-f", str(config), "-d", str(site)],
                          cwd=cwd, env=env or BUILD_ENV, capture_output=True, text=True, timeout=900)


def build_site():
    """One strict build of the real site into a new folder, started from an unrelated directory."""
    import tempfile
    elsewhere = Path(tempfile.mkdtemp(prefix="gradbook-cwd-"))
    site = Path(tempfile.mkdtemp(prefix="gradbook-site-"))
    return mkdocs_build(ROOT / "mkdocs.yml", site, cwd=elsewhere), site


SITE_FIXTURES = {"build", "site", "parsed", "browser", "base_url"}


@pytest.fixture(scope="session")
def build():
    """The session's build: started in the background when the tests were collected."""
    from tests import background
    background.submit("site-build", build_site)     # a no-op when collection started it
    return background.result("site-build")


@pytest.fixture(scope="session")
def site(build):
    proc, site = build
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stderr[-6000:]}"
    return site


# The served site and the one Chromium, shared by every module that drives a browser
# (tests/test_browser.py, tests/test_explorer.py): Playwright's sync API runs one at a time.
@pytest.fixture(scope="session")
def base_url(site):
    from browser import serve
    server = serve(site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(base_url, request):
    from browser import CHROMIUM, Browser, Page
    from buildbook import axe
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is missing ({CHROMIUM}): run `make system-deps` "
                    "(installs Debian's chromium), then the tests again")
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.fail("the Python package playwright is missing: run `make venv` (requirements.txt)")
    script = axe.script_path()
    if not script.is_file():
        pytest.fail(f"axe-core is missing ({script}): run `make assets`")
    # The visits of the pages the selected tests look at start now, in threads of their own
    # (tests/browser.py: Visitors), in the order the tests will ask for them.
    ahead = [item.callspec.params["page"] for item in request.session.items
             if item.get_closest_marker("visit") and isinstance(item.callspec.params.get("page"), Page)]
    chromium = Browser(base_url, script.read_text(encoding="utf-8"), ahead=list(dict.fromkeys(ahead)))
    yield chromium
    chromium.close()


def pytest_configure(config):
    config.addinivalue_line("markers", "visit: asserts on a page's one visit in Chromium (tests/browser.py)")


def pytest_collection_modifyitems(session, config, items):
    """Start the site build and the slow subprocess checks of the selected test modules in the
    background, and order the tests: in-process ones first (while the build runs), then those
    that need the built site, then those on the page visits, then those that wait for the
    later background jobs."""
    from tests import background
    def waits(item):
        """0: runs now; 1: waits for the site (built first); 2: for the page visits (started
        with the browser, tests/browser.py); 3: for the later background jobs."""
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())):
            return 2 if item.get_closest_marker("visit") else 1
        return 3 if hasattr(getattr(item, "module", None), "start_background") else 0

    if any(waits(item) in (1, 2) for item in items):
        background.submit("site-build", build_site)
    items.sort(key=waits)                               # stable: file order within each group
    started = []
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and hasattr(module, "start_background") and module not in started:
            started.append(module)
            module.start_background()


def pytest_sessionfinish(session, exitstatus):
    from tests import background
    background.shutdown()
