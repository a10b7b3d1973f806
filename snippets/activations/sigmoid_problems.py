"""Two of sigmoid's three problems in numbers: saturation, and outputs that are never negative. CPU, ~2 s.

(1) The local gradient sigma'(x) at x = -10, 0, 10: what survives of an upstream
gradient of 1.  (2) A unit fed by sigmoid outputs (all positive): for every example, the
gradients of all its weights share one sign, so each SGD step moves the weight vector towards
(+,+,...) or (-,-,...) only.  A 2-D toy (fit y = w.x with w* = (1, -1), per-example SGD)
shows the resulting zig-zag, beside the same problem with zero-centred inputs, and how many
full-batch gradient steps each needs at its own largest stable learning rate.
"""
import matplotlib.pyplot as plt
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# (1) Saturation: dL/dx = dL/dsigma * sigma'(x), with dL/dsigma = 1
print("x      sigma(x)     sigma'(x)   dL/dx for dL/dsigma = 1")
for x in (-10.0, 0.0, 10.0):
    s = sigmoid(x)
    print(f"{x:5.0f}  {s:.6f}  {s * (1 - s):.3e}   {1.0 * s * (1 - s):.3e}")
dsig_at_10 = float(sigmoid(10.0) * (1 - sigmoid(10.0)))
dsig_at_0 = float(sigmoid(0.0) * (1 - sigmoid(0.0)))
saturation_ratio = dsig_at_0 / dsig_at_10

# (2a) One unit z = w.a + b whose inputs a are sigmoid outputs of a previous layer: a > 0.
# dL/dw_i = (dL/dz) * a_i, so sign(dL/dw_i) = sign(dL/dz) for every i.
rng = np.random.default_rng(0)
a = sigmoid(rng.standard_normal((6, 5)))          # 6 examples, 5 inputs, all in (0, 1)
dL_dz = rng.standard_normal(6)                      # upstream gradients, either sign
grad_w = dL_dz[:, None] * a
print("\nsigns of dL/dw_1..dL/dw_5 for six examples (inputs are sigmoid outputs, all > 0):")
for g, d in zip(grad_w, dL_dz):
    print(f"  dL/dz = {d:+.2f}:  " + " ".join("+" if v > 0 else "-" for v in g))
same_sign_rows = int(np.sum([np.all(np.sign(g) == np.sign(g[0])) for g in grad_w]))


# (2b) Toy: fit y = w.x by per-example SGD, w* = (1, -1), from w = (0, 0).
def sgd_path(x, w_star, lr, steps):
    w, path = np.zeros(2), [np.zeros(2)]
    for t in range(steps):
        xi = x[t % len(x)]
        w = w - lr * (w @ xi - w_star @ xi) * xi        # grad of (w.x - y)^2 / 2 is (w.x - y) x
        path.append(w.copy())
    return np.array(path)


w_star = np.array([1.0, -1.0])
x_pos = rng.uniform(0.4, 1.0, (400, 2))           # positive inputs, like sigmoid outputs
x_ctr = x_pos - x_pos.mean(axis=0)                 # the same inputs, zero-centred
lr, steps = 0.5, 400
paths = {"positive inputs": sgd_path(x_pos, w_star, lr, steps),
         "zero-centred inputs": sgd_path(x_ctr, w_star, lr, steps)}
print("\ninputs               steps with both components of the same sign   steps to |w - w*| < 0.1")
stats = {}
for name, p in paths.items():
    step = np.diff(p, axis=0)
    same = float(np.mean(np.sign(step[:, 0]) == np.sign(step[:, 1])))
    close = np.linalg.norm(p - w_star, axis=1) < 0.1
    reach = int(np.argmax(close)) if close.any() else -1
    stats[name] = (same, reach)
    print(f"{name:20s} {same:10.0%} {reach:40d}")
same_sign_positive = stats["positive inputs"][0]
same_sign_centred = stats["zero-centred inputs"][0]
steps_positive = stats["positive inputs"][1]
steps_centred = stats["zero-centred inputs"][1]

# Why it costs time: full-batch gradient descent on (w.x - y)^2 / 2 is stable only for
# lr < 2 / lambda_max(E[x x^T]).  Positive inputs add a large eigenvalue along the mean
# direction, which caps the step for every direction.  Each run uses 90% of its own limit.
print("\ninputs               lambda_max  lambda_min  largest stable lr  GD steps to |w - w*| < 0.1")
gd = {}
for name, x in (("positive inputs", x_pos), ("zero-centred inputs", x_ctr)):
    H = x.T @ x / len(x)
    lam = np.linalg.eigvalsh(H)
    lr_max = 2 / lam[-1]
    w, n = np.zeros(2), 0
    while np.linalg.norm(w - w_star) >= 0.1:
        w = w - 0.9 * lr_max * H @ (w - w_star)
        n += 1
    gd[name] = n
    print(f"{name:20s} {lam[-1]:10.4f}  {lam[0]:10.4f}  {lr_max:17.2f}  {n:10d}")
gd_steps_positive = gd["positive inputs"]
gd_steps_centred = gd["zero-centred inputs"]

fig, axes = plt.subplots(1, 2, figsize=(9, 4), sharex=True, sharey=True)
g1, g2 = np.meshgrid(np.linspace(-0.4, 1.4, 121), np.linspace(-1.4, 0.4, 121))
for ax, (name, p), x in zip(axes, paths.items(), (x_pos, x_ctr)):
    d = np.stack([g1 - w_star[0], g2 - w_star[1]], axis=-1)
    loss = 0.5 * np.mean((d.reshape(-1, 2) @ x.T) ** 2, axis=1).reshape(g1.shape)
    ax.contour(g1, g2, loss, levels=12, colors="0.75", linewidths=0.7)
    ax.plot(p[:60, 0], p[:60, 1], "-o", ms=2.5, lw=1, color="C3", label="first 60 SGD steps")
    ax.plot(*w_star, "k*", ms=10, label="w*")
    ax.set_title(name)
    ax.set_xlabel("w1")
    ax.grid(True, alpha=0.3)
axes[0].set_ylabel("w2")
axes[0].legend(fontsize=8, loc="lower left")
fig.tight_layout()
plt.show()
