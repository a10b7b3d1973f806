"""Why a step activation gives gradient descent nothing: its derivative is 0 almost everywhere,
so the loss is flat in every weight direction.  Numpy only, CPU, ~1 s."""
import numpy as np
import matplotlib.pyplot as plt


def step(z):
    return (z >= 0).astype(float)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# 1. The derivative of the step, by central differences on a grid.
h = 1e-3
z = np.linspace(-5, 5, 10_001)
d_step = (step(z + h) - step(z - h)) / (2 * h)
zero_fraction = float(np.mean(d_step == 0))
spike = float(d_step.max())
print(f"step'(z) on {len(z)} grid points: exactly 0 at {zero_fraction:.2%} of them;"
      f" at z = 0 the difference quotient is 1/(2h) = {spike:.0f}")

# 2. The gradient of a loss through a step unit.  One neuron, a = f(w . x + b), on four
#    points, loss = mean squared error.  Finite differences in each parameter:
X = np.array([[0.2, 0.9], [0.8, 0.1], [0.6, 0.7], [0.1, 0.3]])
y = np.array([1.0, 0.0, 1.0, 0.0])
params = np.array([0.3, -0.5, 0.1])                  # w1, w2, b


def loss(p, f):
    return float(np.mean((f(X @ p[:2] + p[2]) - y) ** 2))


def fd_gradient(p, f, eps=1e-4):
    g = np.zeros_like(p)
    for i in range(len(p)):
        e = np.zeros_like(p)
        e[i] = eps
        g[i] = (loss(p + e, f) - loss(p - e, f)) / (2 * eps)
    return g


grad_step = fd_gradient(params, step)
grad_sigmoid = fd_gradient(params, sigmoid)
print(f"loss with a step unit    = {loss(params, step):.3f}, gradient = {grad_step}")
print(f"loss with a sigmoid unit = {loss(params, sigmoid):.3f}, gradient = {np.round(grad_sigmoid, 4)}")
step_grad_norm = float(np.linalg.norm(grad_step))
sigmoid_grad_norm = float(np.linalg.norm(grad_sigmoid))

# 3. How many random parameter vectors give a non-zero step gradient?  (Only those that put a
#    point within eps of the threshold.)
rng = np.random.default_rng(0)
trials = 2000
nonzero = sum(np.any(fd_gradient(rng.normal(size=3), step) != 0) for _ in range(trials))
print(f"random parameter vectors with any non-zero step gradient: {nonzero} of {trials}")
nonzero_fraction = nonzero / trials

# The loss along w1 (others fixed): flat terraces for the step, a slope for the sigmoid.
w1 = np.linspace(-3, 3, 1201)
fig, ax = plt.subplots(figsize=(6.5, 3.6))
ax.plot(w1, [loss(np.array([v, params[1], params[2]]), step) for v in w1], label="step unit")
ax.plot(w1, [loss(np.array([v, params[1], params[2]]), sigmoid) for v in w1], label="sigmoid unit")
ax.set_xlabel("$w_1$ (other parameters fixed)")
ax.set_ylabel("mean squared error")
ax.grid(alpha=0.3)
ax.legend()
plt.show()
