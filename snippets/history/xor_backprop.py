"""A 2-4-1 sigmoid network trained by hand-written backpropagation solves XOR, which no
single perceptron can.  Numpy only, CPU, ~5 s."""
import numpy as np
import matplotlib.pyplot as plt

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y = np.array([[0], [1], [1], [0]], dtype=float)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def init(rng, hidden):
    return {"W1": rng.normal(0, 1, (2, hidden)), "b1": np.zeros(hidden),
            "W2": rng.normal(0, 1, (hidden, 1)), "b2": np.zeros(1)}


def forward(p, X):
    h = sigmoid(X @ p["W1"] + p["b1"])
    out = sigmoid(h @ p["W2"] + p["b2"])
    return h, out


def backward(p):
    """Mean cross-entropy C on the four points and its gradient, by the chain rule."""
    h, out = forward(p, X)
    cost = float(-np.mean(y * np.log(out) + (1 - y) * np.log(1 - out)))
    d2 = (out - y) / len(X)                     # dC/dz2 for sigmoid + cross-entropy
    d1 = (d2 @ p["W2"].T) * h * (1 - h)         # chain rule back through the hidden layer
    return cost, {"W2": h.T @ d2, "b2": d2.sum(0), "W1": X.T @ d1, "b1": d1.sum(0)}


def train(p, steps, lr):
    """Full-batch gradient descent; returns the cost before each step."""
    history = []
    for _ in range(steps):
        cost, grads = backward(p)
        history.append(cost)
        for k in p:
            p[k] -= lr * grads[k]
    return history


steps, lr = 2000, 2.0
params = init(np.random.default_rng(0), hidden=4)
history = train(params, steps, lr)
_, out = forward(params, X)
for x_i, o in zip(X, out[:, 0]):
    print(f"XOR{tuple(int(v) for v in x_i)} -> {o:.3f}")
loss_start, loss_end = history[0], history[-1]
solved = bool(np.all((out > 0.5) == (y > 0.5)))
print(f"loss {loss_start:.3f} -> {loss_end:.4f} after {steps} steps; all four right: {solved}")

# How often does it work?  20 random starts each, 2 and 4 hidden units.
runs = 20
solved_runs = {}
for hidden in (2, 4):
    ok = 0
    for seed in range(runs):
        p = init(np.random.default_rng(100 + seed), hidden)
        train(p, steps, lr)
        ok += bool(np.all((forward(p, X)[1] > 0.5) == (y > 0.5)))
    solved_runs[hidden] = ok
    print(f"{hidden} hidden units: solved XOR in {ok} of {runs} runs")
solved_2, solved_4 = solved_runs[2], solved_runs[4]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.6))
ax1.plot(history)
ax1.set_yscale("log")
ax1.set_xlabel("gradient-descent step")
ax1.set_ylabel("cross-entropy")
ax1.grid(alpha=0.3)
g = np.linspace(-0.5, 1.5, 300)
gx, gy = np.meshgrid(g, g)
_, region = forward(params, np.c_[gx.ravel(), gy.ravel()])
cs = ax2.contourf(gx, gy, region.reshape(gx.shape), levels=np.linspace(0, 1, 11), cmap="RdBu_r")
fig.colorbar(cs, ax=ax2, label="network output")
ax2.contour(gx, gy, region.reshape(gx.shape), levels=[0.5], colors="k", linewidths=1)
for cls, marker in ((0, "o"), (1, "s")):
    ax2.scatter(*X[y[:, 0] == cls].T, marker=marker, color="w", edgecolor="k", s=60, label=f"class {cls}")
ax2.set_xlabel("$x_1$")
ax2.set_ylabel("$x_2$")
ax2.legend(loc="upper center", fontsize=8, ncol=2)
fig.tight_layout()
plt.show()
