"""K small MLPs trained side by side as one stacked model, with backprop written by hand.

Used by chain_rule/depth_table_sweep.py and chain_rule/layer_speed_sweep.py.  Shows nothing
on its own; ``python -m snippets.engine.stacked`` checks the hand-written gradients against
automatic differentiation on a tiny model.  CPU, ~5 s.  The members' initial weights come from
the Keras references (``Stack.from_members`` stacks their ``get_weights()`` lists).

Why stacked: at mini-batch 10 a single 784-100-10 net is far too small to keep a CPU (or a
GPU) busy; the time goes into per-operation overhead.  So K "members" (different seeds, and
sigmoid and ReLU nets of the same depth) are trained at once.  Every member sees the same
mini-batches in the same order, but starts from its own random weights.  Because they share
the input batch x [B, 784], the first layer of all members is ONE matrix product
x @ W1 with W1 [784, K*H]; deeper layers are batched products over the member axis.

Math, for member k (k is the leading axis of every tensor below), layer l = 1..L+1:
    z_l = a_{l-1} W_l + b_l,   a_l = f_k(z_l) (hidden),   output units: sigmoid(z_{L+1})
    loss = loss_scale * sum_{batch, units} CE(sigmoid(z_{L+1}), y) + (wd/2) * sum_l ||W_l||^2
Backward (the chain rule, layer by layer, right to left):
    delta_{L+1} = loss_scale * (sigmoid(z_{L+1}) - y)            # dC/dz, cross-entropy
    delta_l     = (delta_{l+1} W_{l+1}^T) * f'(z_l)
    dC/db_l = sum_batch delta_l,   dC/dW_l = a_{l-1}^T delta_l    (+ wd * W_l)
SGD: W <- W - lr * (dC/dW) = (1 - lr*wd) * W - lr * a^T delta.

Everything is written with ``keras.ops`` so it runs on the TensorFlow and the JAX backend;
one whole epoch is a single compiled loop (``tf.function`` / ``jax.jit`` around
``keras.ops.fori_loop``).
"""
from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

from .common import backend, compile_fn, mean_std, one_hot  # noqa: E402,F401

ACTS = ("sigmoid", "relu")


# ---------------------------------------------------------------- parameters
class Stack:
    """Shapes and activations of K members with the same layer sizes.

    sizes: [784, H, ..., H, 10] (all hidden widths equal); acts: one name per member.
    """

    def __init__(self, sizes, acts):
        self.sizes = list(sizes)
        self.acts = list(acts)
        self.K = len(acts)
        self.L = len(sizes) - 2          # number of hidden layers
        hid = set(sizes[1:-1])
        if len(hid) != 1:
            raise ValueError("all hidden layers must have the same width")
        self.H = sizes[1]
        for a in acts:
            if a not in ACTS:
                raise ValueError(f"unknown activation {a!r}")
        # Static choice when all members share the activation; a 0/1 mask otherwise.
        self.mode = acts[0] if len(set(acts)) == 1 else "mixed"

    def init(self, rngs, weight_scale, bias_scale=1.0):
        """Numpy parameters from one numpy Generator per member.

        weight_scale(act, fan_in) -> std of the N(0, std^2) weights of that member.
        Layout: W1 [784, K*H], b1 [K*H], then per layer W [K, n_in, n_out], b [K, n_out].
        """
        K, s = self.K, self.sizes
        Ws = [[] for _ in range(len(s) - 1)]
        bs = [[] for _ in range(len(s) - 1)]
        for k, rng in enumerate(rngs):
            for l in range(len(s) - 1):
                w = rng.standard_normal((s[l], s[l + 1]), dtype=np.float64)
                b = rng.standard_normal(s[l + 1], dtype=np.float64)
                Ws[l].append(w * weight_scale(self.acts[k], s[l]))
                bs[l].append(b * bias_scale)
        params = [np.concatenate(Ws[0], axis=1).astype(np.float32),
                  np.concatenate(bs[0]).astype(np.float32)]
        for l in range(1, len(s) - 1):
            params.append(np.stack(Ws[l]).astype(np.float32))
            params.append(np.stack(bs[l]).astype(np.float32))
        return params

    def from_members(self, weights):
        """Stacked params from one Keras ``get_weights()`` list [W1, b1, W2, b2, ...] per member."""
        if len(weights) != self.K:
            raise ValueError(f"{len(weights)} weight lists for {self.K} members")
        for w in weights:
            shapes = [tuple(np.shape(a)) for a in w]
            want = [s for n_in, n_out in zip(self.sizes, self.sizes[1:]) for s in ((n_in, n_out), (n_out,))]
            if shapes != want:
                raise ValueError(f"member shapes {shapes} do not match sizes {self.sizes}")
        f32 = lambda arrays: [np.asarray(a, np.float32) for a in arrays]
        params = [np.concatenate(f32(w[0] for w in weights), axis=1),
                  np.concatenate(f32(w[1] for w in weights))]
        for j in range(2, 2 * (len(self.sizes) - 1)):
            params.append(np.stack(f32(w[j] for w in weights)))
        return params

    def mask(self):
        """[K, 1, 1] float32: 1 where the member uses ReLU."""
        return np.array([a == "relu" for a in self.acts], np.float32).reshape(self.K, 1, 1)

    def member_params(self, params, k):
        """Plain per-member list [W1, b1, W2, b2, ...] (numpy) of member k."""
        H = self.H
        P = [np.asarray(p) for p in params]
        out = [P[0][:, k * H:(k + 1) * H], P[1][k * H:(k + 1) * H]]
        for l in range(2, len(P), 2):
            out += [P[l][k], P[l + 1][k]]
        return out


