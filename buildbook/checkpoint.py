"""Checkpoint and resume for trained sweeps: the runner's ``drive``, the one loop over work units.

An experiment hands ``drive`` its groups (units of stacked training). A group provides:
``key``, ``epochs``, ``members`` (list of (config, seed)), ``fingerprint()`` (JSON-able: what
would make a saved state invalid), ``start() -> state``, ``advance(state) -> state`` (one unit
of work, >= 1 epoch or block) and ``results(state)``, where
``state = {"epoch": int, "params": [numpy arrays], "hist": JSON-able}``.

After every unit the state is written atomically to ``<state_dir>/<key>.npz``; an interrupted
run resumes after the last unit saved. ``progress(done, total, text)`` and ``done(unit)`` are
called after each save; an exception raised by either (KeyboardInterrupt included) stops the
run and keeps what it did.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np


def save_state(path: Path, fingerprint, state) -> None:
    """Atomically write params (arrays) and JSON metadata to ``path`` (.npz)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = json.dumps({"fingerprint": fingerprint, "epoch": state["epoch"], "hist": state["hist"]})
    arrays = {f"p{i}": np.asarray(p) for i, p in enumerate(state["params"])}
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        np.savez(f, meta=np.array(meta), **arrays)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_state(path: Path, fingerprint):
    """The saved state, or None when there is none, it is damaged or it belongs to other work."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as d:
            meta = json.loads(str(d["meta"]))
            n = sum(1 for k in d.files if k.startswith("p"))
            params = [np.array(d[f"p{i}"]) for i in range(n)]
    except Exception:  # noqa: BLE001 - a damaged checkpoint is simply redone
        return None
    if meta.get("fingerprint") != json.loads(json.dumps(fingerprint)):
        return None
    return {"epoch": meta["epoch"], "hist": meta["hist"], "params": params}


def drive(groups, state_dir=None, progress=None, done=None) -> dict:
    """Run each group to its last epoch, saving after every unit; returns {key: results}."""
    total = sum(g.epochs * len(g.members) for g in groups)
    finished = 0
    states = {}
    for g in groups:
        path = Path(state_dir) / f"{g.key}.npz" if state_dir else None
        states[g.key] = st = load_state(path, g.fingerprint()) if path else None
        if st is not None:
            finished += st["epoch"] * len(g.members)
    if progress:
        progress(finished, total, "resumed" if finished else "start")
    out = {}
    for g in groups:
        path = Path(state_dir) / f"{g.key}.npz" if state_dir else None
        st = states[g.key]
        if st is None:
            st = g.start()
            if path:
                save_state(path, g.fingerprint(), st)
        while st["epoch"] < g.epochs:
            before = st["epoch"]
            st = g.advance(st)
            if path:
                save_state(path, g.fingerprint(), st)
            finished += (st["epoch"] - before) * len(g.members)
            if progress:
                progress(finished, total, f"{g.key} epoch {st['epoch']}/{g.epochs}")
            if done:
                done({"group": g.key, "epoch": st["epoch"], "epochs": g.epochs,
                      "members": [list(m) for m in g.members]})
        out[g.key] = g.results(st)
    return out
