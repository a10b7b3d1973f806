"""Exploding gradients in practice: a deep ReLU regression net initialized with weights 1.5 times
too large (per layer) diverges to NaN under plain SGD, and trains with the same learning rate once
the gradients are clipped (clipnorm, clipvalue, global_clipnorm). Runs on the TensorFlow and JAX
backends of Keras 3. CPU, ~12 s (about 5 s of it importing TensorFlow)."""
import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
import numpy as np

depth, width, gain = 6, 32, 1.5          # 6 hidden ReLU layers; weight std = gain * He's sqrt(2/n_in)
learning_rate, epochs, batch_size = 0.05, 10, 32
CLIPPING = {                             # only one of the three may be set on a Keras optimizer
    "none": {},
    "clipnorm": {"clipnorm": 1.0},       # each variable's gradient g: g * min(1, 1.0 / ||g||)
    "clipvalue": {"clipvalue": 0.1},     # every entry: clip(g_i, -0.1, 0.1)
    "global_clipnorm": {"global_clipnorm": 1.0},  # all gradients together: g * min(1, 1.0 / ||(g_1, g_2, ...)||)
}

rng = np.random.default_rng(0)
X = rng.standard_normal((512, 8)).astype("float32")
y = (np.sin(X[:, :1]) + 0.5 * X[:, 1:2]).astype("float32")   # a smooth target
var_y = float(np.var(y))                 # the loss of always predicting the mean of y


def build_model(seed=0):
    keras.utils.set_random_seed(seed)
    # He initialization has Var[w] = 2/n_in; scale = 2 gain^2 makes each layer multiply the
    # signal (and the backpropagated gradient) by about gain = 1.5: 1.5^7 ~ 17 over 7 layers
    init = keras.initializers.VarianceScaling(scale=2 * gain ** 2, mode="fan_in",
                                              distribution="untruncated_normal", seed=seed)
    layers = [keras.layers.Dense(width, activation="relu", kernel_initializer=init)
              for _ in range(depth)]
    return keras.Sequential([keras.Input((8,)), *layers,
                             keras.layers.Dense(1, kernel_initializer=init)])


class BatchLosses(keras.callbacks.Callback):
    """The running training loss after every step (Keras reports the mean over the epoch so far)."""

    def on_train_begin(self, logs=None):
        self.losses = []

    def on_train_batch_end(self, batch, logs=None):
        self.losses.append(float(logs["loss"]))


results = {}
for name, kwargs in CLIPPING.items():
    model = build_model(seed=0)                       # the same initial weights for every run
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate, **kwargs), loss="mse")
    start = float(model.evaluate(X, y, verbose=0))
    steps = BatchLosses()
    history = model.fit(X, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0,
                        callbacks=[steps, keras.callbacks.TerminateOnNaN()])
    bad = [i for i, v in enumerate(steps.losses, start=1) if not math.isfinite(v)]
    final = float(model.evaluate(X, y, verbose=0))
    results[name] = dict(start=start, final=final, first_bad_step=bad[0] if bad else None,
                         epoch_losses=history.history["loss"])

print(f"initial loss {results['none']['start']:.4g} (same weights for every run); "
      f"predicting the mean of y gives {var_y:.3f}")
print("clipping           loss after each epoch                                  final loss")
for name, r in results.items():
    curve = " ".join(f"{v:7.3g}" for v in r["epoch_losses"])
    note = f"  (non-finite from step {r['first_bad_step']}, stopped)" if r["first_bad_step"] else ""
    print(f"{name:16s}  {curve}  {r['final']:9.4g}{note}")

loss_start = results["none"]["start"]
diverged = not math.isfinite(results["none"]["final"])
diverged_step = results["none"]["first_bad_step"]
final_clipnorm = results["clipnorm"]["final"]
final_clipvalue = results["clipvalue"]["final"]
final_global = results["global_clipnorm"]["final"]
steps_per_epoch = len(X) // batch_size
# global_clipnorm's loss mostly falls, but not at every epoch, and ends above predicting the mean
global_curve = np.array(results["global_clipnorm"]["epoch_losses"])
global_rise_epochs = ", ".join(str(i + 2) for i in np.flatnonzero(np.diff(global_curve) > 0)) or "none"
global_over_mean = final_global / var_y