# ---------------------------------------------------------------- forward / backward
def _act(z, mode, mask):
    if mode == "sigmoid":
        return ops.sigmoid(z)
    if mode == "relu":
        return ops.relu(z)
    return mask * ops.relu(z) + (1.0 - mask) * ops.sigmoid(z)


def _act_grad(z, a, mode, mask):
    """f'(z), reusing a = f(z): sigmoid' = a(1-a), relu' = [z > 0]."""
    if mode == "sigmoid":
        return a * (1.0 - a)
    step = ops.cast(ops.greater(z, 0.0), z.dtype)
    if mode == "relu":
        return step
    s = ops.sigmoid(z)
    return mask * step + (1.0 - mask) * s * (1.0 - s)


def forward(stack, params, x, mask=None):
    """Logits [K, B, 10] and the per-layer (z, a) cache; x is [B, 784]."""
    K, H = stack.K, stack.H
    B = ops.shape(x)[0]
    z = ops.matmul(x, params[0]) + params[1]                       # [B, K*H], one matmul
    z = ops.transpose(ops.reshape(z, (B, K, H)), (1, 0, 2))        # [K, B, H]
    a = _act(z, stack.mode, mask)
    cache = [(z, a)]
    for l in range(2, len(params) - 2, 2):                          # hidden layers 2..L
        z = ops.matmul(a, params[l]) + ops.expand_dims(params[l + 1], 1)
        a = _act(z, stack.mode, mask)
        cache.append((z, a))
    logits = ops.matmul(a, params[-2]) + ops.expand_dims(params[-1], 1)   # [K, B, 10]
    return logits, cache


def backward(stack, params, x, y, loss_scale, mask=None):
    """Hand-written backprop of the data term.

    y: [B, 10] one-hot (shared by all members).  Returns (grads, delta_norm_inputs):
    grads in the layout of params (dC/dW, dC/db, data term only, no weight decay).
    """
    K, H = stack.K, stack.H
    B = ops.shape(x)[0]
    logits, cache = forward(stack, params, x, mask)
    delta = (ops.sigmoid(logits) - ops.expand_dims(y, 0)) * loss_scale   # dC/dz_out
    grads = [None] * len(params)
    n = len(params)
    a_prev = cache[-1][1]
    grads[n - 2] = ops.matmul(ops.transpose(a_prev, (0, 2, 1)), delta)   # [K, H, 10]
    grads[n - 1] = ops.sum(delta, axis=1)
    for i in range(len(cache) - 1, -1, -1):                  # hidden layer i+1, right to left
        W_next = params[2 * i + 2]
        da = ops.matmul(delta, ops.transpose(W_next, (0, 2, 1)))            # [K, B, H]
        z, a = cache[i]
        delta = da * _act_grad(z, a, stack.mode, mask)
        if i > 0:
            a_prev = cache[i - 1][1]
            grads[2 * i] = ops.matmul(ops.transpose(a_prev, (0, 2, 1)), delta)
            grads[2 * i + 1] = ops.sum(delta, axis=1)
        else:
            d1 = ops.reshape(ops.transpose(delta, (1, 0, 2)), (B, K * H))   # [B, K*H]
            grads[0] = ops.matmul(ops.transpose(x), d1)                      # [784, K*H]
            grads[1] = ops.sum(d1, axis=0)
    return grads, logits


