"""Exercise answer: Keras's moving mean with momentum 0.9 after 10 training steps on batches whose
mean is about 5, from the formula and from the update rule applied to the batches. CPU, <1 s.

Keras updates moving = momentum * moving + (1 - momentum) * batch_mean, starting from 0.  If every
batch mean were m, after k steps moving = m * (1 - momentum^k).
"""
import numpy as np

momentum, steps, true_mean = 0.9, 10, 5.0
formula = true_mean * (1 - momentum ** steps)             # 5 * (1 - 0.9^10)
formula_slow = true_mean * (1 - 0.99 ** steps)            # Keras's default momentum 0.99
print(f"formula: 5 * (1 - 0.9**10) = {formula:.3f}   (momentum 0.99: {formula_slow:.3f})")

# Batches like those of item 2 of keras_pitfalls.py: 32 x 4 values from N(5, 3^2)
rng = np.random.default_rng(3)
batches = [rng.normal(5.0, 3.0, (32, 4)).astype("float32") for _ in range(steps)]
moving = np.zeros(4)
for batch in batches:
    moving = momentum * moving + (1 - momentum) * batch.mean(axis=0)
moving_mean_10 = float(moving[0])
print(f"update rule on {steps} random batches: moving mean of unit 1 = {moving_mean_10:.3f}, "
      f"all units {np.round(moving, 3)}")
# momentum^k of the way is still to go after k steps
remaining = momentum ** steps
print(f"share of the way still to go after {steps} steps: {remaining:.1%} (momentum 0.99: {0.99 ** steps:.1%})")
