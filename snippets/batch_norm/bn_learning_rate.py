"""Batch normalization tolerates a much larger learning rate: one seed, one learning rate.

Shows: training loss and accuracy, validation and test accuracy every half epoch of a
784-100-100-100-10 ELU network trained with plain SGD at the learning rate --lr, with BN before
each ELU (default) or without (--no-bn); a run whose loss becomes infinite or NaN diverged.

Setup: He initialisation (Keras "he_normal": truncated normal, variance 2/fan_in), biases 0;
with BN a BatchNormalization(momentum=0.9, epsilon=1e-3) before every ELU (none on the
logits), the Dense layers in front of it without bias (beta plays its part).  Softmax
cross-entropy averaged over the batch, mini-batch 60, 3 epochs over 50,000 MNIST training
images (the first 10,000 of the 60,000 are the validation set), each epoch in two halves
(416 + 417 steps) with an evaluation (inference mode) after each.  Mini-batch order of epoch e:
a numpy permutation from default_rng([2017, e]), the ragged last batch dropped.

Cost: CPU, ~1 min per seed and learning rate.  The book trains 5 seeds of 6 learning rates
(0.01 to 3), with and without BN, at once with its shared engine (snippets/engine/bn.py),
checked equal to this file step for step by a test.
"""
import argparse
import os

import numpy as np
import keras
from keras import layers

HIDDEN = (100, 100, 100)
BATCH, EPOCHS = 60, 3
MOMENTUM, EPSILON = 0.9, 1e-3       # moving = 0.9 * moving + 0.1 * batch statistic
ORDER_SEED = 2017
LOSS_CAP = 1e3                      # a diverged run's loss (inf or NaN) is recorded as this


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
    """784-100-100-100-10 ELU net; with BN: Dense(no bias) -> BN -> ELU in every hidden layer."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((784,))])
    for units in HIDDEN:
        model.add(layers.Dense(units, use_bias=not bn, kernel_initializer="he_normal"))
        if bn:      # y = gamma * (z - mean_B z) / sqrt(var_B z + eps) + beta
            model.add(layers.BatchNormalization(momentum=MOMENTUM, epsilon=EPSILON))
        model.add(layers.Activation("elu"))            # z > 0: z;  else e^z - 1
    model.add(layers.Dense(10, kernel_initializer="he_normal"))     # logits, with bias
    return model


def epoch_order(epoch, n):
    """Row order of one epoch, the same for every seed; whole batches only."""
    return np.random.default_rng([ORDER_SEED, epoch]).permutation(n)[:n // BATCH * BATCH]


def accuracy(model, x, y):
    """Fraction of correct argmax predictions, inference mode (BN: moving averages)."""
    return float(np.mean(np.argmax(model.predict(x, batch_size=10000, verbose=0), axis=1) == y))


def train(seed=0, epochs=EPOCHS, train_size=None, eval_size=None, lr=0.1, bn=True):
    (x, y), (xv, yv), (xt, yt) = load_mnist()
    x, y = x[:train_size], y[:train_size]
    xv, yv, xt, yt = xv[:eval_size], yv[:eval_size], xt[:eval_size], yt[:eval_size]
    model = build_model(seed, bn)
    # C = mean over the batch of -log softmax(logits)[label];  W <- W - lr * dC/dW
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = {"val_acc": [accuracy(model, xv, yv)], "test_acc": [accuracy(model, xt, yt)],
               "train_loss": [], "train_acc": []}
    for epoch in range(epochs):
        order = epoch_order(epoch, len(x))
        half = len(order) // BATCH // 2 * BATCH          # first half: floor(steps / 2) batches
        for part in (order[:half], order[half:]):
            h = model.fit(x[part], y[part], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
            loss = np.nan_to_num(h.history["loss"][0], nan=LOSS_CAP, posinf=LOSS_CAP)
            history["train_loss"].append(float(min(loss, LOSS_CAP)))
            history["train_acc"].append(h.history["accuracy"][0])
            history["val_acc"].append(accuracy(model, xv, yv))
            history["test_acc"].append(accuracy(model, xt, yt))
            print(f"epoch {epoch + 1}  loss {history['train_loss'][-1]:.4f}  "
                  f"train acc {history['train_acc'][-1]:.4f}  val acc {history['val_acc'][-1]:.4f}  "
                  f"test acc {history['test_acc'][-1]:.4f}")
    history["diverged"] = history["train_loss"][-1] >= LOSS_CAP
    return model, history


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Learning rate versus batch normalization, one seed")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--train-size", type=int, default=None, help="first N training images")
    ap.add_argument("--eval-size", type=int, default=None, help="first N validation/test images")
    ap.add_argument("--lr", type=float, default=0.1, help="SGD learning rate")
    ap.add_argument("--no-bn", action="store_true", help="the same net with biases, no BN")
    a = ap.parse_args()
    train(a.seed, a.epochs, a.train_size, a.eval_size, lr=a.lr, bn=not a.no_bn)
