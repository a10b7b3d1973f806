"""K small MLPs, with or without batch normalization, trained side by side as one stacked model.

Used by the trained experiments of the batch-norm chapter (batch_norm/*_sweep.py).  Shows
nothing on its own; ``python -m snippets.engine.bn`` checks the hand-written gradients against
tf.GradientTape on a tiny model.  CPU, ~5 s.

Stable API for the sweeps (names and signatures fixed):
    stack_keras_weights(net, weights) -> (params, state)
        weights: one Keras ``model.get_weights()`` list per member (len == net.K), for the
        net Dense[-> BatchNormalization] -> f -> ... (BN layers: gamma, beta, moving_mean,
        moving_variance; a Dense followed by BN has no bias).  Returns the stacked numpy
        layout used below.  Also ``Net.from_keras(weights)``.
    member_keras_weights(net, params, state, k) -> list
        the inverse for member k (Keras get_weights() order), e.g. for equivalence checks.
    Group(..., initial_weights=None)
        initial_weights: a callable seed -> Keras get_weights() list (e.g.
        ``lambda s: reference.build_model(s, **cfg).get_weights()``), or a list of such lists
        (one per seed); None keeps the engine's own draw.  ``Group.member_weights(state, k)``
        gives member k's current weights in Keras order.
    Group.train_all() -> state;  Group.member_history(state, k=0) -> dict
        train without checkpoints, then member k's measurements (numpy), ``weights`` (Keras
        order) and ``steps``: the engine side of a sweep's ``equivalence(case)``.
Keras conventions matched: moving = m * moving + (1 - m) * batch stat, biased batch variance
in training (also for the moving variance), epsilon 1e-3 by default.

As in engine/stacked.py (chain-rule chapter), the K "members" are different seeds of one
configuration: they share every mini-batch, but start from their own random weights.  The
first layer of all members is one matrix product x @ W1 with W1 [784, K*H1]; deeper layers
are batched products over the member axis k.  Forward AND backward, batch normalization
included, are written by hand with ``keras.ops`` (TensorFlow or JAX backend), and a block
of SGD steps is one compiled loop.

Math for member k, layer l = 1..L+1 (L hidden layers, f the activation):
    z_l = a_{l-1} W_l                                     (no bias when BN follows)
    BN, training mode, per unit over the B examples of the batch:
        mu = mean_B z,  var = mean_B (z - mu)^2,  zhat = (z - mu) / sqrt(var + eps)
        y_l = gamma * zhat + beta
        moving_mean <- m * moving_mean + (1 - m) * mu    (same for var; Keras's convention)
    BN, inference mode: zhat = (z - moving_mean) / sqrt(moving_var + eps)
    without BN: y_l = z_l + b_l
    a_l = f(y_l) for hidden layers;  logits = y_{L+1};  C = mean_B softmax-CE(logits, label)
Backward (right to left; delta = dC/dy):
    delta_{L+1} = (softmax(logits) - onehot) / B
    BN:  dgamma = sum_B delta * zhat,  dbeta = sum_B delta,  g = gamma * delta
         dC/dz  = (g - mean_B g - zhat * mean_B(g * zhat)) / sqrt(var + eps)
    dC/dW_l = a_{l-1}^T dC/dz_l,   delta_{l-1} = (dC/dz_l W_l^T) * f'(y_{l-1})
"""
from __future__ import annotations

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

from . import common as sm  # noqa: E402  (compile_fn, one_hot, mean_std)
from . import mnist  # noqa: E402

ORDER_SEED = 2017           # mini-batch order: permutation from numpy default_rng([ORDER_SEED, epoch])
LOSS_CAP = 1e3              # a diverged run's loss is recorded as this (records hold no NaN/inf)


# ---------------------------------------------------------------- activations
def act(y, name):
    if name == "sigmoid":
        return ops.sigmoid(y)
    if name == "relu":
        return ops.relu(y)
    if name == "elu":                           # y > 0: y;  else e^y - 1
        return ops.where(y > 0, y, ops.exp(ops.minimum(y, 0.0)) - 1.0)
    raise ValueError(f"unknown activation {name!r}")


