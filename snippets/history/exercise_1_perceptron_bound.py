"""Exercise answer: the perceptron's number of updates against the convergence theorem's bound
(R / gamma)^2, on separable sets whose margin gamma shrinks. CPU, <1 s.

Theorem: if a unit vector u and gamma > 0 satisfy (2y - 1) u.(x, 1) >= gamma for every example,
and every ||(x, 1)|| <= R, the rule w <- w + (y - y_hat)(x, 1) makes at most (R / gamma)^2 updates.
"""
import numpy as np


def step(z):
    return (z >= 0).astype(float)


def train_perceptron(X, y, max_epochs=100_000):
    """Rosenblatt's rule on the augmented inputs (x, 1); returns the number of updates."""
    Xa = np.c_[X, np.ones(len(X))]
    w, updates = np.zeros(Xa.shape[1]), 0
    for _ in range(max_epochs):
        errors = 0
        for x_i, y_i in zip(Xa, y):
            err = y_i - step(np.array(w @ x_i))
            if err != 0:
                w = w + err * x_i
                updates += 1
                errors += 1
        if errors == 0:
            return w, updates
    raise RuntimeError("did not converge")


rng = np.random.default_rng(0)
u = np.array([1.0, 0.6, -0.2])
u = u / np.linalg.norm(u)                        # a unit separating vector for (x1, x2, 1)
pool = rng.uniform(-2, 2, (20_000, 2))
score = np.c_[pool, np.ones(len(pool))] @ u
print("margin gamma   updates   bound (R/gamma)^2   updates / bound")
rows = []
for gamma in (0.4, 0.2, 0.1, 0.05, 0.02):
    far = np.flatnonzero(np.abs(score) >= 0.4)[:90]                          # 90 easy points
    near = np.flatnonzero((np.abs(score) >= gamma) & (np.abs(score) < 1.5 * gamma))[:10]  # 10 close to the line
    X, y = pool[np.r_[far, near]], (score[np.r_[far, near]] > 0).astype(int)
    w, updates = train_perceptron(X, y)
    R = np.linalg.norm(np.c_[X, np.ones(len(X))], axis=1).max()
    g = np.abs(np.c_[X, np.ones(len(X))] @ u).min()  # the margin w.r.t. u: between gamma and 1.5 gamma
    bound = (R / g) ** 2
    rows.append((gamma, updates, bound))
    print(f"{gamma:12.2f}   {updates:7d}   {bound:17.0f}   {updates / bound:.3f}")
updates_wide, updates_narrow = rows[0][1], rows[-1][1]
bound_wide, bound_narrow = rows[0][2], rows[-1][2]
within_bound = bool(all(n <= b for _, n, b in rows))
print(f"every run within its bound: {within_bound}")
