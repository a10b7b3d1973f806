"""Slow, independent subprocess checks that run beside the main test process.

The suite's main process uses about one core; the site build, the equivalence workers, the
smoke runs and the copy-alone reference runs are separate processes with nothing shared.
``conftest.py`` submits the build, and calls ``start_background()`` of each test module that
has such work, once the tests are collected (and only if any was selected); the jobs run three
at a time, in the order submitted, while the in-process tests go on, and each fixture waits for
its own job. The site build runs at normal priority: the browser tests wait for it. The checks
after it run niced (``NICE``) and fill the cores the build and the browser leave idle.
"""
import os
from concurrent.futures import Future, ThreadPoolExecutor

# The environment as it was before any test ran: a job starts later, while some test may have
# changed os.environ for a moment (monkeypatch.delenv("MNIST_PATH")), and must not see that.
_ENV = dict(os.environ)


# TensorFlow's thread pools at one thread each in the background checks: three of them share
# the two cores with the build and Chromium, and a second thread per pool mostly waits or spins
# (alone, the TensorFlow equivalence worker took 10 % less CPU and less time this way).
THREADS = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}


def environment(**changes) -> dict:
    """The environment for a background subprocess: the session's, before any test touched it."""
    return {**_ENV, **THREADS, **changes}


# The command prefix of the background checks: they yield the cores to the site build and the
# browser, which the rest of the suite waits for, and take what those leave. (coreutils' nice,
# not a preexec_fn: that is unsafe in a process with threads, and this one has several.)
NICE = ["nice", "-n", "19"]


_POOL = ThreadPoolExecutor(max_workers=3, thread_name_prefix="gradbook-background")
_JOBS: dict[object, Future] = {}


def submit(key, function, *args) -> None:
    if key not in _JOBS:
        _JOBS[key] = _POOL.submit(function, *args)


def result(key):
    """Wait for the job ``key`` (submitting was the module's business) and return its value."""
    if key not in _JOBS:
        raise KeyError(f"background job {key!r} was never started")
    return _JOBS[key].result()


def shutdown() -> None:
    """Drop the jobs not started yet (a run stopped early, -x); a running one finishes."""
    _POOL.shutdown(wait=False, cancel_futures=True)
