"""Nielsen's "speed of learning" per hidden layer (Neural Networks and Deep Learning, ch. 5).

Shows: the norm of dC/db for each hidden layer of sigmoid nets [784,30,30,10],
[784,30,30,30,10] and [784,30,30,30,30,10], at initialisation (several seeds) and during
training.  Earlier layers get much smaller gradients: they learn more slowly.

Setup, as in Nielsen's fig/generate_gradient.py with his network2.py:
- weights N(0, 1/n_in), biases N(0, 1) (network2's default initialiser);
- sigmoid hidden and output units, cross-entropy cost summed over the 10 outputs and
  averaged over the images;
- data: the first 1,000 MNIST training images; dC/db is the gradient of the cost averaged
  over those 1,000 images (the average of the per-image dC_x/db);
- training: 500 epochs of SGD with eta = 0.1, lambda = 5.0 (L2, weight decay
  1 - eta*lambda/n with n = 1,000) and mini-batch size 1,000, i.e. one full-batch gradient
  step per epoch, as in his script (his text describes the 1,000 images and 500 epochs).
  The norms after j epochs are the gradients used by step j+1.
One net for one seed is the Keras reference ``layer_speed.py`` beside this file; this sweep
trains all seeds of one net as one stacked model with the shared engine
(``snippets/engine/stacked.py``), from the reference's initial weights; ``equivalence``
proves both give the same numbers.
Costs: 3 nets x 5 seeds x 500 full-batch steps on 1,000 images, about 1e12 operations:
~1 min on 2 CPU cores.  Smoke run: `python -m buildbook run layer_speed --smoke --out /tmp/x`.
"""
from __future__ import annotations

import numpy as np

from snippets.engine import mnist
from snippets.engine import stacked as sm

from . import layer_speed as reference

NAME = "layer_speed"
TITLE = "Speed of learning per hidden layer: ||dC/db|| in deep sigmoid nets (Nielsen ch. 5)"
DEPTHS = (2, 3, 4)
HIDDEN, ETA, LMBDA = reference.HIDDEN, reference.ETA, reference.LMBDA
N_IMAGES, EPOCHS = reference.N_IMAGES, reference.EPOCHS
CHUNK = 50                      # epochs per compiled call (and per checkpoint)

# Engine == reference, step for step (tests/test_equivalence.py): one net, >= 50 steps.
EQUIVALENCE = [
    {"config": "h4", "seed": 2, "epochs": 55, "train_size": 300, "eval_size": 300},
]

# Nielsen's values at initialisation, as his ch. 5 prints them for one random initialisation
# of each net (http://neuralnetworksanddeeplearning.com/chap5.html, "the speed of learning").
NIELSEN_INIT = {"h2": [0.07, 0.31], "h3": [0.012, 0.060, 0.283],
                "h4": [0.003, 0.017, 0.070, 0.285]}


def settings(epochs=None, train_size=None, eval_size=None):
    n = min(train_size or N_IMAGES, N_IMAGES)
    return {
        "sizes": {f"h{d}": [784] + [HIDDEN] * d + [10] for d in DEPTHS},
        "activation": "sigmoid (hidden and output)",
        "cost": "cross-entropy summed over the 10 sigmoid outputs, averaged over images",
        "init": "W ~ N(0, 1/n_in), b ~ N(0, 1) (layer_speed.build_model(seed, depth))",
        "images": f"first {n} MNIST training images",
        "eta": ETA, "lambda": LMBDA, "mini_batch": n,
        "weight_decay_per_step": 1 - ETA * LMBDA / n,
        "epochs": epochs if epochs is not None else EPOCHS,
        "grad_norm": "||dC/db_l||: gradient of the cost averaged over the images, "
                     "measured after 0, 1, ..., E epochs",
        "accuracy": f"validation and training accuracy after 0, {CHUNK}, {2 * CHUNK}, ..., E epochs",
        "eval_size": eval_size or 10000,
        "literature": {"source": "Nielsen, Neural Networks and Deep Learning, ch. 5",
                       "init_norm_b": NIELSEN_INIT},
    }


