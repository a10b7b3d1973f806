"""Dead ReLUs: train one 784-100-100-100-10 MNIST net with plain SGD and count, after every
epoch, the hidden units whose weighted input is never positive on the whole training set.

Setup: three hidden layers of 100 units; He-normal weights N(0, 2/fan_in) (untruncated) in
every layer; hidden biases 0, or 0.01 for the variant relu_bias (cs231n's trick); ReLU, or
leaky ReLU with alpha = 0.01 for the variant leaky; softmax cross-entropy; plain SGD with
mini-batches of 32 at one learning rate (0.01 to 0.7 in the book) for 3 epochs on the 50,000
training images, in a mini-batch order of its own for each seed and epoch.
Costs for one net: CPU, ~30 s.  The book trains 5 learning rates x 3 variants x 5 seeds of
it at once with its shared engine (snippets/engine/deep.py), proven equal to this file step
for step by a test.
"""
import argparse
import os

import keras
import numpy as np

SIZES = [784, 100, 100, 100, 10]
LEARNING_RATES = (0.01, 0.1, 0.3, 0.5, 0.7)
VARIANTS = {"relu": {"alpha": 0.0, "bias": 0.0},          # leaky slope alpha, hidden bias
            "relu_bias": {"alpha": 0.0, "bias": 0.01},
            "leaky": {"alpha": 0.01, "bias": 0.0}}
EPOCHS, BATCH = 3, 32
LOSS_CAP = 1e3          # a non-finite (diverged) or larger loss is stored as this value


def load_mnist():
    """Train 50,000 / validation 10,000 (the first 10,000 of keras's 60,000) / test 10,000."""
    path = os.environ.get("MNIST_PATH")
    if path:
        with np.load(path) as d:
            (x, y), (xt, yt) = (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])
    else:
        (x, y), (xt, yt) = keras.datasets.mnist.load_data()
    x, xt = (a.reshape(-1, 784).astype("float32") / 255 for a in (x, xt))
    return (x[10000:], y[10000:]), (x[:10000], y[:10000]), (xt, yt)


def build_model(seed, variant="relu"):
    keras.utils.set_random_seed(seed)       # the same weights for every variant of one seed
    alpha, bias = VARIANTS[variant]["alpha"], VARIANTS[variant]["bias"]
    layers = [keras.Input((SIZES[0],))]
    for i, width in enumerate(SIZES[1:]):
        hidden = i < len(SIZES) - 2
        layers.append(keras.layers.Dense(        # z = a W + b,  W ~ N(0, 2 / fan_in)
            width, kernel_initializer=keras.initializers.VarianceScaling(2.0, "fan_in", "untruncated_normal"),
            bias_initializer=keras.initializers.Constant(bias if hidden else 0.0)))
        if hidden:                               # a = max(z, alpha z); the output layer gives logits
            layers.append(keras.layers.LeakyReLU(negative_slope=alpha) if alpha else keras.layers.ReLU())
    return keras.Sequential(layers)


def batch_order(seed, epoch, n):
    """The mini-batch order of one seed in one epoch; the ragged last batch is dropped."""
    return np.random.default_rng([2024, seed, epoch]).permutation(n)[:n // BATCH * BATCH]


def measure(probe, x, y):
    """Accuracy, mean loss, finite, and per hidden layer the fraction of units whose z is
    never > 0 on x (a dead ReLU: dC/dW = a^T delta = 0 for it on every image)."""
    *zs, logits = probe.predict(x, batch_size=5000, verbose=0)
    finite = bool(np.isfinite(logits).all())
    with np.errstate(all="ignore"):
        z = logits.astype(np.float64) - logits.max(axis=1, keepdims=True)
        loss = float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y]))  # -log p_y
    acc = float((logits.argmax(axis=1) == y).mean()) if finite else 0.0
    loss = min(loss, LOSS_CAP) if finite and np.isfinite(loss) else LOSS_CAP
    return acc, loss, finite, [float((~(zl > 0).any(axis=0)).mean()) for zl in zs]


def train(seed=0, epochs=EPOCHS, train_size=None, eval_size=None, variant="relu", lr=0.5):
    (x, y), (xv, yv), (xt, yt) = load_mnist()
    x, y, xv, yv, xt, yt = x[:train_size], y[:train_size], xv[:eval_size], yv[:eval_size], xt[:eval_size], yt[:eval_size]
    model = build_model(seed, variant)
    # C = mean over the batch of -log softmax(z)_y; theta <- theta - lr dC/dtheta
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    probe = keras.Model(model.inputs, [layer.output for layer in dense])   # every z, then logits
    history = {k: [] for k in ("val_acc", "test_acc", "val_loss", "train_loss", "finite", "dead")}
    for epoch in range(epochs + 1):              # epoch 0: the initial weights
        if epoch:
            order = batch_order(seed, epoch, len(x))
            model.fit(x[order], y[order], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        acc_tr, loss_tr, fin_tr, dead = measure(probe, x, y)
        acc_v, loss_v, fin_v, _ = measure(probe, xv, yv)
        acc_t, _, _, _ = measure(probe, xt, yt)
        for k, v in zip(history, (acc_v, acc_t, loss_v, loss_tr, float(fin_tr and fin_v), dead)):
            history[k].append(v)
        print(f"epoch {epoch}: train loss {loss_tr:.4f}  val acc {acc_v:.2%}  test acc {acc_t:.2%}  "
              f"dead units {np.mean(dead):.1%} (per layer {', '.join(f'{d:.0%}' for d in dead)})"
              + ("" if fin_tr and fin_v else "  DIVERGED"))
    return model, history


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--train-size", type=int, default=None)
    ap.add_argument("--eval-size", type=int, default=None)
    ap.add_argument("--variant", choices=sorted(VARIANTS), default="relu")
    ap.add_argument("--lr", type=float, default=0.5)
    a = ap.parse_args()
    train(a.seed, a.epochs, a.train_size, a.eval_size, a.variant, a.lr)
