"""A confidently wrong output: how much gradient mean squared error and cross-entropy give it.
CPU, ~3 s.

Shows dC/dz, the derivative of the cost with respect to the output layer's weighted input,
for (1) one sigmoid output unit whose target is 1 but whose weighted input is z = -5, and
(2) a softmax output over 10 classes that puts almost all its probability on a wrong class,
and (3) a uniform softmax output, as an untrained net gives.
Mean squared error keeps the output's own derivative (sigma'(z), or the softmax Jacobian) as a
factor and gives almost nothing; cross-entropy cancels that factor and leaves a - y.  The
hand-written gradients are checked against tf.GradientTape.  Draws |dC/dz| of the sigmoid unit
against z for both costs.
"""
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


# (1) One sigmoid output unit, target y = 1, weighted input z = -5: a = 0.0067, badly wrong.
z, y = -5.0, 1.0
a = sigmoid(z)
grad_mse_sigmoid = 2 * (a - y) * a * (1 - a)  # MSE of one unit, C = (a - y)^2:  dC/dz = 2 (a - y) sigma'(z)
grad_ce_sigmoid = a - y                        # C = -[y ln a + (1-y) ln(1-a)]:  dC/dz = a - y

zt = tf.Variable(z, dtype=tf.float64)
with tf.GradientTape(persistent=True) as tape:
    at = tf.sigmoid(zt)
    c_mse = (at - y) ** 2
    c_ce = -(y * tf.math.log(at) + (1 - y) * tf.math.log(1 - at))
check_sigmoid = max(abs(tape.gradient(c_mse, zt).numpy() - grad_mse_sigmoid),
                    abs(tape.gradient(c_ce, zt).numpy() - grad_ce_sigmoid))

# (2) Softmax over 10 classes: the true class is 3, the net bets on class 7.
logits = np.zeros(10)
logits[7] = 8.0
label = 3
onehot = np.eye(10)[label]
p = softmax(logits)
J = np.diag(p) - np.outer(p, p)                # softmax Jacobian dp_i/dz_j = p_i (delta_ij - p_j)
grad_mse_softmax = J.T @ (2 * (p - onehot) / 10)   # Keras 'mse': C = (1/10) sum_j (p_j - y_j)^2
grad_ce_softmax = p - onehot                   # C = -ln p_y:  the Jacobian cancels

zs = tf.Variable(logits, dtype=tf.float64)
with tf.GradientTape(persistent=True) as tape:
    ps = tf.nn.softmax(zs)
    c_mse = tf.reduce_mean((ps - onehot) ** 2)
    c_ce = -tf.math.log(ps[label])
check_softmax = max(np.abs(tape.gradient(c_mse, zs).numpy() - grad_mse_softmax).max(),
                    np.abs(tape.gradient(c_ce, zs).numpy() - grad_ce_softmax).max())

# (3) A uniform softmax output p_j = 1/10 (an untrained net): nothing is saturated, yet
# dC/dz of MSE = p_j * (2/10) (p_j - y_j) = (2/100) (p - y), i.e. 1/50 of cross-entropy's.
pu = softmax(np.zeros(10))
Ju = np.diag(pu) - np.outer(pu, pu)
ratio_uniform = float(np.linalg.norm(pu - onehot) / np.linalg.norm(Ju.T @ (2 * (pu - onehot) / 10)))

a_out = float(a)
p_true, p_wrong = float(p[label]), float(p[7])
ratio_sigmoid = float(abs(grad_ce_sigmoid / grad_mse_sigmoid))
norm_mse_softmax = float(np.linalg.norm(grad_mse_softmax))
norm_ce_softmax = float(np.linalg.norm(grad_ce_softmax))
ratio_softmax = norm_ce_softmax / norm_mse_softmax
max_check = float(max(check_sigmoid, check_softmax))

print(f"sigmoid unit, y = 1, z = {z}: a = {a_out:.4f}")
print(f"  dC/dz  MSE {grad_mse_sigmoid:+.5f}   cross-entropy {grad_ce_sigmoid:+.5f}   "
      f"ratio {ratio_sigmoid:.0f}")
print(f"softmax, true class {label}: p_true = {p_true:.5f}, p_wrong = {p_wrong:.4f}")
print("  dC/dz  MSE          ", np.array2string(grad_mse_softmax, precision=5, suppress_small=True))
print("  dC/dz  cross-entropy", np.array2string(grad_ce_softmax, precision=3, suppress_small=True))
print(f"  ||dC/dz||  MSE {norm_mse_softmax:.2e}   cross-entropy {norm_ce_softmax:.3f}   "
      f"ratio {ratio_softmax:.0f}")
print(f"uniform softmax output (untrained net): ||dC/dz|| of cross-entropy / MSE = {ratio_uniform:.1f}")
print(f"largest difference from tf.GradientTape: {max_check:.1e}")

# |dC/dz| of the sigmoid unit with target 1, as z runs from badly wrong to right.
zz = np.linspace(-8, 8, 401)
aa = sigmoid(zz)
fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogy(zz, np.abs(2 * (aa - 1) * aa * (1 - aa)), label=r"MSE: $|2(a-y)\,\sigma'(z)|$")
ax.semilogy(zz, np.abs(aa - 1), label=r"cross-entropy: $|a-y|$")
ax.axvline(z, color="gray", lw=0.8, ls="--")
ax.set_xlabel(r"output weighted input $z$ (target $y = 1$)")
ax.set_ylabel(r"$|\partial C/\partial z|$")
ax.grid(True, alpha=0.3)
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
