"""Which activation trains a deeper MNIST net best?  Train one net with one activation.

Setup: 6 hidden layers of 100 units with one activation, each with the initialisation made
for it (normal, untruncated): Glorot N(0, 2/(fan_in + fan_out)) for sigmoid and tanh, He
N(0, 2/fan_in) for the ReLU family and ELU, LeCun N(0, 1/fan_in) for SELU, in every layer;
biases 0; softmax cross-entropy; plain SGD (learning rate 0.05, mini-batches of 32) for 5
epochs on the 50,000 training images, in a mini-batch order of its own for each seed and
epoch.  After every epoch: validation and test accuracy, validation loss and the training
loss on the first 10,000 training images.
Costs for one net: CPU, ~40 s.  The book trains 7 activations x 5 seeds of it with its
shared engine (snippets/engine/deep.py), proven equal to this file step for step by a test.
"""
import argparse
import os

import keras
import numpy as np

HIDDEN_LAYERS, WIDTH = 6, 100
SIZES = [784] + [WIDTH] * HIDDEN_LAYERS + [10]
ACTIVATIONS = {                 # hidden activation (a number: leaky ReLU's slope), initialisation
    "sigmoid": ("sigmoid", "glorot"), "tanh": ("tanh", "glorot"), "relu": ("relu", "he"),
    "leaky_relu_0.01": (0.01, "he"), "leaky_relu_0.2": (0.2, "he"), "elu": ("elu", "he"),
    "selu": ("selu", "lecun"),
}
INITS = {"glorot": (1.0, "fan_avg"), "he": (2.0, "fan_in"), "lecun": (1.0, "fan_in")}  # Var = scale / n
LR, BATCH, EPOCHS = 0.05, 32, 5
TRAIN_EVAL = 10_000     # the training loss is measured on the first 10,000 training images
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


def build_model(seed, activation="elu"):
    keras.utils.set_random_seed(seed)
    act, init = ACTIVATIONS[activation]
    scale, mode = INITS[init]
    layers = [keras.Input((SIZES[0],))]
    for i, width in enumerate(SIZES[1:]):
        # z = a W + b with W ~ N(0, scale / n), b = 0; the output layer gives logits
        layers.append(keras.layers.Dense(width, kernel_initializer=keras.initializers.VarianceScaling(
            scale, mode, "untruncated_normal")))
        if i < HIDDEN_LAYERS:
            layers.append(keras.layers.LeakyReLU(negative_slope=act) if isinstance(act, float)
                          else keras.layers.Activation(act))
    return keras.Sequential(layers)


def batch_order(seed, epoch, n):
    """The mini-batch order of one seed in one epoch; the ragged last batch is dropped."""
    return np.random.default_rng([2024, seed, epoch]).permutation(n)[:n // BATCH * BATCH]


def measure(model, x, y):
    """Accuracy and mean loss -log p_y on x, and whether every logit is finite."""
    logits = model.predict(x, batch_size=5000, verbose=0)
    finite = bool(np.isfinite(logits).all())
    with np.errstate(all="ignore"):
        z = logits.astype(np.float64) - logits.max(axis=1, keepdims=True)
        loss = float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(y)), y]))
    acc = float((logits.argmax(axis=1) == y).mean()) if finite else 0.0
    return acc, (min(loss, LOSS_CAP) if finite and np.isfinite(loss) else LOSS_CAP), finite


def train(seed=0, epochs=EPOCHS, train_size=None, eval_size=None, activation="elu"):
    (x, y), (xv, yv), (xt, yt) = load_mnist()
    x, y, xv, yv, xt, yt = x[:train_size], y[:train_size], xv[:eval_size], yv[:eval_size], xt[:eval_size], yt[:eval_size]
    model = build_model(seed, activation)
    # C = mean over the batch of -log softmax(z)_y; theta <- theta - LR dC/dtheta
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = {k: [] for k in ("val_acc", "test_acc", "val_loss", "train_loss", "finite")}
    for epoch in range(epochs + 1):              # epoch 0: the initial weights
        if epoch:
            order = batch_order(seed, epoch, len(x))
            model.fit(x[order], y[order], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        _, loss_tr, fin_tr = measure(model, x[:TRAIN_EVAL], y[:TRAIN_EVAL])
        acc_v, loss_v, fin_v = measure(model, xv, yv)
        acc_t, _, _ = measure(model, xt, yt)
        for k, v in zip(history, (acc_v, acc_t, loss_v, loss_tr, float(fin_tr and fin_v))):
            history[k].append(v)
        print(f"epoch {epoch}: train loss {loss_tr:.4f}  val acc {acc_v:.2%}  test acc {acc_t:.2%}"
              + ("" if fin_tr and fin_v else "  DIVERGED"))
    return model, history


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--train-size", type=int, default=None)
    ap.add_argument("--eval-size", type=int, default=None)
    ap.add_argument("--activation", choices=list(ACTIVATIONS), default="elu")
    a = ap.parse_args()
    train(a.seed, a.epochs, a.train_size, a.eval_size, a.activation)
