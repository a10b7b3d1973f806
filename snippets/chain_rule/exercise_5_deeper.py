"""Exercise answer: the sigmoid net of layer_norms.py at depth 20, the first/last ratio of
gradient norms predicted from the depth-10 shrink factor and measured. CPU, ~1 s."""
import numpy as np

width, batch, n_out = 100, 256, 10                       # as in layer_norms.py


def sigmoid_bias_grad_norms(depth, seed=0):
    """||dC/db_l|| of a sigmoid net with W ~ N(0, 1/n_in), zero biases, C = 1/(2n) sum ||W_out a_L - y||^2."""
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((width, width)) * np.sqrt(1 / width) for _ in range(depth)]
    W_out = rng.standard_normal((width, n_out)) * np.sqrt(1 / width)
    x = rng.standard_normal((batch, width))
    y = np.eye(n_out)[rng.integers(0, n_out, batch)]
    a, acts = x, []
    for W in Ws:
        a = 1 / (1 + np.exp(-(a @ W)))
        acts.append(a)
    delta = (a @ W_out - y) / batch @ W_out.T
    norms = []
    for l in reversed(range(depth)):
        dz = delta * acts[l] * (1 - acts[l])             # sigma'(z) = a (1 - a)
        norms.append(np.linalg.norm(dz.sum(axis=0)))
        delta = dz @ Ws[l].T
    return np.array(norms[::-1])


norms10 = sigmoid_bias_grad_norms(10)
factor_10 = float((norms10[-1] / norms10[0]) ** (1 / 9))   # growth per layer from layer 1 to layer 10
predicted_ratio_20 = float((1 / factor_10) ** 19)          # 19 steps from layer 20 back to layer 1
norms20 = sigmoid_bias_grad_norms(20)
measured_ratio_20 = float(norms20[0] / norms20[-1])
factor_20 = float((norms20[-1] / norms20[0]) ** (1 / 19))
print(f"depth 10: the norm shrinks by a factor {1 / factor_10:.3f} per layer going back")
print(f"depth 20: predicted first/last = {1 / factor_10:.3f}^19 = {predicted_ratio_20:.2e}")
print(f"depth 20: measured  first/last = {measured_ratio_20:.2e}  (factor {1 / factor_20:.3f} per layer)")
shrink_10, shrink_20 = 1 / factor_10, 1 / factor_20
measured_over_predicted = measured_ratio_20 / predicted_ratio_20
