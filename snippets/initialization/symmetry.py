"""Why the weights cannot all start equal: in a 2-4-1 tanh network on XOR, all-equal initial weights
give every hidden unit the same gradient (checked against tf.GradientTape), so the units stay
identical through training and the network can do no better than one hidden unit; random initial
weights break the symmetry and solve XOR. CPU, ~6 s (most of it importing TensorFlow)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
Y = np.array([[0], [1], [1], [0]], dtype=float)             # XOR
n_hidden, learning_rate, steps = 4, 0.5, 3000


def forward(p, X):
    H = np.tanh(X @ p["W1"] + p["b1"])                      # hidden layer, tanh
    out = 1 / (1 + np.exp(-(H @ p["W2"] + p["b2"])))        # sigmoid output
    return H, out


def backward(p, X, Y):
    """Gradients of the mean cross-entropy C = -mean(y ln out + (1 - y) ln(1 - out))."""
    H, out = forward(p, X)
    d2 = (out - Y) / len(X)                                 # dC/dz2 for sigmoid + cross-entropy
    d1 = (d2 @ p["W2"].T) * (1 - H ** 2)                    # dC/dz1 = dC/dH * tanh'(z1)
    return {"W1": X.T @ d1, "b1": d1.sum(0), "W2": H.T @ d2, "b2": d2.sum(0)}


def train(p):
    p = {k: v.copy() for k, v in p.items()}
    for _ in range(steps):
        g = backward(p, X, Y)
        for k in p:
            p[k] -= learning_rate * g[k]                    # plain gradient descent
    return p


def spread(W1):
    """Largest difference between any two hidden units' incoming weights (columns of W1)."""
    return float(np.abs(W1 - W1[:, :1]).max())


equal = {"W1": np.full((2, n_hidden), 0.5), "b1": np.zeros(n_hidden),
         "W2": np.full((n_hidden, 1), 0.5), "b2": np.zeros(1)}
rng = np.random.default_rng(1)
random = {"W1": rng.standard_normal((2, n_hidden)), "b1": np.zeros(n_hidden),
          "W2": rng.standard_normal((n_hidden, 1)), "b2": np.zeros(1)}

# 1. at the equal start, every hidden unit gets the same gradient: by hand and by GradientTape
g = backward(equal, X, Y)
v = {k: tf.Variable(a) for k, a in equal.items()}
with tf.GradientTape() as tape:
    out = tf.sigmoid(tf.tanh(X @ v["W1"] + v["b1"]) @ v["W2"] + v["b2"])
    cost = tf.reduce_mean(-(Y * tf.math.log(out) + (1 - Y) * tf.math.log(1 - out)))
tape_g = {k: t.numpy() for k, t in tape.gradient(cost, v).items()}
tape_diff = float(max(np.abs(g[k] - tape_g[k]).max() for k in g))
print("dC/dW1 at the equal start (one column per hidden unit):")
print(np.array2string(g["W1"], precision=5, suppress_small=True))
print(f"hand vs GradientTape: largest difference {tape_diff:.1e}")
grad_spread_start = spread(tape_g["W1"])

# 2. train both starts with the same gradient descent
results = {}
for name, start in [("equal", equal), ("random", random)]:
    p = train(start)
    _, out = forward(p, X)
    results[name] = dict(p=p, spread=spread(p["W1"]), out=out.ravel(),
                         accuracy=float(np.mean((out > 0.5) == (Y > 0.5))))
    print(f"\n{name} start, after {steps} steps: hidden units' weights differ by at most "
          f"{results[name]['spread']:.2e}")
    print("W1 =", np.array2string(p["W1"], precision=3).replace("\n", "\n     "))
    print(f"outputs on (0,0) (0,1) (1,0) (1,1): {np.round(out.ravel(), 3)}, "
          f"accuracy {results[name]['accuracy']:.0%}")

equal_spread = results["equal"]["spread"]
random_spread = results["random"]["spread"]
equal_accuracy = results["equal"]["accuracy"]
random_accuracy = results["random"]["accuracy"]
