"""K deep MLPs with one activation family, trained side by side with hand-written backprop.

The engine of the sweeps dead_relu, activation_race (activations/) and deep_init
(initialization/).  Each of them has a Keras reference that trains one net for one seed; the
sweep takes every member's initial weights from that reference's ``build_model`` and its
mini-batch order from the reference's ``batch_order``, and tests prove the two equal step for
step.  ``python -m snippets.engine.deep`` checks the hand-written gradients against automatic
differentiation on a tiny model.  CPU, ~5 s.

Every member k has its own weights, its own learning rate and its own mini-batch order;
members with the same layer sizes and activation family are stacked along a leading axis K,
so one compiled loop trains them all.

Math, for member k and layer l = 1..L+1 (softmax output):
    z_l = a_{l-1} W_l + b_l,   a_l = f(z_l) (hidden),   p = softmax(z_{L+1})
    C = mean over the mini-batch of -log p_y            (softmax cross-entropy)
Backward, right to left:
    delta_{L+1} = (p - y) / B
    delta_l = (delta_{l+1} W_{l+1}^T) * f'(z_l)
    dC/dW_l = a_{l-1}^T delta_l,   dC/db_l = sum over the batch of delta_l
Plain SGD: theta <- theta - eta_k * dC/dtheta  (Keras's SGD without momentum).

Activation families (``mode``):
    sigmoid   1 / (1 + e^-z)
    tanh      tanh z
    leaky     max(z, alpha_k z) with one alpha per member (alpha = 0 is ReLU)
    elu       z (z > 0), e^z - 1 (z <= 0)
    selu      lambda * elu_alpha(z), lambda = 1.0507..., alpha = 1.6733...
Everything is written with ``keras.ops`` (TensorFlow or JAX backend); one epoch is one
compiled ``fori_loop``.
"""
from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

from . import mnist  # noqa: E402
from .common import backend, compile_fn, mean_std, one_hot  # noqa: E402,F401

MODES = ("sigmoid", "tanh", "leaky", "elu", "selu")
SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


# ---------------------------------------------------------------- activations
def act(z, mode, alpha):
    """f(z); alpha is [K, 1, 1] (used by 'leaky')."""
    if mode == "sigmoid":
        return ops.sigmoid(z)
    if mode == "tanh":
        return ops.tanh(z)
    if mode == "leaky":
        return ops.where(z > 0, z, alpha * z)
    neg = ops.exp(ops.minimum(z, 0.0)) - 1.0
    if mode == "elu":
        return ops.where(z > 0, z, neg)
    if mode == "selu":
        return SELU_LAMBDA * ops.where(z > 0, z, SELU_ALPHA * neg)
    raise ValueError(f"unknown mode {mode!r}")


def act_grad(z, a, mode, alpha):
    """f'(z), reusing a = f(z) where that is cheaper."""
    if mode == "sigmoid":
        return a * (1.0 - a)                       # sigma' = sigma (1 - sigma)
    if mode == "tanh":
        return 1.0 - a * a                         # tanh' = 1 - tanh^2
    one = ops.ones_like(z)
    if mode == "leaky":
        return ops.where(z > 0, one, alpha * one)
    if mode == "elu":
        return ops.where(z > 0, one, a + 1.0)      # d/dz (e^z - 1) = e^z = a + 1
    if mode == "selu":                             # lambda alpha e^z = a + lambda alpha
        return ops.where(z > 0, SELU_LAMBDA * one, a + SELU_LAMBDA * SELU_ALPHA)
    raise ValueError(f"unknown mode {mode!r}")


# ---------------------------------------------------------------- initial weights
def stack_weights(weight_lists):
    """Per-member Keras weights -> the stacked layout.

    weight_lists: one list per member in Keras ``get_weights()`` order [W1, b1, ..., W_{L+1},
    b_{L+1}] (W [n_in, n_out], b [n_out]); returns [W1, b1, ...] with W [K, n_in, n_out] and
    b [K, n_out], float32.  The sweeps take these from their reference's ``build_model``.
    """
    return [np.stack([np.asarray(w[i], np.float32) for w in weight_lists])
            for i in range(len(weight_lists[0]))]


def unstack_weights(params, k):
    """Member k's weights in Keras ``get_weights()`` order (numpy)."""
    return [np.asarray(p[k]) for p in params]


