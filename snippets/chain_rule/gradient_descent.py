"""Cost, gradient and gradient descent on a two-parameter line fit. CPU, ~1 s."""
import numpy as np
import matplotlib.pyplot as plt

rng = np.random.default_rng(0)
n = 20
x = np.linspace(-1.0, 3.0, n)
y = 2.0 * x + 0.5 + 0.3 * rng.standard_normal(n)      # data around the line y = 2x + 0.5


def cost(w, b):
    # C(w, b) = 1/(2n) * sum_i (w x_i + b - y_i)^2
    r = w * x + b - y
    return 0.5 * np.mean(r ** 2)


def gradient(w, b):
    # dC/dw = mean(r_i * x_i),  dC/db = mean(r_i)
    r = w * x + b - y
    return np.mean(r * x), np.mean(r)


learning_rate = 0.2                                   # eta
steps = 40
w, b = -1.0, 3.0                                      # a deliberately bad start
path = [(w, b)]
for t in range(steps + 1):
    if t % 5 == 0:
        gw, gb = gradient(w, b)
        print(f"step {t:2d}  w = {w:+.4f}  b = {b:+.4f}  C = {cost(w, b):.5f}  |grad C| = {np.hypot(gw, gb):.5f}")
    if t == steps:
        break
    gw, gb = gradient(w, b)
    w, b = w - learning_rate * gw, b - learning_rate * gb   # theta <- theta - eta * grad C
    path.append((w, b))

cost_start = float(cost(*path[0]))
cost_end = float(cost(w, b))
w_end, b_end = float(w), float(b)
w_lsq, b_lsq = (float(v) for v in np.polyfit(x, y, 1))  # exact least-squares minimiser
print(f"least squares: w = {w_lsq:+.4f}  b = {b_lsq:+.4f}")

W, B = np.meshgrid(np.linspace(-1.5, 3.5, 200), np.linspace(-1.0, 3.5, 200))
C = 0.5 * np.mean((W[..., None] * x + B[..., None] - y) ** 2, axis=-1)
path = np.array(path)
fig, ax = plt.subplots(figsize=(6, 4.5))
ax.contour(W, B, C, levels=np.geomspace(0.03, 30, 14), cmap="viridis")
ax.plot(path[:, 0], path[:, 1], "o-", color="C3", ms=3, label="gradient descent")
ax.plot(w_lsq, b_lsq, "k*", ms=12, label="minimum")
ax.set_xlabel("w")
ax.set_ylabel("b")
ax.set_title(rf"contours of $C(w, b)$ and the descent path, $\eta = {learning_rate}$")
ax.legend(loc="lower left")
plt.show()
