"""Exercise answer: gradient descent on the line fit of gradient_descent.py with learning rates
0.2, 0.5 and 1.0, next to the stability limit 2 / (largest curvature). CPU, <1 s."""
import numpy as np

rng = np.random.default_rng(0)                        # the same data as gradient_descent.py
n = 20
x = np.linspace(-1.0, 3.0, n)
y = 2.0 * x + 0.5 + 0.3 * rng.standard_normal(n)


def cost(w, b):
    # C(w, b) = 1/(2n) * sum_i (w x_i + b - y_i)^2
    return 0.5 * np.mean((w * x + b - y) ** 2)


def descend(learning_rate, steps=40, w=-1.0, b=3.0):
    for _ in range(steps):
        r = w * x + b - y
        w, b = w - learning_rate * np.mean(r * x), b - learning_rate * np.mean(r)  # theta -= eta grad C
    return cost(w, b)


# C is quadratic, so its curvature is the constant Hessian H = [[mean x^2, mean x], [mean x, 1]].
# Along an eigenvector of H with eigenvalue lam the error is multiplied by (1 - eta lam) each step:
# it shrinks only if |1 - eta lam| < 1, i.e. eta < 2 / lam.  The largest lam sets the limit.
H = np.array([[np.mean(x ** 2), np.mean(x)], [np.mean(x), 1.0]])
curvature_max = float(np.linalg.eigvalsh(H)[-1])
eta_limit = 2.0 / curvature_max
cost_start = float(cost(-1.0, 3.0))
print(f"largest curvature {curvature_max:.3f}  ->  stable only for eta < 2 / {curvature_max:.3f} = {eta_limit:.3f}")
print(f"cost at the start: {cost_start:.4f}")
costs = {}
for eta in (0.2, 0.5, 1.0):
    costs[eta] = float(descend(eta))
    factor = abs(1 - eta * curvature_max)             # |1 - eta lam_max|: error factor per step
    print(f"eta = {eta:.1f}: cost after 40 steps {costs[eta]:.4g}   |1 - eta*lam_max| = {factor:.3f}")
cost_02, cost_05, cost_10 = costs[0.2], costs[0.5], costs[1.0]
factor_05 = abs(1 - 0.5 * curvature_max)
factor_10 = abs(1 - 1.0 * curvature_max)