def data_loss(logits, y, loss_scale):
    """Per-member data term: loss_scale * sum of sigmoid cross-entropies.  [K]"""
    y = ops.expand_dims(y, 0)
    # CE(sigmoid(z), y) = softplus(z) - y z, computed stably
    ce = ops.relu(logits) - logits * y + ops.log1p(ops.exp(-ops.abs(logits)))
    return ops.sum(ce, axis=(1, 2)) * loss_scale


# ---------------------------------------------------------------- compiled routines
class Trainer:
    """Compiled epoch, evaluation and gradient-norm functions for one Stack."""

    def __init__(self, stack, lr, weight_decay, loss_scale, batch_size):
        self.stack = stack
        self.lr = float(lr)
        self.decay = float(1.0 - lr * weight_decay)
        self.loss_scale = float(loss_scale)
        self.B = int(batch_size)
        self._mask = ops.convert_to_tensor(stack.mask()) if stack.mode == "mixed" else None
        self._epoch = compile_fn(self._epoch_impl, donate=(0,))
        self._predict = compile_fn(self._predict_impl)
        self._gradstats = {}

    # params travel as a tuple of tensors
    def _epoch_impl(self, params, X, Y, idx):
        stack, lr, decay, ls, mask = self.stack, self.lr, self.decay, self.loss_scale, self._mask
        steps = ops.shape(idx)[0]

        def body(i, p):
            rows = idx[i]
            x = ops.take(X, rows, axis=0)
            y = ops.take(Y, rows, axis=0)
            g, _ = backward(stack, list(p), x, y, ls, mask)
            new = []
            for j, (w, gw) in enumerate(zip(p, g)):
                if j % 2 == 0:                          # weights: decay + gradient step
                    new.append(w * decay - lr * gw)
                else:                                   # biases: no regularisation
                    new.append(w - lr * gw)
            return tuple(new)

        return ops.fori_loop(0, steps, body, tuple(params))

    def _predict_impl(self, params, X):
        logits, _ = forward(self.stack, list(params), X, self._mask)
        return ops.argmax(logits, axis=-1)                       # [K, n]

    def _gradstats_impl(self, params, X, Y, loss_scale):
        g, logits = backward(self.stack, list(params), X, Y, loss_scale, self._mask)
        K, H = self.stack.K, self.stack.H
        gb = [ops.reshape(g[1], (K, H))] + [g[j] for j in range(3, len(g) - 2, 2)]
        gw = [ops.reshape(ops.transpose(ops.reshape(g[0], (-1, K, H)), (1, 0, 2)), (K, -1))]
        gw += [ops.reshape(g[j], (K, -1)) for j in range(2, len(g) - 2, 2)]
        nb = ops.stack([ops.sqrt(ops.sum(v * v, axis=1)) for v in gb], axis=1)   # [K, L]
        nw = ops.stack([ops.sqrt(ops.sum(v * v, axis=1)) for v in gw], axis=1)   # [K, L]
        loss = data_loss(logits, Y, loss_scale)
        pred = ops.argmax(logits, axis=-1)
        return nb, nw, loss, pred

    def _fullbatch_impl(self, params, X, Y, steps_like):
        """``len(steps_like)`` full-batch gradient steps on (X, Y).

        Also returns ||dC/db_l|| of every hidden layer before each step: [steps, K, L]
        (with a full batch, the gradient used by step j is the gradient after j steps).
        """
        stack, lr, decay, ls, mask = self.stack, self.lr, self.decay, self.loss_scale, self._mask
        K, H, L = stack.K, stack.H, stack.L
        steps = ops.shape(steps_like)[0]

        def body(i, carry):
            p, buf = carry
            g, _ = backward(stack, list(p), X, Y, ls, mask)
            gb = [ops.reshape(g[1], (K, H))] + [g[j] for j in range(3, len(g) - 2, 2)]
            nb = ops.stack([ops.sqrt(ops.sum(v * v, axis=1)) for v in gb], axis=1)   # [K, L]
            hot = ops.cast(ops.equal(ops.arange(steps), i), nb.dtype)
            buf = buf + ops.reshape(hot, (-1, 1, 1)) * ops.expand_dims(nb, 0)
            new = tuple(w * decay - lr * gw if j % 2 == 0 else w - lr * gw
                        for j, (w, gw) in enumerate(zip(p, g)))
            return new, buf

        buf0 = ops.zeros((steps, K, L), dtype="float32")
        return ops.fori_loop(0, steps, body, (tuple(params), buf0))

    def fullbatch(self, params, X, Y, steps):
        if not hasattr(self, "_fb"):
            self._fb = compile_fn(self._fullbatch_impl)
        params, buf = self._fb(params, X, Y, ops.zeros((steps,), dtype="int32"))
        return params, np.asarray(ops.convert_to_numpy(buf), np.float64)

    # numpy in, numpy out
    def to_device(self, params):
        return tuple(ops.convert_to_tensor(p) for p in params)

    def to_numpy(self, params):
        return [np.array(ops.convert_to_numpy(p)) for p in params]

    def epoch(self, params, X, Y, order):
        """One pass over ``order`` (int32 [steps*B]) in mini-batches of B; returns new params."""
        steps = len(order) // self.B
        idx = ops.convert_to_tensor(np.asarray(order[:steps * self.B], np.int32).reshape(steps, self.B))
        return self._epoch(params, X, Y, idx)

    def accuracy(self, params, X, labels, chunk=10_000):
        """Fraction correct per member, [K] float64."""
        correct = np.zeros(self.stack.K)
        for s in range(0, len(labels), chunk):
            pred = ops.convert_to_numpy(self._predict(params, X[s:s + chunk]))
            correct += (pred == labels[None, s:s + chunk]).sum(axis=1)
        return correct / len(labels)

    def gradstats(self, params, X, Y, labels, loss_scale=None):
        """Per-member ||dC/db_l||, ||dC/dW_l|| (hidden layers), data loss and accuracy.

        loss_scale: C = loss_scale * sum of the cross-entropies over (X, Y) and the 10 units
        (default: the training loss scale).
        """
        ls = self.loss_scale if loss_scale is None else float(loss_scale)
        if ls not in self._gradstats:
            self._gradstats[ls] = compile_fn(lambda p, x, y: self._gradstats_impl(p, x, y, ls))
        nb, nw, loss, pred = self._gradstats[ls](params, X, Y)
        acc = (ops.convert_to_numpy(pred) == labels[None]).mean(axis=1)
        return (np.asarray(ops.convert_to_numpy(nb), np.float64),
                np.asarray(ops.convert_to_numpy(nw), np.float64),
                np.asarray(ops.convert_to_numpy(loss), np.float64), acc)


