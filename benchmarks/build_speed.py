"""Build timings: a clean build (empty cache) versus a cached rebuild, and what each executed.

Run: .venv/bin/python benchmarks/build_speed.py   (or `make bench`). Prints figures; asserts nothing.
Goals: cached rebuild <= 4 s with zero executions (trained-experiments issue; it was 10 s); clean build <= 3 min
on 2 cores.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(cache: Path, site: Path) -> tuple[float, dict]:
    env = {**os.environ, "GRADBOOK_CACHE": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                    "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)], env=env, check=True)
    seconds = time.perf_counter() - started
    return seconds, json.loads((cache / "last_build.json").read_text())


def executed(report: dict) -> tuple[int, int]:
    snippets = sum(not s["cache_hit"] for s in report["snippets"].values())
    books = sum(not n["cache_hit"] for n in report["notebooks"].values())
    return snippets, books


def main():
    with tempfile.TemporaryDirectory() as tmp:
        cache, site = Path(tmp) / "cache", Path(tmp) / "site"
        clean_s, clean = build(cache, site)
        cached_s, cached = build(cache, site)
    total = len(clean["snippets"])
    print(f"cores: {os.cpu_count()}")
    print(f"clean build:    {clean_s:6.1f} s  executed {executed(clean)[0]}/{total} snippets, "
          f"{executed(clean)[1]} notebook(s)   (goal <= 180 s)")
    print(f"cached rebuild: {cached_s:6.1f} s  executed {executed(cached)[0]}/{total} snippets, "
          f"{executed(cached)[1]} notebook(s)   (goal <= 4 s, 0 executions)")


if __name__ == "__main__":
    main()
