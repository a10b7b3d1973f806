"""Dead ReLUs: how many hidden units never fire on the training set, versus learning rate.

Shows: MNIST nets 784-100-100-100-10 trained with plain SGD (mini-batch 32) at five learning
rates, three variants each -- ReLU with zero biases, ReLU with every hidden bias started at
0.01 (cs231n's trick), and leaky ReLU (alpha = 0.01) -- over several seeds.  After every
epoch we push all 50,000 training images through each net and count the hidden units whose
weighted input is never positive: a dead ReLU unit gets no gradient from any image and can
never recover.  (For leaky ReLU the same count means "never positive", not "dead": its
negative side still passes a gradient of alpha.)

Costs: 5 learning rates x 3 variants x 5 seeds = 75 nets trained as one stacked model,
3 epochs on the 50,000 training images: about 8-10 minutes on 2 CPU cores with the JAX
backend.  Smoke run: `python dead_relu.py --seeds 2 --epochs 1 --train-size 300 --eval-size 300`.

He-normal weights (std sqrt(2/fan_in)) for all variants; the three variants of one seed start
from the same weights and see the same mini-batches.  Softmax cross-entropy, mean over the
batch.  A net whose loss became NaN/inf is flagged as diverged.
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np  # noqa: E402

from snippets.engine import deep as dm  # noqa: E402

NAME = "dead_relu"
TITLE = "Dead ReLUs versus learning rate: ReLU, ReLU with bias 0.01, leaky ReLU"
SIZES = [784, 100, 100, 100, 10]
LEARNING_RATES = (0.01, 0.1, 0.3, 0.5, 0.7)
VARIANTS = {"relu": {"alpha": 0.0, "bias": 0.0},
            "relu_bias": {"alpha": 0.0, "bias": 0.01},
            "leaky": {"alpha": 0.01, "bias": 0.0}}
EPOCHS = 3
BATCH = 32
# cs231n (seed 002): "10-20 % of the network" can be dead after training at a high rate.
LITERATURE_DEAD = (0.10, 0.20)


def lr_key(lr):
    return "lr" + f"{lr:g}".replace(".", "_")


def settings(epochs, train_size, eval_size):
    return {"sizes": SIZES, "learning_rates": list(LEARNING_RATES), "variants": VARIANTS,
            "epochs": epochs, "batch_size": BATCH, "optimizer": "plain SGD",
            "loss": "softmax cross-entropy, mean over the mini-batch",
            "init": "He normal N(0, 2/fan_in) for every layer; hidden biases 0 or 0.01, output biases 0",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": train_size or 50000, "eval_size": eval_size or 10000,
            "dead": "fraction of hidden units (all layers) whose weighted input is <= 0 "
                    "on every training image",
            "minibatch_order": "per member: numpy default_rng([2024, seed, epoch]).permutation",
            "literature_dead": list(LITERATURE_DEAD)}


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = dm.load_data(train_size, eval_size)
    members = [{"config": f"{v}.{lr_key(lr)}", "seed": s, "lr": lr, "init": "he", **VARIANTS[v]}
               for v in VARIANTS for lr in LEARNING_RATES for s in seeds]
    group = dm.Group("all", SIZES, "leaky", members, epochs, data, BATCH, salt=1, name=NAME)
    per_config = drive([group])["all"]
    configs = {}
    for v in VARIANTS:
        for lr in LEARNING_RATES:
            name = f"{v}.{lr_key(lr)}"
            configs[name] = {"settings": {"variant": v, "learning_rate": lr, **VARIANTS[v]},
                             "per_seed": per_config[name]}
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
    print("config              dead units (%)     val acc (%)   diverged")
    for name, c in result["configs"].items():
        dead = [r["metrics"]["final_dead"] * 100 for r in c["per_seed"]]
        acc = [r["metrics"]["final_val_acc"] * 100 for r in c["per_seed"]]
        div = sum(r["metrics"]["diverged"] for r in c["per_seed"])
        (m1, s1), (m2, s2) = dm.mean_std(dead), dm.mean_std(acc)
        print(f"{name:18s} {m1:6.2f} +- {s1:5.2f}   {m2:6.2f} +- {s2:5.2f}   {div:.0f}/{len(dead)}")


if __name__ == "__main__":
    main()
