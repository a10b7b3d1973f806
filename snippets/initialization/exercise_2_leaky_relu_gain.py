"""Exercise answer: for leaky ReLU with slope alpha, Var[w] = 2 / ((1 + alpha^2) n_in) keeps the
signal's size from layer to layer; He's 2 / n_in does not. CPU, ~2 s."""
import numpy as np

# For z symmetric about 0: E[leaky(z)^2] = 1/2 E[z^2] + 1/2 alpha^2 E[z^2] = (1 + alpha^2)/2 Var[z].
# Var[z_next] = n_in Var[w] E[leaky(z)^2], so Var[w] = 2 / ((1 + alpha^2) n_in) keeps it constant.
layers, width, batch = 30, 100, 200


def second_moments(alpha, var_w, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((batch, width))
    out = []
    for _ in range(layers):
        z = a @ (rng.standard_normal((width, width)) * np.sqrt(var_w / width))
        a = np.where(z > 0, z, alpha * z)             # leaky ReLU
        out.append(np.mean(z ** 2))                   # E[z_l^2], layer by layer
    return np.array(out)


# E[leaky(z)^2] / Var[z] by sampling, against (1 + alpha^2) / 2
z = np.random.default_rng(1).standard_normal(1_000_000)
print("alpha   E[leaky(z)^2]/Var[z]   (1+alpha^2)/2   Var[w]*n_in   factor per layer: formula   He")
factor, factor_he, moment_error = {}, {}, 0.0
for alpha in (0.0, 0.01, 0.2, 0.5, 1.0):
    second = np.mean(np.where(z > 0, z, alpha * z) ** 2) / z.var()
    moment_error = max(moment_error, abs(second - (1 + alpha ** 2) / 2))
    gain = 2 / (1 + alpha ** 2)
    m, m_he = second_moments(alpha, gain), second_moments(alpha, 2.0)
    factor[alpha] = float((m[-1] / m[0]) ** (1 / (layers - 1)))    # geometric mean per layer
    factor_he[alpha] = float((m_he[-1] / m_he[0]) ** (1 / (layers - 1)))
    print(f"{alpha:5.2f}   {second:20.4f}   {(1 + alpha ** 2) / 2:13.4f}   {gain:11.4f}   "
          f"{factor[alpha]:16.3f}   {factor_he[alpha]:.3f}")
moment_error = float(moment_error)
factor_leaky_02, factor_he_02 = factor[0.2], factor_he[0.2]
factor_linear, factor_he_linear = factor[1.0], factor_he[1.0]
max_factor_error = float(max(abs(f - 1) for f in factor.values()))   # of the geometric mean per layer
# what that per-layer deviation compounds to from layer 1 to layer 30 (one random draw of the weights)
max_drift = float(max(max(f, 1 / f) ** (layers - 1) for f in factor.values()))
print(f"largest deviation of the per-layer factor from 1: {max_factor_error:.3f}, "
      f"{max_drift:.1f}-fold from layer 1 to layer {layers}")
# alpha = 1: leaky ReLU is the identity and the formula gives Var[w] = 1 / n_in (LeCun)
gain_alpha_1 = 2 / (1 + 1.0 ** 2)
