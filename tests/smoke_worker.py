"""Every experiment's smoke configuration through the runner, in a process of its own.

    python -m tests.smoke_worker OUT_DIR

The same code that makes the records (``buildbook.experiments.run_experiment`` with
``smoke=True``) on the TensorFlow backend, writing ``OUT_DIR/<name>.json`` for every sweep and
``OUT_DIR/units.json``: the units of work each run reported, in order.  tests/test_experiments.py
starts it in the background (tests/background.py) and asserts on what it wrote.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main(argv=None) -> int:
    out = Path((argv or sys.argv[1:])[0])
    os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ.setdefault("GRADBOOK_OFFLINE", "1")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from buildbook import experiments
    units: dict[str, list] = {}
    for name in experiments.names():
        experiments.run_experiment(name, smoke=True, out=out, progress=False,
                                   done=lambda u, n=name: units.setdefault(n, []).append(
                                       {"group": u["group"], "epoch": u["epoch"]}))
    (out / "units.json").write_text(json.dumps(units, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
