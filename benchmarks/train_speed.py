"""Training speed: the shared engine versus the reference's plain `keras fit`, and the re-run time.

Prints, in one run:
- per backend (TensorFlow, then JAX, each in its own process): seconds per model-epoch (50,000
  images, mini-batch 10) of the depth table's 784-100-10 sigmoid net trained by
  - the page's Keras reference (`snippets/chain_rule/depth_table.py`: `model.fit`, one model),
  - the engine (`snippets/engine/stacked.py`) with 10 members stacked as in the sweep
    (5 seeds x sigmoid/ReLU), divided by 10,
  and their ratio. Both are timed on a fraction of an epoch after a warm-up and scaled;
- the time to re-run every record here: the wall time each committed record took on this
  kind of machine (its provenance), summed, per device.

Usage: python benchmarks/train_speed.py [--steps 1000]   Costs about 1-2 minutes. Asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N_TRAIN, BATCH, MEMBERS = 50_000, 10, 10


def one_backend(steps: int) -> dict:
    """Run inside a process whose KERAS_BACKEND is already set."""
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import keras
    from snippets.chain_rule import depth_table as ref
    from snippets.engine import stacked as sm
    (x, y), _, _ = ref.load_mnist()
    n = steps * BATCH
    Y = keras.utils.to_categorical(y, 10)
    order = ref.batch_order(1, N_TRAIN)[:n]

    model = ref.build_model(0, "sigmoid", 1)
    model.compile(optimizer=keras.optimizers.SGD(ref.LR), loss=ref.loss_fn)
    model.fit(x[:BATCH * 20], Y[:BATCH * 20], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    t0 = time.perf_counter()
    model.fit(x[order], Y[order], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
    fit_s = (time.perf_counter() - t0) * N_TRAIN / n

    acts = ["sigmoid"] * (MEMBERS // 2) + ["relu"] * (MEMBERS // 2)
    tr = sm.get_trainer([784, 100, 10], acts, ref.LR, ref.L2, 1.0 / (BATCH * 10), BATCH)
    params = tr.to_device(tr.stack.init([np.random.default_rng(k) for k in range(MEMBERS)],
                                        lambda act, fan_in: (fan_in / (2.0 if act == "relu" else 1.0)) ** -0.5))
    X, Yd = keras.ops.convert_to_tensor(x), keras.ops.convert_to_tensor(sm.one_hot(y))
    params = tr.epoch(params, X, Yd, order)                     # compiles
    keras.ops.convert_to_numpy(params[0])
    t0 = time.perf_counter()
    params = tr.epoch(params, X, Yd, order)
    keras.ops.convert_to_numpy(params[0])
    engine_s = (time.perf_counter() - t0) * N_TRAIN / n / MEMBERS
    return {"fit_s": fit_s, "engine_s": engine_s}


def records_time() -> dict:
    out = {}
    for path in sorted((ROOT / "results").glob("*.json")):
        prov = json.loads(path.read_text())["provenance"]
        key = f"{prov['device']} ({prov['device_kind'].upper()}), {prov['backend']}"
        out.setdefault(key, []).append((path.stem, prov["wall_time_s"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=1000, help="SGD steps timed per measurement")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        print(json.dumps(one_backend(a.steps)))
        return
    print(f"cores: {os.cpu_count()}; 784-100-10 sigmoid net, mini-batch {BATCH}, seconds per "
          f"model-epoch of {N_TRAIN:,} images (timed on {a.steps} steps, scaled)")
    for backend in ("tensorflow", "jax"):
        env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "2"}
        env.setdefault("MNIST_PATH", str(Path.home() / ".cache" / "gradbook" / "mnist.npz"))  # make data
        proc = subprocess.run([sys.executable, __file__, "--worker", backend, "--steps", str(a.steps)],
                              env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"  {backend}: failed\n{proc.stderr[-2000:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"  {backend:10s}  reference fit {r['fit_s']:7.2f} s   engine ({MEMBERS} stacked) "
              f"{r['engine_s']:6.3f} s   engine is {r['fit_s'] / r['engine_s']:5.1f}x faster")
    print("re-running every committed record (wall time from each record's provenance):")
    for device, runs in records_time().items():
        total = sum(s for _, s in runs)
        print(f"  {device}: {total / 60:.1f} min for {len(runs)} records")
        for name, s in runs:
            print(f"    {name:20s} {s / 60:6.1f} min")


if __name__ == "__main__":
    main()
