"""A 10-hidden-layer sigmoid net on MNIST, with and without batch normalization (one seed).

Shows: without BN the deep sigmoid net stalls at chance level; with BN before every sigmoid
the same net at the same learning rate trains.  Prints validation accuracy every half epoch.

Setup: 784-(100 x 10)-10, sigmoid hidden units, weights N(0, 1/fan_in) (untruncated), biases 0;
with BN (`--bn`): Dense without bias -> BatchNormalization(momentum 0.9, epsilon 1e-3) ->
sigmoid, no BN on the logits.  Softmax cross-entropy (mean over the batch), plain SGD, learning
rate 0.5, mini-batch 60, 10 epochs = 20 blocks of 416 steps (half an epoch over 50,000
images); after each block: validation and test accuracy in inference mode (BN with its
moving averages), and the norm of dC/dW of every layer on the first 1,000 training images
(at step 0 too; training mode, as SGD sees it, without updating the moving averages).

Costs: one seed, ~2 min on CPU (2 cores, JAX).  The book trains 5 seeds of both
configurations at once with the shared engine (snippets/engine/bn.py), proven equal to
this file step for step.
"""
import argparse
import os

import numpy as np
import keras

DEPTH, UNITS = 10, 100
LR, BATCH, EPOCHS = 0.5, 60, 10
MOMENTUM, EPSILON = 0.9, 1e-3
ORDER_SEED = 2017                       # mini-batch order: default_rng([2017, epoch])
GRAD_SUBSET = 1000                      # gradient norms on the first 1,000 training images


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


def build_model(seed, bn=False, depth=DEPTH):
    """Dense(100) [-> BN] -> sigmoid, depth times, then Dense(10) logits; W ~ N(0, 1/fan_in)."""
    keras.utils.set_random_seed(seed)
    init = lambda: keras.initializers.VarianceScaling(1.0, "fan_in", "untruncated_normal")
    layers = [keras.Input((784,))]
    for _ in range(depth):
        layers.append(keras.layers.Dense(UNITS, use_bias=not bn, kernel_initializer=init()))
        if bn:      # y = gamma (z - mu_B) / sqrt(var_B + eps) + beta (a bias would cancel)
            layers.append(keras.layers.BatchNormalization(momentum=MOMENTUM, epsilon=EPSILON))
        layers.append(keras.layers.Activation("sigmoid"))
    layers.append(keras.layers.Dense(10, kernel_initializer=init()))
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.SGD(LR),       # W <- W - lr dC/dW
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def batch_rows(first_step, steps, n):
    """Rows of steps first_step.. : epoch e visits default_rng([2017, e]).permutation(n),
    cut into n // BATCH mini-batches (the ragged rest is dropped)."""
    per_epoch = n // BATCH
    e0, e1 = first_step // per_epoch, (first_step + steps - 1) // per_epoch
    rows = np.concatenate([np.random.default_rng([ORDER_SEED, e]).permutation(n)[:per_epoch * BATCH]
                           for e in range(e0, e1 + 1)])
    start = (first_step - e0 * per_epoch) * BATCH
    return rows[start:start + steps * BATCH]


def accuracy(model, x, y):
    logits = model.predict(x, batch_size=10000, verbose=0)     # inference mode
    return float(np.mean(np.argmax(logits, axis=1) == y))


def grad_norms(model, x, y):
    """||dC/dW_l|| of every Dense kernel, C = mean cross-entropy on (x, y) in training mode
    (BN normalizes with the statistics of x); the moving averages are left untouched."""
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    trainable = [keras.ops.copy(v) for v in model.trainable_variables]
    frozen = [keras.ops.copy(v) for v in model.non_trainable_variables]
    cost = lambda tv: loss(y, model.stateless_call(tv, frozen, x, training=True)[0])
    if keras.backend.backend() == "jax":
        import jax
        grads = jax.grad(cost)(trainable)
    else:
        import tensorflow as tf
        with tf.GradientTape() as tape:
            tape.watch(trainable)
            c = cost(trainable)
        grads = tape.gradient(c, trainable)
    return [float(np.linalg.norm(keras.ops.convert_to_numpy(g)))
            for g, v in zip(grads, model.trainable_variables) if v.path.endswith("kernel")]


def train(seed=0, epochs=EPOCHS, train_size=None, eval_size=None, bn=False, depth=DEPTH):
    (x, y), (xv, yv), (xt, yt) = load_mnist()
    x, y = x[:train_size], y[:train_size]
    xv, yv, xt, yt = xv[:eval_size], yv[:eval_size], xt[:eval_size], yt[:eval_size]
    model = build_model(seed, bn=bn, depth=depth)
    block = max(1, len(x) // BATCH // 2)                        # half an epoch
    xg, yg = x[:GRAD_SUBSET], y[:GRAD_SUBSET]
    history = {"step": [0], "val_acc": [accuracy(model, xv, yv)], "test_acc": [accuracy(model, xt, yt)],
               "train_loss": [], "train_acc": [], "grad_norm_w": [grad_norms(model, xg, yg)]}
    for b in range(2 * epochs):
        rows = batch_rows(b * block, block, len(x))
        fit = model.fit(x[rows], y[rows], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        history["step"].append((b + 1) * block)
        history["train_loss"].append(fit.history["loss"][0])    # mean over the block's batches
        history["train_acc"].append(fit.history["accuracy"][0])
        history["val_acc"].append(accuracy(model, xv, yv))
        history["test_acc"].append(accuracy(model, xt, yt))
        history["grad_norm_w"].append(grad_norms(model, xg, yg))
        print(f"step {history['step'][-1]:5d}  train loss {history['train_loss'][-1]:.4f}  "
              f"val acc {history['val_acc'][-1]:.4f}  ||dC/dW_1|| {history['grad_norm_w'][-1][0]:.2e}")
    return model, history


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--train-size", type=int, default=None, help="first N training images")
    ap.add_argument("--eval-size", type=int, default=None, help="first N validation/test images")
    ap.add_argument("--bn", action="store_true", help="batch normalization before every sigmoid")
    ap.add_argument("--depth", type=int, default=DEPTH, help="hidden layers")
    a = ap.parse_args()
    train(a.seed, a.epochs, a.train_size, a.eval_size, bn=a.bn, depth=a.depth)
