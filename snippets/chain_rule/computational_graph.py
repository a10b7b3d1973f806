"""The two-neuron chain as a computational graph, with the forward values (top) and the backward
gradients dC/d(node) (bottom) written on it for concrete numbers; the hand-computed gradients are
checked against tf.GradientTape. CPU, ~6 s (most of it importing TensorFlow)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

x, y = 1.5, 0.0                                  # one input, one target (as in backprop_chain.py)
w1, b1, w2, b2 = 0.8, -0.3, 1.2, 0.4             # parameters of  x -> a1 -> a2


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# forward pass, left to right
z1 = w1 * x + b1
a1 = sigmoid(z1)
z2 = w2 * a1 + b2
a2 = sigmoid(z2)
C = 0.5 * (a2 - y) ** 2                          # C = (a2 - y)^2 / 2

# backward pass, right to left: dC/d(node) = dC/d(next node) * local derivative
dC = 1.0                                         # dC/dC
dC_da2 = dC * (a2 - y)                           # dC/da2 = a2 - y
dC_dz2 = dC_da2 * a2 * (1 - a2)                  # da2/dz2 = sigma'(z2) = a2 (1 - a2)
dC_da1 = dC_dz2 * w2                             # dz2/da1 = w2
dC_dz1 = dC_da1 * a1 * (1 - a1)                  # da1/dz1 = sigma'(z1)
dC_dx = dC_dz1 * w1                              # dz1/dx = w1
dC_dw2, dC_db2 = dC_dz2 * a1, dC_dz2             # dz2/dw2 = a1, dz2/db2 = 1
dC_dw1, dC_db1 = dC_dz1 * x, dC_dz1              # dz1/dw1 = x,  dz1/db1 = 1

# the same graph recorded by TensorFlow and differentiated by it (float64)
t = {k: tf.Variable(v, dtype=tf.float64) for k, v in dict(x=x, w1=w1, b1=b1, w2=w2, b2=b2).items()}
with tf.GradientTape(persistent=True) as tape:
    tz1 = t["w1"] * t["x"] + t["b1"]
    ta1 = tf.sigmoid(tz1)
    tz2 = t["w2"] * ta1 + t["b2"]
    ta2 = tf.sigmoid(tz2)
    tC = 0.5 * (ta2 - y) ** 2
tape_grads = dict(zip(["z1", "a1", "z2", "a2"], tape.gradient(tC, [tz1, ta1, tz2, ta2])))
tape_grads.update(tape.gradient(tC, t))
hand = dict(x=dC_dx, z1=dC_dz1, a1=dC_da1, z2=dC_dz2, a2=dC_da2,
            w1=dC_dw1, b1=dC_db1, w2=dC_dw2, b2=dC_db2)
print("node   forward value   dC/d(node) by hand   by GradientTape")
values = dict(x=x, z1=z1, a1=a1, z2=z2, a2=a2, w1=w1, b1=b1, w2=w2, b2=b2)
for name in ["x", "w1", "b1", "z1", "a1", "w2", "b2", "z2", "a2"]:
    print(f"{name:4s} {values[name]:+14.6f}   {hand[name]:+18.8f}   {float(tape_grads[name]):+14.8f}")
print(f"C    {C:+14.6f}   {dC:+18.8f}")
max_tape_diff = float(max(abs(hand[k] - float(tape_grads[k])) for k in hand))
print(f"largest |hand - GradientTape| over all nodes: {max_tape_diff:.1e}")
cost = float(C)
grad_w1 = float(dC_dw1)

# the figure: nodes left to right, forward values above, gradients below
fig, ax = plt.subplots(figsize=(11, 3.4))
chain = [("x", x, dC_dx), ("z1", z1, dC_dz1), ("a1", a1, dC_da1),
         ("z2", z2, dC_dz2), ("a2", a2, dC_da2), ("C", C, dC)]
labels = {"x": "$x$", "z1": "$z_1$", "a1": "$a_1$", "z2": "$z_2$", "a2": "$a_2$", "C": "$C$"}
edges = [r"$w_1x+b_1$", r"$\sigma$", r"$w_2a_1+b_2$", r"$\sigma$", r"$\frac{1}{2}(a_2-y)^2$"]
local = [r"$\times w_1$", r"$\times\sigma'(z_1)$", r"$\times w_2$", r"$\times\sigma'(z_2)$",
         r"$\times(a_2-y)$"]
xs = np.arange(len(chain)) * 2.6
for xi, (name, value, grad) in zip(xs, chain):
    ax.add_patch(plt.Circle((xi, 0), 0.42, fill=False, lw=1.5, color="black"))
    ax.text(xi, 0, labels[name], ha="center", va="center", fontsize=14)
    ax.text(xi, 0.62, f"{value:.4f}", ha="center", va="bottom", fontsize=10, color="tab:blue")
    ax.text(xi, -0.62, f"{grad:.4f}", ha="center", va="top", fontsize=10, color="tab:red")
for i in range(len(chain) - 1):
    x0, x1 = xs[i] + 0.45, xs[i + 1] - 0.45
    ax.annotate("", xy=(x1, 0.1), xytext=(x0, 0.1),
                arrowprops=dict(arrowstyle="->", color="tab:blue", lw=1.3))
    ax.annotate("", xy=(x0, -0.1), xytext=(x1, -0.1),
                arrowprops=dict(arrowstyle="->", color="tab:red", lw=1.3))
    ax.text((x0 + x1) / 2, 0.22, edges[i], ha="center", va="bottom", fontsize=9)
    ax.text((x0 + x1) / 2, -0.22, local[i], ha="center", va="top", fontsize=9, color="tab:red")
# the parameters enter from below, with their gradients
for xi, name, value, grad in [(xs[1], "w_1", w1, dC_dw1), (xs[3], "w_2", w2, dC_dw2)]:
    ax.text(xi, -1.45, f"${name} = {value:g}$\n$\\partial C/\\partial {name} = {grad:.4f}$",
            ha="center", va="center", fontsize=9, color="tab:red")
ax.text(xs[0] - 0.6, 0.72, "forward value", ha="right", fontsize=9, color="tab:blue")
ax.text(xs[0] - 0.6, -0.72, r"$\partial C/\partial$(node)", ha="right", fontsize=9, color="tab:red")
ax.set_xlim(xs[0] - 2.9, xs[-1] + 0.7)
ax.set_ylim(-1.9, 1.2)
ax.set_aspect("equal")
ax.axis("off")
plt.show()