# ---------------------------------------------------------------- forward / backward
def forward(params, x, mode, alpha):
    """Logits [K, B, 10] and the (z, a) of every hidden layer.

    x is [K, B, n_in] (one batch per member) or [B, n_in] (one batch shared by all members).
    """
    a, cache = x, []
    for l in range(0, len(params) - 2, 2):
        if len(ops.shape(a)) == 2:                                  # shared input
            z = ops.einsum("bi,kio->kbo", a, params[l])
        else:
            z = ops.matmul(a, params[l])
        z = z + ops.expand_dims(params[l + 1], 1)
        a = act(z, mode, alpha)
        cache.append((z, a))
    logits = ops.matmul(a, params[-2]) + ops.expand_dims(params[-1], 1)
    return logits, cache


def backward(params, x, y, mode, alpha):
    """Gradients of the mean softmax cross-entropy (layout of params); y is [K, B, 10]."""
    logits, cache = forward(params, x, mode, alpha)
    B = ops.cast(ops.shape(x)[1], "float32")
    delta = (ops.softmax(logits, axis=-1) - y) / B                 # dC/dz_out
    grads = [None] * len(params)
    for i in range(len(cache), -1, -1):                            # layer i+1, right to left
        a_prev = x if i == 0 else cache[i - 1][1]
        grads[2 * i] = ops.matmul(ops.transpose(a_prev, (0, 2, 1)), delta)
        grads[2 * i + 1] = ops.sum(delta, axis=1)
        if i > 0:
            z, a = cache[i - 1]
            da = ops.matmul(delta, ops.transpose(params[2 * i], (0, 2, 1)))
            delta = da * act_grad(z, a, mode, alpha)
    return grads, logits


class Trainer:
    """Compiled epoch and evaluation for K members of one activation family."""

    def __init__(self, sizes, mode, lrs, alphas=None, batch_size=32):
        self.sizes, self.mode, self.B = list(sizes), mode, int(batch_size)
        self.K = len(lrs)
        self.lr = np.asarray(lrs, np.float32)
        self.alpha = np.asarray(alphas if alphas is not None else [0.0] * self.K,
                                np.float32).reshape(self.K, 1, 1)
        self.steps = 0                     # SGD steps taken by this trainer (each member)
        self._epoch = compile_fn(self._epoch_impl)
        self._eval = compile_fn(self._eval_impl)

    def _epoch_impl(self, params, X, Y, idx, lr, alpha):
        mode = self.mode
        lr_w = ops.reshape(lr, (-1, 1, 1))
        lr_b = ops.reshape(lr, (-1, 1))

        def body(i, p):
            rows = idx[i]                                          # [K, B]
            x = ops.take(X, rows, axis=0)                          # [K, B, 784]
            y = ops.take(Y, rows, axis=0)
            g, _ = backward(list(p), x, y, mode, alpha)
            return tuple(w - (lr_w if j % 2 == 0 else lr_b) * gw
                         for j, (w, gw) in enumerate(zip(p, g)))

        return ops.fori_loop(0, ops.shape(idx)[0], body, tuple(params))

    def _eval_impl(self, params, x, y, alpha):
        """On one chunk x [n, 784] shared by all members: logits' argmax, summed loss, and
        per hidden layer the count of inputs that make each unit positive [K, H]."""
        logits, cache = forward(list(params), x, self.mode, alpha)
        logp = logits - ops.logsumexp(logits, axis=-1, keepdims=True)
        loss = -ops.sum(logp * ops.expand_dims(y, 0), axis=(1, 2))   # [K]
        active = [ops.sum(ops.cast(z > 0, "float32"), axis=1) for z, _ in cache]
        return ops.argmax(logits, axis=-1), loss, ops.isfinite(ops.sum(logits, axis=(1, 2))), active

    # numpy in, numpy out
    def to_device(self, params):
        return tuple(ops.convert_to_tensor(p) for p in params)

    def to_numpy(self, params):
        return [np.array(ops.convert_to_numpy(p)) for p in params]

    def epoch(self, params, X, Y, orders):
        """One epoch; orders [K, n] (one permutation per member), mini-batches of B."""
        K, n = orders.shape
        steps = n // self.B
        self.steps += steps
        idx = orders[:, :steps * self.B].reshape(K, steps, self.B).transpose(1, 0, 2)
        return self._epoch(params, X, Y, ops.convert_to_tensor(np.ascontiguousarray(idx, np.int32)),
                           ops.convert_to_tensor(self.lr), ops.convert_to_tensor(self.alpha))

    def evaluate(self, params, x, labels, chunk=5000, dead=True):
        """Per member: accuracy, mean loss, finite (0/1) and, per hidden layer, the number of
        the n inputs on which each unit is positive ([K, H] per layer; None unless dead).

        A member whose logits are not all finite on x makes no correct prediction (accuracy 0)
        and has an infinite loss."""
        K = self.K
        correct, loss, finite = np.zeros(K), np.zeros(K), np.ones(K, bool)
        counts = None
        onehot = one_hot(labels)
        alpha = ops.convert_to_tensor(self.alpha)
        for s in range(0, len(labels), chunk):
            pred, l, fin, act_counts = self._eval(params, ops.convert_to_tensor(x[s:s + chunk]),
                                                  ops.convert_to_tensor(onehot[s:s + chunk]), alpha)
            finite &= np.asarray(ops.convert_to_numpy(fin), bool)
            pred = np.asarray(ops.convert_to_numpy(pred))
            correct += (pred == labels[None, s:s + chunk]).sum(axis=1)
            loss += np.asarray(ops.convert_to_numpy(l), np.float64)
            if dead:
                c = [np.asarray(ops.convert_to_numpy(v), np.float64) for v in act_counts]
                counts = c if counts is None else [a + b for a, b in zip(counts, c)]
        n = len(labels)
        acc = np.where(finite, correct / n, 0.0)
        loss = np.where(finite & np.isfinite(loss), loss / n, np.inf)
        return {"acc": acc, "loss": loss, "finite": finite, "active_counts": counts}


