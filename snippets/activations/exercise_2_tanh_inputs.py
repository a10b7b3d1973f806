"""Exercise answer: the per-example SGD toy of sigmoid_problems.py with tanh outputs as inputs
instead of positive ones: the share of steps whose two components have one sign. CPU, <1 s."""
import numpy as np


def sgd_path(x, w_star, lr, steps):
    # per-example SGD on (w.x - y)^2 / 2 with y = w*.x: the step is -lr (w.x - y) x
    w, path = np.zeros(2), [np.zeros(2)]
    for t in range(steps):
        xi = x[t % len(x)]
        w = w - lr * (w @ xi - w_star @ xi) * xi
        path.append(w.copy())
    return np.array(path)


rng = np.random.default_rng(0)
w_star = np.array([1.0, -1.0])
inputs = {"positive (uniform 0.4..1)": rng.uniform(0.4, 1.0, (400, 2)),
          "tanh outputs": np.tanh(rng.standard_normal((400, 2)))}
# A step is a scalar times x_i, so its two components share a sign exactly when x_i1, x_i2 do.
print("inputs                      steps with one sign   inputs with one sign   mean input")
share, input_share = {}, {}
for name, x in inputs.items():
    step = np.diff(sgd_path(x, w_star, 0.5, 400), axis=0)
    moved = np.abs(step).sum(axis=1) > 0
    share[name] = float(np.mean(np.sign(step[moved, 0]) == np.sign(step[moved, 1])))
    input_share[name] = float(np.mean(np.sign(x[:, 0]) == np.sign(x[:, 1])))
    print(f"{name:26s}  {share[name]:19.0%}   {input_share[name]:20.0%}   {np.round(x.mean(0), 2)}")
same_sign_positive = share["positive (uniform 0.4..1)"]
same_sign_tanh = share["tanh outputs"]
input_same_sign_tanh = input_share["tanh outputs"]
