"""Activation cost on this machine: runs snippets/activations/cost_benchmark.py (timings, never asserted).

Run: .venv/bin/python benchmarks/activation_cost.py
"""
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    runpy.run_path(str(ROOT / "snippets" / "activations" / "cost_benchmark.py"), run_name="__main__")
