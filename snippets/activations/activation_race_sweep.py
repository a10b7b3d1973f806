"""Seven activations in a 6-hidden-layer MNIST net: the sweep behind the page's table and figure.

Trains the reference ``activation_race.py`` (6 hidden layers of 100 units, each activation
with its own initialisation, plain SGD 0.05, mini-batches of 32, 5 epochs) for 7 activations
x the given seeds with the shared engine (``snippets/engine/deep.py``): one stacked model per
activation.  Every member starts from the reference's ``build_model(seed, activation)``
weights and follows its ``batch_order(seed, epoch)``.

Costs: 35 nets (5 seeds), 175 model-epochs: about 4-5 minutes on 2 CPU cores with the JAX
backend.  ``EQUIVALENCE`` lists the cases a test trains both ways.

Hands-on ML (seed 003) ranks "ELU > leaky ReLU (and variants) > ReLU > tanh > sigmoid" for
the hidden layers of deep nets, "although your mileage will vary"; the ranking we measure is
computed from the record, not assumed.
"""
from __future__ import annotations

import numpy as np

from snippets.engine import deep as dm

from . import activation_race as reference

NAME = "activation_race"
TITLE = "Seven activations in a 6-hidden-layer MNIST net (matching initialisation, plain SGD)"
SIZES = reference.SIZES
LR, BATCH, EPOCHS, TRAIN_EVAL = reference.LR, reference.BATCH, reference.EPOCHS, reference.TRAIN_EVAL
# Seed 003's ranking, best first (leaky ReLU stands for both of our leaky variants).
LITERATURE_RANKING = ("elu", "leaky_relu", "relu", "tanh", "sigmoid")


def engine_mode(activation):
    """The engine's activation family and leaky slope for one of the reference's activations."""
    act, _ = reference.ACTIVATIONS[activation]
    if isinstance(act, float):
        return "leaky", act
    return ("leaky", 0.0) if act == "relu" else (act, 0.0)


def config_name(act):
    return act.replace(".", "_")


def settings(epochs, train_size, eval_size):
    return {"sizes": SIZES,
            "activations": {k: {"mode": engine_mode(k)[0], "alpha": engine_mode(k)[1], "init": i}
                            for k, (_, i) in reference.ACTIVATIONS.items()},
            "learning_rate": LR, "batch_size": BATCH, "epochs": epochs, "optimizer": "plain SGD",
            "loss": "softmax cross-entropy, mean over the mini-batch",
            "init": "reference build_model(seed, activation): keras VarianceScaling(scale, mode, "
                    "untruncated_normal): Glorot N(0, 2/(fan_in+fan_out)), He N(0, 2/fan_in), "
                    "LeCun N(0, 1/fan_in), every layer; biases 0",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": train_size or 50000, "eval_size": eval_size or 10000,
            "train_loss_on": f"first {TRAIN_EVAL} training images",
            "minibatch_order": "per seed: numpy default_rng([2024, seed, epoch]).permutation",
            "loss_cap": reference.LOSS_CAP,
            "literature_ranking": list(LITERATURE_RANKING)}


def _group(act, seeds, epochs, data):
    mode, alpha = engine_mode(act)
    members = [{"config": config_name(act), "seed": s, "lr": LR, "alpha": alpha, "activation": act}
               for s in seeds]
    return dm.Group(config_name(act), SIZES, mode, members, epochs, data,
                    weights=lambda m: reference.build_model(m["seed"], m["activation"]).get_weights(),
                    order=reference.batch_order, batch_size=BATCH, train_eval=TRAIN_EVAL, name=NAME)


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = dm.load_data(train_size, eval_size)
    by_group = drive([_group(act, seeds, epochs, data) for act in reference.ACTIVATIONS])
    configs = {}
    for act, (_, init) in reference.ACTIVATIONS.items():
        key = config_name(act)
        mode, alpha = engine_mode(act)
        configs[key] = {"settings": {"activation": act, "mode": mode, "alpha": alpha, "init": init},
                        "per_seed": by_group[key][key]}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


# ------------------------------------------------------------------ equivalence with the reference
# One case per activation family that learns (sigmoid stays on its plateau: equal too, but it
# tests little).  ReLU, leaky ReLU and SELU have a kink at z = 0 where f' jumps: when a weighted
# input lies within float32 rounding of 0, Keras's autodiff and the engine can take different
# sides, the two runs then differ by ~1e-4 from that step on and 6 layers amplify it.  These
# cases (100 steps; 50 for SELU) hit no such tie on TensorFlow or JAX (tanh and ELU have a
# continuous f', so a tie there changes nothing).
EQUIVALENCE = [
    {"config": "elu", "seed": 0, "train_size": 1600, "eval_size": 500, "epochs": 2},
    {"config": "tanh", "seed": 1, "train_size": 1600, "eval_size": 500, "epochs": 2},
    {"config": "selu", "seed": 4, "train_size": 1600, "eval_size": 500, "epochs": 1},
    {"config": "leaky_relu_0_2", "seed": 3, "train_size": 1600, "eval_size": 500, "epochs": 2},
]


def equivalence(case):
    """(reference, engine): steps, weights and every measured curve of one activation and seed."""
    act = next(a for a in reference.ACTIVATIONS if config_name(a) == case["config"])
    seed, epochs = case["seed"], case["epochs"]
    model, hist = reference.train(seed, epochs, case["train_size"], case["eval_size"], act)
    ref = {"steps": int(model.optimizer.iterations), "weights": model.get_weights(),
           **{k: np.asarray(v, np.float64) for k, v in hist.items()}}
    group = _group(act, [seed], epochs, dm.load_data(case["train_size"], case["eval_size"]))
    st = group.start()
    while st["epoch"] < epochs:
        st = group.advance(st)
    eng = {"steps": group.trainer.steps, "weights": dm.unstack_weights(st["params"], 0),
           **group.history(st, 0)}
    return ref, eng
