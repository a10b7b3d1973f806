"""Exercise answer: Keras's moving mean with momentum 0.9 after 10 training steps on the batches
of item 2 of keras_pitfalls.py (mean about 5), from the formula and from keras.layers.BatchNormalization
itself. CPU, ~5 s (most of it importing Keras).

Keras updates mu_hat = rho * mu_hat + (1 - rho) * mu_B (rho = momentum), starting from 0.  If every
batch mean mu_B were mu, after k steps mu_hat = mu * (1 - rho^k).
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras

momentum, steps, true_mean = 0.9, 10, 5.0
formula = true_mean * (1 - momentum ** steps)             # 5 * (1 - 0.9^10)
formula_slow = true_mean * (1 - 0.99 ** steps)            # Keras's default momentum 0.99
print(f"formula: 5 * (1 - 0.9**10) = {formula:.3f}   (momentum 0.99: {formula_slow:.3f})")

# The same random numbers as keras_pitfalls.py: item 1 draws x first, then item 2 draws one
# 32 x 4 batch from N(5, 3^2) per step.  With momentum 0.9 in place of 0.99 in item 2's loop,
# its first 10 steps are these.
rng = np.random.default_rng(3)
x = rng.normal(5.0, 3.0, (64, 4)).astype("float32")      # item 1's batch (only advances rng)
batches = [rng.normal(5.0, 3.0, (32, 4)).astype("float32") for _ in range(steps)]
layer = keras.layers.BatchNormalization(momentum=momentum)
for batch in batches:
    layer(batch, training=True)                           # updates the moving averages
moving = keras.ops.convert_to_numpy(layer.moving_mean)
moving_mean_10 = float(moving[0])
print(f"Keras, {steps} steps with momentum {momentum}: moving mean of unit 1 = {moving_mean_10:.3f} "
      f"(keras_pitfalls.py prints {moving_mean_10:.2f}), all units {np.round(moving, 3)}")
# rho^k of the way is still to go after k steps
remaining = momentum ** steps
print(f"share of the way still to go after {steps} steps: {remaining:.1%} (momentum 0.99: {0.99 ** steps:.1%})")
