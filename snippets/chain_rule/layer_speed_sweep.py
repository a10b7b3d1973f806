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
Costs: 3 nets x 5 seeds x 500 full-batch steps on 1,000 images, about 1e12 operations:
~30 s on 2 CPU cores.  Smoke run: `python layer_speed.py --seeds 2 --epochs 5`.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np  # noqa: E402

from snippets.engine import mnist as mnist_data  # noqa: E402
from snippets.engine import stacked as sm  # noqa: E402

NAME = "layer_speed"
TITLE = "Speed of learning per hidden layer: ||dC/db|| in deep sigmoid nets (Nielsen ch. 5)"
DEPTHS = (2, 3, 4)
HIDDEN = 30
ETA = 0.1
LMBDA = 5.0
N_IMAGES = 1000
EPOCHS = 500
CHUNK = 50                      # epochs per compiled call (and per checkpoint)

# Nielsen's values at initialisation, from his ch. 5 text (one random initialisation each;
# quoted from memory of the book: check against
# http://neuralnetworksanddeeplearning.com/chap5.html before citing on a page).
NIELSEN_INIT = {"h2": [0.07, 0.31], "h3": [0.012, 0.060, 0.283],
                "h4": [0.003, 0.017, 0.070, 0.285]}


def settings(epochs=None, train_size=None, eval_size=None):
    n = min(train_size or N_IMAGES, N_IMAGES)
    return {
        "sizes": {f"h{d}": [784] + [HIDDEN] * d + [10] for d in DEPTHS},
        "activation": "sigmoid (hidden and output)",
        "cost": "cross-entropy summed over the 10 sigmoid outputs, averaged over images",
        "init": "W ~ N(0, 1/n_in), b ~ N(0, 1)",
        "images": f"first {n} MNIST training images",
        "eta": ETA, "lambda": LMBDA, "mini_batch": n,
        "weight_decay_per_step": 1 - ETA * LMBDA / n,
        "epochs": epochs if epochs is not None else EPOCHS,
        "grad_norm": "||dC/db_l||: gradient of the cost averaged over the images, "
                     "measured after 0, 1, ..., E epochs",
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
        self.trainer = sm.get_trainer(self.sizes, ["sigmoid"] * len(self.seeds), ETA,
                                      LMBDA / n, 1.0 / n, n)

    def fingerprint(self):
        return {"experiment": NAME, "depth": self.depth, "seeds": self.seeds,
                "epochs": self.epochs, "n": self.data["n"], "eval_size": self.data["n_eval"],
                "backend": sm.backend()}

    def start(self):
        rngs = [np.random.default_rng([s, 1000 + self.depth]) for s in self.seeds]
        params = self.trainer.stack.init(rngs, lambda act, n_in: n_in ** -0.5)
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
    (xtr, ytr), (xv, yv), _ = mnist_data.load_mnist()
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


def main(argv=None):
    ap = argparse.ArgumentParser(description=TITLE)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=None, help=f"default {EPOCHS}")
    ap.add_argument("--train-size", type=int, default=None, help=f"images (at most {N_IMAGES})")
    ap.add_argument("--eval-size", type=int, default=None)
    a = ap.parse_args(argv)
    result = run(list(range(a.seeds)), a.epochs, a.train_size, a.eval_size)
    for key, c in result["configs"].items():
        init = np.array([r["metrics"]["init_norm_b"] for r in c["per_seed"]])
        fin = np.array([r["metrics"]["final_norm_b"] for r in c["per_seed"]])
        E = c["settings"]["epochs"]
        print(f"{key}: ||dC/db|| per hidden layer (mean over {len(init)} seeds)")
        print("  at init:        " + "  ".join(f"{v:.4f}" for v in init.mean(0))
              + "   Nielsen: " + "  ".join(f"{v:.3f}" for v in NIELSEN_INIT[key]))
        print(f"  after {E:3d} epochs: " + "  ".join(f"{v:.4f}" for v in fin.mean(0)))
        acc = np.mean([r["metrics"]["final_val_acc"] for r in c["per_seed"]])
        print(f"  validation accuracy after {E} epochs: {acc:.3f}")


if __name__ == "__main__":
    main()
