"""Rosenblatt's perceptron learning rule: it converges on a linearly separable set and never
converges on XOR.  Numpy only, CPU, ~1 s."""
import numpy as np
import matplotlib.pyplot as plt


def step(z):
    return (z >= 0).astype(float)               # the threshold unit: 1 if z >= 0 else 0


def train_perceptron(X, y, max_epochs, lr=1.0):
    """Rosenblatt's rule, one example at a time: w <- w + lr * (y - y_hat) * x (same for b).
    Returns weights, bias, the number of updates, and the errors made in each epoch."""
    w, b = np.zeros(X.shape[1]), 0.0
    updates, errors_per_epoch = 0, []
    for epoch in range(max_epochs):
        errors = 0
        for x_i, y_i in zip(X, y):
            err = y_i - step(np.array(w @ x_i + b))     # 0 if right, +1 or -1 if wrong
            if err != 0:
                w, b = w + lr * err * x_i, b + lr * err
                updates += 1
                errors += 1
        errors_per_epoch.append(errors)
        if errors == 0:                                 # a whole pass without a mistake: done
            break
    return w, b, updates, errors_per_epoch


# A linearly separable set: 60 random points labelled by a line (none closer to it than 0.1).
rng = np.random.default_rng(1957)
X_sep = rng.uniform(-2, 2, (200, 2))
margin = X_sep @ np.array([1.0, 0.6]) - 0.2            # the "true" line x1 + 0.6 x2 = 0.2
X_sep = X_sep[np.abs(margin) > 0.1][:60]
y_sep = (X_sep @ np.array([1.0, 0.6]) - 0.2 > 0).astype(int)

w, b, sep_updates, sep_errors = train_perceptron(X_sep, y_sep, max_epochs=100)
sep_epochs = len(sep_errors)
sep_converged = sep_errors[-1] == 0
print(f"separable set: errors per epoch {sep_errors}")
print(f"  converged: {sep_converged}, after {sep_epochs} epochs and {sep_updates} updates;"
      f" w = {np.round(w, 3)}, b = {b:.1f}")

# XOR: no line separates (0,0), (1,1) from (0,1), (1,0).
X_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y_xor = np.array([0, 1, 1, 0])
max_epochs = 1000
wx, bx, xor_updates, xor_errors = train_perceptron(X_xor, y_xor, max_epochs=max_epochs)
xor_converged = xor_errors[-1] == 0
xor_min_errors = min(xor_errors)
xor_epochs = len(xor_errors)
print(f"XOR: errors in the first 8 epochs {xor_errors[:8]}")
print(f"  converged: {xor_converged} after {xor_epochs} epochs and {xor_updates} updates;"
      f" fewest mistakes in any epoch: {xor_min_errors} of 4")
print(f"  the weights cycle: w = {wx}, b = {bx:.0f} at the end")

fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
for ax, X, y, (ww, bb), title in ((axes[0], X_sep, y_sep, (w, b), "linearly separable: converges"),
                                   (axes[1], X_xor, y_xor, (wx, bx), f"XOR: {max_epochs} epochs, no convergence")):
    lo, hi = X.min() - 0.5, X.max() + 0.5
    gx, gy = np.meshgrid(np.linspace(lo, hi, 300), np.linspace(lo, hi, 300))
    region = step(ww[0] * gx + ww[1] * gy + bb)
    ax.contourf(gx, gy, region, levels=[-0.5, 0.5, 1.5], colors=["#dbe6f7", "#fbe3d3"])
    for cls, marker, color in ((0, "o", "#1f5fbf"), (1, "s", "#c4501a")):
        ax.scatter(*X[y == cls].T, marker=marker, color=color, edgecolor="k", s=40, label=f"class {cls}")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
axes[0].legend(loc="upper left", fontsize=8)
fig.tight_layout()
plt.show()
