"""How fast do we train the depth-table nets, compared with plain `keras fit` and the FLOP floor?

Prints:
- this machine's float32 matrix-multiply rate (numpy sgemm): large square matrices (the
  best it can do) and the shape one SGD step at mini-batch 10 needs ([10,784] @ [784,1000]);
- the FLOP count of the full depth table x 5 seeds (training only) and the derived floor
  (FLOPs / rate) for both rates;
- plain `keras Model.fit` seconds per epoch for the 784-100-10 sigmoid net at batch 10
  (timed on a fraction of an epoch and scaled);
- our stacked trainer (stacked_mlp.py) on the same net: seconds per epoch per model, with
  10 models stacked (5 seeds x sigmoid/ReLU, as in the sweep), and the ratio to `fit`;
- estimated time of the whole depth table x 5 seeds (each depth timed on a fraction of an
  epoch, plus evaluation) and its ratio to the floor.  `--full` times the real sweep.

Usage: python benchmarks/train_speed.py [--steps 1000] [--full]   (KERAS_BACKEND picks the backend)
Costs about 1-2 minutes (`--full`: the sweep itself, 10-20 minutes on 2 cores).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "snippets" / "chain_rule"))

import numpy as np  # noqa: E402

N_TRAIN, N_EVAL, BATCH, SEEDS = 50_000, 10_000, 10, 5
SCHEDULE = {1: 30, 2: 30, 3: 30, 4: 60}      # hidden layers -> epochs


def sgemm_rate(m, k, n, seconds=1.0):
    a = np.random.default_rng(0).random((m, k), dtype=np.float32)
    b = np.random.default_rng(1).random((k, n), dtype=np.float32)
    a @ b
    reps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        a @ b
        reps += 1
    return 2.0 * m * k * n * reps / (time.perf_counter() - t0)


def params(depth, h=100):
    return 784 * h + (depth - 1) * h * h + h * 10


def train_flops_per_image(depth, h=100):
    """Forward 2P, weight gradients 2P, input gradients 2P except for the first layer."""
    p = params(depth, h)
    return 6 * p - 2 * 784 * h


def sweep_flops(seeds=SEEDS):
    train = sum(2 * seeds * e * N_TRAIN * train_flops_per_image(d) for d, e in SCHEDULE.items())
    evals = sum(2 * seeds * e * 2 * N_EVAL * 2 * params(d) for d, e in SCHEDULE.items())
    return train, evals


def keras_fit_seconds_per_epoch(x, y, steps):
    import keras
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(100, activation="sigmoid"),
                              keras.layers.Dense(10)])
    model.compile(optimizer=keras.optimizers.SGD(0.5),
                  loss=keras.losses.BinaryCrossentropy(from_logits=True))
    model.fit(x[:50 * BATCH], y[:50 * BATCH], batch_size=BATCH, epochs=1, verbose=0)   # warm-up
    n = steps * BATCH
    t0 = time.perf_counter()
    model.fit(x[:n], y[:n], batch_size=BATCH, epochs=1, verbose=0, shuffle=True)
    return (time.perf_counter() - t0) * (N_TRAIN // BATCH) / steps


def stacked_seconds_per_epoch(depth, x, y, steps, seeds=SEEDS):
    """Seconds per epoch for all 2*seeds members of one depth, scaled from `steps` steps."""
    import stacked_mlp as sm
    from keras import ops
    acts = [a for a in ("sigmoid", "relu") for _ in range(seeds)]
    tr = sm.get_trainer([784] + [100] * depth + [10], acts, 0.5, 1e-4, 1 / (BATCH * 10), BATCH)
    p0 = tr.stack.init([np.random.default_rng(k) for k in range(len(acts))],
                       lambda a, n: (n / 2) ** -0.5 if a == "relu" else n ** -0.5)
    X, Y = ops.convert_to_tensor(x), ops.convert_to_tensor(y)
    order = np.random.default_rng(0).permutation(len(x))
    p = tr.epoch(tr.to_device(p0), X, Y, order[:steps * BATCH])        # compile + warm-up
    ops.convert_to_numpy(p[0])
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        p = tr.epoch(tr.to_device(p0), X, Y, order[:steps * BATCH])
        ops.convert_to_numpy(p[0])
        best = min(best, time.perf_counter() - t0)
    t0 = time.perf_counter()
    tr.accuracy(p, x[:N_EVAL], np.zeros(N_EVAL, np.int64))
    tr.accuracy(p, x[:N_EVAL], np.zeros(N_EVAL, np.int64))
    evaluation = time.perf_counter() - t0
    return best * (N_TRAIN // BATCH) / steps, evaluation, len(acts)


def fit_in_subprocess(backend, steps):
    """keras fit s/epoch under another backend (a backend is fixed once keras is imported)."""
    import subprocess
    env = {**os.environ, "KERAS_BACKEND": backend}
    try:
        out = subprocess.run([sys.executable, __file__, "--fit-only", "--steps", str(steps)], env=env,
                             capture_output=True, text=True, timeout=600)
        return float(out.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError):
        return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--steps", type=int, default=2000, help="SGD steps timed per measurement")
    ap.add_argument("--full", action="store_true", help="also time the whole depth table x 5 seeds")
    a = ap.parse_args(argv)
    if a.fit_only:
        import mnist_data
        import stacked_mlp as sm
        (x, labels), _, _ = mnist_data.load_mnist()
        print(keras_fit_seconds_per_epoch(x, sm.one_hot(labels), min(a.steps, 1000)))
        return

    # numpy first: once TensorFlow is loaded its thread pools compete with OpenBLAS.
    big = sgemm_rate(2048, 2048, 2048)
    small = sgemm_rate(BATCH, 784, 1000)
    import keras
    import mnist_data
    import stacked_mlp as sm
    backend = keras.backend.backend()
    (x, labels), _, _ = mnist_data.load_mnist()
    y = sm.one_hot(labels)
    print(f"backend: {backend}; cores: {os.cpu_count()}")
    print(f"numpy sgemm, 2048^3:            {big / 1e9:7.1f} GFLOP/s")
    print(f"numpy sgemm, [10,784]@[784,1000]: {small / 1e9:5.1f} GFLOP/s (one batch-10 step, 10 nets)")
    train, evals = sweep_flops()
    print(f"depth table x {SEEDS} seeds: {train:.2e} training FLOPs (+ {evals:.2e} for evaluation)")
    print(f"  floor at the 2048^3 rate:      {train / big / 60:6.1f} min")
    print(f"  floor at the batch-10 rate:    {train / small / 60:6.1f} min")

    fits = {backend: keras_fit_seconds_per_epoch(x, y, min(a.steps, 1000))}
    other = "jax" if backend == "tensorflow" else "tensorflow"
    fits[other] = fit_in_subprocess(other, a.steps)
    for b, f in fits.items():
        print(f"keras fit ({b}), 784-100-10 sigmoid, batch 10: " +
              (f"{f:6.2f} s/epoch" if f else "not available"))
    per_depth = {}
    for d in SCHEDULE:
        t, ev, k = stacked_seconds_per_epoch(d, x, y, a.steps)
        per_depth[d] = (t, ev, k)
        flops = N_TRAIN * train_flops_per_image(d) * k
        print(f"stacked trainer, {d} hidden, {k} nets:      {t:6.2f} s/epoch = {t / k:.3f} s/epoch per "
              f"model ({flops / t / 1e9:.0f} GFLOP/s); evaluation {ev:.2f} s/epoch")
    t1 = per_depth[1][0] / per_depth[1][2]
    for b, f in fits.items():
        if f:
            print(f"per-model throughput vs keras fit ({b}), 1 hidden: {f / t1:5.1f}x")
    est = sum(e * (per_depth[d][0] + per_depth[d][1]) for d, e in SCHEDULE.items())
    print(f"estimated depth table x {SEEDS} seeds: {est / 60:.1f} min = {est / (train / big):.2f}x the "
          f"2048^3 floor, {est / (train / small):.2f}x the batch-10 floor")
    if a.full:
        import depth_table
        t0 = time.perf_counter()
        depth_table.run(list(range(SEEDS)))
        wall = time.perf_counter() - t0
        print(f"full sweep measured: {wall / 60:.1f} min = {wall / (train / big):.2f}x the 2048^3 floor, "
              f"{wall / (train / small):.2f}x the batch-10 floor")


if __name__ == "__main__":
    main()
