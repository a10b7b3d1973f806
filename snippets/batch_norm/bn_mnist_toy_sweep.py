"""Ioffe & Szegedy's MNIST experiment: 3 x 100 sigmoid units, mini-batch 60, 50,000 steps.

Shows: validation accuracy over training, with and without BN before each sigmoid, over
several seeds; steps to reach fixed accuracies (the paper's "same accuracy in fewer steps",
at MNIST scale); and, as in the paper's Figure 1(b, c), the 15th, 50th and 85th percentiles of
the input of one sigmoid unit of the last hidden layer over training.

Setup (the paper's, where it gives one): 3 fully connected hidden layers of 100 sigmoid units,
10 softmax outputs, cross-entropy, mini-batch 60, 50,000 steps.  Where the paper is silent, our
choices: weights N(0, 1/fan_in), biases 0; plain SGD with learning rate 0.5; BN momentum 0.9,
epsilon 1e-3.  Evaluation after steps 100, 200, ..., 500, then every 500 steps, in inference
mode (BN with its moving averages) on the 10,000 validation images; the percentiles are over
the first 1,000 validation images, unit 0 of hidden layer 3; test accuracy only at the end.
Steadiness of that unit's input, from step 100 on: the largest over the smallest width of its
15th-85th percentile band, and its largest |median|.

Costs: 2 configurations x 5 seeds x 50,000 steps, about 4-5 minutes on 2 CPU cores with the
JAX backend.  Smoke run: `python bn_mnist_toy.py --seeds 2 --epochs 1 --train-size 300
--eval-size 300`, ~10 s (``--epochs E`` trains E epochs instead of 50,000 steps).
"""
from __future__ import annotations

import os
import sys

import numpy as np  # noqa: E402

from snippets.engine import bn as bs  # noqa: E402

NAME = "bn_mnist_toy"
TITLE = "Ioffe & Szegedy's MNIST toy: 3 x 100 sigmoid, batch 60, with and without BN"
SIZES = [784, 100, 100, 100, 10]
LR = 0.5
BATCH = 60
STEPS = 50_000
SCHEDULE = [100] * 5 + [500] * 99           # 500 + 49,500 = 50,000 steps
MOMENTUM = 0.9
PROBE = (2, 0, 1000)                        # hidden layer 3 (index 2), unit 0, 1,000 images
TARGETS = (0.9, 0.95, 0.97)


def settings(schedule, train_size, eval_size):
    n = train_size or 50000
    return {"sizes": SIZES, "activation": "sigmoid", "init": "W ~ N(0, 1/fan_in); biases 0",
            "learning_rate": LR, "optimizer": "plain SGD", "batch_size": BATCH,
            "steps": int(sum(schedule)), "eval_at_steps": "100, 200, 300, 400, 500, then every 500",
            "bn_momentum": MOMENTUM, "bn_epsilon": 1e-3,
            "bn": "before every sigmoid, not on the logits (configuration 'bn')",
            "loss": "softmax cross-entropy, mean over the batch",
            "probe": "input of unit 0 of hidden layer 3 (after BN where there is BN), "
                     "15th/50th/85th percentiles over the first 1,000 validation images, inference mode",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": n, "eval_size": eval_size or 10000, "targets": list(TARGETS),
            "literature": {"steps": 50000, "batch_size": 60, "hidden": [100, 100, 100]},
            "minibatch_order": f"shared: permutation from numpy default_rng([{bs.ORDER_SEED}, epoch])"}


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    data = bs.load_data(train_size, eval_size)
    if epochs:                                  # smoke runs / quick looks: whole epochs
        schedule = [max(1, data["n_train"] // BATCH)] * epochs
    else:
        schedule = SCHEDULE
    probe = (PROBE[0], PROBE[1], min(PROBE[2], data["n_eval"]))
    groups = []
    for config, bn in (("plain", False), ("bn", True)):
        net = bs.Net(SIZES, "sigmoid", len(seeds), bn=bn, momentum=MOMENTUM)
        groups.append(bs.Group(NAME, config, seeds, net, LR, BATCH, schedule, None, data,
                               probe=probe, targets=TARGETS, test_every_block=False))
    by = drive(groups)
    configs = {g.key: {"settings": {"bn": g.key == "bn", "steps": int(sum(schedule))},
                       "per_seed": by[g.key]} for g in groups}
    # How steady is the probed unit's input?  From step 100 on: the largest / smallest width of
    # the 15th-85th percentile band, and the largest |median|.
    for per_seed in by.values():
        for r in per_seed:
            q = np.asarray(r["curves"]["probe"], np.float64)           # [evaluations, 3]
            steps = np.asarray(r["curves"]["step"])
            keep = steps >= min(100, steps[-1])             # smoke runs: just the last evaluation
            width = q[keep, 2] - q[keep, 0]
            r["metrics"]["probe_width_ratio"] = float(width.max() / max(width.min(), 1e-12))
            r["metrics"]["probe_max_abs_median"] = float(np.abs(q[keep, 1]).max())
    # Paired by seed: how many times fewer steps BN needs to reach each target.
    plain, bn = by["plain"], by["bn"]
    for rp, rb in zip(plain, bn):
        for t in TARGETS:
            k = round(t * 100)
            rb["metrics"][f"fewer_steps_{k}"] = rp["metrics"][f"steps_to_{k}"] / max(1, rb["metrics"][f"steps_to_{k}"])
    return {"settings": settings(schedule, train_size, eval_size), "configs": configs}


def main(argv=None):
    bs.main_for(run, TITLE, argv)


if __name__ == "__main__":
    main()
