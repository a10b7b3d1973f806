"""Deep MLPs with a softmax output, trained on mean squared error or on cross-entropy.

Used by chain_rule/mse_vs_ce_sweep.py.  Extends ``deep`` (the same stacked layout, hidden
layers, activation families, mini-batch orders and ``Group``) with the choice of the cost at
a softmax output layer, as Keras computes ``loss="mse"`` and ``loss="categorical_crossentropy"``
for a ``Dense(10, activation="softmax")`` layer and one-hot labels y.  ``deep`` itself always
uses cross-entropy and is left unchanged (its records stay fresh).  ``python -m
snippets.engine.costs`` checks the hand-written gradients against tf.GradientTape.  CPU, ~5 s.

Math for member k (z: the output layer's weighted input, B: the mini-batch size):
    p = softmax(z)
    mse:  C = mean over the batch of (1/10) sum_j (p_j - y_j)^2
          dC/dp = 2 (p - y) / (10 B)
          dC/dz_j = sum_i dC/dp_i dp_i/dz_j = p_j (dC/dp_j - sum_i dC/dp_i p_i)
                    (the softmax Jacobian dp_i/dz_j = p_i (delta_ij - p_j) stays in)
    ce:   C = mean over the batch of -log p_y
          dC/dz = (p - y) / B                (the Jacobian cancels against d(-log p_y)/dp)
Hidden layers and SGD as in ``deep``: delta_l = (delta_{l+1} W_{l+1}^T) * f'(z_l),
dC/dW_l = a_{l-1}^T delta_l, theta <- theta - eta dC/dtheta.

Keras detail: with TensorFlow, Keras computes the cross-entropy of a softmax layer from its
logits (exactly the math above); with JAX, from the probabilities clipped to [1e-7, 1 - 1e-7],
whose gradient is 0 for an example whose p_y lies outside that range.  The engine uses the
unclipped math; the equivalence test compares both backends over the mini-batches it runs.
"""
from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

from . import deep  # noqa: E402
from .common import one_hot  # noqa: E402

COSTS = ("mse", "ce")


def output_delta(logits, y, cost):
    """dC/dz at the output [K, B, 10] for the mean cost over the batch; y one-hot [K, B, 10]."""
    B = ops.cast(ops.shape(logits)[1], "float32")
    p = ops.softmax(logits, axis=-1)
    if cost == "ce":
        return (p - y) / B                                          # Jacobian cancelled
    if cost == "mse":
        n_out = ops.cast(ops.shape(logits)[2], "float32")
        g = 2.0 * (p - y) / (n_out * B)                             # dC/dp
        return p * (g - ops.sum(g * p, axis=-1, keepdims=True))     # J^T g, J = diag(p) - p p^T
    raise ValueError(f"unknown cost {cost!r}")


def mean_cost(logits, y, cost):
    """Summed cost over the examples of a chunk, per member [K]; y one-hot [n, 10] (shared)."""
    y = ops.expand_dims(y, 0)
    if cost == "ce":
        logp = logits - ops.logsumexp(logits, axis=-1, keepdims=True)
        return -ops.sum(logp * y, axis=(1, 2))
    p = ops.softmax(logits, axis=-1)
    return ops.sum(ops.mean(ops.square(p - y), axis=-1), axis=-1)   # (1/10) sum_j, summed over n


def backward(params, x, y, mode, alpha, cost):
    """Gradients of the mean cost (layout of params) and the logits; y is [K, B, 10]."""
    logits, cache = deep.forward(params, x, mode, alpha)
    delta = output_delta(logits, y, cost)
    grads = [None] * len(params)
    for i in range(len(cache), -1, -1):                            # layer i+1, right to left
        a_prev = x if i == 0 else cache[i - 1][1]
        grads[2 * i] = ops.matmul(ops.transpose(a_prev, (0, 2, 1)), delta)
        grads[2 * i + 1] = ops.sum(delta, axis=1)
        if i > 0:
            z, a = cache[i - 1]
            da = ops.matmul(delta, ops.transpose(params[2 * i], (0, 2, 1)))
            delta = da * deep.act_grad(z, a, mode, alpha)          # dC/dz_l = dC/da_l * f'(z_l)
    return grads, logits


