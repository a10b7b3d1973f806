"""Exercise answer: tanh z = 2 sigma(2z) - 1 checked on a grid, and tanh'(0) = 4 sigma'(0)
by the chain rule and by finite differences. CPU, <1 s."""
import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# Algebra: 2 sigma(2z) - 1 = (2 - 1 - e^{-2z}) / (1 + e^{-2z}) = (1 - e^{-2z}) / (1 + e^{-2z}),
# and multiplying top and bottom by e^{z} gives (e^z - e^{-z}) / (e^z + e^{-z}) = tanh z.
z = np.linspace(-10, 10, 2001)
identity_error = float(np.abs(np.tanh(z) - (2 * sigmoid(2 * z) - 1)).max())
print(f"max |tanh z - (2 sigma(2z) - 1)| on [-10, 10]: {identity_error:.1e}")

# Chain rule: d/dz [2 sigma(2z) - 1] = 2 * sigma'(2z) * 2 = 4 sigma'(2z); at z = 0: 4 sigma'(0).
dsig0 = sigmoid(0.0) * (1 - sigmoid(0.0))               # sigma'(0) = 1/2 * 1/2 = 1/4
h = 1e-6
dtanh0_fd = (np.tanh(h) - np.tanh(-h)) / (2 * h)          # finite difference of tanh at 0
slope_ratio = float(dtanh0_fd / dsig0)
print(f"sigma'(0) = {dsig0:.6f}, tanh'(0) (finite difference) = {dtanh0_fd:.6f}, ratio {slope_ratio:.6f}")
# Both slopes are largest at 0, so the ratio of the maxima is the same 4.
grid_max_ratio = float((1 - np.tanh(z) ** 2).max() / (sigmoid(z) * (1 - sigmoid(z))).max())
print(f"max tanh' / max sigma' on the grid: {grid_max_ratio:.6f}")
