"""Engine == reference, step for step: run the sweeps' equivalence cases on one Keras backend.

    python -m tests.equivalence_worker [NAME ...] --backend tensorflow|jax [--first-case-only] [--json OUT]

Every sweep (``snippets/*/*_sweep.py``) lists ``EQUIVALENCE`` cases and a function
``equivalence(case) -> (reference, engine)``: two dicts with the same keys, ``steps`` (the SGD
steps taken, at least 50), ``weights`` (after training, in Keras ``get_weights()`` order) and
every quantity the sweep measures.  The reference side is the page's Keras code, the engine
side the stacked trainer the records come from, both started from the same initial weights
and fed the same mini-batches.  Each array pair must agree to float32 tolerance:
``|ref - eng| <= ATOL_REL * max|ref| + RTOL * |ref|``.  One process per backend (the backend
is fixed when keras is imported); ``tests/test_equivalence.py`` asserts the JSON it writes.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

RTOL = 1e-4
ATOL_REL = 1e-5
MIN_STEPS = 50


def compare(ref, eng) -> dict:
    """Worst tolerance ratio (<= 1 passes) and max abs difference, per key."""
    import numpy as np
    out = {}
    if set(ref) != set(eng):
        return {"error": f"keys differ: reference {sorted(ref)} vs engine {sorted(eng)}"}
    for key in ref:
        if key == "steps":
            continue
        a_list = ref[key] if isinstance(ref[key], (list, tuple)) and key == "weights" else [ref[key]]
        b_list = eng[key] if isinstance(eng[key], (list, tuple)) and key == "weights" else [eng[key]]
        if len(a_list) != len(b_list):
            out[key] = {"ratio": float("inf"), "error": f"{len(a_list)} vs {len(b_list)} arrays"}
            continue
        worst, max_abs = 0.0, 0.0
        error = None
        for i, (a, b) in enumerate(zip(a_list, b_list)):
            a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
            if a.shape != b.shape:
                error = f"array {i}: shape {a.shape} vs {b.shape}"
                worst = float("inf")
                break
            fa, fb = np.isfinite(a), np.isfinite(b)
            if not np.array_equal(fa, fb) or not np.array_equal(a[~fa], b[~fb]):
                error = f"array {i}: non-finite entries differ"
                worst = float("inf")
                break
            if not fa.any():
                continue
            a, b = a[fa], b[fb]
            tol = ATOL_REL * max(np.abs(a).max(), 1e-30) + RTOL * np.abs(a)
            diff = np.abs(a - b)
            worst = max(worst, float((diff / tol).max()))
            max_abs = max(max_abs, float(diff.max()))
        out[key] = {"ratio": worst, "max_abs_diff": max_abs, **({"error": error} if error else {})}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="experiments (default: every sweep)")
    ap.add_argument("--backend", choices=["tensorflow", "jax"], required=True)
    ap.add_argument("--first-case-only", action="store_true", help="each sweep's first case only")
    ap.add_argument("--json", type=Path, default=None, help="write the results here")
    a = ap.parse_args(argv)
    os.environ["KERAS_BACKEND"] = a.backend
    os.environ.setdefault("GRADBOOK_OFFLINE", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from buildbook import experiments
    names = a.names or experiments.names()
    results = []
    for name in names:
        module = experiments.load_module(name)
        cases = list(getattr(module, "EQUIVALENCE", []))
        for index, case in enumerate(cases[:1] if a.first_case_only else cases):
            t0 = time.perf_counter()
            entry = {"name": name, "index": index, "case": case, "backend": a.backend}
            try:
                ref, eng = module.equivalence(case)
                entry["steps"] = [int(ref.get("steps", -1)), int(eng.get("steps", -1))]
                entry["keys"] = compare(ref, eng)
            except Exception as exc:  # noqa: BLE001 - reported per case
                import traceback
                entry["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()[-3000:]}"
            entry["seconds"] = round(time.perf_counter() - t0, 1)
            results.append(entry)
            keys = entry.get("keys", {})
            worst = max((v.get("ratio", 0) for v in keys.values()), default=float("nan"))
            print(f"{name}[{index}] {json.dumps(case)} {a.backend}: steps {entry.get('steps')} "
                  f"worst ratio {worst:.3g} ({entry['seconds']} s)"
                  + (f"\n  ERROR {entry['error']}" if "error" in entry else "")
                  + "".join(f"\n  {k}: ratio {v['ratio']:.3g} max|diff| {v.get('max_abs_diff', 0):.3g}"
                            + (f" {v['error']}" if "error" in v else "") for k, v in keys.items()),
                  flush=True)
    if a.json:
        a.json.write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
