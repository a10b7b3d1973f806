"""Ten activation functions and their derivatives: one figure, a table of measured properties. CPU, ~2 s.

Every function and derivative is evaluated on the grid z = -10 ... 10 (step
0.001); the table reports, per function, the range of f' on that grid, f' at -10 and +10
(saturation), the mean output for a standard-normal input (zero-centred or not; a sum over
the grid weighted by the normal density), whether f' is exactly 0 on the whole negative
half-line (units can die) and how many exponentials one evaluation needs (cost).  Random and learned slopes
(RReLU, PReLU) are drawn at their test-time / initial values, and maxout at one example
pair of lines.
"""
import matplotlib.pyplot as plt
import numpy as np

SELU_LAMBDA = 1.0507009873554805   # Klambauer et al. (2017)
SELU_ALPHA = 1.6732632423543772
RRELU_LOW, RRELU_HIGH = 1 / 8, 1 / 3   # RReLU: slope ~ U(1/8, 1/3) in training, the mean at test
PRELU_INIT = 0.25                  # PReLU: learned slope, He et al. (2015) start it at 0.25


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# name: (f, f', exponentials per evaluation)
FUNCTIONS = {
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z)), 1),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2, 2),
    "ReLU": (lambda z: np.maximum(z, 0), lambda z: (z > 0) * 1.0, 0),
    "leaky ReLU 0.01": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1, 0.01), 0),
    "leaky ReLU 0.2": (lambda z: np.where(z > 0, z, 0.2 * z), lambda z: np.where(z > 0, 1, 0.2), 0),
    "RReLU (test)": (lambda z: np.where(z > 0, z, (RRELU_LOW + RRELU_HIGH) / 2 * z),
                     lambda z: np.where(z > 0, 1, (RRELU_LOW + RRELU_HIGH) / 2), 0),
    "PReLU (init)": (lambda z: np.where(z > 0, z, PRELU_INIT * z),
                     lambda z: np.where(z > 0, 1, PRELU_INIT), 0),
    "ELU": (lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))),
            lambda z: np.where(z > 0, 1, np.exp(np.minimum(z, 0))), 1),
    "SELU": (lambda z: SELU_LAMBDA * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0))),
             lambda z: SELU_LAMBDA * np.where(z > 0, 1, SELU_ALPHA * np.exp(np.minimum(z, 0))), 1),
    # maxout of two affine pieces, max(w1 z + b1, w2 z + b2), here w = (1, -0.5), b = (0, -0.5)
    "maxout (k=2)": (lambda z: np.maximum(z, -0.5 * z - 0.5),
                     lambda z: np.where(z > -0.5 * z - 0.5, 1, -0.5), 0),
}

z = np.linspace(-10, 10, 20001)
# E[g(Z)] for Z ~ N(0, 1): a Riemann sum over the same grid with the normal density as weight
# (the kinks of ReLU-like functions make Gauss-Hermite quadrature inaccurate)
nodes = z
weights = np.exp(-z ** 2 / 2)
weights = weights / weights.sum()

rows = []
print(f"{'function':16s} {'min f_prime':>11s} {'max f_prime':>11s} {'f_prime(-10)':>12s} "
      f"{'f_prime(10)':>11s} {'E f(Z)':>7s}  dies  exp")
for name, (f, df, n_exp) in FUNCTIONS.items():
    d = df(z)
    mean_out = float(np.round(np.sum(weights * f(nodes)), 10)) + 0.0   # no '-0.000'
    dies = bool(np.all(d[z < 0] == 0))                      # f' = 0 on the whole of z < 0
    rows.append((name, d.min(), d.max(), df(np.array(-10.0)), df(np.array(10.0)), mean_out, dies, n_exp))
    print(f"{name:16s} {d.min():11.4f} {d.max():11.4f} {float(df(np.array(-10.0))):12.2e} "
          f"{float(df(np.array(10.0))):11.2e} {mean_out:7.3f}  {'yes' if dies else 'no':4s}  {n_exp}")

# Values the page cites
sigmoid_dmax = float(FUNCTIONS["sigmoid"][1](z).max())
tanh_dmax = float(FUNCTIONS["tanh"][1](z).max())
selu_dmax = float(FUNCTIONS["SELU"][1](z).max())
sigmoid_mean = float(np.sum(weights * sigmoid(nodes)))
relu_mean = float(np.sum(weights * np.maximum(nodes, 0)))
elu_mean = float(np.sum(weights * FUNCTIONS["ELU"][0](nodes)))
selu_mean = float(np.sum(weights * FUNCTIONS["SELU"][0](nodes)))
selu_var = float(np.sum(weights * FUNCTIONS["SELU"][0](nodes) ** 2) - selu_mean ** 2)
rrelu_test_slope = (RRELU_LOW + RRELU_HIGH) / 2
dying = [r[0] for r in rows if r[6]]
print(f"f_prime is 0 on all of z < 0 only for: {', '.join(dying)}")
print(f"SELU with a N(0,1) input: mean {selu_mean:.4f}, variance {selu_var:.4f}")

# One figure: f (solid) and f' (dashed) on the same axes for each function
zz = np.linspace(-4, 4, 801)
fig, axes = plt.subplots(2, 5, figsize=(13, 5.4), sharex=True, sharey=True)
for ax, (name, (f, df, _)) in zip(axes.flat, FUNCTIONS.items()):
    ax.axhline(0, color="0.6", lw=0.6)
    ax.axvline(0, color="0.6", lw=0.6)
    if name.startswith("RReLU"):      # the band of slopes used in training
        ax.fill_between(zz, np.where(zz > 0, zz, RRELU_LOW * zz), np.where(zz > 0, zz, RRELU_HIGH * zz),
                        color="C0", alpha=0.2, lw=0, label="training range")
    ax.plot(zz, f(zz), color="C0", lw=1.8, label="f(z)")
    ax.plot(zz, df(zz), color="C3", lw=1.4, ls="--", label="f'(z)")
    ax.set_title(name, fontsize=10)
    ax.set_ylim(-2.2, 4.2)
    ax.grid(True, alpha=0.3)
for ax in axes[1]:
    ax.set_xlabel("z")
axes[0, 0].legend(fontsize=8, loc="upper left")
fig.tight_layout()
plt.show()
