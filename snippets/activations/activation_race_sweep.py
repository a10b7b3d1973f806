"""Which activation trains a deeper MNIST net best? Seven activations, same depth, same SGD.

Shows: MNIST nets with 6 hidden layers of 100 units, trained with plain SGD (learning rate
0.05, mini-batch 32) for 5 epochs on the 50,000 training images, each activation with the
initialisation made for it -- Glorot for sigmoid and tanh, He for the ReLU family and ELU,
LeCun for SELU -- over several seeds: validation accuracy and training loss (first 10,000
training images) after every epoch, and the final accuracies.

Costs: 7 activations x 5 seeds = 35 nets, 175 model-epochs: about 6-9 minutes on 2 CPU cores
with the JAX backend.  Smoke run:
`python activation_race.py --seeds 2 --epochs 1 --train-size 300 --eval-size 300`.

Hands-on ML (seed 003) ranks "ELU > leaky ReLU (and variants) > ReLU > tanh > sigmoid" for
the hidden layers of deep nets, "although your mileage will vary"; the ranking we measure is
computed from the record, not assumed.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np  # noqa: E402

from snippets.engine import deep as dm  # noqa: E402

NAME = "activation_race"
TITLE = "Seven activations in a 6-hidden-layer MNIST net (matching initialisation, plain SGD)"
HIDDEN_LAYERS = 6
WIDTH = 100
SIZES = [784] + [WIDTH] * HIDDEN_LAYERS + [10]
LR = 0.05
BATCH = 32
EPOCHS = 5
TRAIN_EVAL = 10_000
# name: (deep_mlp mode, alpha, initialisation)
ACTIVATIONS = {
    "sigmoid": ("sigmoid", 0.0, "glorot"),
    "tanh": ("tanh", 0.0, "glorot"),
    "relu": ("leaky", 0.0, "he"),
    "leaky_relu_0.01": ("leaky", 0.01, "he"),
    "leaky_relu_0.2": ("leaky", 0.2, "he"),
    "elu": ("elu", 0.0, "he"),
    "selu": ("selu", 0.0, "lecun"),
}
# Seed 003's ranking, best first (leaky ReLU stands for both of our leaky variants).
LITERATURE_RANKING = ("elu", "leaky_relu", "relu", "tanh", "sigmoid")


def config_name(act):
    return act.replace(".", "_")


def settings(epochs, train_size, eval_size):
    return {"sizes": SIZES, "activations": {k: {"mode": m, "alpha": a, "init": i}
                                            for k, (m, a, i) in ACTIVATIONS.items()},
            "learning_rate": LR, "batch_size": BATCH, "epochs": epochs, "optimizer": "plain SGD",
            "loss": "softmax cross-entropy, mean over the mini-batch",
            "init": "normal: Glorot N(0, 2/(fan_in+fan_out)), He N(0, 2/fan_in), "
                    "LeCun N(0, 1/fan_in), every layer; biases 0",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": train_size or 50000, "eval_size": eval_size or 10000,
            "train_loss_on": f"first {TRAIN_EVAL} training images",
            "minibatch_order": "per member: numpy default_rng([2024, seed, epoch]).permutation",
            "literature_ranking": list(LITERATURE_RANKING)}


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = dm.load_data(train_size, eval_size)
    groups = []
    for act, (mode, alpha, init) in ACTIVATIONS.items():
        members = [{"config": config_name(act), "seed": s, "lr": LR, "alpha": alpha, "init": init}
                   for s in seeds]
        groups.append(dm.Group(config_name(act), SIZES, mode, members, epochs, data, BATCH,
                               salt=2, train_eval=TRAIN_EVAL, name=NAME))
    by_group = drive(groups)
    configs = {}
    for act, (mode, alpha, init) in ACTIVATIONS.items():
        key = config_name(act)
        configs[key] = {"settings": {"activation": act, "mode": mode, "alpha": alpha, "init": init},
                        "per_seed": by_group[key][key]}
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
    rows = []
    for name, c in result["configs"].items():
        acc = [r["metrics"]["final_test_acc"] * 100 for r in c["per_seed"]]
        rows.append((np.mean(acc), name, *dm.mean_std(acc)))
    print("activation          final test acc (%)")
    for _, name, m, s in sorted(rows, reverse=True):
        print(f"{name:18s}  {m:6.2f} +- {s:4.2f}")


if __name__ == "__main__":
    main()