LOSS_CAP = 1e3          # non-finite or larger losses are stored as this value (and flagged)


class Group:
    """Members that share layer sizes and activation family: one stacked model.

    members: list of JSON-able dicts {config, seed, lr, alpha, ...}; weights(member) returns
    that member's initial weights in Keras ``get_weights()`` order (the sweeps pass their
    reference's ``build_model(...).get_weights()``); order(seed, epoch, n) returns its
    mini-batch order for one epoch (the reference's ``batch_order``; a ragged tail is dropped).
    train_eval: how many training images the training loss and the dead-unit count use
    (None = all); dead: measure, after every epoch, the hidden units that are never positive.
    """

    def __init__(self, key, sizes, mode, members, epochs, data, weights, order, batch_size=32,
                 train_eval=None, dead=False, name="experiment"):
        self.key, self.sizes, self.mode, self.epochs, self.data = key, list(sizes), mode, epochs, data
        self.spec, self.name, self.weights, self.order, self.dead = members, name, weights, order, dead
        self.members = [(m["config"], m["seed"]) for m in members]
        self.train_eval = min(train_eval or data["n_train"], data["n_train"])
        self.trainer = Trainer(sizes, mode, [m["lr"] for m in members],
                               [m.get("alpha", 0.0) for m in members], batch_size)

    def fingerprint(self):
        d = self.data
        return {"experiment": self.name, "key": self.key, "sizes": self.sizes, "mode": self.mode,
                "members": self.spec, "epochs": self.epochs, "initial_weights": "reference",
                "train_size": d["n_train"], "eval_size": d["n_eval"], "train_eval": self.train_eval,
                "dead": self.dead, "batch": self.trainer.B, "backend": backend()}

    def _measure(self, params, hist):
        tr, d, n = self.trainer, self.data, self.train_eval
        ev_tr = tr.evaluate(params, d["xtr"][:n], d["ytr"][:n], dead=self.dead)
        ev_v = tr.evaluate(params, d["xv"], d["yv"], dead=False)
        ev_t = tr.evaluate(params, d["xt"], d["yt"], dead=False)
        finite = ev_tr["finite"] & ev_v["finite"]
        cap = lambda v: np.where(np.isfinite(v), np.minimum(v, LOSS_CAP), LOSS_CAP).tolist()  # noqa: E731
        hist["val_acc"].append(ev_v["acc"].tolist())
        hist["test_acc"].append(ev_t["acc"].tolist())
        hist["val_loss"].append(cap(ev_v["loss"]))
        hist["train_loss"].append(cap(ev_tr["loss"]))
        hist["finite"].append(finite.astype(float).tolist())
        if self.dead:
            # a unit is dead when no training image makes its weighted input positive
            hist["dead"].append(np.stack([(c == 0).mean(axis=1) for c in ev_tr["active_counts"]],
                                         axis=1).tolist())                          # [K, L]

    def start(self):
        params = stack_weights([self.weights(m) for m in self.spec])
        shapes = [p.shape[1:] for p in params]
        want = [s for i in range(len(self.sizes) - 1) for s in ((self.sizes[i], self.sizes[i + 1]),
                                                               (self.sizes[i + 1],))]
        if shapes != want:
            raise ValueError(f"{self.key}: initial weights have shapes {shapes}, expected {want}")
        keys = ("val_acc", "test_acc", "val_loss", "train_loss", "finite") + (("dead",) if self.dead else ())
        hist = {k: [] for k in keys}
        self._measure(self.trainer.to_device(params), hist)
        return {"epoch": 0, "params": params, "hist": hist}

    def advance(self, st):
        tr, d = self.trainer, self.data
        epoch = st["epoch"] + 1
        orders = np.stack([np.asarray(self.order(m["seed"], epoch, d["n_train"])) for m in self.spec])
        params = tr.epoch(tr.to_device(st["params"]), d["X"], d["Y"], orders)
        self._measure(params, st["hist"])
        return {"epoch": epoch, "params": tr.to_numpy(params), "hist": st["hist"]}

    def history(self, st, k):
        """Member k's per-epoch measurements (numpy, epoch 0 = before training), as the
        reference's ``train`` returns them."""
        return {key: np.asarray(v, np.float64)[:, k] for key, v in st["hist"].items()}

    def results(self, st):
        h = {k: np.asarray(v, np.float64) for k, v in st["hist"].items()}   # [E+1, K, ...]
        out = {}
        for k, (config, seed) in enumerate(self.members):
            val = h["val_acc"][:, k]
            best = int(np.argmax(val[1:])) + 1
            metrics = {
                "final_val_acc": float(val[-1]), "final_test_acc": float(h["test_acc"][-1, k]),
                "best_val_acc": float(val[best]), "best_epoch": best,
                "final_val_loss": float(h["val_loss"][-1, k]),
                "final_train_loss": float(h["train_loss"][-1, k]),
                "diverged": float(h["finite"][-1, k] == 0),
            }
            curves = {"val_acc": val.tolist(), "val_loss": h["val_loss"][:, k].tolist(),
                      "train_loss": h["train_loss"][:, k].tolist(),
                      "finite": h["finite"][:, k].tolist()}                  # 0: diverged by then
            if self.dead:
                dead = h["dead"][:, k]                                # [E+1, L]
                metrics.update({"init_dead": float(dead[0].mean()), "final_dead": float(dead[-1].mean()),
                                "final_dead_per_layer": dead[-1].tolist()})
                curves["dead"] = dead.mean(axis=1).tolist()
            out.setdefault(config, []).append({"seed": seed, "metrics": metrics, "curves": curves})
        return out


