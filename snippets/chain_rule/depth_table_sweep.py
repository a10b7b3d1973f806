"""Seed 000's depth experiment, repeated over several seeds: does depth help, sigmoid vs ReLU?

Shows: best validation accuracy of MNIST nets with 1-4 hidden layers of 100 units, sigmoid
vs ReLU, exactly in the setup of the original TF1 scripts (below), as mean +- std over seeds;
and, from the same runs, the norm of dC/db and dC/dW of every hidden layer at initialisation
and after each epoch (on a fixed subset of 1,000 training images).

Costs: the full table (8 configurations, 30 epochs, 60 for 4 hidden layers) x 5 seeds is
1,500 model-epochs, about 3.2e13 floating-point operations: roughly 10-15 minutes on 2 CPU
cores with the JAX backend (`KERAS_BACKEND=jax`), about 1.5-2x that with TensorFlow.
Smoke run: `python depth_table.py --seeds 2 --epochs 1 --train-size 300 --eval-size 300`,
~20 s.

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
stacked model (see stacked_mlp.py).  The sigmoid and ReLU nets of one seed start from the
same random draws, scaled for their activation.  We also record test accuracy at the
best-validation epoch.  (Some original scripts took one extra repeated step per epoch; we
do not.)
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np  # noqa: E402

from snippets.engine import mnist as mnist_data  # noqa: E402
from snippets.engine import stacked as sm  # noqa: E402

NAME = "depth_table"
TITLE = "MNIST depth table: sigmoid vs ReLU, 1-4 hidden layers (seed 000's setup)"
ACTIVATIONS = ("sigmoid", "relu")
DEPTHS = (1, 2, 3, 4)
HIDDEN = 100
LR = 0.5
BATCH = 10
L2_SCALE = 5.0 / 50000          # tf.contrib.layers.l2_regularizer(scale): scale * sum(w^2)/2
GRAD_SUBSET = 1000              # gradient norms on the first 1,000 training images
ORDER_SEED = 2017               # mini-batch order = permutation from (ORDER_SEED, epoch)

# Seed 000's single-run best validation accuracies (%), from its article.
SEED000 = {"sigmoid": {1: 95.25, 2: 95.87, 3: 96.3, 4: 96.08},
           "relu": {1: 97.62, 2: 97.72, 3: 97.79, 4: 97.79}}


def default_epochs(depth):
    return 60 if depth == 4 else 30


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
        "init": "sigmoid: W ~ N(0,1)/sqrt(fan_in); relu: W ~ N(0,1)/sqrt(fan_in/2); b ~ N(0,1)",
        "data": "MNIST 50,000 train / 10,000 validation (first 10,000 of the 60,000) / 10,000 test",
        "train_size": train_size or 50000, "eval_size": eval_size or 10000,
        "grad_norm_subset": f"first {GRAD_SUBSET} training images",
        "minibatch_order": "shared by all members: permutation from numpy "
                           f"default_rng([{ORDER_SEED}, epoch])",
        "metric": "best validation accuracy over epochs (epochs 1..E)",
    }


def _weight_std(act, fan_in):
    return (fan_in / 2.0) ** -0.5 if act == "relu" else fan_in ** -0.5


class DepthGroup:
    """All seeds x both activations of one depth, trained as one stacked model."""

    def __init__(self, depth, seeds, epochs, data):
        self.depth, self.seeds, self.epochs, self.data = depth, list(seeds), epochs, data
        self.key = f"h{depth}"
        self.members = [(f"{a}.h{depth}", s) for a in ACTIVATIONS for s in self.seeds]
        self.acts = [a for a in ACTIVATIONS for _ in self.seeds]
        self.sizes = [784] + [HIDDEN] * depth + [10]
        self.trainer = sm.get_trainer(self.sizes, self.acts, LR, L2_SCALE, 1.0 / (BATCH * 10), BATCH)

    def fingerprint(self):
        d = self.data
        return {"experiment": NAME, "depth": self.depth, "seeds": self.seeds, "epochs": self.epochs,
                "train_size": d["n_train"], "eval_size": d["n_eval"], "backend": sm.backend()}

    def _measure(self, params, hist):
        tr, d = self.trainer, self.data
        nb, nw, loss, acc = tr.gradstats(params, d["Xg"], d["Yg"], d["yg"])
        hist["val_acc"].append(tr.accuracy(params, d["xv"], d["yv"]).tolist())
        hist["test_acc"].append(tr.accuracy(params, d["xt"], d["yt"]).tolist())
        hist["grad_norm_b"].append(nb.tolist())
        hist["grad_norm_w"].append(nw.tolist())
        hist["subset_loss"].append(loss.tolist())
        hist["subset_acc"].append(acc.tolist())

    def start(self):
        # One generator per member; sigmoid and ReLU nets of one seed share the raw draws.
        rngs = [np.random.default_rng([s, self.depth]) for _ in ACTIVATIONS for s in self.seeds]
        params = self.trainer.stack.init(rngs, _weight_std)
        hist = {k: [] for k in ("val_acc", "test_acc", "grad_norm_b", "grad_norm_w",
                                "subset_loss", "subset_acc")}
        self._measure(self.trainer.to_device(params), hist)
        return {"epoch": 0, "params": params, "hist": hist}

    def advance(self, st):
        tr, d = self.trainer, self.data
        epoch = st["epoch"] + 1
        order = np.random.default_rng([ORDER_SEED, epoch]).permutation(d["n_train"])
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
                      "grad_norm_b": nb.tolist(), "grad_norm_w": nw.tolist(),
                      "subset_loss": h["subset_loss"][:, k].tolist(),
                      "subset_acc": h["subset_acc"][:, k].tolist()}
            out.setdefault(config, []).append({"seed": seed, "metrics": metrics, "curves": curves})
        return out


def load_data(train_size=None, eval_size=None):
    from keras import ops
    (xtr, ytr), (xv, yv), (xt, yt) = mnist_data.load_mnist()
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
    N images (smoke runs).  state_dir: checkpoint folder (resume).  progress/done: see
    stacked_mlp.drive.
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


def summary_table(result):
    rows = ["config        epochs  best val acc (%)     test at best (%)    seed 000 (%)"]
    for name, c in result["configs"].items():
        a, d = name.split(".")
        bv = [r["metrics"]["best_val_acc"] * 100 for r in c["per_seed"]]
        ta = [r["metrics"]["test_acc_at_best"] * 100 for r in c["per_seed"]]
        (m1, s1), (m2, s2) = sm.mean_std(bv), sm.mean_std(ta)
        ref = SEED000[a][int(d[1:])]
        rows.append(f"{name:13s} {c['settings']['epochs']:6d}  {m1:6.2f} +- {s1:4.2f}     "
                    f"{m2:6.2f} +- {s2:4.2f}     {ref:6.2f}")
    return "\n".join(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=TITLE)
    ap.add_argument("--seeds", type=int, default=5, help="number of seeds (0..N-1)")
    ap.add_argument("--epochs", type=int, default=None, help="default: 30 (60 for 4 hidden layers)")
    ap.add_argument("--train-size", type=int, default=None, help="use the first N training images")
    ap.add_argument("--eval-size", type=int, default=None, help="use the first N validation/test images")
    ap.add_argument("--depths", type=int, nargs="+", default=list(DEPTHS))
    a = ap.parse_args(argv)

    def progress(n, total, text):
        print(f"  [{n}/{total} model-epochs] {text}", file=sys.stderr, flush=True)

    result = run(list(range(a.seeds)), a.epochs, a.train_size, a.eval_size, a.depths,
                 progress=progress)
    print(summary_table(result))
    for name, c in result["configs"].items():
        nb = np.array([r["metrics"]["init_grad_norm_b"] for r in c["per_seed"]]).mean(axis=0)
        print(f"{name:13s} ||dC/db|| per hidden layer at init: " + " ".join(f"{v:.2e}" for v in nb))


if __name__ == "__main__":
    main()
