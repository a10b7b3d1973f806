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


def sigmoid_problems_rng():
    # the random stream of sigmoid_problems.py at the line that draws x_pos (after its 6 x 5
    # sigmoid inputs and 6 upstream gradients), so the inputs below are the reader's own
    rng = np.random.default_rng(0)
    rng.standard_normal((6, 5))
    rng.standard_normal(6)
    return rng


w_star = np.array([1.0, -1.0])
n_steps = 400
inputs = {"positive (uniform 0.4..1)": sigmoid_problems_rng().uniform(0.4, 1.0, (400, 2)),
          "tanh outputs": np.tanh(sigmoid_problems_rng().standard_normal((400, 2)))}
# A step is a scalar times x_i, so its two components share a sign exactly when x_i1, x_i2 do,
# as long as neither component is 0.  Once w has reached w* (to floating-point rounding) the
# updates are exactly 0, in one component or both, and np.sign(0) == np.sign(0) would count a
# zero step as "one sign": count only the steps whose two components are both non-zero.
print("inputs                      counted steps   with one sign   (all steps)   "
      "their inputs with one sign   all inputs with one sign")
share, share_all, counted, input_share, input_share_all = {}, {}, {}, {}, {}
for name, x in inputs.items():
    step = np.diff(sgd_path(x, w_star, 0.5, n_steps), axis=0)
    xs = x[np.arange(n_steps) % len(x)]                  # the example each step used
    same = np.sign(step[:, 0]) == np.sign(step[:, 1])
    moved = (step != 0).all(axis=1)                      # both components non-zero
    counted[name] = int(moved.sum())
    share[name] = float(same[moved].mean())
    share_all[name] = float(same.mean())                 # zero steps counted as "one sign"
    input_share[name] = float(np.mean(np.sign(xs[moved, 0]) == np.sign(xs[moved, 1])))
    input_share_all[name] = float(np.mean(np.sign(x[:, 0]) == np.sign(x[:, 1])))
    print(f"{name:26s}  {counted[name]:13d}   {share[name]:13.0%}   {share_all[name]:11.0%}   "
          f"{input_share[name]:26.0%}   {input_share_all[name]:24.0%}")
same_sign_positive = share["positive (uniform 0.4..1)"]
same_sign_tanh = share["tanh outputs"]
same_sign_tanh_all_steps = share_all["tanh outputs"]
counted_tanh = counted["tanh outputs"]
input_same_sign_tanh = input_share["tanh outputs"]           # over the same examples as the steps
input_same_sign_tanh_all = input_share_all["tanh outputs"]   # over all the inputs
