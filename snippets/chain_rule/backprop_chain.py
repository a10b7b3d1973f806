"""Backprop as the chain rule, right to left, on a two-neuron chain; checked by finite differences. CPU, <1 s."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


x, y = 1.5, 0.0                                  # one input, one target
w1, b1, w2, b2 = 0.8, -0.3, 1.2, 0.4             # parameters of  x -> a1 -> a2


def cost(w1, b1, w2, b2):
    a1 = sigmoid(w1 * x + b1)
    a2 = sigmoid(w2 * a1 + b2)
    return 0.5 * (a2 - y) ** 2                   # C = (a2 - y)^2 / 2


# forward pass, left to right: keep every intermediate value
z1 = w1 * x + b1
a1 = sigmoid(z1)
z2 = w2 * a1 + b2
a2 = sigmoid(z2)
print(f"forward:  z1 = {z1:.4f}  a1 = {a1:.4f}  z2 = {z2:.4f}  a2 = {a2:.4f}  C = {cost(w1, b1, w2, b2):.6f}")

# backward pass, right to left: each step multiplies one local derivative
dC_da2 = a2 - y                                  # dC/da2
dC_dz2 = dC_da2 * a2 * (1 - a2)                  # * da2/dz2 = sigma'(z2) = a2 (1 - a2)
dC_dw2 = dC_dz2 * a1                             # * dz2/dw2 = a1
dC_db2 = dC_dz2 * 1.0                            # * dz2/db2 = 1
dC_da1 = dC_dz2 * w2                             # * dz2/da1 = w2   (reuses dC/dz2)
dC_dz1 = dC_da1 * a1 * (1 - a1)                  # * da1/dz1 = sigma'(z1)
dC_dw1 = dC_dz1 * x                              # * dz1/dw1 = x
dC_db1 = dC_dz1 * 1.0                            # * dz1/db1 = 1

# finite differences: the slope (C(p + h) - C(p - h)) / 2h, one parameter at a time
h = 1e-6
params = np.array([w1, b1, w2, b2])
backprop = np.array([dC_dw1, dC_db1, dC_dw2, dC_db2])
numeric = np.empty(4)
for i in range(4):
    e = np.zeros(4)
    e[i] = h
    numeric[i] = (cost(*(params + e)) - cost(*(params - e))) / (2 * h)

print("param   backprop       finite diff    |difference|")
for name, g, f in zip(["w1", "b1", "w2", "b2"], backprop, numeric):
    print(f"{name:5s} {g:+.8f}  {f:+.8f}  {abs(g - f):.1e}")

grad_w1 = float(dC_dw1)
grad_w1_numeric = float(numeric[0])
max_fd_error = float(np.max(np.abs(backprop - numeric)))
sigma_prime_z2 = float(a2 * (1 - a2))
sigma_prime_z1 = float(a1 * (1 - a1))