def act_grad(y, a, name):
    """f'(y), reusing a = f(y): sigmoid a(1-a); relu [y>0]; elu 1 or a+1 (= e^y)."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "relu":
        return ops.cast(y > 0, y.dtype)
    return ops.where(y > 0, 1.0, a + 1.0)


def init_std(name, fan_in):
    """He N(0, 2/fan_in) for relu/elu; N(0, 1/fan_in) for sigmoid."""
    return (2.0 / fan_in) ** 0.5 if name in ("relu", "elu") else fan_in ** -0.5


# ---------------------------------------------------------------- the stacked net
class Net:
    """K members with layer sizes ``sizes`` = [784, H1, ..., HL, 10].

    bn: BN on every hidden layer (before the activation); bn_logits: also on the output layer.
    Parameters (a dict of tensors): W0 [784, K*H1], W{l} [K, n_in, n_out] for l >= 1; per layer
    either g{l}, be{l} (gamma, beta) with BN, or b{l} without.  BN state: m{l}, v{l}.
    """

    def __init__(self, sizes, activation, K, bn, bn_logits=False, eps=1e-3, momentum=0.99,
                 init=None):
        self.sizes, self.activation, self.K = list(sizes), activation, int(K)
        self.n = len(sizes) - 1                          # weight layers
        self.bn_at = [bool(bn)] * (self.n - 1) + [bool(bn and bn_logits)]
        self.eps, self.momentum = float(eps), float(momentum)
        self.init = init or init_std

    def keys(self):
        """Sorted parameter names and BN-state names."""
        kp, ks = [], []
        for l in range(self.n):
            kp.append(f"W{l}")
            if self.bn_at[l]:
                kp += [f"g{l}", f"be{l}"]
                ks += [f"m{l}", f"v{l}"]
            else:
                kp.append(f"b{l}")
        return sorted(kp), sorted(ks)

    # ---- parameters (numpy)
    def init_params(self, rngs):
        """Weights W ~ N(0, init(activation, fan_in)^2) per member (one Generator each);
        biases and beta 0, gamma 1, moving mean 0, moving variance 1 (as Keras)."""
        K, s = self.K, self.sizes
        p, st = {}, {}
        for l in range(self.n):
            ws = [rng.standard_normal((s[l], s[l + 1])) * self.init(self.activation, s[l])
                  for rng in rngs]
            if l == 0:
                p["W0"] = np.concatenate(ws, axis=1).astype(np.float32)
            else:
                p[f"W{l}"] = np.stack(ws).astype(np.float32)
            if self.bn_at[l]:
                p[f"g{l}"] = np.ones((K, s[l + 1]), np.float32)
                p[f"be{l}"] = np.zeros((K, s[l + 1]), np.float32)
                st[f"m{l}"] = np.zeros((K, s[l + 1]), np.float32)
                st[f"v{l}"] = np.ones((K, s[l + 1]), np.float32)
            else:
                p[f"b{l}"] = np.zeros((K, s[l + 1]), np.float32)
        return p, st

    def from_keras(self, weights):
        """Stacked (params, BN state) from one Keras ``get_weights()`` list per member.

        See :func:`stack_keras_weights`."""
        return stack_keras_weights(self, weights)

    def member(self, p, k):
        """Member k's parameters as plain per-layer arrays (numpy): {'W0': [784, H1], ...}."""
        H1 = self.sizes[1]
        out = {}
        for key, v in p.items():
            v = np.asarray(v)
            out[key] = v[:, k * H1:(k + 1) * H1] if key == "W0" else v[k]
        return out

    # ---- forward
    def forward(self, p, st, x, train=True):
        """Logits [K, B, 10], the cache for backward, and the batch statistics."""
        K = self.K
        B = ops.shape(x)[0]
        cache, stats = [], {}
        a = None
        for l in range(self.n):
            if l == 0:
                z = ops.matmul(x, p["W0"])                                   # [B, K*H1]
                z = ops.transpose(ops.reshape(z, (B, K, self.sizes[1])), (1, 0, 2))
            else:
                z = ops.matmul(a, p[f"W{l}"])                                # [K, B, n]
            if self.bn_at[l]:
                if train:
                    mu = ops.mean(z, axis=1, keepdims=True)
                    var = ops.mean(ops.square(z - mu), axis=1, keepdims=True)
                    stats[l] = (mu[:, 0], var[:, 0])
                else:
                    mu = ops.expand_dims(st[f"m{l}"], 1)
                    var = ops.expand_dims(st[f"v{l}"], 1)
                inv = 1.0 / ops.sqrt(var + self.eps)
                zhat = (z - mu) * inv
                y = ops.expand_dims(p[f"g{l}"], 1) * zhat + ops.expand_dims(p[f"be{l}"], 1)
            else:
                inv = zhat = None
                y = z + ops.expand_dims(p[f"b{l}"], 1)
            a_prev = a
            a = act(y, self.activation) if l < self.n - 1 else None
            cache.append((a_prev, zhat, inv, y, a))
        return y, cache, stats

    # ---- backward
    def backward(self, p, x, cache, delta):
        """Gradients (dict like p) from delta = dC/dlogits [K, B, 10]."""
        K = self.K
        B = ops.shape(x)[0]
        g = {}
        for l in range(self.n - 1, -1, -1):
            a_prev, zhat, inv, y, _ = cache[l]
            if self.bn_at[l]:
                g[f"g{l}"] = ops.sum(delta * zhat, axis=1)
                g[f"be{l}"] = ops.sum(delta, axis=1)
                gz = delta * ops.expand_dims(p[f"g{l}"], 1)
                dz = inv * (gz - ops.mean(gz, axis=1, keepdims=True)
                            - zhat * ops.mean(gz * zhat, axis=1, keepdims=True))
            else:
                g[f"b{l}"] = ops.sum(delta, axis=1)
                dz = delta
            if l == 0:
                d1 = ops.reshape(ops.transpose(dz, (1, 0, 2)), (B, K * self.sizes[1]))
                g["W0"] = ops.matmul(ops.transpose(x), d1)
            else:
                g[f"W{l}"] = ops.matmul(ops.transpose(a_prev, (0, 2, 1)), dz)
                da = ops.matmul(dz, ops.transpose(p[f"W{l}"], (0, 2, 1)))
                _, _, _, y_prev, a_prev_act = cache[l - 1]
                delta = da * act_grad(y_prev, a_prev_act, self.activation)
        return g

    def loss_and_grads(self, p, st, x, y1h):
        """Per-member mean cross-entropy [K], correct count [K], grads, new BN state."""
        logits, cache, stats = self.forward(p, st, x, train=True)
        B = ops.shape(x)[0]
        logp = ops.log_softmax(logits, axis=-1)
        Y = ops.expand_dims(y1h, 0)
        loss = -ops.sum(logp * Y, axis=(1, 2)) / ops.cast(B, logits.dtype)
        correct = ops.sum(ops.cast(ops.argmax(logits, -1) == ops.expand_dims(ops.argmax(y1h, -1), 0),
                                   "float32"), axis=1)
        delta = (ops.exp(logp) - Y) / ops.cast(B, logits.dtype)
        grads = self.backward(p, x, cache, delta)
        m = self.momentum
        new_st = {}
        for l, (mu, var) in stats.items():
            new_st[f"m{l}"] = m * st[f"m{l}"] + (1.0 - m) * mu
            new_st[f"v{l}"] = m * st[f"v{l}"] + (1.0 - m) * var
        return loss, correct, grads, new_st


