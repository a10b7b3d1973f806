"""Exercise answer: the deep_init.py net (784-100-...-100-10 ReLU) at initialization with 10 and
with 30 hidden layers: how much smaller Xavier makes the logits and the first layer's gradient
than He does, predicted and measured. CPU, ~1 s.

Xavier's N(0, 2/(n_in + n_out)) has n_in / (n_in + n_out) times He's variance 2/n_in: one half
in every 100-to-100 layer.  Each ReLU layer passes on half of its input's second moment, so
with He's variance the signal keeps its size and with Xavier's it halves in every layer,
forwards and, by the same argument, backwards.
"""
import numpy as np

rng = np.random.default_rng(0)
batch = 500
x = rng.standard_normal((batch, 784))                 # stand-in inputs (the ratios do not depend on them)
y = np.eye(10)[rng.integers(0, 10, batch)]


def forward_backward(sizes, var_fn, seed=0):
    """Logits and dC/dW of the first layer for softmax cross-entropy, biases 0."""
    r = np.random.default_rng(seed)
    Ws = [r.standard_normal((i, o)) * np.sqrt(var_fn(i, o)) for i, o in zip(sizes[:-1], sizes[1:])]
    a, cache = x, []
    for l, W in enumerate(Ws):
        z = a @ W
        cache.append((a, z))
        a = z if l == len(Ws) - 1 else np.maximum(z, 0)
    p = np.exp(a - a.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    delta = (p - y) / batch                           # dC/dlogits
    for l in range(len(Ws) - 1, 0, -1):
        delta = (delta @ Ws[l].T) * (cache[l - 1][1] > 0)   # dC/dz_{l-1} = (dC/dz_l W_l^T) relu'(z_{l-1})
    return a, cache[0][0].T @ delta                   # dC/dW_1 = x^T dC/dz_1


xavier = lambda i, o: 2.0 / (i + o)
he = lambda i, o: 2.0 / i
print("hidden layers  logit std: Xavier / He (predicted)   first-layer gradient norm: Xavier / He")
ratios = {}
for layers in (10, 30):
    sizes = [784] + [100] * layers + [10]
    # predicted std ratio of the logits: sqrt of the product of n_in / (n_in + n_out) over all layers
    predicted = float(np.sqrt(np.prod([i / (i + o) for i, o in zip(sizes[:-1], sizes[1:])])))
    logits_x, grad_x = forward_backward(sizes, xavier)
    logits_h, grad_h = forward_backward(sizes, he)
    logit_ratio = float(logits_x.std() / logits_h.std())
    grad_ratio = float(np.linalg.norm(grad_x) / np.linalg.norm(grad_h))
    ratios[layers] = (logit_ratio, predicted, grad_ratio)
    print(f"{layers:13d}  {logit_ratio:14.2e} ({predicted:.2e})   {grad_ratio:27.2e}")
logit_ratio_10, predicted_10, grad_ratio_10 = ratios[10]
logit_ratio_30, predicted_30, grad_ratio_30 = ratios[30]
gap = logit_ratio_10 / logit_ratio_30                 # how much worse 30 layers start than 10
print(f"the 30-layer net's logits start {gap:.0f} times further below He's than the 10-layer net's")
