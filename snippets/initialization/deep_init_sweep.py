"""A 30-layer plain ReLU net with three initialisations: the sweep behind the page's table and figure.

Trains the reference ``deep_init.py`` (30 hidden ReLU layers of 100 units, plain SGD 0.01,
mini-batches of 32, 4 epochs) with He, Glorot and N(0, 1) weights x the given seeds, all as
one stacked model of the shared engine (``snippets/engine/deep.py``).  Every member starts
from the reference's ``build_model(seed, init)`` weights and follows its
``batch_order(seed, epoch)``.

Costs: 15 nets (5 seeds), 60 model-epochs: about 3-4 minutes on 2 CPU cores with the JAX
backend.  ``EQUIVALENCE`` lists the cases a test trains both ways.

He et al. (2015, fig. 3) report that a 30-layer plain ReLU network initialised with Glorot's
"Xavier" scheme "completely stalls" while their scheme trains it; with N(0, 1) the signal
grows by about sqrt(fan_in / 2) per layer and overflows.  Nets whose loss becomes NaN/inf are
flagged as diverged and counted as making no correct prediction.
"""
from __future__ import annotations

import numpy as np

from snippets.engine import deep as dm

from . import deep_init as reference

NAME = "deep_init"
TITLE = "A 30-layer plain ReLU net on MNIST: He vs Glorot vs N(0,1) initialisation"
HIDDEN_LAYERS = reference.HIDDEN_LAYERS
SIZES = reference.SIZES
INITS = tuple(reference.INITS)
LR, BATCH, EPOCHS, TRAIN_EVAL = reference.LR, reference.BATCH, reference.EPOCHS, reference.TRAIN_EVAL


def settings(epochs, train_size, eval_size):
    return {"sizes": SIZES, "hidden_layers": HIDDEN_LAYERS, "inits": list(INITS),
            "init_std": {"he": "sqrt(2/fan_in)", "glorot": "sqrt(2/(fan_in+fan_out))",
                         "normal1": "1"},
            "init": "reference build_model(seed, init): keras VarianceScaling(2, fan_in) / "
                    "VarianceScaling(1, fan_avg) untruncated normal, RandomNormal(0, 1); every layer",
            "learning_rate": LR, "batch_size": BATCH, "epochs": epochs, "optimizer": "plain SGD",
            "activation": "ReLU", "loss": "softmax cross-entropy, mean over the mini-batch",
            "biases": "0", "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": train_size or 50000, "eval_size": eval_size or 10000,
            "train_loss_on": f"first {TRAIN_EVAL} training images",
            "loss_cap": reference.LOSS_CAP,
            "minibatch_order": "per seed: numpy default_rng([2024, seed, epoch]).permutation"}


def _group(members, epochs, data):
    if dm.LOSS_CAP != reference.LOSS_CAP:
        raise ValueError("engine and reference cap losses differently")
    return dm.Group("all", SIZES, "leaky", members, epochs, data,
                    weights=lambda m: reference.build_model(m["seed"], m["init"]).get_weights(),
                    order=reference.batch_order, batch_size=BATCH, train_eval=TRAIN_EVAL, name=NAME)


def _member(init, seed):
    return {"config": init, "seed": seed, "lr": LR, "alpha": 0.0, "init": init}


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = dm.load_data(train_size, eval_size)
    members = [_member(init, s) for init in INITS for s in seeds]
    per_config = drive([_group(members, epochs, data)])["all"]
    configs = {init: {"settings": {"init": init}, "per_seed": per_config[init]} for init in INITS}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


# ------------------------------------------------------------------ equivalence with the reference
# He, two seeds, 50 SGD steps each.  ReLU's f' jumps at z = 0: when one of the 30 x 100 x 32
# weighted inputs of a step lies within float32 rounding of 0, Keras's autodiff and the engine
# can take different sides, and 30 layers amplify the ~1e-4 difference; these seeds hit no
# such tie on TensorFlow or JAX.  Not listed: N(0, 1) (inf/NaN within a few steps, nothing
# finite to compare) and Glorot (agrees on JAX; on TensorFlow its first layers' biases, ~1e-6
# after 100 steps, are sums of gradients that cancel almost exactly, so they carry float32
# summation-order noise above 1e-4 of their size).
EQUIVALENCE = [
    {"config": "he", "seed": 7, "train_size": 1600, "eval_size": 500, "epochs": 1},
    {"config": "he", "seed": 9, "train_size": 1600, "eval_size": 500, "epochs": 1},
]


def equivalence(case):
    """(reference, engine): steps, weights and every measured curve of one initialisation and seed."""
    init, seed, epochs = case["config"], case["seed"], case["epochs"]
    model, hist = reference.train(seed, epochs, case["train_size"], case["eval_size"], init)
    ref = {"steps": int(model.optimizer.iterations), "weights": model.get_weights(),
           **{k: np.asarray(v, np.float64) for k, v in hist.items()}}
    group = _group([_member(init, seed)], epochs, dm.load_data(case["train_size"], case["eval_size"]))
    st = group.start()
    while st["epoch"] < epochs:
        st = group.advance(st)
    eng = {"steps": group.trainer.steps, "weights": dm.unstack_weights(st["params"], 0),
           **group.history(st, 0)}
    return ref, eng
