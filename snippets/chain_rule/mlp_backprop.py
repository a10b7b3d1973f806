"""Backprop written by hand for a two-layer sigmoid MLP in numpy, then gradient descent. CPU, ~1 s."""
import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def init_params(rng, n_in, n_hidden, n_out):
    # W ~ N(0, 1/n_in) per layer, b = 0
    return {"W1": rng.standard_normal((n_in, n_hidden)) / np.sqrt(n_in), "b1": np.zeros(n_hidden),
            "W2": rng.standard_normal((n_hidden, n_out)) / np.sqrt(n_hidden), "b2": np.zeros(n_out)}


def forward(params, x):
    h = sigmoid(x @ params["W1"] + params["b1"])           # h = sigma(x W1 + b1)
    out = sigmoid(h @ params["W2"] + params["b2"])         # yhat = sigma(h W2 + b2)
    return h, out


def loss(params, x, y):
    return 0.5 * np.sum((forward(params, x)[1] - y) ** 2) / len(x)   # C = 1/(2n) sum ||yhat - y||^2


def backward(params, x, y):
    """Gradients of C for every parameter, by the chain rule from the output back."""
    h, out = forward(params, x)
    d_out = (out - y) / len(x)                   # dC/dyhat
    dz2 = d_out * out * (1 - out)                # * sigma'(z2) = yhat (1 - yhat)
    dh = dz2 @ params["W2"].T                    # dC/dh = dz2 W2^T
    dz1 = dh * h * (1 - h)                       # * sigma'(z1) = h (1 - h)
    return {"W1": x.T @ dz1, "b1": dz1.sum(axis=0),   # dC/dW1 = x^T dz1
            "W2": h.T @ dz2, "b2": dz2.sum(axis=0)}   # dC/dW2 = h^T dz2


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(200, 2))
    y = (x[:, :1] * x[:, 1:] > 0).astype(float)  # label 1 in quadrants I and III (XOR-like)
    params = init_params(rng, 2, 16, 1)
    learning_rate, steps = 5.0, 2000
    loss_start = float(loss(params, x, y))
    for t in range(steps + 1):
        if t % 400 == 0:
            acc = np.mean((forward(params, x)[1] > 0.5) == (y > 0.5))
            print(f"step {t:4d}  C = {loss(params, x, y):.5f}  accuracy = {acc:.1%}")
        if t < steps:
            grads = backward(params, x, y)
            for k in params:
                params[k] -= learning_rate * grads[k]  # theta <- theta - eta dC/dtheta
    loss_end = float(loss(params, x, y))
    accuracy_end = float(np.mean((forward(params, x)[1] > 0.5) == (y > 0.5)))
