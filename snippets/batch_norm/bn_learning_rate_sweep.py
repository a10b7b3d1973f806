"""Batch normalization tolerates a much larger learning rate: learning rates 0.01-3, over seeds.

The experiment declaration for the shared engine (snippets/engine/bn.py): the reference
``bn_learning_rate.py`` trains one seed at one learning rate with Keras; this file trains every
seed of each (BN or not, learning rate) configuration as one stacked model, from the
reference's initial weights (``reference.build_model(seed, bn).get_weights()``) and in its
mini-batch order.  Measured every half epoch: validation and test accuracy (inference mode),
the half epoch's mean training loss (inf/NaN recorded as 1000: diverged) and accuracy; per seed
the steps to 90 % and 95 % validation accuracy.

Costs: 6 learning rates x 2 configurations x 5 seeds x 3 epochs, about 3-4 minutes on 2 CPU
cores with the JAX backend.  ``equivalence(case)`` checks engine == reference for one seed
(CPU, ~15 s per case).
"""
from __future__ import annotations

import numpy as np

from snippets.engine import bn as bs

from . import bn_learning_rate as reference

NAME = "bn_learning_rate"
TITLE = "Learning rates 0.01-3 for a 3-hidden-layer ELU net, with and without batch normalization"
SIZES = [784, *reference.HIDDEN, 10]
LRS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
BATCH, EPOCHS = reference.BATCH, reference.EPOCHS
MOMENTUM, EPS = reference.MOMENTUM, reference.EPSILON
TARGETS = (0.9, 0.95)

assert reference.ORDER_SEED == bs.ORDER_SEED    # the same mini-batch order
assert reference.LOSS_CAP == bs.LOSS_CAP

EQUIVALENCE = [
    {"config": "plain.lr1e-01", "seed": 1, "epochs": 3, "train_size": 1200, "eval_size": 500},
    {"config": "bn.lr1e+00", "seed": 2, "epochs": 3, "train_size": 1200, "eval_size": 500},
]


def lr_key(lr):
    """Config key of a learning rate without dots: 0.03 -> 'lr3e-02'."""
    return "lr" + f"{lr:.0e}"


def settings(epochs, train_size, eval_size):
    n = train_size or 50000
    per_epoch = n // BATCH
    return {"sizes": SIZES, "activation": "elu",
            "init": "Keras he_normal: truncated normal, variance 2/fan_in; biases 0",
            "learning_rates": list(LRS), "optimizer": "plain SGD", "batch_size": BATCH,
            "epochs": epochs, "steps_per_epoch": per_epoch,
            "eval_every_steps": max(1, per_epoch // 2),
            "steps": epochs * per_epoch,
            "bn_momentum": MOMENTUM, "bn_epsilon": EPS,
            "bn": "before every ELU, not on the logits (configurations 'bn.*')",
            "loss": "softmax cross-entropy, mean over the batch",
            "diverged": f"mean training loss over the last half epoch not finite (recorded as {bs.LOSS_CAP:g})",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": n, "eval_size": eval_size or 10000, "targets": list(TARGETS),
            "initial_weights": "reference bn_learning_rate.build_model(seed, bn)",
            "minibatch_order": f"shared: permutation from numpy default_rng([{bs.ORDER_SEED}, epoch])",
            "evaluation": "after each half epoch, inference mode (BN uses its moving averages)"}


def group(config, seeds, epochs, data):
    """One configuration ('plain.lr1e-01', 'bn.lr3e+00', ...), all seeds."""
    bn = config.startswith("bn")
    lr = {lr_key(x): x for x in LRS}[config.split(".")[1]]
    per_epoch = data["n_train"] // BATCH
    half = per_epoch // 2                       # each epoch in two halves: 416 + 417 steps
    net = bs.Net(SIZES, "elu", len(seeds), bn=bn, eps=EPS, momentum=MOMENTUM)
    return bs.Group(NAME, config, seeds, net, lr, BATCH, [half, per_epoch - half] * epochs, None,
                    data, targets=TARGETS,
                    initial_weights=lambda s: reference.build_model(s, bn=bn).get_weights())


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = bs.load_data(train_size, eval_size)
    groups = [group(f"{cfg}.{lr_key(lr)}", seeds, epochs, data)
              for cfg in ("plain", "bn") for lr in LRS]
    by = drive(groups)
    configs = {g.key: {"settings": {"bn": g.key.startswith("bn"), "learning_rate": g.lr,
                                    "epochs": epochs},
                       "per_seed": by[g.key]} for g in groups}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def equivalence(case):
    """(reference, engine): one seed of one configuration, trained by each side."""
    config, seed, epochs = case["config"], case["seed"], case["epochs"]
    n, m = case["train_size"], case["eval_size"]
    g = group(config, [seed], epochs, bs.load_data(n, m))
    model, hist = reference.train(seed, epochs, n, m, lr=g.lr, bn=config.startswith("bn"))
    ref = {key: np.asarray(v, np.float64) for key, v in hist.items()}
    ref["steps"] = epochs * (n // BATCH)
    ref["weights"] = model.get_weights()
    eng = g.member_history(g.train_all(), 0)
    eng.pop("probe", None)
    eng["diverged"] = np.asarray(eng["train_loss"][-1] >= bs.LOSS_CAP, np.float64)
    return ref, eng
