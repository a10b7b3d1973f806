"""Seed 000's depth experiment, repeated over several seeds: does depth help, sigmoid vs ReLU?

Shows: best validation accuracy of MNIST nets with 1-4 hidden layers of 100 units, sigmoid
vs ReLU, exactly in the setup of the original TF1 scripts (below), as mean +- std over seeds;
and, from the same runs, the norm of dC/db and dC/dW of every hidden layer at initialisation
and after each epoch (C = mean cross-entropy on the first 1,000 training images, no L2 term).
One configuration for one seed is the Keras reference ``depth_table.py`` beside this file;
this sweep trains all seeds and both activations of one depth as one stacked model with the
shared engine (``snippets/engine/stacked.py``), from the reference's initial weights and in
its mini-batch order; ``equivalence`` proves both give the same numbers.

Costs: the full table (8 configurations, 30 epochs, 60 for 4 hidden layers) x 5 seeds is
1,500 model-epochs, about 3.2e13 floating-point operations: about 11 minutes on 2 idle CPU
cores with the JAX backend (28 minutes for the committed record, on cores shared with other
jobs), about 1.5-2x that with TensorFlow.
Smoke run: `python -m buildbook run depth_table --smoke --out /tmp/x`, ~30 s.

Setup of the original scripts (EthanYuan/TensorFlow-Zero-to-N, TF1_3/tf_2-1_*):
- 50,000 training / 10,000 validation images (the first 10,000 of MNIST's training set);
- hidden layers of 100 units, 10 sigmoid output units;
- loss = mean over batch AND the 10 outputs of sigmoid cross-entropy on one-hot labels,
  plus l2_regularizer(5.0/50000) on all weight matrices: 1e-4 * sum(w^2)/2, so each SGD step
  multiplies the weights by (1 - 0.5 * 1e-4);
- sigmoid nets: weights N(0,1)/sqrt(fan_in); ReLU nets: N(0,1)/sqrt(fan_in/2) (He), also
  for the output layer; biases N(0,1);
- plain SGD, learning rate 0.5, mini-batch 10, 5,000 steps per epoch (mini-batches drawn
  from a fresh shuffle of the training set every epoch); reported number = best validation
  accuracy over the epochs.
What we do differently, and why: several seeds instead of one run; all members of a run see
the same mini-batch order (a fixed function of the epoch number), they differ in their
initial weights -- this lets all seeds and both activations of one depth train as one
stacked model.  The sigmoid and ReLU nets of one seed start from the same random draws,
scaled for their activation.  We also record test accuracy at the best-validation epoch.
(Some original scripts took one extra repeated step per epoch; we do not.)
"""
from __future__ import annotations

import numpy as np

from snippets.engine import mnist
from snippets.engine import stacked as sm

from . import depth_table as reference

NAME = "depth_table"
TITLE = "MNIST depth table: sigmoid vs ReLU, 1-4 hidden layers (seed 000's setup)"
ACTIVATIONS = ("sigmoid", "relu")
DEPTHS = (1, 2, 3, 4)
HIDDEN, LR, BATCH = reference.HIDDEN, reference.LR, reference.BATCH
L2_SCALE = reference.L2         # tf.contrib.layers.l2_regularizer(scale): scale * sum(w^2)/2
GRAD_SUBSET = reference.GRAD_SUBSET   # gradient norms on the first 1,000 training images
ORDER_SEED = reference.ORDER_SEED     # mini-batch order = permutation from (ORDER_SEED, epoch)
default_epochs = reference.default_epochs

# Seed 000's single-run best validation accuracies (%), from its article.
SEED000 = {"sigmoid": {1: 95.25, 2: 95.87, 3: 96.3, 4: 96.08},
           "relu": {1: 97.62, 2: 97.72, 3: 97.79, 4: 97.79}}

