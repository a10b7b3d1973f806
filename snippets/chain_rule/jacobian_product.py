"""The gradient as a product of layer Jacobians: in a deep sigmoid MLP, dC/da_1 = J_2^T ... J_L^T
dC/da_L with J_l = diag(sigma'(z_l)) W_l; the hand product is checked against tf.GradientTape,
and the singular values of each J_l show why the product shrinks, and what a larger weight scale
does to it. CPU, ~10 s (half of it importing TensorFlow)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

depth, width = 20, 100                    # layers l = 1..depth, units per layer
GAINS = [1.0, 4.0, 16.0]                  # W_l ~ N(0, gain^2 / width); gain 1 is N(0, 1/n_in)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def network(gain, seed=0):
    """Weights W_l (width x width, column convention z_l = W_l a_{l-1} + b_l), zero biases,
    an input a_0 ~ N(0, 1) and a random direction g = dC/da_L (the cost is C = g . a_L)."""
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((width, width)) * gain / np.sqrt(width) for _ in range(depth)]
    return Ws, rng.standard_normal(width), rng.standard_normal(width)


def forward(Ws, a0):
    a, zs = a0, []
    for W in Ws:
        zs.append(W @ a)                  # z_l = W_l a_{l-1}  (biases start at 0)
        a = sigmoid(zs[-1])               # a_l = sigma(z_l)
    return zs, a


def jacobians(Ws, zs):
    """J_l = da_l / da_{l-1} = diag(sigma'(z_l)) W_l for l = 1..depth."""
    return [(sigmoid(z) * (1 - sigmoid(z)))[:, None] * W for W, z in zip(Ws, zs)]


def backward(Js, g):
    """dC/da_l for l = depth, ..., 0: each step multiplies by J_l^T (the chain rule)."""
    grads = [g]
    for J in reversed(Js):
        grads.append(J.T @ grads[-1])     # dC/da_{l-1} = J_l^T dC/da_l
    return grads[::-1]                    # grads[l] = dC/da_l


# --- 1. the hand product equals TensorFlow's gradient -----------------------------------------
Ws, a0, g = network(gain=1.0)
zs, aL = forward(Ws, a0)
Js = jacobians(Ws, zs)
hand = backward(Js, g)
a0_t = tf.Variable(a0)
with tf.GradientTape() as tape:
    a = a0_t
    for W in Ws:
        a = tf.sigmoid(tf.linalg.matvec(tf.constant(W), a))
    cost = tf.tensordot(tf.constant(g), a, axes=1)       # C = g . a_L, so dC/da_L = g
tape_grad = tape.gradient(cost, a0_t).numpy()
# and the full Jacobian da_L/da_0 from the tape against the product J_L ... J_1 by hand
with tf.GradientTape() as tape:
    tape.watch(a0_t)
    a = a0_t
    for W in Ws:
        a = tf.sigmoid(tf.linalg.matvec(tf.constant(W), a))
tape_jacobian = tape.jacobian(a, a0_t).numpy()
hand_jacobian = np.linalg.multi_dot(Js[::-1])                 # J_L J_{L-1} ... J_1
grad_rel_diff = float(np.abs(hand[0] - tape_grad).max() / np.abs(tape_grad).max())
jacobian_rel_diff = float(np.abs(hand_jacobian - tape_jacobian).max() / np.abs(tape_jacobian).max())
print(f"dC/da_0: hand product vs GradientTape, max relative difference {grad_rel_diff:.1e}")
print(f"da_L/da_0: J_L...J_1 vs tape.jacobian, max relative difference {jacobian_rel_diff:.1e}")

# --- 2. singular values of J_l and the shrinking product, for three weight scales ---------------
print("\ngain  mean sigma'  s_max(W_l)  s_max(J_l)  rms s(J_l)  per-layer factor  ||dC/da_0||/||dC/da_L||")
results = {}
for gain in GAINS:
    Ws, a0, g = network(gain)
    zs, _ = forward(Ws, a0)
    Js = jacobians(Ws, zs)
    grads = backward(Js, g)
    norms = np.array([np.linalg.norm(v) for v in grads])
    s_W = np.mean([np.linalg.svd(W, compute_uv=False)[0] for W in Ws])
    s_J = [np.linalg.svd(J, compute_uv=False) for J in Js]
    dsig = np.mean([np.mean(sigmoid(z) * (1 - sigmoid(z))) for z in zs])
    total = norms[0] / norms[-1]
    results[gain] = dict(norms=norms, s_max=np.mean([s[0] for s in s_J]),
                         rms=np.mean([np.sqrt(np.mean(s ** 2)) for s in s_J]),
                         factor=total ** (1 / depth), total=total, dsig=dsig, s_W=s_W)
    r = results[gain]
    print(f"{gain:4.0f}  {dsig:11.3f}  {s_W:10.2f}  {r['s_max']:10.3f}  {r['rms']:10.3f}"
          f"  {r['factor']:16.3f}  {total:23.2e}")

factor_gain1 = float(results[1.0]["factor"])           # per-layer shrink factor, N(0, 1/n_in)
factor_gain4 = float(results[4.0]["factor"])
total_gain1 = float(results[1.0]["total"])
total_gain4 = float(results[4.0]["total"])
s_max_J_gain1 = float(results[1.0]["s_max"])
s_max_W_gain1 = float(results[1.0]["s_W"])
rms_J_gain1 = float(results[1.0]["rms"])
dsig_gain1 = float(results[1.0]["dsig"])
dsig_gain4 = float(results[4.0]["dsig"])
factor_gain16 = float(results[16.0]["factor"])
total_gain16 = float(results[16.0]["total"])
dsig_gain16 = float(results[16.0]["dsig"])
# fraction of saturated units (sigma' < 0.01, i.e. |z| > ~4.6) in the last layer, gain 16
Ws16, a016, _ = network(16.0)
z16 = forward(Ws16, a016)[0][-1]
saturated_gain16 = float(np.mean(sigmoid(z16) * (1 - sigmoid(z16)) < 0.01))
print(f"gain 16: {saturated_gain16:.0%} of the last layer's units are saturated (sigma' < 0.01)")

fig, ax = plt.subplots(figsize=(6.5, 4))
for gain, marker in zip(GAINS, "osd"):
    ax.semilogy(np.arange(depth + 1), results[gain]["norms"], marker + "-", ms=4,
                label=rf"$W_l \sim N(0, {gain ** 2:g}/n)$")
ax.set_xlabel("l (0 = input, 20 = last layer)")
ax.set_ylabel(r"$\|\partial C / \partial a_l\|$")
ax.set_xticks(range(0, depth + 1, 2))
ax.grid(alpha=0.3, which="both")
ax.legend()
plt.show()
