"""Activations in Keras: activation=, LeakyReLU, PReLU and a few-line maxout layer. CPU, ~5 s.

(Most of the time goes into importing TensorFlow.)  Builds each layer, feeds it a few fixed inputs and
compares the outputs with the formulas in numpy; then builds a small model that uses them
all and prints its output shape and parameter count.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers, ops  # noqa: E402


class Maxout(layers.Layer):
    """Maxout (Goodfellow et al. 2013): k affine maps per unit, keep the largest.

    h_j(x) = max_i (x W_ij + b_ij), i = 1..k -- one Dense layer with units * k outputs,
    reshaped to [..., units, k] and reduced with max.
    """

    def __init__(self, units, pieces=2, **kwargs):
        super().__init__(**kwargs)
        self.units, self.pieces = units, pieces
        self.dense = layers.Dense(units * pieces, kernel_initializer="glorot_uniform")

    def call(self, x):
        h = self.dense(x)
        h = ops.reshape(h, (-1, self.units, self.pieces))
        return ops.max(h, axis=-1)


z = np.array([[-3.0, -1.0, -0.1, 0.0, 0.5, 2.0]], dtype="float32")
sig = 1 / (1 + np.exp(-z))
formulas = {
    "sigmoid": sig,
    "tanh": np.tanh(z),
    "relu": np.maximum(z, 0),
    "elu": np.where(z > 0, z, np.expm1(z)),
    "selu": 1.0507009873554805 * np.where(z > 0, z, 1.6732632423543772 * np.expm1(z)),
}
print("layer                         max |keras - formula|")
worst = 0.0
for name, expected in formulas.items():
    out = ops.convert_to_numpy(layers.Activation(name)(z))     # the same function as Dense(activation=name)
    diff = float(np.abs(out - expected).max())
    worst = max(worst, diff)
    print(f"Activation('{name}'){'':<{10 - len(name)}}           {diff:.1e}")
for alpha in (0.01, 0.2):
    out = ops.convert_to_numpy(layers.LeakyReLU(negative_slope=alpha)(z))
    diff = float(np.abs(out - np.where(z > 0, z, alpha * z)).max())
    worst = max(worst, diff)
    print(f"LeakyReLU(negative_slope={alpha:<4})     {diff:.1e}")
# PReLU: one learned slope per unit, started at 0.25 here (as in He et al. 2015)
prelu = layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))
out = ops.convert_to_numpy(prelu(z))
diff = float(np.abs(out - np.where(z > 0, z, 0.25 * z)).max())
worst = max(worst, diff)
print(f"PReLU (slope 0.25 at start)         {diff:.1e}")
prelu_params = int(prelu.count_params())
print(f"PReLU on {z.shape[1]} units learns {prelu_params} slopes")

# Maxout: check against its own two affine pieces
keras.utils.set_random_seed(0)
mo = Maxout(4, pieces=2)
x = np.linspace(-1, 1, 3 * 5, dtype="float32").reshape(3, 5)
out = ops.convert_to_numpy(mo(x))
W, b = [ops.convert_to_numpy(v) for v in mo.dense.weights]
pieces = (x @ W + b).reshape(3, 4, 2)
maxout_diff = float(np.abs(out - pieces.max(axis=-1)).max())
worst = max(worst, maxout_diff)
print(f"Maxout(4, pieces=2): input {x.shape} -> output {out.shape}, max |diff| {maxout_diff:.1e}, "
      f"{mo.count_params()} parameters (a Dense(4) has {5 * 4 + 4})")

# A small model using them, with the matching initialisers
model = keras.Sequential([
    keras.Input(shape=(784,)),
    layers.Dense(100, activation="elu", kernel_initializer="he_normal"),
    layers.Dense(100, kernel_initializer="he_normal"),
    layers.LeakyReLU(negative_slope=0.2),
    layers.Dense(100, activation="selu", kernel_initializer="lecun_normal"),
    layers.Dense(100, kernel_initializer="he_normal"),
    layers.PReLU(),
    Maxout(50, pieces=2),
    layers.Dense(10, activation="softmax"),
])
batch = np.zeros((2, 784), dtype="float32")
print(f"model output shape {tuple(model(batch).shape)}, {model.count_params():,} parameters")
print(f"largest difference from the formulas: {worst:.1e}")
