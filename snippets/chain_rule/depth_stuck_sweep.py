"""How often does a 4-hidden-layer sigmoid net of seed 000's depth table get stuck?

Shows: the validation and test accuracy after every epoch of many seeds of ONE configuration
of the depth table -- 4 hidden layers of 100 sigmoid units, seed 000's TF1 setup (learning
rate 0.5, mini-batches of 10, 60 epochs, L2, N(0,1)/sqrt(fan_in) weights, N(0,1) biases) --
and, at the end, how many different digits each net predicts on the validation images.
The depth table has only 5 seeds of it; here 30 seeds tell how often a net never leaves
chance level and when the others escape.  The Keras reference is the depth table's own
``depth_table.py`` (``train(seed, activation="sigmoid", depth=4)``); this sweep trains all
seeds as one stacked model with the shared engine (``snippets/engine/stacked.py``), from
the reference's initial weights and in its mini-batch order (the same for every seed, a
fixed function of the epoch), so seeds 0-4 are the depth table's five 4-layer sigmoid runs
again.  ``equivalence`` proves engine and reference give the same numbers.

Costs: 30 seeds x 60 epochs = 1,800 model-epochs of 5,000 SGD steps, about 6e13
floating-point operations: with the JAX backend one epoch of all 30 seeds took about 45 s on
2 lightly loaded CPU cores and 2-3 minutes on cores busy with other jobs (the committed
record: 69 minutes in all); TensorFlow is slower.
Smoke run: `python -m buildbook run depth_stuck --smoke --out /tmp/x`, a few seconds.
"""
from __future__ import annotations

import numpy as np

from snippets.engine import mnist
from snippets.engine import stacked as sm

from . import depth_table as reference

NAME = "depth_stuck"
TITLE = "MNIST, 4 hidden sigmoid layers (seed 000's setup), 30 seeds: stuck at chance or escaped"
ACTIVATION, DEPTH, EPOCHS = "sigmoid", 4, reference.default_epochs(4)
DEFAULT_SEEDS = 30
HIDDEN, LR, BATCH = reference.HIDDEN, reference.LR, reference.BATCH
L2_SCALE = reference.L2
CONFIG = f"{ACTIVATION}.h{DEPTH}"
# Seed 000's single run of this net: best validation accuracy (%), from its article
# (the same value as depth_table_sweep.SEED000["sigmoid"][4]).
SEED000_BEST_VAL_ACC_PCT = 96.08

# Engine == reference, step for step (tests/test_equivalence.py): one member, >= 50 steps.
EQUIVALENCE = [
    {"seed": 5, "epochs": 2, "train_size": 300, "eval_size": 300},
]


def settings(epochs=None, train_size=None, eval_size=None):
    return {
        "activation": ACTIVATION, "hidden_layers": DEPTH, "hidden_units": HIDDEN,
        "epochs": epochs or EPOCHS, "learning_rate": LR, "batch_size": BATCH,
        "optimizer": "plain SGD", "steps_per_epoch": (train_size or 50000) // BATCH,
        "loss": "mean over batch and 10 units of sigmoid cross-entropy (sigmoid outputs, "
                "one-hot labels) + 1e-4 * sum(W^2)/2 over all weight matrices "
                "(l2_regularizer(5.0/50000))",
        "l2_scale": L2_SCALE,
        "init": "W ~ N(0,1)/sqrt(fan_in), b ~ N(0,1) (depth_table.build_model(seed, 'sigmoid', 4))",
        "data": "MNIST 50,000 train / 10,000 validation (first 10,000 of the 60,000) / 10,000 test",
        "train_size": train_size or 50000, "eval_size": eval_size or 10000,
        "minibatch_order": "shared by all members: permutation from numpy "
                           f"default_rng([{reference.ORDER_SEED}, epoch]) (depth_table.batch_order)",
        "metric": "validation and test accuracy after every epoch 0..E; best validation "
                  "accuracy over epochs 1..E; digits predicted on the validation images at the end",
        "literature": {"source": "seed article 000 (TensorFlow from 1 to 2, ch. 1), one run",
                       "best_val_acc_pct": SEED000_BEST_VAL_ACC_PCT},
    }


def final_digits(weights, x):
    """How many different digits a net predicts on ``x`` (numpy forward pass, Keras weights)."""
    a = x
    for w, b in zip(weights[0:-2:2], weights[1:-2:2]):
        a = 1.0 / (1.0 + np.exp(-(a @ w + b)))         # a = sigmoid(z)
    z = a @ weights[-2] + weights[-1]                   # logits
    return int(len(np.unique(np.argmax(z, axis=1))))


