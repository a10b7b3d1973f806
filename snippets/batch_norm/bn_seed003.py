"""Seed 003's batch-norm example (Hands-On ML, ch. 11) in Keras: one seed, with or without BN.

Shows: training loss and accuracy, validation and test accuracy after every epoch of the
book's 784-300-100-10 ELU network, with batch normalization (default) or without (--no-bn).

Setup (the book's TF1 code): He initialisation (Keras "he_normal": truncated normal with
variance 2/fan_in, like the book's variance_scaling_initializer()); ELU; with BN a
BatchNormalization(momentum=0.9, epsilon=1e-3) before both ELUs and on the logits, the Dense
layers then without bias (beta plays its part); without BN the same net with zero-initialised
biases.  Softmax cross-entropy averaged over the batch, plain SGD with learning rate 0.01,
mini-batch 200, 20 epochs over 50,000 MNIST training images (the first 10,000 of the 60,000 are
the validation set).  Mini-batch order of epoch e: a numpy permutation from
default_rng([2017, e]), the ragged last batch dropped.  Accuracies in inference mode (BN uses
its moving averages).

Cost: CPU, ~1 min per seed.  The book trains 5 seeds of both configurations at once with its
shared engine (snippets/engine/bn.py), checked equal to this file step for step by a test.
"""
import argparse
import os

import numpy as np
import keras
from keras import layers

HIDDEN = (300, 100)
LR, BATCH, EPOCHS = 0.01, 200, 20
MOMENTUM, EPSILON = 0.9, 1e-3       # moving = 0.9 * moving + 0.1 * batch statistic
ORDER_SEED = 2017


def load_mnist():
    """(x_train, y_train), (x_val, y_val), (x_test, y_test); pixels in [0, 1], 784 per image."""
    path = os.environ.get("MNIST_PATH")
    if path:
        with np.load(path) as d:
            (x, y), (xt, yt) = (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])
    else:
        (x, y), (xt, yt) = keras.datasets.mnist.load_data()
    x, xt = (a.reshape(-1, 784).astype("float32") / 255 for a in (x, xt))
    return (x[10000:], y[10000:]), (x[:10000], y[:10000]), (xt, yt)


def build_model(seed=0, bn=True):
    """784-300-100-10 ELU net; with BN: Dense(no bias) -> BN -> ELU, and BN on the logits."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((784,))])
    for units in HIDDEN + (10,):
        model.add(layers.Dense(units, use_bias=not bn, kernel_initializer="he_normal"))
        if bn:      # y = gamma * (z - mean_B z) / sqrt(var_B z + eps) + beta
            model.add(layers.BatchNormalization(momentum=MOMENTUM, epsilon=EPSILON))
        if units != 10:
            model.add(layers.Activation("elu"))        # z > 0: z;  else e^z - 1
    return model


def epoch_order(epoch, n):
    """Row order of one epoch, the same for every seed; whole batches only."""
    return np.random.default_rng([ORDER_SEED, epoch]).permutation(n)[:n // BATCH * BATCH]


def accuracy(model, x, y):
    """Fraction of correct argmax predictions, inference mode (BN: moving averages)."""
    return float(np.mean(np.argmax(model.predict(x, batch_size=10000, verbose=0), axis=1) == y))


def train(seed=0, epochs=EPOCHS, train_size=None, eval_size=None, bn=True):
    (x, y), (xv, yv), (xt, yt) = load_mnist()
    x, y = x[:train_size], y[:train_size]
    xv, yv, xt, yt = xv[:eval_size], yv[:eval_size], xt[:eval_size], yt[:eval_size]
    model = build_model(seed, bn)
    # C = mean over the batch of -log softmax(logits)[label];  W <- W - lr * dC/dW
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=LR),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = {"val_acc": [accuracy(model, xv, yv)], "test_acc": [accuracy(model, xt, yt)],
               "train_loss": [], "train_acc": []}
    for epoch in range(epochs):
        order = epoch_order(epoch, len(x))
        h = model.fit(x[order], y[order], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        history["train_loss"].append(h.history["loss"][0])       # mean over the epoch's batches
        history["train_acc"].append(h.history["accuracy"][0])
        history["val_acc"].append(accuracy(model, xv, yv))
        history["test_acc"].append(accuracy(model, xt, yt))
        print(f"epoch {epoch + 1:2d}  loss {history['train_loss'][-1]:.4f}  "
              f"train acc {history['train_acc'][-1]:.4f}  val acc {history['val_acc'][-1]:.4f}  "
              f"test acc {history['test_acc'][-1]:.4f}")
    return model, history


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Hands-On ML ch. 11 BN example, one seed")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--train-size", type=int, default=None, help="first N training images")
    ap.add_argument("--eval-size", type=int, default=None, help="first N validation/test images")
    ap.add_argument("--no-bn", action="store_true", help="the same net with biases, no BN")
    a = ap.parse_args()
    train(a.seed, a.epochs, a.train_size, a.eval_size, bn=not a.no_bn)