# ---------------------------------------------------------------- Keras weights <-> stacked layout
def stack_keras_weights(net, weights):
    """Convert Keras ``model.get_weights()`` lists (one per member, len == net.K) to the
    engine's stacked layout: returns ``(params, state)``, two dicts of float32 numpy arrays.

    Each list is in Keras layer order for the net ``Dense -> [BatchNormalization] -> f -> ...``:
    per weight layer l = 0..net.n-1 either
        kernel [n_in, n_out], bias [n_out]                                  (no BN at l), or
        kernel [n_in, n_out], gamma, beta, moving_mean, moving_variance     (BN at l, Dense
                                                                             without bias).
    This covers a Net with or without BN, with or without BN on the logits (net.bn_at).
    Layout: W0 [784, K*H1] (members side by side), W{l} [K, n_in, n_out] for l >= 1,
    b{l}/g{l}/be{l} [K, n_out] in params; m{l}/v{l} [K, n_out] in state.
    A list that does not fit the net (wrong count, a kernel of the wrong shape where one is
    expected, arrays left over) raises ValueError; one cut short raises IndexError.
    """
    if len(weights) != net.K:
        raise ValueError(f"{len(weights)} weight lists for {net.K} members")
    per = [_split_keras(net, list(w)) for w in weights]
    p, st = {}, {}
    for key in per[0][0]:
        arrs = [np.asarray(m[0][key], np.float32) for m in per]
        p[key] = np.concatenate(arrs, axis=1) if key == "W0" else np.stack(arrs)
    for key in per[0][1]:
        st[key] = np.stack([np.asarray(m[1][key], np.float32) for m in per])
    return p, st


