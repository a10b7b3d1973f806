"""Exercise answer: ReLU units killed by a large learning rate, and the bias shift that revives
each one, on a small numpy stand-in for dead_relu.py (synthetic data instead of MNIST). CPU, ~2 s.

A unit is dead when its weighted input z = x.w + b is at most 0 for every training example:
it outputs 0 and gets gradient 0 from all of them.  Adding db to its bias shifts every z by db,
so the unit fires again on some example exactly when db > -max_i z_i.  How much is needed
depends on the unit's weights and on the data, through that largest weighted input.
"""
import numpy as np

rng = np.random.default_rng(0)
n, d, hidden, classes = 2000, 20, 100, 10
X = rng.standard_normal((n, d))
labels = np.argmax(X @ rng.standard_normal((d, classes)), axis=1)     # a random linear teacher
Y = np.eye(classes)[labels]


def init(seed):
    r = np.random.default_rng(seed)
    return [r.standard_normal((d, hidden)) * np.sqrt(2 / d), np.zeros(hidden),   # He
            r.standard_normal((hidden, classes)) * np.sqrt(1 / hidden), np.zeros(classes)]


def train(params, lr, steps=600, batch=32, seed=1):
    W1, b1, W2, b2 = params
    r = np.random.default_rng(seed)
    for _ in range(steps):
        i = r.integers(0, n, batch)
        z = X[i] @ W1 + b1
        a = np.maximum(z, 0)
        logits = a @ W2 + b2
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        dlogits = (p - Y[i]) / batch                 # softmax + cross-entropy
        dz = dlogits @ W2.T * (z > 0)                # relu'(z) = 1 if z > 0 else 0
        W2 -= lr * a.T @ dlogits
        b2 -= lr * dlogits.sum(0)
        W1 -= lr * X[i].T @ dz
        b1 -= lr * dz.sum(0)
    return W1, b1, W2, b2


print("learning rate   dead units (z <= 0 on all training examples)")
dead_counts = {}
lr_low, lr_high = 0.01, 5.0
for lr in (lr_low, lr_high):
    W1, b1, W2, b2 = train(init(0), lr)
    Z = X @ W1 + b1                                  # weighted inputs, every example, every unit
    dead = np.flatnonzero(Z.max(axis=0) <= 0)
    dead_counts[lr] = len(dead)
    print(f"{lr:13.2f}   {len(dead)} of {hidden}")
dead_low_lr, dead_high_lr = dead_counts[lr_low], dead_counts[lr_high]

# The network trained at the high rate: the shift each dead unit needs is -max_i z_i.
needed = -Z[:, dead].max(axis=0)
print(f"bias shift needed by the dead units: smallest {needed.min():.3f}, median "
      f"{np.median(needed):.3f}, largest {needed.max():.3f}")
needed_min, needed_median, needed_max = float(needed.min()), float(np.median(needed)), float(needed.max())
# Check, at the frozen weights: just below the threshold the unit stays dead, just above it fires
# on (at least) one example.  Whether it stays alive once training goes on is not tested here.
below = (Z[:, dead] + needed - 1e-6).max(axis=0) > 0
above = (Z[:, dead] + needed + 1e-6).max(axis=0) > 0
revived_all = bool(above.all() and not below.any())
fired_on = ((Z[:, dead] + needed + 1e-6) > 0).sum(axis=0)
print(f"db = needed - 1e-6 revives {below.sum()} units; db = needed + 1e-6 revives {above.sum()} "
      f"of {len(dead)}, each on {fired_on.min()}..{fired_on.max()} example(s)")
# A larger shift wakes a unit on more examples; +1 on top of the threshold:
fired_plus_one = ((Z[:, dead] + needed + 1.0) > 0).mean(axis=0)
print(f"db = needed + 1: each revived unit fires on {fired_plus_one.min():.1%}..{fired_plus_one.max():.1%} of the examples")
