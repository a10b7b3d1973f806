"""A 50-layer plain MLP against the same layers with residual connections, at initialization: the
gradient norm ||dC/db_l|| of every layer (tf.GradientTape). In the plain net h_l = F_l(h_{l-1}) the
gradient shrinks layer by layer; in the residual net h_l = h_{l-1} + F_l(h_{l-1}) it does not.
CPU, ~7 s (most of it importing TensorFlow)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

depth, width, batch = 50, 64, 128
keras.utils.set_random_seed(0)
# F_l(h) = sigmoid(h W_l + b_l), b_l = 0, W_l from LecunNormal: a truncated normal with variance
# 1/n_in; the same layers in both nets. (float64: the plain net's first-layer gradient, ~1e-31,
# would still fit in float32, whose smallest normal number is ~1.2e-38, but float64 keeps every
# intermediate far from underflow and rounding.)
layers = [keras.layers.Dense(width, activation="sigmoid", dtype="float64",
                             kernel_initializer=keras.initializers.LecunNormal(seed=l))
          for l in range(depth)]
head = keras.layers.Dense(1, dtype="float64", kernel_initializer=keras.initializers.LecunNormal(seed=depth))
rng = np.random.default_rng(0)
x = tf.constant(rng.standard_normal((batch, width)), tf.float64)
y = tf.constant(rng.standard_normal((batch, 1)), tf.float64)


def bias_grad_norms(residual):
    with tf.GradientTape() as tape:
        h = x
        for layer in layers:
            # residual: h_l = h_{l-1} + F_l(h_{l-1}), so dh_l/dh_{l-1} = I + dF_l/dh_{l-1}
            h = h + layer(h) if residual else layer(h)
        cost = tf.reduce_mean((head(h) - y) ** 2) / 2           # C = mean (out - y)^2 / 2
    grads = tape.gradient(cost, [layer.bias for layer in layers])
    return np.array([float(tf.norm(g)) for g in grads])


norms = {"plain": bias_grad_norms(residual=False), "residual": bias_grad_norms(residual=True)}
print("layer   plain ||dC/db_l||   residual ||dC/db_l||")
for l in [1, 2, 5, 10, 20, 30, 40, 45, 49, 50]:
    print(f"{l:5d}   {norms['plain'][l - 1]:18.2e}   {norms['residual'][l - 1]:20.2e}")
plain_ratio = float(norms["plain"][0] / norms["plain"][-1])          # first layer / last layer
residual_ratio = float(norms["residual"][0] / norms["residual"][-1])
plain_per_layer = plain_ratio ** (1 / (depth - 1))
residual_spread = float(norms["residual"].max() / norms["residual"].min())
# I + dF_l/dh_{l-1} stops the vanishing, but a product of such matrices is not norm-preserving:
# the residual curve is not flat, and not even monotonic
residual_min_layer = int(np.argmin(norms["residual"])) + 1
residual_max_layer = int(np.argmax(norms["residual"])) + 1
print(f"first / last layer: plain {plain_ratio:.1e} ({plain_per_layer:.3f} per layer), "
      f"residual {residual_ratio:.2f}; residual max / min over all layers {residual_spread:.2f} "
      f"(max at layer {residual_max_layer}, min at layer {residual_min_layer})")

fig, ax = plt.subplots(figsize=(6.5, 4))
layer_ids = np.arange(1, depth + 1)
ax.semilogy(layer_ids, norms["plain"], "o-", ms=3, label=r"plain: $h_l = F_l(h_{l-1})$")
ax.semilogy(layer_ids, norms["residual"], "s-", ms=3, label=r"residual: $h_l = h_{l-1} + F_l(h_{l-1})$")
ax.set_xlabel("layer l (1 = next to the input)")
ax.set_ylabel(r"$\|\partial C / \partial b_l\|$ at initialization")
ax.grid(alpha=0.3, which="both")
ax.legend()
plt.show()
