"""Batch normalization tolerates a much larger learning rate.

Shows: final validation accuracy of a 784-100-100-100-10 ELU net trained with plain SGD at
learning rates from 0.01 to 3, with and without BN before each ELU, over several seeds; which
runs diverge; steps to reach fixed accuracies.

Setup: He-initialised weights N(0, 2/fan_in), biases 0; with BN: gamma 1, beta 0, momentum
0.9, epsilon 1e-3, no BN on the logits; softmax cross-entropy averaged over the batch;
mini-batch 60; 3 x 2 blocks of 416 steps (about 3 epochs over 50,000 training images),
evaluated (inference mode) after every block.  A run counts as diverged when its mean training
loss over the last block is not finite (recorded as the cap 1000).

Costs: 6 learning rates x 2 configurations x 5 seeds x 3 epochs, about 2-3 minutes on 2 CPU
cores with the JAX backend.  Smoke run: `python bn_learning_rate.py --seeds 2 --epochs 1
--train-size 300 --eval-size 300`, ~30 s.
"""
from __future__ import annotations

import os
import sys

from snippets.engine import bn as bs  # noqa: E402

NAME = "bn_learning_rate"
TITLE = "Learning rates 0.01-3 for a 3-hidden-layer ELU net, with and without batch normalization"
SIZES = [784, 100, 100, 100, 10]
LRS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
BATCH = 60
EPOCHS = 3
MOMENTUM = 0.9
TARGETS = (0.9, 0.95)


def lr_key(lr):
    """Config key of a learning rate without dots: 0.03 -> 'lr3e-02'."""
    return "lr" + f"{lr:.0e}"


def settings(epochs, train_size, eval_size):
    n = train_size or 50000
    return {"sizes": SIZES, "activation": "elu", "init": "He: W ~ N(0, 2/fan_in); biases 0",
            "learning_rates": list(LRS), "optimizer": "plain SGD", "batch_size": BATCH,
            "epochs": epochs, "steps_per_epoch": n // BATCH,
            "eval_every_steps": max(1, n // BATCH // 2),
            "steps": 2 * epochs * max(1, n // BATCH // 2),
            "bn_momentum": MOMENTUM, "bn_epsilon": 1e-3,
            "bn": "before every ELU, not on the logits (configurations 'bn.*')",
            "loss": "softmax cross-entropy, mean over the batch",
            "diverged": f"mean training loss over the last block not finite (recorded as {bs.LOSS_CAP:g})",
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
    for bn in (False, True):
        for lr in LRS:
            net = bs.Net(SIZES, "elu", len(seeds), bn=bn, momentum=MOMENTUM)
            key = f"{'bn' if bn else 'plain'}.{lr_key(lr)}"
            groups.append(bs.Group(NAME, key, seeds, net, lr, BATCH, schedule, None, data,
                                   targets=TARGETS))
    by = drive(groups)
    configs = {g.key: {"settings": {"bn": g.key.startswith("bn"), "learning_rate": g.lr,
                                    "epochs": epochs},
                       "per_seed": by[g.key]} for g in groups}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def main(argv=None):
    bs.main_for(run, TITLE, argv)


if __name__ == "__main__":
    main()