# Engine == reference, step for step (tests/test_equivalence.py): one member, >= 50 steps.
EQUIVALENCE = [
    {"config": "sigmoid.h4", "seed": 1, "epochs": 2, "train_size": 300, "eval_size": 300},
    {"config": "relu.h2", "seed": 0, "epochs": 2, "train_size": 300, "eval_size": 300},
]


def settings(epochs=None, train_size=None, eval_size=None):
    return {
        "hidden_units": HIDDEN, "depths": list(DEPTHS), "activations": list(ACTIVATIONS),
        "epochs": {f"h{d}": epochs or default_epochs(d) for d in DEPTHS},
        "learning_rate": LR, "batch_size": BATCH, "optimizer": "plain SGD",
        "steps_per_epoch": (train_size or 50000) // BATCH,
        "loss": "mean over batch and 10 units of sigmoid cross-entropy (sigmoid outputs, "
                "one-hot labels) + 1e-4 * sum(W^2)/2 over all weight matrices "
                "(l2_regularizer(5.0/50000))",
        "l2_scale": L2_SCALE,
        "init": "sigmoid: W ~ N(0,1)/sqrt(fan_in); relu: W ~ N(0,1)/sqrt(fan_in/2); b ~ N(0,1) "
                "(depth_table.build_model(seed, activation, depth))",
        "data": "MNIST 50,000 train / 10,000 validation (first 10,000 of the 60,000) / 10,000 test",
        "train_size": train_size or 50000, "eval_size": eval_size or 10000,
        "grad_norm": f"||dC/db_l||, ||dC/dW_l|| of the hidden layers, C = mean cross-entropy "
                     f"(no L2) on the first {GRAD_SUBSET} training images, after 0..E epochs",
        "minibatch_order": "shared by all members: permutation from numpy "
                           f"default_rng([{ORDER_SEED}, epoch])",
        "metric": "best validation accuracy over epochs (epochs 1..E)",
        "literature": {"source": "seed article 000 (TensorFlow from 1 to 2, ch. 1), one run each",
                       "best_val_acc_pct": {a: {f"h{d}": v for d, v in SEED000[a].items()}
                                            for a in ACTIVATIONS}},
    }


class DepthGroup:
    """All seeds x both activations of one depth, trained as one stacked model."""

    def __init__(self, depth, seeds, epochs, data, activations=ACTIVATIONS):
        self.depth, self.seeds, self.epochs, self.data = depth, list(seeds), epochs, data
        self.key = f"h{depth}"
        self.members = [(f"{a}.h{depth}", s) for a in activations for s in self.seeds]
        self.acts = [config.split(".")[0] for config, _ in self.members]
        self.sizes = [784] + [HIDDEN] * depth + [10]
        # training loss: mean over the batch of 10 and the 10 units -> loss_scale 1/(B*10)
        self.trainer = sm.get_trainer(self.sizes, self.acts, LR, L2_SCALE, 1.0 / (BATCH * 10), BATCH)

    def fingerprint(self):
        d = self.data
        return {"experiment": NAME, "depth": self.depth, "members": self.members, "epochs": self.epochs,
                "train_size": d["n_train"], "eval_size": d["n_eval"], "backend": sm.backend()}

    def _measure(self, params, hist):
        tr, d = self.trainer, self.data
        # C on the gradient subset: mean over its images and the 10 units
        nb, nw, _, _ = tr.gradstats(params, d["Xg"], d["Yg"], d["yg"], 1.0 / (len(d["yg"]) * 10))
        hist["val_acc"].append(tr.accuracy(params, d["xv"], d["yv"]).tolist())
        hist["test_acc"].append(tr.accuracy(params, d["xt"], d["yt"]).tolist())
        hist["grad_norm_b"].append(nb.tolist())
        hist["grad_norm_w"].append(nw.tolist())

    def start(self):
        # Initial weights of every member: the reference's Keras model for that seed.
        params = self.trainer.stack.from_members(
            [reference.build_model(s, a, self.depth).get_weights()
             for a, (_, s) in zip(self.acts, self.members)])
        hist = {k: [] for k in ("val_acc", "test_acc", "grad_norm_b", "grad_norm_w")}
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
        h = {k: np.asarray(v, np.float64) for k, v in st["hist"].items()}   # [E+1, K, ...]
        out = {}
        for k, (config, seed) in enumerate(self.members):
            val, test = h["val_acc"][:, k], h["test_acc"][:, k]
            best = int(np.argmax(val[1:])) + 1               # epochs 1..E; first maximum
            nb, nw = h["grad_norm_b"][:, k], h["grad_norm_w"][:, k]
            metrics = {
                "best_val_acc": float(val[best]), "best_epoch": best,
                "test_acc_at_best": float(test[best]),
                "final_val_acc": float(val[-1]), "final_test_acc": float(test[-1]),
                "init_grad_norm_b": nb[0].tolist(), "init_grad_norm_w": nw[0].tolist(),
                "final_grad_norm_b": nb[-1].tolist(), "final_grad_norm_w": nw[-1].tolist(),
            }
            curves = {"val_acc": val.tolist(), "test_acc": test.tolist(),
                      "grad_norm_b": nb.tolist(), "grad_norm_w": nw.tolist()}
            out.setdefault(config, []).append({"seed": seed, "metrics": metrics, "curves": curves})
        return out


