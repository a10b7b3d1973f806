"""Ioffe & Szegedy's MNIST experiment, every seed at once (the sweep).

Trains the Keras reference ``bn_mnist_toy.py`` (784-100-100-100-10 sigmoid, batch 60, 50,000
steps) for every seed of both configurations ('plain', 'bn') side by side with the shared
engine (snippets/engine/bn.py): initial weights from ``reference.build_model(seed)``, the same
mini-batch order, and after steps 100, ..., 500 and then every 500 steps the validation
accuracy and the 15th/50th/85th percentiles of the probed unit's input (unit 0 of hidden
layer 3, first 1,000 validation images, inference mode); test accuracy at the end.
Derived here: steps to fixed accuracies, how many times fewer steps BN needs (paired by seed),
and how steady the probed input is from step 100 on (largest / smallest width of its
15th-85th percentile band, largest |median|).  ``equivalence(case)`` checks that engine and
reference agree step for step.

Costs: 2 configurations x 5 seeds x 50,000 steps, about 12 minutes on 2 shared CPU cores with the
JAX backend (``python -m buildbook run bn_mnist_toy --backend jax``).
"""
from __future__ import annotations

import numpy as np

from snippets.engine import bn as bs

from . import bn_mnist_toy as reference

NAME = "bn_mnist_toy"
TITLE = "Ioffe & Szegedy's MNIST toy: 3 x 100 sigmoid, batch 60, with and without BN"
SIZES = reference.SIZES
LR, BATCH, STEPS = reference.LR, reference.BATCH, reference.STEPS
MOMENTUM, EPSILON = reference.MOMENTUM, reference.EPSILON
PROBE = (reference.PROBE_LAYER, reference.PROBE_UNIT, reference.PROBE_IMAGES)
TARGETS = (0.9, 0.95, 0.97)
CONFIGS = {"plain": False, "bn": True}          # config -> BN before every sigmoid
assert reference.ORDER_SEED == bs.ORDER_SEED

# Engine == reference: 300 SGD steps over 3,000 images (6 epochs), measured every 100 steps.
EQUIVALENCE = [
    {"config": "plain", "seed": 3, "steps": 300, "train_size": 3000, "eval_size": 1000},
    {"config": "bn", "seed": 4, "steps": 300, "train_size": 3000, "eval_size": 1000},
]


def settings(schedule, train_size, eval_size):
    n = train_size or 50000
    return {"sizes": SIZES, "activation": "sigmoid",
            "init": "W ~ N(0, 1/fan_in) (Keras VarianceScaling, untruncated normal, "
                    "keras.utils.set_random_seed(seed)); biases 0",
            "learning_rate": LR, "optimizer": "plain SGD", "batch_size": BATCH,
            "steps": int(sum(schedule)), "eval_at_steps": "100, 200, 300, 400, 500, then every 500",
            "bn_momentum": MOMENTUM, "bn_epsilon": EPSILON,
            "bn": "before every sigmoid, not on the logits (configuration 'bn')",
            "loss": "softmax cross-entropy, mean over the batch",
            "probe": "input of unit 0 of hidden layer 3 (after BN where there is BN), "
                     "15th/50th/85th percentiles over the first 1,000 validation images, inference mode",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": n, "eval_size": eval_size or 10000, "targets": list(TARGETS),
            "literature": {"steps": 50000, "batch_size": 60, "hidden": [100, 100, 100]},
            "minibatch_order": f"shared: permutation from numpy default_rng([{bs.ORDER_SEED}, epoch])"}


def group(config, seeds, schedule, data):
    """The engine's unit of work: one configuration, all seeds, blocks of ``schedule`` steps."""
    bn = CONFIGS[config]
    net = bs.Net(SIZES, "sigmoid", len(seeds), bn=bn, momentum=MOMENTUM, eps=EPSILON)
    probe = (PROBE[0], PROBE[1], min(PROBE[2], data["n_eval"]))
    return bs.Group(NAME, config, seeds, net, LR, BATCH, schedule, None, data, probe=probe,
                    targets=TARGETS, test_every_block=False,
                    initial_weights=lambda s: reference.build_model(s, bn=bn).get_weights())


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    data = bs.load_data(train_size, eval_size)
    # ``epochs``: whole epochs (smoke runs, quick looks); else the 50,000-step schedule
    schedule = [max(1, data["n_train"] // BATCH)] * epochs if epochs else reference.schedule(STEPS)
    groups = [group(config, seeds, schedule, data) for config in CONFIGS]
    by = drive(groups)
    configs = {g.key: {"settings": {"bn": CONFIGS[g.key], "steps": int(sum(schedule))},
                       "per_seed": by[g.key]} for g in groups}
    # How steady is the probed unit's input?  From step 100 on: the largest / smallest width of
    # the 15th-85th percentile band, and the largest |median|.
    for per_seed in by.values():
        for r in per_seed:
            q = np.asarray(r["curves"]["probe"], np.float64)           # [evaluations, 3]
            steps = np.asarray(r["curves"]["step"])
            keep = steps >= min(100, steps[-1])             # smoke runs: just the last evaluation
            width = q[keep, 2] - q[keep, 0]
            r["metrics"]["probe_width_ratio"] = float(width.max() / max(width.min(), 1e-12))
            r["metrics"]["probe_max_abs_median"] = float(np.abs(q[keep, 1]).max())
    # Paired by seed: how many times fewer steps BN needs to reach each target.
    for rp, rb in zip(by["plain"], by["bn"]):
        for t in TARGETS:
            k = round(t * 100)
            rb["metrics"][f"fewer_steps_{k}"] = rp["metrics"][f"steps_to_{k}"] / max(1, rb["metrics"][f"steps_to_{k}"])
    return {"settings": settings(schedule, train_size, eval_size), "configs": configs}


def equivalence(case):
    """(reference, engine): the reference's train() and the engine's Group, one seed."""
    config, seed, steps = case["config"], case["seed"], case["steps"]
    n, m = case["train_size"], case["eval_size"]
    model, h = reference.train(seed, None, n, m, bn=CONFIGS[config], steps=steps)
    ref = {"steps": h["step"][-1], "weights": model.get_weights(),
           **{k: h[k] for k in ("val_acc", "test_acc", "train_loss", "train_acc", "probe")}}
    g = group(config, [seed], reference.schedule(steps), bs.load_data(n, m))
    return ref, g.member_history(g.train_all())