def _split_keras(net, w):
    """One member's Keras weight list -> ({'W0': ..., 'b0' | 'g0','be0': ...}, {'m0','v0'})."""
    p, st, i = {}, {}, 0
    for l in range(net.n):
        shape = (net.sizes[l], net.sizes[l + 1])
        if i >= len(w) or tuple(np.shape(w[i])) != shape:
            raise ValueError(f"layer {l}: expected a kernel {shape} at position {i}, "
                             f"got {None if i >= len(w) else np.shape(w[i])}")
        p[f"W{l}"] = w[i]
        if net.bn_at[l]:
            p[f"g{l}"], p[f"be{l}"], st[f"m{l}"], st[f"v{l}"] = w[i + 1:i + 5]
            i += 5
        else:
            p[f"b{l}"] = w[i + 1]
            i += 2
    if i != len(w):
        raise ValueError(f"{len(w) - i} Keras weight arrays left over")
    return p, st


def member_keras_weights(net, p, st, k):
    """Inverse of :func:`stack_keras_weights` for member k: its Keras ``get_weights()`` list."""
    mp, ms = net.member(p, k), net.member(st, k)
    out = []
    for l in range(net.n):
        out.append(mp[f"W{l}"])
        if net.bn_at[l]:
            out += [mp[f"g{l}"], mp[f"be{l}"], ms[f"m{l}"], ms[f"v{l}"]]
        else:
            out.append(mp[f"b{l}"])
    return [np.asarray(a, np.float32) for a in out]


_COMPILED = {}


