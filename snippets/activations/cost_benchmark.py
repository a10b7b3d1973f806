"""Micro-benchmark: numpy time per activation (and derivative) on 10^6 values. CPU, ~10 s.

Not run by the build -- timings depend on the machine and on whatever else it is
doing, so the page shows this code and you run it yourself:
`python benchmarks/activation_cost.py` (or this file).  Each number is the best of 20
repetitions, in milliseconds, and relative to ReLU.
"""
import timeit

import numpy as np

# float32 constants, so that no operation silently upcasts to float64
SELU_LAMBDA, SELU_ALPHA = np.float32(1.0507009873554805), np.float32(1.6732632423543772)
ONE, ZERO, SLOPE = np.float32(1.0), np.float32(0.0), np.float32(0.01)

FORWARD = {
    "ReLU": lambda z: np.maximum(z, ZERO),
    "leaky ReLU": lambda z: np.maximum(z, SLOPE * z),
    "sigmoid": lambda z: ONE / (ONE + np.exp(-z)),
    "tanh": np.tanh,
    "ELU": lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, ZERO))),
    "SELU": lambda z: SELU_LAMBDA * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, ZERO))),
}
BACKWARD = {                          # f'(z) given z (and f(z) where it helps)
    "ReLU": lambda z, a: (z > 0).astype(z.dtype),
    "leaky ReLU": lambda z, a: np.where(z > 0, ONE, SLOPE),
    "sigmoid": lambda z, a: a * (ONE - a),
    "tanh": lambda z, a: ONE - a * a,
    "ELU": lambda z, a: np.where(z > 0, ONE, a + ONE),
    "SELU": lambda z, a: np.where(z > 0, SELU_LAMBDA, a + SELU_LAMBDA * SELU_ALPHA),
}


def best_ms(fn, repeat=20):
    return 1000 * min(timeit.repeat(fn, number=1, repeat=repeat))


def main(n=1_000_000, seed=0):
    z = np.random.default_rng(seed).standard_normal(n).astype(np.float32)
    rows = []
    for name, f in FORWARD.items():
        a = f(z)
        rows.append((name, best_ms(lambda: f(z)), best_ms(lambda: BACKWARD[name](z, a))))
    base_f, base_b = rows[0][1], rows[0][2]
    print(f"{n:,} float32 values; best of 20, milliseconds (and relative to ReLU)")
    print(f"{'activation':12s} {'forward':>16s} {'derivative':>16s}")
    for name, tf_, tb in rows:
        print(f"{name:12s} {tf_:8.2f} ({tf_ / base_f:4.1f}x) {tb:8.2f} ({tb / base_b:4.1f}x)")
    return rows


if __name__ == "__main__":
    main()
