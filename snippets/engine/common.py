"""What the stacked trainers share: the backend switch for compiling, one-hot labels, mean and std."""
from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import keras  # noqa: E402


def backend() -> str:
    return keras.backend.backend()


def compile_fn(fn, donate=None):
    """Compile ``fn`` for the current backend: tf.function (XLA) or jax.jit."""
    b = backend()
    if b == "tensorflow":
        import tensorflow as tf
        return tf.function(fn, reduce_retracing=True, jit_compile=True)
    if b == "jax":
        import jax
        return jax.jit(fn, donate_argnums=donate) if donate is not None else jax.jit(fn)
    return fn


def one_hot(labels, n=10):
    out = np.zeros((len(labels), n), np.float32)
    out[np.arange(len(labels)), labels] = 1.0
    return out


def mean_std(values):
    """Mean and sample standard deviation (ddof=1; 0 for a single value)."""
    v = np.asarray(values, np.float64)
    return float(v.mean()), (float(v.std(ddof=1)) if len(v) > 1 else 0.0)