class Trainer:
    """Compiled SGD blocks and inference for one Net at learning rate ``lr``.

    Nets of the same shape share their compiled functions (the learning rate is an argument),
    so a sweep over learning rates compiles once per shape."""

    def __init__(self, net, lr):
        self.net, self.lr = net, float(lr)
        key = (tuple(net.sizes), net.activation, net.K, tuple(net.bn_at), net.eps, net.momentum,
               sm.backend())
        if key not in _COMPILED:
            _COMPILED[key] = (sm.compile_fn(self._steps_impl), sm.compile_fn(self._predict_impl))
        self._steps, self._predict = _COMPILED[key]
        self._probe = None
        self.probe_layer = self.probe_unit = None

    def _steps_impl(self, p, st, X, Y, idx, lr):
        net = self.net
        K = net.K
        steps = ops.shape(idx)[0]

        def body(i, carry):
            p, st, lsum, csum = carry
            rows = idx[i]
            x = ops.take(X, rows, axis=0)
            y = ops.take(Y, rows, axis=0)
            loss, correct, g, new_st = net.loss_and_grads(p, st, x, y)
            p = {k: v - lr * g[k] for k, v in p.items()}
            return p, new_st, lsum + loss, csum + correct

        zero = ops.zeros((K,), "float32")
        return ops.fori_loop(0, steps, body, (p, st, zero, zero))

    def _predict_impl(self, p, st, X):
        logits, _, _ = self.net.forward(p, st, X, train=False)
        return ops.argmax(logits, axis=-1)

    def _probe_impl(self, p, st, X):
        """Input of the activation (y) of one unit of one hidden layer, inference mode: [K, n]."""
        _, cache, _ = self.net.forward(p, st, X, train=False)
        return cache[self.probe_layer][3][:, :, self.probe_unit]

    # numpy <-> device
    @staticmethod
    def to_device(d):
        return {k: ops.convert_to_tensor(v) for k, v in d.items()}

    @staticmethod
    def to_numpy(d):
        return {k: np.array(ops.convert_to_numpy(v)) for k, v in d.items()}

    def steps(self, p, st, X, Y, idx):
        """SGD on the mini-batches idx [steps, B]; returns p, st, mean loss [K], accuracy [K]."""
        n = len(idx)
        p, st, lsum, csum = self._steps(p, st, X, Y, ops.convert_to_tensor(idx.astype(np.int32)),
                                        ops.convert_to_tensor(np.float32(self.lr)))
        loss = np.asarray(ops.convert_to_numpy(lsum), np.float64) / n
        acc = np.asarray(ops.convert_to_numpy(csum), np.float64) / (n * idx.shape[1])
        loss = np.where(np.isfinite(loss), np.minimum(loss, LOSS_CAP), LOSS_CAP)
        return p, st, loss, acc

    def accuracy(self, p, st, X, labels, chunk=10_000):
        correct = np.zeros(self.net.K)
        for s in range(0, len(labels), chunk):
            pred = ops.convert_to_numpy(self._predict(p, st, X[s:s + chunk]))
            correct += (pred == labels[None, s:s + chunk]).sum(axis=1)
        return correct / len(labels)

    def probe(self, p, st, X, layer, unit):
        if (layer, unit) != (self.probe_layer, self.probe_unit):
            self.probe_layer, self.probe_unit = layer, unit
            self._probe = sm.compile_fn(self._probe_impl)
        out = np.asarray(ops.convert_to_numpy(self._probe(p, st, X)), np.float64)
        return np.where(np.isfinite(out), out, 0.0)


def batches(n_train, batch, start_step, n_steps):
    """Row indices [n_steps, batch] of global steps start_step.. in the shared order: epoch e
    is a permutation from default_rng([ORDER_SEED, e]), cut into floor(n_train/batch) batches."""
    per_epoch = n_train // batch
    out = []
    for s in range(start_step, start_step + n_steps):
        e, j = divmod(s, per_epoch)
        if not out or e != cur:
            cur = e
            perm = np.random.default_rng([ORDER_SEED, e]).permutation(n_train)
        out.append(perm[j * batch:(j + 1) * batch])
    return np.stack(out).astype(np.int32)


def load_data(train_size=None, eval_size=None):
    (xtr, ytr), (xv, yv), (xt, yt) = mnist.load_mnist()
    n = train_size or len(xtr)
    m = eval_size or len(xv)
    return {"X": ops.convert_to_tensor(xtr[:n]), "Y": ops.convert_to_tensor(sm.one_hot(ytr[:n])),
            "xv": xv[:m], "yv": yv[:m], "xt": xt[:m], "yt": yt[:m], "n_train": n, "n_eval": m}


