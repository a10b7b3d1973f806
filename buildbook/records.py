"""Result records (``results/<name>.json``): load, validate, check freshness, look values up.

A value is named ``<record>:<dotted.path>``, e.g. ``<record>:sigmoid.h1.best_val_acc.mean``.
The path is read inside the record's ``results`` tree (config names, then a metric, then
``mean``/``std``/``n``/``values``; integers index lists, e.g. ``<record>:h4.init_norm_b.mean.0``)
unless its first part is a top-level key of the record (``provenance.device``,
``settings.learning_rate``).
"""
from __future__ import annotations

import json
from pathlib import Path

from . import hashing, paths

SCHEMA = "gradbook-result/1"
TOP_KEYS = {"schema": str, "name": str, "title": str, "source": str, "settings": dict,
            "results": dict, "provenance": dict}
PROVENANCE_KEYS = {"device": str, "device_kind": str, "backend": str, "versions": dict,
                   "seeds": list, "wall_time_s": (int, float), "source_hash": str,
                   "git_commit": str, "date_utc": str, "command": str, "smoke": bool}
SUMMARY_KEYS = ("mean", "std", "n", "values")


class RecordError(ValueError):
    """A record is missing, unreadable or does not follow the schema."""


def record_path(name: str, folder: Path | None = None) -> Path:
    return Path(folder or paths.RESULTS) / f"{name}.json"


_LOADED: dict[Path, tuple] = {}


def load(name_or_path, folder: Path | None = None, validate_schema: bool = True) -> dict:
    """Load a record by name (from results/) or by path, and validate it.

    Parsed records are memoised by (mtime, size): a page cites one record many times.  The
    dict returned is shared: read it, never change it (copy it first)."""
    p = Path(name_or_path)
    if p.suffix != ".json":
        p = record_path(str(name_or_path), folder)
    if p.is_file() and validate_schema:
        stat = p.stat()
        memo = _LOADED.get(p.resolve())
        if memo is not None and memo[0] == (stat.st_mtime_ns, stat.st_size):
            return memo[1]
    if not p.is_file():
        raise RecordError(f"result record {p} does not exist; create it with: "
                          f"python -m buildbook run {p.stem}")
    try:
        record = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise RecordError(f"result record {p} is not valid JSON ({e}); recreate it with: "
                          f"python -m buildbook run {p.stem}") from e
    if validate_schema:
        validate(record, where=str(p))
        stat = p.stat()
        _LOADED[p.resolve()] = ((stat.st_mtime_ns, stat.st_size), record)
    return record


def _leaves(results: dict, prefix=""):
    """(config name, entry) for every config summary in the nested results tree."""
    for key, value in results.items():
        if not isinstance(value, dict):
            continue
        name = f"{prefix}.{key}" if prefix else key
        if "per_seed" in value:
            yield name, value
        else:
            yield from _leaves(value, name)


def problems(record) -> list[str]:
    """Every schema problem found (empty when the record is valid)."""
    out = []
    if not isinstance(record, dict):
        return ["record is not a JSON object"]
    for key, typ in TOP_KEYS.items():
        if key not in record:
            out.append(f"missing top-level key {key!r}")
        elif not isinstance(record[key], typ):
            out.append(f"{key!r} should be {typ.__name__}, is {type(record[key]).__name__}")
    if record.get("schema") not in (None, SCHEMA):
        out.append(f"schema is {record.get('schema')!r}, expected {SCHEMA!r}")
    prov = record.get("provenance")
    if isinstance(prov, dict):
        for key, typ in PROVENANCE_KEYS.items():
            if key not in prov:
                out.append(f"provenance: missing {key!r}")
            elif not isinstance(prov[key], typ):
                out.append(f"provenance.{key}: wrong type {type(prov[key]).__name__}")
        if prov.get("device_kind") not in (None, "cpu", "gpu"):
            out.append(f"provenance.device_kind must be 'cpu' or 'gpu', is {prov.get('device_kind')!r}")
        versions = prov.get("versions")
        if isinstance(versions, dict):
            for v in ("python", "numpy", "keras", "tensorflow", "jax"):
                if v not in versions:
                    out.append(f"provenance.versions: missing {v!r}")
    results = record.get("results")
    if isinstance(results, dict):
        leaves = list(_leaves(results))
        if not leaves:
            out.append("results: no configuration with 'per_seed' entries")
        for name, entry in leaves:
            per_seed = entry.get("per_seed")
            if not isinstance(per_seed, list) or not per_seed:
                out.append(f"results.{name}.per_seed: empty or not a list")
                continue
            for i, r in enumerate(per_seed):
                if not isinstance(r, dict) or "seed" not in r or not isinstance(r.get("metrics"), dict):
                    out.append(f"results.{name}.per_seed[{i}]: needs 'seed' and a 'metrics' object")
            metrics = per_seed[0].get("metrics", {}) if isinstance(per_seed[0], dict) else {}
            for m in metrics:
                s = entry.get(m)
                if not isinstance(s, dict) or any(k not in s for k in SUMMARY_KEYS):
                    out.append(f"results.{name}.{m}: needs {', '.join(SUMMARY_KEYS)}")
                elif s["n"] != len(per_seed):
                    out.append(f"results.{name}.{m}.n = {s['n']} but {len(per_seed)} seeds")
    return out


def validate(record, where: str = "record") -> dict:
    found = problems(record)
    if found:
        name = record.get("name", "?") if isinstance(record, dict) else "?"
        raise RecordError(f"{where} does not follow schema {SCHEMA}:\n  - " + "\n  - ".join(found)
                          + f"\nRecreate it with: python -m buildbook run {name}")
    return record


def current_source_hash(record: dict) -> str:
    return hashing.source_hash(paths.ROOT / record["source"])


def is_stale(record: dict) -> bool:
    """True when the experiment's source (or a sibling it imports) changed since the run."""
    try:
        return current_source_hash(record) != record["provenance"]["source_hash"]
    except (OSError, KeyError, SyntaxError):
        return True


def refresh_command(record: dict) -> str:
    cmd = record.get("provenance", {}).get("command")
    return cmd or f"python -m buildbook run {record.get('name', '?')}"


def lookup(record: dict, dotted: str):
    """The value at a dotted path (see module docstring)."""
    parts = [p for p in dotted.split(".") if p != ""]
    if not parts:
        raise KeyError("empty path")
    node = record if parts[0] in record and parts[0] != "results" else record["results"]
    if parts[0] == "results":
        parts = parts[1:]
    walked = []
    for p in parts:
        walked.append(p)
        if isinstance(node, dict) and p in node:
            node = node[p]
        elif isinstance(node, list) and p.lstrip("-").isdigit() and -len(node) <= int(p) < len(node):
            node = node[int(p)]
        else:
            here = list(node)[:20] if isinstance(node, dict) else f"list of {len(node)}" \
                if isinstance(node, list) else repr(node)
            raise KeyError(f"{record.get('name', '?')}:{dotted}: no {'.'.join(walked)!r} "
                           f"(available there: {here})")
    return node


def value(ref: str, folder: Path | None = None):
    """Resolve ``name:dotted.path`` against results/<name>.json."""
    if ":" not in ref:
        raise KeyError(f"{ref!r}: expected '<record>:<dotted.path>'")
    name, dotted = ref.split(":", 1)
    return lookup(load(name, folder), dotted)
