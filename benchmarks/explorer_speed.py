"""Time per change of the gradient-flow explorer (docs/assets/explorer.js) in headless Chromium.

Run: .venv/bin/python benchmarks/explorer_speed.py [SITE_DIR]   (builds the site into a temporary
folder when no built site is given). Prints figures; asserts nothing.
Setting: depth 30 x width 100 x batch 128 (the batch is fixed). Each change (activation, init,
batch norm, depth) is timed from the control's event to the next frame after the redraw: one
forward and one backward pass, the four SVG plots and the table. Goal: <= 200 ms per change.
On a shared machine the wall-clock figure mostly measures the other users, so the CPU time that
Chromium's processes spent per change (from /proc, Linux) is printed as well.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

START = "depth=30&width=100&act=sigmoid&init=glorot&bn=0"
CHANGES = [("#gb-x-act", v) for v in ("tanh", "relu", "leaky_relu", "elu", "selu", "sigmoid")] + \
          [("#gb-x-bn", True), ("#gb-x-bn", False), ("#gb-x-init", "he"), ("#gb-x-init", "normal1"),
           ("#gb-x-depth", "29"), ("#gb-x-depth", "30")]
TIME_JS = """async (changes) => {
  const root = document.querySelector(".gb-explorer"), frame = () => new Promise(r => requestAnimationFrame(r));
  const out = [];
  for (const [sel, value] of changes) {
    const el = document.querySelector(sel), before = +root.dataset.rendered;
    const t0 = performance.now();
    if (el.type === "checkbox") el.checked = value; else el.value = value;
    el.dispatchEvent(new Event(el.type === "range" ? "input" : "change", {bubbles: true}));
    while (+root.dataset.rendered === before) await frame();
    const compute = window.gradientExplorer.ms;
    await frame();                                     // the frame that shows the new drawing
    out.push([performance.now() - t0, compute]);
  }
  return out;
}"""


def cpu_seconds(marker: str) -> float:
    """utime + stime of the Chromium started with `marker` and all its descendants (Linux /proc)."""
    procs = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmd = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        procs[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), marker.encode() in cmd)
    roots = {pid for pid, (_, _, marked) in procs.items() if marked}
    family, grew = set(roots), True
    while grew:
        more = {pid for pid, (ppid, _, _) in procs.items() if ppid in family} - family
        family |= more
        grew = bool(more)
    return sum(procs[pid][1] for pid in family) / os.sysconf("SC_CLK_TCK")


def build() -> Path:
    site = Path(tempfile.mkdtemp(prefix="explorer-bench-site-"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GRADBOOK_OFFLINE": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"),
                    "-d", str(site)], env=env, check=True)
    return site


def main():
    from playwright.sync_api import sync_playwright

    site = Path(sys.argv[1]) if len(sys.argv) > 1 else build()
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            marker = f"--gb-bench={uuid.uuid4().hex}"
            chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, marker])
            tab = chromium.new_page(viewport={"width": 1280, "height": 900})
            started = time.perf_counter()
            tab.goto(f"{base}initialization/?{START}#explorer")
            tab.wait_for_function("() => window.gradientExplorer && window.gradientExplorer.last", timeout=120_000)
            first = time.perf_counter() - started
            tab.evaluate(TIME_JS, CHANGES[:3])                 # warm-up: the JIT compiles the loops
            cpu_before = cpu_seconds(marker)
            runs = tab.evaluate(TIME_JS, CHANGES * 2)
            cpu = (cpu_seconds(marker) - cpu_before) / len(runs)
            chromium.close()
    finally:
        server.shutdown()
    total = [r[0] for r in runs]
    compute = [r[1] for r in runs]
    print(f"cores: {os.cpu_count()}, load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"page load to first drawing: {first:.2f} s (includes drawing the random numbers)")
    print(f"per change, depth 30 x width 100 x batch 128, {len(runs)} changes:")
    print(f"  event to painted frame: median {statistics.median(total):6.0f} ms, max {max(total):6.0f} ms")
    print(f"  forward + backward + drawing (in the page): median {statistics.median(compute):6.0f} ms")
    print(f"  CPU time of Chromium's processes: {1e3 * cpu:6.0f} ms per change (mean)")
    print(f"  goal: <= 200 ms per change -> {'met' if statistics.median(total) <= 200 else 'NOT met'} (median wall clock), "
          f"{'met' if 1e3 * cpu <= 200 else 'NOT met'} (CPU time)")


if __name__ == "__main__":
    main()