_TRAINERS = {}


def get_trainer(sizes, acts, lr, weight_decay, loss_scale, batch_size):
    """A cached Trainer (compiled functions are reused across runs in one process)."""
    key = (tuple(sizes), tuple(acts), float(lr), float(weight_decay), float(loss_scale),
           int(batch_size), backend())
    if key not in _TRAINERS:
        _TRAINERS[key] = Trainer(Stack(sizes, acts), lr, weight_decay, loss_scale, batch_size)
    return _TRAINERS[key]


def check_gradients(seed=0, verbose=True):
    """Max relative difference between hand-written and automatic gradients (TF tape)."""
    import tensorflow as tf
    rng = np.random.default_rng(seed)
    stack = Stack([784, 7, 7, 7, 10], ["sigmoid", "relu", "relu"])
    params = stack.init([np.random.default_rng(seed + k) for k in range(stack.K)],
                        lambda act, n: (2.0 / n) ** 0.5 if act == "relu" else n ** -0.5)
    x = rng.random((5, 784), dtype=np.float32)
    y = one_hot(rng.integers(0, 10, 5))
    mask = stack.mask()
    grads, _ = backward(stack, params, x, y, 0.02, mask)
    grads = [np.asarray(ops.convert_to_numpy(g)) for g in grads]
    # Automatic differentiation: each member as an ordinary dense net.
    worst = 0.0
    for k in range(stack.K):
        mp = [tf.Variable(p) for p in stack.member_params(params, k)]
        with tf.GradientTape() as tape:
            a = tf.constant(x)
            for l in range(0, len(mp) - 2, 2):
                z = a @ mp[l] + mp[l + 1]
                a = tf.nn.relu(z) if stack.acts[k] == "relu" else tf.sigmoid(z)
            logits = a @ mp[-2] + mp[-1]
            loss = 0.02 * tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
        auto = [g.numpy() for g in tape.gradient(loss, mp)]
        mine = stack.member_params(grads, k)
        for m, t in zip(mine, auto):
            worst = max(worst, float(np.abs(m - t).max() / (np.abs(t).max() + 1e-12)))
    if verbose:
        print(f"max relative gradient difference, hand-written vs GradientTape: {worst:.2e}")
    return worst


if __name__ == "__main__":
    check_gradients()
