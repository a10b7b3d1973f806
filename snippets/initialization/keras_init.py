"""Initialisation in Keras: named initialisers are VarianceScaling(scale, mode, distribution). CPU, ~5 s.

(Most of the time goes into importing TensorFlow.)  For a 400 x 600 kernel (fan_in 400, fan_out 600)
it draws each initialiser once (seeded) and compares the sample variance with the formula
Var[W] = scale / n, n = fan_in, fan_out or their mean, and shows that the named shortcuts
and the explicit VarianceScaling calls give identical kernels.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import initializers, layers, ops  # noqa: E402

FAN_IN, FAN_OUT = 400, 600
SHAPE = (FAN_IN, FAN_OUT)
N = {"fan_in": FAN_IN, "fan_out": FAN_OUT, "fan_avg": (FAN_IN + FAN_OUT) / 2}

# name: (scale, mode, distribution) -- Var[W] = scale / N[mode]
SCHEMES = {
    "glorot_uniform": (1.0, "fan_avg", "uniform"),
    "glorot_normal": (1.0, "fan_avg", "truncated_normal"),
    "he_uniform": (2.0, "fan_in", "uniform"),
    "he_normal": (2.0, "fan_in", "truncated_normal"),
    "lecun_normal": (1.0, "fan_in", "truncated_normal"),
}

print(f"kernel {SHAPE}: Var[W] = scale / n")
print(f"{'initializer':16s} {'scale':>5s} {'mode':>8s}  {'formula':>9s} {'sample':>9s}  ratio  same as VarianceScaling")
ratios = {}
for name, (scale, mode, dist) in SCHEMES.items():
    named = ops.convert_to_numpy(initializers.get({"class_name": name, "config": {"seed": 1}})(SHAPE))
    explicit = ops.convert_to_numpy(initializers.VarianceScaling(scale, mode, dist, seed=1)(SHAPE))
    formula = scale / N[mode]
    sample = float(named.var())
    ratios[name] = sample / formula
    print(f"{name:16s} {scale:5.1f} {mode:>8s}  {formula:9.3e} {sample:9.3e}  {sample / formula:5.3f}  "
          f"{'yes' if np.array_equal(named, explicit) else 'NO'}")

# Uniform forms: U(-r, r) has variance r^2 / 3, so r = sqrt(3 * scale / n)
r_glorot = float(np.sqrt(6.0 / (FAN_IN + FAN_OUT)))
w = ops.convert_to_numpy(initializers.GlorotUniform(seed=1)(SHAPE))
print(f"glorot_uniform: limit sqrt(6/(fan_in+fan_out)) = {r_glorot:.4f}, largest |w| drawn = {np.abs(w).max():.4f}")
max_ratio_error = max(abs(r - 1) for r in ratios.values())

# In a layer: the kernel_initializer argument
keras.utils.set_random_seed(0)
dense = layers.Dense(FAN_OUT, activation="relu", kernel_initializer="he_normal")
dense.build((None, FAN_IN))
print(f"Dense(kernel_initializer='he_normal'): kernel std {float(np.std(ops.convert_to_numpy(dense.kernel))):.4f}, "
      f"sqrt(2/fan_in) = {np.sqrt(2 / FAN_IN):.4f}")
print(f"largest |sample/formula - 1|: {max_ratio_error:.3f}")
