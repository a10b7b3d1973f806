"""Checks the hand-written numpy backprop against TensorFlow's tf.GradientTape (float64). CPU, ~5 s."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")       # keep TensorFlow's start-up log out of stdout
import numpy as np
import tensorflow as tf
import keras

from mlp_backprop import backward, init_params, loss

rng = np.random.default_rng(42)
n, n_in, n_hidden, n_out = 32, 5, 8, 3
x = rng.standard_normal((n, n_in))
y = rng.uniform(0, 1, size=(n, n_out))
params = init_params(rng, n_in, n_hidden, n_out)
params["b1"] = 0.1 * rng.standard_normal(n_hidden)         # non-zero biases make the test harder
params["b2"] = 0.1 * rng.standard_normal(n_out)

# the same network in Keras, in float64, with the numpy weights copied in
hidden = keras.layers.Dense(n_hidden, activation="sigmoid", dtype="float64")
output = keras.layers.Dense(n_out, activation="sigmoid", dtype="float64")
model = keras.Sequential([keras.Input((n_in,), dtype="float64"), hidden, output])
hidden.set_weights([params["W1"], params["b1"]])
output.set_weights([params["W2"], params["b2"]])

xt, yt = tf.constant(x), tf.constant(y)
with tf.GradientTape() as tape:
    yhat = model(xt)
    cost = 0.5 * tf.reduce_sum((yhat - yt) ** 2) / n      # C = 1/(2n) sum ||yhat - y||^2
tape_grads = tape.gradient(cost, [hidden.kernel, hidden.bias, output.kernel, output.bias])

hand_grads = backward(params, x, y)
print(f"cost: numpy {loss(params, x, y):.12f}   keras {float(cost):.12f}")
diffs = {}
for name, g_tf in zip(["W1", "b1", "W2", "b2"], tape_grads):
    diffs[name] = float(np.max(np.abs(hand_grads[name] - g_tf.numpy())))
    scale = float(np.max(np.abs(g_tf.numpy())))
    print(f"{name}  shape {str(hand_grads[name].shape):8s} max |grad| = {scale:.3e}   "
          f"max |numpy - tape| = {diffs[name]:.1e}")

max_diff_W1, max_diff_b1 = diffs["W1"], diffs["b1"]
max_diff_W2, max_diff_b2 = diffs["W2"], diffs["b2"]
max_diff = max(diffs.values())
print(f"largest difference over all parameters: {max_diff:.1e}")