def load_data(train_size=None, eval_size=None):
    """MNIST (snippets.engine.mnist): train tensors for the compiled loop, numpy arrays for evaluation."""
    (xtr, ytr), (xv, yv), (xt, yt) = mnist.load_mnist()
    n, m = train_size or len(xtr), eval_size or len(xv)
    return {"X": ops.convert_to_tensor(xtr[:n]), "Y": ops.convert_to_tensor(one_hot(ytr[:n])),
            "xtr": xtr[:n], "ytr": ytr[:n], "xv": xv[:m], "yv": yv[:m], "xt": xt[:m], "yt": yt[:m],
            "n_train": n, "n_eval": m}


def check_gradients(seed=0, verbose=True):
    """Max relative difference between hand-written and tf.GradientTape gradients, all modes."""
    import tensorflow as tf
    rng = np.random.default_rng(seed)
    sizes, K, B = [6, 5, 5, 4, 10], 2, 7
    worst = 0.0
    shapes = [s for i in range(len(sizes) - 1) for s in ((sizes[i], sizes[i + 1]), (sizes[i + 1],))]
    for mode in MODES:
        rngs = [np.random.default_rng([seed, k]) for k in range(K)]
        params = [np.stack([r.standard_normal(shape) * 0.5 for r in rngs]).astype(np.float32)
                  for shape in shapes]
        alpha = np.array([0.0, 0.2], np.float32).reshape(K, 1, 1)
        x = rng.standard_normal((K, B, sizes[0])).astype(np.float32)
        y = np.stack([one_hot(rng.integers(0, 10, B)) for _ in range(K)])
        mine = [np.asarray(ops.convert_to_numpy(g)) for g in backward(params, x, y, mode, alpha)[0]]
        for k in range(K):
            vs = [tf.Variable(p[k]) for p in params]
            with tf.GradientTape() as tape:
                a = tf.constant(x[k])
                for l in range(0, len(vs) - 2, 2):
                    z = a @ vs[l] + vs[l + 1]
                    if mode == "leaky":
                        a = tf.where(z > 0, z, float(alpha[k, 0, 0]) * z)
                    else:
                        a = {"sigmoid": tf.sigmoid, "tanh": tf.tanh, "elu": tf.nn.elu,
                             "selu": tf.nn.selu}[mode](z)
                logits = a @ vs[-2] + vs[-1]
                loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y[k], logits=logits))
            auto = [g.numpy() for g in tape.gradient(loss, vs)]
            for m, t in zip(mine, auto):
                worst = max(worst, float(np.abs(m[k] - t).max() / (np.abs(t).max() + 1e-12)))
    if verbose:
        print(f"max relative gradient difference, hand-written vs GradientTape: {worst:.2e}")
    return worst


if __name__ == "__main__":
    check_gradients()