# ---------------------------------------------------------------- one configuration x seeds
class Group:
    """One configuration, all seeds, as a unit of work for the runner's drive (buildbook.checkpoint).

    Trains ``blocks`` blocks of ``block_steps`` SGD steps (or blocks of the lengths listed in
    ``block_steps``); after each block records validation accuracy (inference mode), test
    accuracy (after every block, or only at the end with ``test_every_block=False``) and the
    block's mean training loss and accuracy.
    ``probe``: (layer, unit, n_images) records the 15th/50th/85th percentiles of that unit's
    activation input over the first n validation images after each block (and at step 0).
    ``initial_weights``: see the module docstring (Keras get_weights() lists per seed).
    """

    def __init__(self, experiment, config, seeds, net, lr, batch, block_steps, blocks, data,
                 probe=None, targets=(), test_every_block=True, initial_weights=None):
        self.targets, self.test_every_block = tuple(targets), test_every_block
        self.initial_weights = initial_weights
        self.experiment, self.key, self.seeds = experiment, config, list(seeds)
        self.net, self.lr, self.batch = net, lr, batch
        self.schedule = [int(block_steps)] * blocks if np.ndim(block_steps) == 0 else \
            [int(b) for b in block_steps]
        self.step_at = np.concatenate([[0], np.cumsum(self.schedule)]).astype(int).tolist()
        self.epochs, self.data, self.probe_spec = len(self.schedule), data, probe
        self.members = [(config, s) for s in self.seeds]
        self.trainer = Trainer(net, lr)

    def fingerprint(self):
        d = self.data
        return {"experiment": self.experiment, "config": self.key, "seeds": self.seeds,
                "schedule": self.schedule, "lr": self.lr,
                "batch": self.batch, "train_size": d["n_train"], "eval_size": d["n_eval"],
                "backend": sm.backend(),
                **({"init": "keras"} if self.initial_weights is not None else {})}

    def _pack(self, p, st):
        kp, ks = self.net.keys()
        return [p[k] for k in kp] + [st[k] for k in ks]

    def _unpack(self, arrays):
        kp, ks = self.net.keys()
        return dict(zip(kp, arrays[:len(kp)])), dict(zip(ks, arrays[len(kp):]))

    def _measure(self, p, st, hist, loss=None, acc=None, last=False):
        tr, d = self.trainer, self.data
        hist["val_acc"].append(tr.accuracy(p, st, d["xv"], d["yv"]).tolist())
        if self.test_every_block or last:
            hist["test_acc"].append(tr.accuracy(p, st, d["xt"], d["yt"]).tolist())
        if loss is not None:
            hist["train_loss"].append(loss.tolist())
            hist["train_acc"].append(acc.tolist())
        if self.probe_spec:
            layer, unit, n = self.probe_spec
            v = tr.probe(p, st, d["xv"][:n], layer, unit)                     # [K, n]
            hist["probe"].append(np.percentile(v, [15, 50, 85], axis=1).T.tolist())   # [K, 3]

    def initial(self):
        """Initial (params, BN state), numpy: from ``initial_weights`` (Keras lists) if given,
        else the engine's own N(0, init^2) draw from default_rng([seed, 7])."""
        w = self.initial_weights
        if w is None:
            return self.net.init_params([np.random.default_rng([s, 7]) for s in self.seeds])
        lists = [w(s) for s in self.seeds] if callable(w) else list(w)
        return stack_keras_weights(self.net, lists)

    def member_weights(self, state, k):
        """Member k's weights in Keras ``get_weights()`` order, from a state of start/advance."""
        p, st = self._unpack(state["params"])
        return member_keras_weights(self.net, p, st, k)

    def member_history(self, state, k=0):
        """Member k's measurements so far as numpy arrays (val_acc, test_acc [evals], train_loss,
        train_acc [blocks], probe [evals, 3] if probed), its weights in Keras order and
        ``steps`` (SGD steps taken): the engine side of an equivalence check."""
        out = {"steps": int(self.step_at[state["epoch"]]), "weights": self.member_weights(state, k)}
        for key, v in state["hist"].items():
            if v:
                out[key] = np.asarray(v, np.float64)[:, k]
        return out

    def train_all(self):
        """start() then advance() to the last block, no checkpoints; returns the final state."""
        state = self.start()
        while state["epoch"] < self.epochs:
            state = self.advance(state)
        return state

    def start(self):
        p, st = self.initial()
        hist = {k: [] for k in ("val_acc", "test_acc", "train_loss", "train_acc", "probe")}
        self._measure(self.trainer.to_device(p), self.trainer.to_device(st), hist)
        return {"epoch": 0, "params": self._pack(p, st), "hist": hist}

    def advance(self, state):
        tr, d = self.trainer, self.data
        p, st = self._unpack(state["params"])
        p, st = tr.to_device(p), tr.to_device(st)
        e = state["epoch"]
        idx = batches(d["n_train"], self.batch, self.step_at[e], self.schedule[e])
        p, st, loss, acc = tr.steps(p, st, d["X"], d["Y"], idx)
        self._measure(p, st, state["hist"], loss, acc, last=e + 1 == self.epochs)
        return {"epoch": state["epoch"] + 1, "params": self._pack(tr.to_numpy(p), tr.to_numpy(st)),
                "hist": state["hist"]}

    def results(self, state):
        targets = self.targets
        h = state["hist"]
        val = np.asarray(h["val_acc"], np.float64)                  # [blocks+1, K]
        test = np.asarray(h["test_acc"], np.float64)
        loss = np.asarray(h["train_loss"], np.float64)              # [blocks, K]
        tacc = np.asarray(h["train_acc"], np.float64)
        steps = self.step_at
        out = []
        for k, seed in enumerate(self.seeds):
            best = int(np.argmax(val[1:, k])) + 1
            metrics = {"final_val_acc": float(val[-1, k]), "final_test_acc": float(test[-1, k]),
                       "best_val_acc": float(val[best, k]), "best_step": steps[best],
                       "final_train_loss": float(loss[-1, k]),
                       "diverged": bool(loss[-1, k] >= LOSS_CAP or not np.isfinite(loss[-1, k]))}
            for t in targets:
                hit = np.nonzero(val[:, k] >= t)[0]
                metrics[f"reached_{round(t * 100)}"] = bool(len(hit))
                metrics[f"steps_to_{round(t * 100)}"] = int(steps[hit[0]]) if len(hit) else int(steps[-1])
            if self.test_every_block:
                metrics["test_acc_at_best"] = float(test[best, k])
            curves = {"step": steps, "val_acc": val[:, k].tolist(), "test_acc": test[:, k].tolist(),
                      "train_loss": loss[:, k].tolist(), "train_acc": tacc[:, k].tolist()}
            if h["probe"]:
                curves["probe"] = np.asarray(h["probe"], np.float64)[:, k].tolist()   # [blocks+1, 3]
            out.append({"seed": seed, "metrics": metrics, "curves": curves})
        return out