class SpeedGroup:
    """All seeds of one architecture as one stacked model."""

    def __init__(self, depth, seeds, epochs, data):
        self.depth, self.seeds, self.epochs, self.data = depth, list(seeds), epochs, data
        self.key = f"h{depth}"
        self.members = [(self.key, s) for s in self.seeds]
        self.sizes = [784] + [HIDDEN] * depth + [10]
        n = data["n"]
        # C = (1/n) sum over images and the 10 units of CE -> loss_scale 1/n; decay lambda/n
        self.trainer = sm.get_trainer(self.sizes, ["sigmoid"] * len(self.seeds), ETA,
                                      LMBDA / n, 1.0 / n, n)

    def fingerprint(self):
        return {"experiment": NAME, "depth": self.depth, "seeds": self.seeds,
                "epochs": self.epochs, "n": self.data["n"], "eval_size": self.data["n_eval"],
                "backend": sm.backend()}

    def start(self):
        # Initial weights of every member: the reference's Keras model for that seed.
        params = self.trainer.stack.from_members(
            [reference.build_model(s, self.depth, self.data["n"]).get_weights() for s in self.seeds])
        return {"epoch": 0, "params": params, "hist": {"norm_b": [], "val_acc": [], "train_acc": [],
                                                        "acc_epochs": []}}

    def _accuracy(self, params, hist, epoch):
        d, tr = self.data, self.trainer
        hist["acc_epochs"].append(epoch)
        hist["val_acc"].append(tr.accuracy(params, d["xv"], d["yv"]).tolist())
        hist["train_acc"].append(tr.accuracy(params, d["xs"], d["ys"]).tolist())

    def advance(self, st):
        d, tr = self.data, self.trainer
        steps = min(CHUNK, self.epochs - st["epoch"])
        params = tr.to_device(st["params"])
        if st["epoch"] == 0:
            self._accuracy(params, st["hist"], 0)
        params, norms = tr.fullbatch(params, d["X"], d["Y"], steps)     # norms before each step
        st["hist"]["norm_b"].extend(norms.tolist())
        epoch = st["epoch"] + steps
        if epoch == self.epochs:                                         # norms after the last step
            nb, _, _, _ = tr.gradstats(params, d["X"], d["Y"], d["ys"])
            st["hist"]["norm_b"].append(nb.tolist())
        self._accuracy(params, st["hist"], epoch)
        return {"epoch": epoch, "params": tr.to_numpy(params), "hist": st["hist"]}

    def results(self, st):
        h = st["hist"]
        if self.epochs == 0:
            raise ValueError("epochs must be >= 1")
        nb = np.asarray(h["norm_b"], np.float64)                # [E+1, K, L]
        va, ta = np.asarray(h["val_acc"]), np.asarray(h["train_acc"])
        out = []
        for k, seed in enumerate(self.seeds):
            init, final = nb[0, k], nb[-1, k]
            metrics = {"init_norm_b": init.tolist(), "final_norm_b": final.tolist(),
                       "init_ratio_last_to_first": float(init[-1] / init[0]),
                       "final_ratio_last_to_first": float(final[-1] / final[0]),
                       "final_val_acc": float(va[-1, k]), "final_train_acc": float(ta[-1, k])}
            curves = {"norm_b": nb[:, k].tolist(), "acc_epochs": list(h["acc_epochs"]),
                      "val_acc": va[:, k].tolist(), "train_acc": ta[:, k].tolist()}
            out.append({"seed": seed, "metrics": metrics, "curves": curves})
        return out


def load_data(train_size=None, eval_size=None):
    from keras import ops
    (xtr, ytr), (xv, yv), _ = mnist.load_mnist()
    n = min(train_size or N_IMAGES, N_IMAGES)
    m = eval_size or len(xv)
    return {"X": ops.convert_to_tensor(xtr[:n]), "Y": ops.convert_to_tensor(sm.one_hot(ytr[:n])),
            "xs": xtr[:n], "ys": ytr[:n], "xv": xv[:m], "yv": yv[:m], "n": n, "n_eval": m}


def run(seeds, epochs=None, train_size=None, eval_size=None, depths=DEPTHS, *, drive):
    """Per-seed ||dC/db|| per hidden layer at init and after every epoch, for each net."""
    E = EPOCHS if epochs is None else epochs
    data = load_data(train_size, eval_size)
    groups = [SpeedGroup(d, seeds, E, data) for d in depths]
    by_group = drive(groups)
    configs = {g.key: {"settings": {"sizes": g.sizes, "epochs": E, "hidden_layers": g.depth},
                       "per_seed": by_group[g.key]} for g in groups}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def equivalence(case):
    """(reference, engine) for one net and seed: the Keras reference's own train() and this
    sweep's SpeedGroup, from the same initial weights."""
    depth = int(case["config"][1:])
    E, n, m = case["epochs"], case["train_size"], case["eval_size"]
    model, hist = reference.train(case["seed"], E, n, m, depth)
    g = SpeedGroup(depth, [case["seed"]], E, load_data(n, m))
    st = g.start()
    while st["epoch"] < g.epochs:
        st = g.advance(st)
    h = st["hist"]
    at = np.asarray(h["acc_epochs"])                        # the engine measures accuracy every CHUNK
    ref = {"steps": E, "weights": model.get_weights(), "norm_b": np.asarray(hist["norm_b"]),
           "val_acc": np.asarray(hist["val_acc"])[at], "train_acc": np.asarray(hist["train_acc"])[at]}
    eng = {"steps": E, "weights": g.trainer.stack.member_params(st["params"], 0),
           "norm_b": np.asarray(h["norm_b"])[:, 0], "val_acc": np.asarray(h["val_acc"])[:, 0],
           "train_acc": np.asarray(h["train_acc"])[:, 0]}
    return ref, eng