class Trainer(deep.Trainer):
    """``deep.Trainer`` with the cost ``cost`` ('mse' or 'ce') at the softmax output."""

    def __init__(self, sizes, mode, lrs, alphas=None, batch_size=32, cost="ce"):
        if cost not in COSTS:
            raise ValueError(f"unknown cost {cost!r}")
        self.cost = cost
        super().__init__(sizes, mode, lrs, alphas, batch_size)

    def _epoch_impl(self, params, X, Y, idx, lr, alpha):
        mode, cost = self.mode, self.cost
        lr_w = ops.reshape(lr, (-1, 1, 1))
        lr_b = ops.reshape(lr, (-1, 1))

        def body(i, p):
            rows = idx[i]                                          # [K, B]
            x = ops.take(X, rows, axis=0)                          # [K, B, 784]
            y = ops.take(Y, rows, axis=0)
            g, _ = backward(list(p), x, y, mode, alpha, cost)
            return tuple(w - (lr_w if j % 2 == 0 else lr_b) * gw
                         for j, (w, gw) in enumerate(zip(p, g)))

        return ops.fori_loop(0, ops.shape(idx)[0], body, tuple(params))

    def _eval_impl(self, params, x, y, alpha):
        """As ``deep.Trainer._eval_impl``, with the summed cost of this trainer's kind."""
        logits, cache = deep.forward(list(params), x, self.mode, alpha)
        loss = mean_cost(logits, y, self.cost)
        active = [ops.sum(ops.cast(z > 0, "float32"), axis=1) for z, _ in cache]
        return ops.argmax(logits, axis=-1), loss, ops.isfinite(ops.sum(logits, axis=(1, 2))), active


class Group(deep.Group):
    """``deep.Group`` trained on ``cost`` ('mse' or 'ce'); val_loss and train_loss are that cost."""

    def __init__(self, *args, cost="ce", **kwargs):
        super().__init__(*args, **kwargs)
        self.cost = cost
        self.trainer = Trainer(self.sizes, self.mode, [m["lr"] for m in self.spec],
                               [m.get("alpha", 0.0) for m in self.spec], self.trainer.B, cost)

    def fingerprint(self):
        return {**super().fingerprint(), "cost": self.cost}


def check_gradients(seed=0, verbose=True):
    """Max relative difference between hand-written and tf.GradientTape gradients, both costs."""
    import tensorflow as tf
    rng = np.random.default_rng(seed)
    sizes, K, B = [6, 5, 4, 10], 2, 7
    shapes = [s for i in range(len(sizes) - 1) for s in ((sizes[i], sizes[i + 1]), (sizes[i + 1],))]
    alpha = np.zeros((K, 1, 1), np.float32)
    worst = 0.0
    for cost in COSTS:
        params = [(rng.standard_normal((K, *s)) * 0.8).astype(np.float32) for s in shapes]
        x = rng.standard_normal((K, B, sizes[0])).astype(np.float32)
        y = np.stack([one_hot(rng.integers(0, 10, B)) for _ in range(K)])
        mine = [np.asarray(ops.convert_to_numpy(g))
                for g in backward(params, x, y, "sigmoid", alpha, cost)[0]]
        for k in range(K):
            vs = [tf.Variable(p[k]) for p in params]
            with tf.GradientTape() as tape:
                a = tf.constant(x[k])
                for l in range(0, len(vs) - 2, 2):
                    a = tf.sigmoid(a @ vs[l] + vs[l + 1])
                p = tf.nn.softmax(a @ vs[-2] + vs[-1])
                if cost == "mse":                       # Keras 'mse': mean over units and batch
                    loss = tf.reduce_mean(tf.square(p - y[k]))
                else:
                    loss = -tf.reduce_mean(tf.reduce_sum(y[k] * tf.math.log(p), axis=-1))
            auto = [g.numpy() for g in tape.gradient(loss, vs)]
            for m, t in zip(mine, auto):
                worst = max(worst, float(np.abs(m[k] - t).max() / (np.abs(t).max() + 1e-12)))
    if verbose:
        print(f"max relative gradient difference, hand-written vs GradientTape: {worst:.2e}")
    return worst


if __name__ == "__main__":
    check_gradients()