def check_gradients(seed=0, verbose=True):
    """Max relative difference, hand-written stacked BN backprop vs tf.GradientTape."""
    import tensorflow as tf
    rng = np.random.default_rng(seed)
    worst = 0.0
    for activation, bn, bn_logits in (("sigmoid", True, False), ("elu", True, True),
                                      ("relu", False, False)):
        net = Net([784, 7, 6, 10], activation, K=3, bn=bn, bn_logits=bn_logits)
        p, st = net.init_params([np.random.default_rng(seed + k) for k in range(3)])
        for key in p:                           # move gamma/beta/biases off their defaults
            if key[0] != "W":
                p[key] = p[key] + rng.normal(0, 0.3, p[key].shape).astype(np.float32)
        x = rng.random((9, 784), dtype=np.float32)
        y = sm.one_hot(rng.integers(0, 10, 9))
        _, _, grads, _ = net.loss_and_grads(Trainer.to_device(p), Trainer.to_device(st),
                                            ops.convert_to_tensor(x), ops.convert_to_tensor(y))
        grads = Trainer.to_numpy(grads)
        for k in range(3):
            mp = {key: tf.Variable(v) for key, v in net.member(p, k).items()}
            with tf.GradientTape() as tape:
                a = tf.constant(x)
                for l in range(net.n):
                    z = a @ mp[f"W{l}"]
                    if net.bn_at[l]:
                        mu, var = tf.nn.moments(z, axes=[0])
                        z = mp[f"g{l}"] * (z - mu) / tf.sqrt(var + net.eps) + mp[f"be{l}"]
                    else:
                        z = z + mp[f"b{l}"]
                    if l < net.n - 1:
                        a = {"sigmoid": tf.sigmoid, "elu": tf.nn.elu, "relu": tf.nn.relu}[activation](z)
                loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z))
            auto = tape.gradient(loss, mp)
            mine = net.member(grads, k)
            for key in mp:
                t = auto[key].numpy()
                worst = max(worst, float(np.abs(mine[key] - t).max() / (np.abs(t).max() + 1e-12)))
    if verbose:
        print(f"max relative gradient difference, hand-written BN backprop vs GradientTape: {worst:.2e}")
    return worst


if __name__ == "__main__":
    check_gradients()
