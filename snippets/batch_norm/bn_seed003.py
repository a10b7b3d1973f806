"""Seed 003's batch-norm example (Hands-on ML, ch. 11), with and without BN, over several seeds.

Shows: validation and test accuracy per epoch of a 784-300-100-10 ELU net trained exactly as in
the book's TF1 example, with batch normalization before each activation and on the logits, and
the same net without BN; steps to reach fixed validation accuracies.  The book's point: on such
a shallow net BN barely helps.

Setup (from the book's code): He-initialised weights (here N(0, 2/fan_in)), ELU, BN with
momentum 0.9 and epsilon 1e-3 on both hidden layers (before the ELU) and on the logits,
softmax cross-entropy averaged over the batch, plain SGD with learning rate 0.01, mini-batch
200, 20 epochs over 50,000 training images.  Without BN the dense layers have biases (zero at
start); with BN they have none (beta plays their part: a bias in front of BN gets no gradient).
All members see the same mini-batch order; they differ in their initial weights.

Costs: 2 configurations x 5 seeds x 20 epochs = 200 model-epochs (about 1.6e14 floating-point
operations): roughly 4-5 minutes on 2 CPU cores with the JAX backend.  Smoke run:
`python bn_seed003.py --seeds 2 --epochs 1 --train-size 300 --eval-size 300`, ~10 s.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bn_stacked as bs  # noqa: E402

NAME = "bn_seed003"
TITLE = "Seed 003's BN example: 784-300-100-10 ELU, with and without batch normalization"
SIZES = [784, 300, 100, 10]
LR = 0.01
BATCH = 200
EPOCHS = 20
MOMENTUM = 0.9
EPS = 1e-3
TARGETS = (0.95, 0.97)


def settings(epochs, train_size, eval_size):
    n = train_size or 50000
    return {"sizes": SIZES, "activation": "elu", "init": "He: W ~ N(0, 2/fan_in); biases 0",
            "learning_rate": LR, "optimizer": "plain SGD", "batch_size": BATCH, "epochs": epochs,
            "steps_per_epoch": n // BATCH, "bn_momentum": MOMENTUM, "bn_epsilon": EPS,
            "bn": "before each ELU and on the logits (configuration 'bn')",
            "loss": "softmax cross-entropy, mean over the batch",
            "data": "MNIST 50,000 train / 10,000 validation / 10,000 test",
            "train_size": n, "eval_size": eval_size or 10000,
            "targets": list(TARGETS),
            "minibatch_order": f"shared: permutation from numpy default_rng([{bs.ORDER_SEED}, epoch])",
            "evaluation": "after every epoch, inference mode (BN uses its moving averages)"}


def run(seeds, epochs=None, train_size=None, eval_size=None, state_dir=None, progress=None,
        done=None):
    epochs = epochs or EPOCHS
    data = bs.load_data(train_size, eval_size)
    per_epoch = data["n_train"] // BATCH
    groups = []
    for config, bn in (("plain", False), ("bn", True)):
        net = bs.Net(SIZES, "elu", len(seeds), bn=bn, bn_logits=True, eps=EPS, momentum=MOMENTUM)
        groups.append(bs.Group(NAME, config, seeds, net, LR, BATCH, per_epoch, epochs, data,
                               targets=TARGETS))
    by = bs.sm.drive(groups, state_dir, progress, done)
    configs = {g.key: {"settings": {"bn": g.key == "bn", "epochs": epochs},
                       "per_seed": by[g.key]} for g in groups}
    return {"settings": settings(epochs, train_size, eval_size), "configs": configs}


def main(argv=None):
    bs.main_for(run, TITLE, argv)


if __name__ == "__main__":
    main()
