"""A deep sigmoid net that stalls without batch normalization and trains with it (the sweep).

Trains the Keras reference ``bn_deep_sigmoid.py`` for every seed of both configurations
('plain', 'bn') side by side with the shared engine (snippets/engine/bn.py): the same
784-(100 x 10)-10 sigmoid net, initial weights taken from ``reference.build_model(seed)``, the
same mini-batch order, validation and test accuracy after every block of 416 steps (half an
epoch), the block's mean training loss and accuracy, and the norm of dC/dW of every layer on
the first 1,000 training images at step 0 and after every block (training mode, as SGD sees
it; the BN moving averages are not updated).  Records the steps to fixed accuracies.
``equivalence(case)`` checks that engine and reference agree step for step.

Costs: 2 configurations x 5 seeds x 10 epochs, about 5 minutes on 2 shared CPU cores with the JAX
backend (10 minutes for the committed record, on cores shared with many other jobs) (``python -m buildbook run bn_deep_sigmoid --backend jax``).
"""
from __future__ import annotations

import numpy as np
from keras import ops

from snippets.engine import bn as bs
from snippets.engine import common as sm

from . import bn_deep_sigmoid as reference

NAME = "bn_deep_sigmoid"
TITLE = "A 10-hidden-layer sigmoid net, with and without batch normalization"
DEPTH = reference.DEPTH
SIZES = [784] + [reference.UNITS] * DEPTH + [10]
LR, BATCH, EPOCHS = reference.LR, reference.BATCH, reference.EPOCHS
MOMENTUM, EPSILON = reference.MOMENTUM, reference.EPSILON
TARGETS = (0.5, 0.9, 0.95)
GRAD_SUBSET = reference.GRAD_SUBSET     # gradient norms on the first 1,000 training images
CONFIGS = {"plain": False, "bn": True}          # config -> BN before every sigmoid
assert reference.ORDER_SEED == bs.ORDER_SEED

# Engine == reference: 100 SGD steps (2 epochs of 3,000 images, 4 blocks of 25 steps).
EQUIVALENCE = [
    {"config": "plain", "seed": 1, "epochs": 2, "train_size": 3000, "eval_size": 1000},
    {"config": "bn", "seed": 2, "epochs": 2, "train_size": 3000, "eval_size": 1000},
]


def settings(epochs, train_size, eval_size):
    n = train_size or 50000
    half = max(1, n // BATCH // 2)
    return {"sizes": SIZES, "hidden_layers": DEPTH, "activation": "sigmoid",
            "init": "W ~ N(0, 1/fan_in) (Keras VarianceScaling, untruncated normal, "
                    "keras.utils.set_random_seed(seed)); biases 0",
            "learning_rate": LR, "optimizer": "plain SGD",
            "batch_size": BATCH, "epochs": epochs, "steps_per_epoch": n // BATCH,
            "eval_every_steps": half, "steps": 2 * epochs * half,
            "bn_momentum": MOMENTUM, "bn_epsilon": EPSILON,
            "bn": "before every sigmoid, not on the logits (configuration 'bn')",
            "loss": "softmax cross-entropy, mean over the batch",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": n, "eval_size": eval_size or 10000, "targets": list(TARGETS),
            "minibatch_order": f"shared: permutation from numpy default_rng([{bs.ORDER_SEED}, epoch])",
            "grad_norm": f"||dC/dW_l|| of every weight layer (10 hidden + output), C = mean "
                         f"cross-entropy on the first {min(GRAD_SUBSET, n)} training images, training "
                         "mode (BN: statistics of those images), at step 0 and after every block"}


class GradGroup(bs.Group):
    """``bs.Group`` that also records ||dC/dW_l|| of every weight layer at every evaluation,
    on the first GRAD_SUBSET training images (training mode; the BN state is not updated)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._norms = sm.compile_fn(self._norms_impl)
        g = min(GRAD_SUBSET, self.data["n_train"])
        self.xg, self.yg = self.data["X"][:g], self.data["Y"][:g]

    def _norms_impl(self, p, st, x, y):
        net = self.net
        _, _, g, _ = net.loss_and_grads(p, st, x, y)                # dC/dW, C = mean CE on x
        w0 = ops.reshape(g["W0"], (net.sizes[0], net.K, net.sizes[1]))   # member k: columns k
        norms = [ops.sqrt(ops.sum(ops.square(w0), axis=(0, 2)))]
        norms += [ops.sqrt(ops.sum(ops.square(g[f"W{l}"]), axis=(1, 2))) for l in range(1, net.n)]
        return ops.stack(norms, axis=1)                               # [K, layers]

    def fingerprint(self):
        return {**super().fingerprint(), "grad_subset": int(ops.shape(self.xg)[0])}

    def _measure(self, p, st, hist, loss=None, acc=None, last=False):
        super()._measure(p, st, hist, loss, acc, last)
        norms = self._norms(p, st, self.xg, self.yg)
        hist.setdefault("grad_norm_w", []).append(np.asarray(ops.convert_to_numpy(norms), np.float64).tolist())

    def results(self, state):
        out = super().results(state)
        gn = np.asarray(state["hist"]["grad_norm_w"], np.float64)     # [evals, K, layers]
        for k, r in enumerate(out):
            r["curves"]["grad_norm_w"] = gn[:, k].tolist()
            r["metrics"]["init_grad_norm_w"] = gn[0, k].tolist()
            r["metrics"]["final_grad_norm_w"] = gn[-1, k].tolist()
        return out


def group(config, seeds, epochs, data):
    """The engine's unit of work: one configuration, all seeds, blocks of half an epoch."""
    bn = CONFIGS[config]
    half = max(1, data["n_train"] // BATCH // 2)
    net = bs.Net(SIZES, "sigmoid", len(seeds), bn=bn, momentum=MOMENTUM, eps=EPSILON)
    return GradGroup(NAME, config, seeds, net, LR, BATCH, [half] * (2 * epochs), None, data,
                    targets=TARGETS,
                    initial_weights=lambda s: reference.build_model(s, bn=bn).get_weights())


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = bs.load_data(train_size, eval_size)
    groups = [group(config, seeds, epochs, data) for config in CONFIGS]
    by = drive(groups)
    configs = {g.key: {"settings": {"bn": CONFIGS[g.key], "epochs": epochs},
                       "per_seed": by[g.key]} for g in groups}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def equivalence(case):
    """(reference, engine): the reference's train() and the engine's Group, one seed."""
    config, seed, epochs = case["config"], case["seed"], case["epochs"]
    n, m = case["train_size"], case["eval_size"]
    model, h = reference.train(seed, epochs, n, m, bn=CONFIGS[config])
    ref = {"steps": h["step"][-1], "weights": model.get_weights(),
           **{k: h[k] for k in ("val_acc", "test_acc", "train_loss", "train_acc", "grad_norm_w")}}
    g = group(config, [seed], epochs, bs.load_data(n, m))
    return ref, g.member_history(g.train_all())
