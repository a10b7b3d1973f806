"""Mean squared error or cross-entropy at a softmax output: one MNIST net, one seed, in Keras.

The Keras example of 《人工智能系列(七)》: 784-500-500-10, Dense(500, sigmoid) ->
Dense(500, sigmoid) -> Dense(10, softmax), Keras's default initialization (Glorot uniform
weights, zero biases), one-hot labels, trained with loss="mse" as in the article (`--loss mse`)
or with its cross-entropy twin loss="categorical_crossentropy" (`--loss ce`).  The article's
optimizer, learning rate, batch size and epochs are lost; ours, the same for both losses:
plain SGD, learning rate 0.1, mini-batches of 100, 5 epochs over the 50,000 training images,
a mini-batch order of its own for each seed and epoch.  After every epoch it prints the
validation and test accuracy and the cost on the validation set and on the first 10,000
training images.
Costs for one net: CPU, ~1 min (JAX, 2 idle cores).  The book trains 5 seeds of both losses with
its shared engine (snippets/engine/costs.py), proven equal to this file step for step.
"""
import argparse
import os

import keras
import numpy as np

SIZES = [784, 500, 500, 10]
LR, BATCH, EPOCHS = 0.1, 100, 5
TRAIN_EVAL = 10_000     # the training cost is measured on the first 10,000 training images
ORDER_SEED = 2018
LOSSES = {"mse": "mse", "ce": "categorical_crossentropy"}


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


def build_model(seed, loss="mse"):
    """The article's net; C = mean over the batch of (1/10) sum_j (p_j - y_j)^2 ('mse') or
    of -log p_y ('ce'), p = softmax(z); theta <- theta - LR dC/dtheta."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((SIZES[0],)),
        keras.layers.Dense(SIZES[1], activation="sigmoid"),
        keras.layers.Dense(SIZES[2], activation="sigmoid"),
        keras.layers.Dense(SIZES[3], activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR), loss=LOSSES[loss])
    return model


def batch_order(seed, epoch, n):
    """The mini-batch order of one seed in one epoch (the same for both losses)."""
    return np.random.default_rng([ORDER_SEED, seed, epoch]).permutation(n)[:n // BATCH * BATCH]


def measure(model, x, y, loss):
    """Accuracy and mean cost on (x, y), and whether every output is finite."""
    p = model.predict(x, batch_size=5000, verbose=0).astype(np.float64)
    finite = bool(np.isfinite(p).all())
    Y = np.eye(10)[y]
    with np.errstate(all="ignore"):
        cost = np.mean(np.mean((p - Y) ** 2, axis=1)) if loss == "mse" else \
            np.mean(-np.log(p[np.arange(len(y)), y]))
    acc = float((p.argmax(axis=1) == y).mean()) if finite else 0.0
    return acc, float(cost), finite


def train(seed=0, epochs=EPOCHS, train_size=None, eval_size=None, loss="mse"):
    (x, y), (xv, yv), (xt, yt) = load_mnist()
    x, y, xv, yv, xt, yt = x[:train_size], y[:train_size], xv[:eval_size], yv[:eval_size], xt[:eval_size], yt[:eval_size]
    Y = keras.utils.to_categorical(y, 10)
    model = build_model(seed, loss)
    history = {k: [] for k in ("val_acc", "test_acc", "val_loss", "train_loss", "finite")}
    for epoch in range(epochs + 1):              # epoch 0: the initial weights
        if epoch:
            order = batch_order(seed, epoch, len(x))
            model.fit(x[order], Y[order], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        _, loss_tr, fin_tr = measure(model, x[:TRAIN_EVAL], y[:TRAIN_EVAL], loss)
        acc_v, loss_v, fin_v = measure(model, xv, yv, loss)
        acc_t, _, _ = measure(model, xt, yt, loss)
        for k, v in zip(history, (acc_v, acc_t, loss_v, loss_tr, float(fin_tr and fin_v))):
            history[k].append(v)
        print(f"epoch {epoch:2d}: train {loss} {loss_tr:.4f}  val acc {acc_v:.2%}  test acc {acc_t:.2%}")
    return model, history


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--train-size", type=int, default=None, help="first N training images")
    ap.add_argument("--eval-size", type=int, default=None, help="first N validation/test images")
    ap.add_argument("--loss", choices=list(LOSSES), default="mse", help="mse (the article) or ce")
    a = ap.parse_args()
    train(a.seed, a.epochs, a.train_size, a.eval_size, a.loss)