def load_data(train_size=None, eval_size=None):
    from keras import ops
    (xtr, ytr), (xv, yv), (xt, yt) = mnist.load_mnist()
    n = train_size or len(xtr)
    m = eval_size or len(xv)
    g = min(GRAD_SUBSET, n)
    xtr, ytr = xtr[:n], ytr[:n]
    return {"X": ops.convert_to_tensor(xtr), "Y": ops.convert_to_tensor(sm.one_hot(ytr)),
            "Xg": ops.convert_to_tensor(xtr[:g]), "Yg": ops.convert_to_tensor(sm.one_hot(ytr[:g])),
            "yg": ytr[:g], "xv": xv[:m], "yv": yv[:m], "xt": xt[:m], "yt": yt[:m],
            "n_train": n, "n_eval": m}


def run(seeds, epochs=None, train_size=None, eval_size=None, depths=DEPTHS, *, drive):
    """Train every (activation, depth) for every seed; return per-seed metrics and curves.

    epochs: None = 30 (60 for 4 hidden layers).  train_size/eval_size: use only the first
    N images (smoke runs).  drive: the runner's loop over the groups (checkpoints, resume).
    """
    data = load_data(train_size, eval_size)
    groups = [DepthGroup(d, seeds, epochs or default_epochs(d), data) for d in depths]
    by_group = drive(groups)
    configs = {}
    for a in ACTIVATIONS:
        for g in groups:
            name = f"{a}.h{g.depth}"
            configs[name] = {"settings": {"activation": a, "hidden_layers": g.depth,
                                          "epochs": g.epochs, "sizes": g.sizes},
                             "per_seed": by_group[g.key][name]}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def equivalence(case):
    """(reference, engine) for one member: the Keras reference's own train() and this sweep's
    DepthGroup, from the same initial weights and mini-batch order."""
    act, depth = case["config"].split(".")
    depth = int(depth[1:])
    E, n, m = case["epochs"], case["train_size"], case["eval_size"]
    model, hist = reference.train(case["seed"], E, n, m, act, depth)
    ref = {"steps": E * (n // BATCH), "weights": model.get_weights(),
           **{k: np.asarray(v) for k, v in hist.items()}}
    g = DepthGroup(depth, [case["seed"]], E, load_data(n, m), activations=(act,))
    st = g.start()
    while st["epoch"] < g.epochs:
        st = g.advance(st)
    h = {k: np.asarray(v)[:, 0] for k, v in st["hist"].items()}        # member 0 of 1
    eng = {"steps": E * (n // BATCH), "weights": g.trainer.stack.member_params(st["params"], 0), **h}
    return ref, eng
