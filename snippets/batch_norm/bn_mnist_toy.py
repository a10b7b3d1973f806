"""Ioffe & Szegedy's MNIST experiment (2015, Fig. 1): 3 x 100 sigmoid units, batch 60 (one seed).

Shows: validation accuracy over 50,000 steps with or without BN before each sigmoid, and, as
in the paper's Figure 1(b, c), the 15th, 50th and 85th percentiles of the input of one sigmoid
(unit 0 of hidden layer 3) over the first 1,000 validation images during training.

Setup (the paper's where it gives one): 784-100-100-100-10, sigmoid hidden units, softmax
cross-entropy (mean over the batch), mini-batch 60, 50,000 steps.  Our choices where it is
silent: weights N(0, 1/fan_in) (untruncated), biases 0, plain SGD at learning rate 0.5; with
BN (`--bn`): Dense without bias -> BatchNormalization(momentum 0.9, epsilon 1e-3) -> sigmoid,
no BN on the logits.  Measured after steps 100, 200, ..., 500, then every 500 steps, in
inference mode (BN with its moving averages): validation accuracy and the percentiles; test
accuracy at the end.  `--epochs E` trains E whole epochs instead (quick looks).

Costs: one seed, ~4 min on CPU (2 cores, JAX).  The book trains 5 seeds of both
configurations at once with the shared engine (snippets/engine/bn.py), proven equal to
this file step for step.
"""
import argparse
import os

import numpy as np
import keras

SIZES = [784, 100, 100, 100, 10]
LR, BATCH, STEPS = 0.5, 60, 50_000
MOMENTUM, EPSILON = 0.9, 1e-3
PROBE_LAYER, PROBE_UNIT, PROBE_IMAGES = 2, 0, 1000     # hidden layer 3, unit 0
ORDER_SEED = 2017                                       # mini-batch order: default_rng([2017, epoch])


def load_mnist():
    """(x_train, y_train), (x_val, y_val), (x_test, y_test): 50,000 / 10,000 / 10,000."""
    path = os.environ.get("MNIST_PATH")
    if path:
        with np.load(path) as d:
            (x, y), (xt, yt) = (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])
    else:
        (x, y), (xt, yt) = keras.datasets.mnist.load_data()
    x, xt = (a.reshape(-1, 784).astype("float32") / 255 for a in (x, xt))
    return (x[10000:], y[10000:]), (x[:10000], y[:10000]), (xt, yt)


def build_model(seed, bn=False):
    """Dense(100) [-> BN] -> sigmoid, three times, then Dense(10) logits; W ~ N(0, 1/fan_in)."""
    keras.utils.set_random_seed(seed)
    init = lambda: keras.initializers.VarianceScaling(1.0, "fan_in", "untruncated_normal")
    layers = [keras.Input((784,))]
    for units in SIZES[1:-1]:
        layers.append(keras.layers.Dense(units, use_bias=not bn, kernel_initializer=init()))
        if bn:      # y = gamma (z - mu_B) / sqrt(var_B + eps) + beta (a bias would cancel)
            layers.append(keras.layers.BatchNormalization(momentum=MOMENTUM, epsilon=EPSILON))
        layers.append(keras.layers.Activation("sigmoid"))
    layers.append(keras.layers.Dense(10, kernel_initializer=init()))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.SGD(LR),       # W <- W - lr dC/dW
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def schedule(steps=STEPS):
    """Block lengths: 100 steps up to step 500, then 500 steps (the last block may be shorter)."""
    ends = [s for s in (100, 200, 300, 400) if s < steps] + list(range(500, steps, 500)) + [steps]
    return np.diff([0] + ends).tolist()


def batch_rows(first_step, steps, n):
    """Rows of steps first_step.. : epoch e visits default_rng([2017, e]).permutation(n),
    cut into n // BATCH mini-batches (the ragged rest is dropped)."""
    per_epoch = n // BATCH
    e0, e1 = first_step // per_epoch, (first_step + steps - 1) // per_epoch
    rows = np.concatenate([np.random.default_rng([ORDER_SEED, e]).permutation(n)[:per_epoch * BATCH]
                           for e in range(e0, e1 + 1)])
    start = (first_step - e0 * per_epoch) * BATCH
    return rows[start:start + steps * BATCH]


def measure(model, xv, yv, history):
    """Validation accuracy and the probed unit's input percentiles, inference mode."""
    history["val_acc"].append(float(np.mean(np.argmax(model.predict(xv, batch_size=10000, verbose=0), 1) == yv)))
    h = keras.ops.convert_to_tensor(xv[:PROBE_IMAGES])
    sigmoids = [i for i, layer in enumerate(model.layers) if isinstance(layer, keras.layers.Activation)]
    for layer in model.layers[:sigmoids[PROBE_LAYER]]:    # up to the input of the 3rd sigmoid
        h = layer(h, training=False)
    u = keras.ops.convert_to_numpy(h)[:, PROBE_UNIT]
    history["probe"].append(np.percentile(u, [15, 50, 85]).tolist())


def train(seed=0, epochs=None, train_size=None, eval_size=None, bn=False, steps=STEPS):
    (x, y), (xv, yv), (xt, yt) = load_mnist()
    x, y = x[:train_size], y[:train_size]
    xv, yv, xt, yt = xv[:eval_size], yv[:eval_size], xt[:eval_size], yt[:eval_size]
    model = build_model(seed, bn=bn)
    blocks = [len(x) // BATCH] * epochs if epochs else schedule(steps)
    history = {"step": [0], "val_acc": [], "probe": [], "train_loss": [], "train_acc": []}
    measure(model, xv, yv, history)
    for block in blocks:
        rows = batch_rows(history["step"][-1], block, len(x))
        fit = model.fit(x[rows], y[rows], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        history["step"].append(history["step"][-1] + block)
        history["train_loss"].append(fit.history["loss"][0])    # mean over the block's batches
        history["train_acc"].append(fit.history["accuracy"][0])
        measure(model, xv, yv, history)
        q15, q50, q85 = history["probe"][-1]
        print(f"step {history['step'][-1]:6d}  train loss {history['train_loss'][-1]:.4f}  "
              f"val acc {history['val_acc'][-1]:.4f}  unit input 15/50/85%: {q15:+.2f} {q50:+.2f} {q85:+.2f}")
    logits = model.predict(xt, batch_size=10000, verbose=0)
    history["test_acc"] = [float(np.mean(np.argmax(logits, 1) == yt))]
    print(f"test acc {history['test_acc'][0]:.4f}")
    return model, history


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=None, help="train E whole epochs instead of --steps")
    ap.add_argument("--steps", type=int, default=STEPS)
    ap.add_argument("--train-size", type=int, default=None, help="first N training images")
    ap.add_argument("--eval-size", type=int, default=None, help="first N validation/test images")
    ap.add_argument("--bn", action="store_true", help="batch normalization before every sigmoid")
    a = ap.parse_args()
    train(a.seed, a.epochs, a.train_size, a.eval_size, bn=a.bn, steps=a.steps)
