"""Does initialisation decide whether a deep plain ReLU net learns at all? 30 layers, 3 schemes.

Shows: MNIST nets with 30 hidden ReLU layers of 100 units (no batch normalisation, no skip
connections), plain SGD (learning rate 0.01, mini-batch 32), 4 epochs on the 50,000 training
images, with weights drawn from He N(0, 2/fan_in), Glorot N(0, 2/(fan_in + fan_out)) or
N(0, 1), over several seeds: validation accuracy and loss after every epoch.

Costs: 3 schemes x 5 seeds = 15 nets trained as one stacked model, 60 model-epochs: about
4-5 minutes on 2 CPU cores with the JAX backend.  Smoke run:
`python deep_init.py --seeds 2 --epochs 1 --train-size 300 --eval-size 300`.

He et al. (2015, fig. 3) report that a 30-layer plain ReLU network initialised with Glorot's
"Xavier" scheme "completely stalls" while their scheme trains it; with N(0, 1) the signal
grows by about sqrt(fan_in / 2) per layer and overflows.  Nets whose loss becomes NaN/inf are
flagged as diverged and counted as making no correct prediction.
"""
from __future__ import annotations

import argparse
import os
import sys

from snippets.engine import deep as dm  # noqa: E402

NAME = "deep_init"
TITLE = "A 30-layer plain ReLU net on MNIST: He vs Glorot vs N(0,1) initialisation"
HIDDEN_LAYERS = 30
SIZES = [784] + [100] * HIDDEN_LAYERS + [10]
INITS = ("he", "glorot", "normal1")
LR = 0.01
BATCH = 32
EPOCHS = 4
TRAIN_EVAL = 10_000


def settings(epochs, train_size, eval_size):
    return {"sizes": SIZES, "hidden_layers": HIDDEN_LAYERS, "inits": list(INITS),
            "init_std": {"he": "sqrt(2/fan_in)", "glorot": "sqrt(2/(fan_in+fan_out))",
                         "normal1": "1"},
            "learning_rate": LR, "batch_size": BATCH, "epochs": epochs, "optimizer": "plain SGD",
            "activation": "ReLU", "loss": "softmax cross-entropy, mean over the mini-batch",
            "biases": "0", "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": train_size or 50000, "eval_size": eval_size or 10000,
            "train_loss_on": f"first {TRAIN_EVAL} training images",
            "loss_cap": dm.LOSS_CAP,
            "minibatch_order": "per member: numpy default_rng([2024, seed, epoch]).permutation"}


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = dm.load_data(train_size, eval_size)
    members = [{"config": init, "seed": s, "lr": LR, "alpha": 0.0, "init": init}
               for init in INITS for s in seeds]
    group = dm.Group("all", SIZES, "leaky", members, epochs, data, BATCH, salt=3,
                     train_eval=TRAIN_EVAL, name=NAME)
    per_config = drive([group])["all"]
    configs = {init: {"settings": {"init": init}, "per_seed": per_config[init]} for init in INITS}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def main(argv=None):
    ap = argparse.ArgumentParser(description=TITLE)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--train-size", type=int, default=None)
    ap.add_argument("--eval-size", type=int, default=None)
    a = ap.parse_args(argv)

    def progress(n, total, text):
        print(f"  [{n}/{total} model-epochs] {text}", file=sys.stderr, flush=True)

    result = run(list(range(a.seeds)), a.epochs, a.train_size, a.eval_size, progress=progress)
    print("init      final val acc (%)   diverged")
    for name, c in result["configs"].items():
        acc = [r["metrics"]["final_val_acc"] * 100 for r in c["per_seed"]]
        div = sum(r["metrics"]["diverged"] for r in c["per_seed"])
        m, s = dm.mean_std(acc)
        print(f"{name:8s}  {m:6.2f} +- {s:5.2f}     {div:.0f}/{len(acc)}")


if __name__ == "__main__":
    main()
