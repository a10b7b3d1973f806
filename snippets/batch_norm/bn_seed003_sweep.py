"""Seed 003's batch-norm example (Hands-on ML, ch. 11), with and without BN, over several seeds.

The experiment declaration for the shared engine (snippets/engine/bn.py): the reference
``bn_seed003.py`` trains one seed of one configuration with Keras; this file trains every seed
of both configurations ('plain': no BN, biases; 'bn': BN before each ELU and on the logits) as
one stacked model per configuration, from the reference's initial weights
(``reference.build_model(seed, bn).get_weights()``) and in its mini-batch order.  Measured after
every epoch: validation and test accuracy (inference mode), the epoch's mean training loss and
accuracy; per seed also the steps to 95 % and 97 % validation accuracy.

Costs: 2 configurations x 5 seeds x 20 epochs = 200 model-epochs (about 1.6e14 floating-point
operations): 3-7 minutes on 2 shared CPU cores with the JAX backend (7.2 min for the committed
record, on a busy machine).
``equivalence(case)`` checks engine == reference for one seed (CPU, ~20 s per case).
"""
from __future__ import annotations

import numpy as np

from snippets.engine import bn as bs

from . import bn_seed003 as reference

NAME = "bn_seed003"
TITLE = "Seed 003's BN example: 784-300-100-10 ELU, with and without batch normalization"
SIZES = [784, *reference.HIDDEN, 10]
LR, BATCH, EPOCHS = reference.LR, reference.BATCH, reference.EPOCHS
MOMENTUM, EPS = reference.MOMENTUM, reference.EPSILON
TARGETS = (0.95, 0.97)
CONFIGS = {"plain": False, "bn": True}          # config -> BN on

assert reference.ORDER_SEED == bs.ORDER_SEED    # the same mini-batch order

EQUIVALENCE = [
    {"config": "bn", "seed": 0, "epochs": 5, "train_size": 2000, "eval_size": 500},
    {"config": "plain", "seed": 1, "epochs": 5, "train_size": 2000, "eval_size": 500},
]


def settings(epochs, train_size, eval_size):
    n = train_size or 50000
    return {"sizes": SIZES, "activation": "elu",
            "init": "Keras he_normal: truncated normal, variance 2/fan_in; biases 0",
            "learning_rate": LR, "optimizer": "plain SGD", "batch_size": BATCH, "epochs": epochs,
            "steps_per_epoch": n // BATCH, "bn_momentum": MOMENTUM, "bn_epsilon": EPS,
            "bn": "before each ELU and on the logits (configuration 'bn')",
            "loss": "softmax cross-entropy, mean over the batch",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": n, "eval_size": eval_size or 10000,
            "targets": list(TARGETS),
            "initial_weights": "reference bn_seed003.build_model(seed, bn)",
            "minibatch_order": f"shared: permutation from numpy default_rng([{bs.ORDER_SEED}, epoch])",
            "evaluation": "after every epoch, inference mode (BN uses its moving averages)"}


def group(config, seeds, epochs, data):
    """One configuration, all seeds, from the reference's initial weights."""
    bn = CONFIGS[config]
    net = bs.Net(SIZES, "elu", len(seeds), bn=bn, bn_logits=True, eps=EPS, momentum=MOMENTUM)
    return bs.Group(NAME, config, seeds, net, LR, BATCH, data["n_train"] // BATCH, epochs, data,
                    targets=TARGETS,
                    initial_weights=lambda s: reference.build_model(s, bn=bn).get_weights())


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = bs.load_data(train_size, eval_size)
    groups = [group(config, seeds, epochs, data) for config in CONFIGS]
    by = drive(groups)
    configs = {g.key: {"settings": {"bn": g.key == "bn", "epochs": epochs},
                       "per_seed": by[g.key]} for g in groups}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def equivalence(case):
    """(reference, engine): one seed of one configuration, trained by each side."""
    bn, seed, epochs = CONFIGS[case["config"]], case["seed"], case["epochs"]
    n, m = case["train_size"], case["eval_size"]
    model, hist = reference.train(seed, epochs, n, m, bn=bn)
    ref = {key: np.asarray(v, np.float64) for key, v in hist.items()}
    ref["steps"] = epochs * (n // BATCH)
    ref["weights"] = model.get_weights()
    g = group(case["config"], [seed], epochs, bs.load_data(n, m))
    eng = g.member_history(g.train_all(), 0)
    eng.pop("probe", None)
    return ref, eng
