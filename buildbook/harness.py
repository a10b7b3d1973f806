"""Run one snippet in this process and leave what it produced in a folder.

Usage: python harness.py SNIPPET OUTDIR (a fresh interpreter), or `run` in a child of the
warm interpreter (zygote.py), which the build uses.

The snippet runs as __main__ with its own folder first on sys.path, exactly as
`python SNIPPET` would, except that matplotlib draws off-screen and every figure shown
(or still open at the end) is saved as deterministic SVG. Module-level scalars are kept as
citable values. Stdout is the caller's to capture; on an exception this writes error.json
with the snippet's line and the traceback, and exits 1.
"""
import json
import os
import runpy
import sys
import traceback
from fractions import Fraction
from pathlib import Path

CJK_FONTS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",)


def setup_matplotlib(figures: list, outdir: Path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    import matplotlib.pyplot as plt

    families = ["DejaVu Sans"]
    for font in CJK_FONTS:  # matplotlib's font cache may predate the font: register it
        if os.path.exists(font):
            font_manager.fontManager.addfont(font)
            families.append(font_manager.FontProperties(fname=font).get_name())
    matplotlib.rcParams.update({
        "svg.hashsalt": "gradient-book",
        "svg.fonttype": "path",
        "font.family": "sans-serif",
        "font.sans-serif": families,
        "axes.unicode_minus": False,
    })

    def capture(*_args, **_kwargs):
        for num in plt.get_fignums():
            fig = plt.figure(num)
            title = fig._suptitle.get_text() if fig._suptitle else ""
            title = title or " / ".join(ax.get_title() for ax in fig.axes if ax.get_title())
            path = outdir / f"fig-{len(figures) + 1}.svg"
            # Transparent: no white rectangles behind the figure and its axes. The page gives the
            # figure its background: white in the light scheme (as matplotlib would), and in the
            # dark scheme book.css inverts the image's colours (black text on nothing becomes
            # white text on the dark page). One SVG serves both schemes: no second rendering,
            # no extra page weight, and it stays byte-deterministic.
            fig.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight",
                        transparent=True)
            figures.append({"file": path.name, "title": title})
            plt.close(fig)

    plt.show = capture
    return capture


def scalar(value):
    """A JSON-safe copy of a module-level value worth citing, or None."""
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return value if len(value) <= 20_000 else None      # table rows too, not whole files
    if isinstance(value, Fraction):
        return str(value)
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():
        return scalar(item())
    return None


def run(snippet: Path, outdir: Path) -> None:
    """Run `snippet` as __main__ in this process (its folder already first on sys.path) and
    write values.json and figures.json into `outdir`; on an exception, `fail`."""
    figures: list = []
    capture = setup_matplotlib(figures, outdir)
    sys.argv = [str(snippet)]
    try:
        namespace = runpy.run_path(str(snippet), run_name="__main__")
    except SystemExit as exit_:
        if exit_.code not in (0, None):
            fail(snippet, outdir, exit_)
        namespace = {}
    except BaseException as exc:  # noqa: BLE001 - report everything, including KeyboardInterrupt
        fail(snippet, outdir, exc)
    sys.stdout.flush()
    capture()
    values = {}
    for name, value in namespace.items():
        if not name.startswith("_") and (kept := scalar(value)) is not None:
            values[name] = kept
    (outdir / "values.json").write_text(json.dumps(values, indent=1, sort_keys=True))
    (outdir / "figures.json").write_text(json.dumps(figures, indent=1))


def main():
    snippet, outdir = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    sys.path[0] = str(snippet.parent)  # as `python snippet.py` would have it (not this folder)
    run(snippet, outdir)


def fail(snippet: Path, outdir: Path, exc: BaseException):
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if Path(f.filename).resolve() == snippet]
    first = next((i for i, f in enumerate(frames) if Path(f.filename).resolve() == snippet), 0)
    text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames[first:]))
    text += "".join(traceback.format_exception_only(exc))
    error = {"line": own[-1].lineno if own else None, "type": type(exc).__name__,
             "message": str(exc), "traceback": text}
    (outdir / "error.json").write_text(json.dumps(error, indent=1))
    sys.stdout.flush()
    sys.stderr.write(text)
    sys.exit(1)


if __name__ == "__main__":
    main()
