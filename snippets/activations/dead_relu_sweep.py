"""Dead ReLUs versus learning rate: the sweep behind the page's table and figure.

Trains the reference ``dead_relu.py`` (784-100-100-100-10, He-normal weights, plain SGD,
mini-batches of 32, 3 epochs) for 5 learning rates x 3 variants (ReLU, ReLU with hidden
biases 0.01, leaky ReLU alpha = 0.01) x the given seeds, all as one stacked model of the shared
engine (``snippets/engine/deep.py``).  Every member starts from the reference's
``build_model(seed, variant)`` weights and follows its ``batch_order(seed, epoch)``; the three
variants of one seed start from the same weights and see the same mini-batches.  After every
epoch all training images go through each net and the hidden units whose weighted input is
never positive are counted (for leaky ReLU: "never positive", not dead).

Costs: 75 nets (5 seeds), 3 epochs on the 50,000 training images: about 8-10 minutes on
2 CPU cores with the JAX backend.  ``EQUIVALENCE`` lists the cases a test trains both ways.
"""
from __future__ import annotations

import numpy as np

from snippets.engine import deep as dm

from . import dead_relu as reference

NAME = "dead_relu"
TITLE = "Dead ReLUs versus learning rate: ReLU, ReLU with bias 0.01, leaky ReLU"
SIZES = reference.SIZES
LEARNING_RATES = reference.LEARNING_RATES
VARIANTS = reference.VARIANTS
EPOCHS = reference.EPOCHS
BATCH = reference.BATCH
# cs231n (seed 002): "10-20 % of the network" can be dead after training at a high rate.
LITERATURE_DEAD = (0.10, 0.20)


def lr_key(lr):
    return "lr" + f"{lr:g}".replace(".", "_")


def settings(epochs, train_size, eval_size):
    return {"sizes": SIZES, "learning_rates": list(LEARNING_RATES), "variants": VARIANTS,
            "epochs": epochs, "batch_size": BATCH, "optimizer": "plain SGD",
            "loss": "softmax cross-entropy, mean over the mini-batch",
            "init": "reference build_model(seed, variant): He normal N(0, 2/fan_in) (keras "
                    "VarianceScaling(2, fan_in, untruncated_normal)) for every layer; hidden "
                    "biases 0 or 0.01, output biases 0",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": train_size or 50000, "eval_size": eval_size or 10000,
            "dead": "fraction of hidden units (all layers) whose weighted input is <= 0 "
                    "on every training image",
            "minibatch_order": "per seed: numpy default_rng([2024, seed, epoch]).permutation",
            "loss_cap": reference.LOSS_CAP,
            "literature_dead": list(LITERATURE_DEAD)}


def _member(variant, lr, seed):
    return {"config": f"{variant}.{lr_key(lr)}", "seed": seed, "lr": lr, "variant": variant,
            "alpha": VARIANTS[variant]["alpha"]}


def _group(members, epochs, data, key="all"):
    if dm.LOSS_CAP != reference.LOSS_CAP:
        raise ValueError("engine and reference cap losses differently")
    return dm.Group(key, SIZES, "leaky", members, epochs, data,
                    weights=lambda m: reference.build_model(m["seed"], m["variant"]).get_weights(),
                    order=reference.batch_order, batch_size=BATCH, dead=True, name=NAME)


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = dm.load_data(train_size, eval_size)
    members = [_member(v, lr, s) for v in VARIANTS for lr in LEARNING_RATES for s in seeds]
    per_config = drive([_group(members, epochs, data)])["all"]
    configs = {}
    for v in VARIANTS:
        for lr in LEARNING_RATES:
            name = f"{v}.{lr_key(lr)}"
            configs[name] = {"settings": {"variant": v, "learning_rate": lr, **VARIANTS[v]},
                             "per_seed": per_config[name]}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


# ------------------------------------------------------------------ equivalence with the reference
# Stable learning rates (the highest ones can kill or blow up a net, and a chaotic run
# amplifies float32 rounding); 2 epochs of 1,600 images = 100 SGD steps each.
EQUIVALENCE = [
    {"config": "relu.lr0_1", "seed": 1, "train_size": 1600, "eval_size": 500, "epochs": 2},
    {"config": "relu_bias.lr0_1", "seed": 2, "train_size": 1600, "eval_size": 500, "epochs": 2},
    {"config": "leaky.lr0_01", "seed": 0, "train_size": 1600, "eval_size": 500, "epochs": 2},
]


def equivalence(case):
    """(reference, engine): steps, weights and every measured curve of one config and seed."""
    variant, key = case["config"].split(".")
    lr = next(lr for lr in LEARNING_RATES if lr_key(lr) == key)
    seed, epochs = case["seed"], case["epochs"]
    model, hist = reference.train(seed, epochs, case["train_size"], case["eval_size"], variant, lr)
    ref = {"steps": int(model.optimizer.iterations), "weights": model.get_weights(),
           **{k: np.asarray(v, np.float64) for k, v in hist.items()}}
    group = _group([_member(variant, lr, seed)], epochs, dm.load_data(case["train_size"], case["eval_size"]))
    st = group.start()
    while st["epoch"] < epochs:
        st = group.advance(st)
    eng = {"steps": group.trainer.steps, "weights": dm.unstack_weights(st["params"], 0),
           **group.history(st, 0)}
    return ref, eng