class Group:
    """All seeds of the 4-layer sigmoid net, trained as one stacked model."""

    def __init__(self, seeds, epochs, data):
        self.seeds, self.epochs, self.data = list(seeds), epochs, data
        self.key = CONFIG
        self.members = [(CONFIG, s) for s in self.seeds]
        self.sizes = [784] + [HIDDEN] * DEPTH + [10]
        # training loss: mean over the batch of 10 and the 10 units -> loss_scale 1/(B*10)
        self.trainer = sm.get_trainer(self.sizes, [ACTIVATION] * len(self.seeds), LR, L2_SCALE,
                                      1.0 / (BATCH * 10), BATCH)

    def fingerprint(self):
        d = self.data
        return {"experiment": NAME, "members": self.members, "epochs": self.epochs,
                "train_size": d["n_train"], "eval_size": d["n_eval"], "backend": sm.backend()}

    def _measure(self, params, hist):
        tr, d = self.trainer, self.data
        hist["val_acc"].append(tr.accuracy(params, d["xv"], d["yv"]).tolist())
        hist["test_acc"].append(tr.accuracy(params, d["xt"], d["yt"]).tolist())

    def start(self):
        # Initial weights of every member: the reference's Keras model for that seed.
        params = self.trainer.stack.from_members(
            [reference.build_model(s, ACTIVATION, DEPTH).get_weights() for s in self.seeds])
        hist = {"val_acc": [], "test_acc": []}
        self._measure(self.trainer.to_device(params), hist)
        return {"epoch": 0, "params": params, "hist": hist}

    def advance(self, st):
        tr, d = self.trainer, self.data
        epoch = st["epoch"] + 1
        order = reference.batch_order(epoch, d["n_train"])
        params = tr.epoch(tr.to_device(st["params"]), d["X"], d["Y"], order)
        self._measure(params, st["hist"])
        return {"epoch": epoch, "params": tr.to_numpy(params), "hist": st["hist"]}

    def results(self, st):
        h = {k: np.asarray(v, np.float64) for k, v in st["hist"].items()}   # [E+1, K]
        out = {}
        for k, (config, seed) in enumerate(self.members):
            val, test = h["val_acc"][:, k], h["test_acc"][:, k]
            best = int(np.argmax(val[1:])) + 1               # epochs 1..E; first maximum
            weights = self.trainer.stack.member_params(st["params"], k)
            metrics = {"best_val_acc": float(val[best]), "best_epoch": best,
                       "test_acc_at_best": float(test[best]),
                       "final_val_acc": float(val[-1]), "final_test_acc": float(test[-1]),
                       "final_digits": final_digits(weights, self.data["xv"])}
            curves = {"val_acc": val.tolist(), "test_acc": test.tolist()}
            out.setdefault(config, []).append({"seed": seed, "metrics": metrics, "curves": curves})
        return out


def load_data(train_size=None, eval_size=None):
    from keras import ops
    (xtr, ytr), (xv, yv), (xt, yt) = mnist.load_mnist()
    n = train_size or len(xtr)
    m = eval_size or len(xv)
    return {"X": ops.convert_to_tensor(xtr[:n]), "Y": ops.convert_to_tensor(sm.one_hot(ytr[:n])),
            "xv": xv[:m], "yv": yv[:m], "xt": xt[:m], "yt": yt[:m], "n_train": n, "n_eval": m}


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    """Train every seed of the 4-layer sigmoid net; return per-seed metrics and curves.

    epochs: None = 60.  train_size/eval_size: use only the first N images (smoke runs).
    drive: the runner's loop over the groups (checkpoints, resume).
    """
    group = Group(seeds, epochs or EPOCHS, load_data(train_size, eval_size))
    by_group = drive([group])
    configs = {CONFIG: {"settings": {"activation": ACTIVATION, "hidden_layers": DEPTH,
                                     "epochs": group.epochs, "sizes": group.sizes},
                        "per_seed": by_group[group.key][CONFIG]}}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def equivalence(case):
    """(reference, engine) for one seed: the Keras reference's own train() and this sweep's
    Group, from the same initial weights and mini-batch order."""
    E, n, m = case["epochs"], case["train_size"], case["eval_size"]
    model, hist = reference.train(case["seed"], E, n, m, ACTIVATION, DEPTH)
    ref = {"steps": E * (n // BATCH), "weights": model.get_weights(),
           "val_acc": np.asarray(hist["val_acc"]), "test_acc": np.asarray(hist["test_acc"]),
           "final_digits": final_digits(model.get_weights(), reference.load_mnist()[1][0][:m])}
    g = Group([case["seed"]], E, load_data(n, m))
    st = g.start()
    while st["epoch"] < g.epochs:
        st = g.advance(st)
    weights = g.trainer.stack.member_params(st["params"], 0)
    eng = {"steps": E * (n // BATCH), "weights": weights,
           **{k: np.asarray(v)[:, 0] for k, v in st["hist"].items()},      # member 0 of 1
           "final_digits": final_digits(weights, g.data["xv"])}
    return ref, eng
