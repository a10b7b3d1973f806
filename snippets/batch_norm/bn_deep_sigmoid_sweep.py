"""A deep sigmoid net that stalls without batch normalization and trains with it.

Shows: validation accuracy, measured every 416 steps, of a 784-(100 x 10)-10 sigmoid net with
and without BN before each sigmoid, over several seeds; steps to reach fixed accuracies.

Setup: 10 hidden layers of 100 sigmoid units, weights N(0, 1/fan_in) (the initialisation of
the chain-rule chapter), biases 0; with BN: gamma 1, beta 0, momentum 0.9, epsilon 1e-3, no
BN on the logits; softmax cross-entropy averaged over the batch; plain SGD, learning rate 0.5,
mini-batch 60 (Ioffe & Szegedy's MNIST batch size), 10 x 2 blocks of 416 steps (about 10
epochs over 50,000 training images).  Evaluated after every block (about half an epoch) in
inference mode (BN with its moving averages).

Costs: 2 configurations x 5 seeds x 10 epochs, about 1.5-2 minutes on 2 CPU cores with the JAX
backend.  Smoke run: `python bn_deep_sigmoid.py --seeds 2 --epochs 1 --train-size 300
--eval-size 300`, ~10 s.
"""
from __future__ import annotations

import os
import sys

from snippets.engine import bn as bs  # noqa: E402

NAME = "bn_deep_sigmoid"
TITLE = "A 10-hidden-layer sigmoid net, with and without batch normalization"
DEPTH = 10
SIZES = [784] + [100] * DEPTH + [10]
LR = 0.5
BATCH = 60
EPOCHS = 10
MOMENTUM = 0.9
TARGETS = (0.5, 0.9, 0.95)


def settings(epochs, train_size, eval_size):
    n = train_size or 50000
    return {"sizes": SIZES, "hidden_layers": DEPTH, "activation": "sigmoid",
            "init": "W ~ N(0, 1/fan_in); biases 0", "learning_rate": LR, "optimizer": "plain SGD",
            "batch_size": BATCH, "epochs": epochs, "steps_per_epoch": n // BATCH,
            "eval_every_steps": max(1, n // BATCH // 2),
            "steps": 2 * epochs * max(1, n // BATCH // 2),
            "bn_momentum": MOMENTUM, "bn_epsilon": 1e-3,
            "bn": "before every sigmoid, not on the logits (configuration 'bn')",
            "loss": "softmax cross-entropy, mean over the batch",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": n, "eval_size": eval_size or 10000, "targets": list(TARGETS),
            "minibatch_order": f"shared: permutation from numpy default_rng([{bs.ORDER_SEED}, epoch])"}


def run(seeds, epochs=None, train_size=None, eval_size=None, *, drive):
    epochs = epochs or EPOCHS
    data = bs.load_data(train_size, eval_size)
    per_epoch = data["n_train"] // BATCH
    half = max(1, per_epoch // 2)
    schedule = [half] * (2 * epochs)            # blocks of half an epoch (416 steps)
    groups = []
    for config, bn in (("plain", False), ("bn", True)):
        net = bs.Net(SIZES, "sigmoid", len(seeds), bn=bn, momentum=MOMENTUM)
        groups.append(bs.Group(NAME, config, seeds, net, LR, BATCH, schedule, None, data,
                               targets=TARGETS))
    by = drive(groups)
    configs = {g.key: {"settings": {"bn": g.key == "bn", "epochs": epochs},
                       "per_seed": by[g.key]} for g in groups}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def main(argv=None):
    bs.main_for(run, TITLE, argv)


if __name__ == "__main__":
    main()
