"""Mean squared error against cross-entropy in 《人工智能系列(七)》's Keras net: the sweep.

Trains the reference ``mse_vs_ce.py`` (784-500-500-10, sigmoid hidden layers, softmax output,
plain SGD 0.1, mini-batches of 100, 5 epochs) for both costs x the given seeds with the
shared engine (``snippets/engine/costs.py``): one stacked model per cost.  The MSE and the
cross-entropy net of one seed start from the same weights (``reference.build_model(seed)``)
and see the same mini-batches (``reference.batch_order(seed, epoch)``), so every seed is a
paired comparison.  Records validation and test accuracy, validation cost and training cost
(first 10,000 training images) after every epoch.

Costs: 2 costs x 5 seeds x 5 epochs = 50 model-epochs, about 1e13 floating-point
operations: a few minutes on 2 idle CPU cores with the JAX backend (the committed record took 23
minutes on 2 cores shared with many other jobs)
(``python -m buildbook run mse_vs_ce --backend jax``).  ``EQUIVALENCE`` lists the cases a test
trains both ways.
"""
from __future__ import annotations

import numpy as np

from snippets.engine import costs as cm
from snippets.engine import deep as dm

from . import mse_vs_ce as reference

NAME = "mse_vs_ce"
TITLE = "Mean squared error vs cross-entropy at a softmax output (784-500-500-10 sigmoid net)"
SIZES = reference.SIZES
LR, BATCH, EPOCHS, TRAIN_EVAL = reference.LR, reference.BATCH, reference.EPOCHS, reference.TRAIN_EVAL
COSTS = tuple(reference.LOSSES)                 # ('mse', 'ce')
TARGETS = (0.5, 0.9)

# Engine == reference: 60 SGD steps per case (2 epochs of 3,000 images in batches of 100).
EQUIVALENCE = [
    {"config": "mse", "seed": 0, "train_size": 3000, "eval_size": 1000, "epochs": 2},
    {"config": "ce", "seed": 1, "train_size": 3000, "eval_size": 1000, "epochs": 2},
]


def settings(epochs, train_size, eval_size):
    n = train_size or 50000
    return {"sizes": SIZES, "hidden_activation": "sigmoid", "output": "softmax",
            "costs": {"mse": "Keras loss='mse': mean over the batch of (1/10) sum_j (p_j - y_j)^2",
                      "ce": "Keras loss='categorical_crossentropy': mean over the batch of -log p_y"},
            "learning_rate": LR, "batch_size": BATCH, "epochs": epochs, "optimizer": "plain SGD",
            "steps_per_epoch": n // BATCH,
            "init": "Keras defaults: Glorot uniform weights, zero biases "
                    "(reference build_model(seed), the same for both costs)",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": n, "eval_size": eval_size or 10000,
            "train_loss_on": f"first {TRAIN_EVAL} training images",
            "minibatch_order": f"per seed, shared by both costs: numpy default_rng([{reference.ORDER_SEED}, "
                               "seed, epoch]).permutation",
            "targets": list(TARGETS),
            "literature": "《人工智能系列(七)》: the net and loss='mse'; optimizer, learning rate, "
                          "batch size and epochs not given (chosen here)"}


def _group(cost, seeds, epochs, data):
    members = [{"config": cost, "seed": s, "lr": LR} for s in seeds]
    return cm.Group(cost, SIZES, "sigmoid", members, epochs, data,
                    weights=lambda m: reference.build_model(m["seed"], cost).get_weights(),
                    order=reference.batch_order, batch_size=BATCH, train_eval=TRAIN_EVAL, name=NAME,
                    cost=cost)


def _with_targets(per_seed):
    """Add, per seed, whether and after which epoch validation accuracy first reached each target."""
    for r in per_seed:
        val = np.asarray(r["curves"]["val_acc"])
        for t in TARGETS:
            hit = np.nonzero(val >= t)[0]
            r["metrics"][f"reached_{round(t * 100)}"] = bool(len(hit))
            r["metrics"][f"epochs_to_{round(t * 100)}"] = int(hit[0]) if len(hit) else len(val) - 1
        r["metrics"]["epoch1_val_acc"] = float(val[1]) if len(val) > 1 else float(val[0])
    return per_seed


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = dm.load_data(train_size, eval_size)
    by_group = drive([_group(cost, seeds, epochs, data) for cost in COSTS])
    configs = {cost: {"settings": {"cost": cost, "loss": reference.LOSSES[cost]},
                      "per_seed": _with_targets(by_group[cost][cost])} for cost in COSTS}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def equivalence(case):
    """(reference, engine): steps, weights and every measured curve of one cost and seed."""
    cost, seed, epochs = case["config"], case["seed"], case["epochs"]
    model, hist = reference.train(seed, epochs, case["train_size"], case["eval_size"], cost)
    ref = {"steps": int(model.optimizer.iterations), "weights": model.get_weights(),
           **{k: np.asarray(v, np.float64) for k, v in hist.items()}}
    group = _group(cost, [seed], epochs, dm.load_data(case["train_size"], case["eval_size"]))
    st = group.start()
    while st["epoch"] < epochs:
        st = group.advance(st)
    eng = {"steps": group.trainer.steps, "weights": dm.unstack_weights(st["params"], 0),
           **group.history(st, 0)}
    return ref, eng
