"""Exercise answer: Widrow and Hoff's LMS rule on XOR. Like the perceptron's, its weights end up
repeating the same loop every epoch, but the LMS loop is small, around the least-squares fit, and
shrinks with the learning rate; that fit outputs 1/2 everywhere, and thresholded at 1/2 the LMS
weights get only 1 or 2 of the 4 points right. CPU, <1 s."""
import numpy as np

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y = np.array([0.0, 1.0, 1.0, 0.0])
Xa = np.c_[X, np.ones(4)]                        # (x1, x2, 1): the bias as a weight


def train(rule, eta, epochs):
    """One example at a time; returns the weights at the start of the last epoch and after each
    of its steps (5 rows: start, then one per example)."""
    w = np.zeros(3)
    for _ in range(epochs):
        trace = [w.copy()]
        for x_i, y_i in zip(Xa, y):
            if rule == "lms":     # error on s = w.(x, 1) BEFORE the threshold: a gradient step on (y - s)^2 / 2
                w = w + eta * (y_i - w @ x_i) * x_i
            else:                 # perceptron: error after the threshold, y - step(s)
                w = w + eta * (y_i - float(w @ x_i >= 0)) * x_i
            trace.append(w.copy())
    return np.array(trace)


def spread(trace):
    """The largest range any weight covers within the epoch."""
    return float((trace.max(axis=0) - trace.min(axis=0)).max())


eta, epochs = 0.05, 2000
trace = train("lms", eta, epochs)
w = trace[-1]
w_lsq = np.linalg.lstsq(Xa, y, rcond=None)[0]    # the least-squares fit: w = (0, 0), b = 1/2
print(f"LMS after {epochs} epochs: w = {np.round(w[:2], 3)}, b = {w[2]:.3f}")
print(f"least squares:          w = {np.round(w_lsq[:2], 3)}, b = {w_lsq[2]:.3f}")

# Both rules end in a cycle of one epoch: the weights return to where the epoch started.
last_epoch_change = float(np.abs(trace[-1] - trace[0]).max())
p_trace = train("perceptron", 1.0, 100)
perceptron_last_epoch_change = float(np.abs(p_trace[-1] - p_trace[0]).max())
print(f"change over the last epoch: LMS {last_epoch_change:.1e}, perceptron {perceptron_last_epoch_change:.1e}")
# What tells them apart is the size of the loop within the epoch (each LMS step moves w by
# eta (y - s) (x, 1), and |y - s| is about 1/2 near the fit).
spreads = {e: spread(train("lms", e, epochs)) for e in (0.1, eta, 0.025)}
lms_spread = spreads[eta]
eta_big, eta_small = 0.1, 0.025
spread_big, spread_small = spreads[eta_big], spreads[eta_small]
for e, s_ in spreads.items():
    print(f"LMS, eta = {e:5.3f}: weights move within a range of {s_:.4f} during the last epoch")
distance_to_lsq = float(np.abs(trace - w_lsq).max())   # the whole last-epoch loop, from the fit

s = Xa @ w
s_01 = float(s[1])                               # the output at (0, 1): on the threshold
correct = int(np.sum((s >= 0.5) == (y == 1)))  # threshold the linear output at 1/2
print(f"linear outputs {np.round(s, 3)}; thresholded at 1/2: {correct} of 4 right")
# the count at each step of the last epoch: the outputs sit near 1/2, one of them on it
counts = [int(np.sum((Xa @ w_k >= 0.5) == (y == 1))) for w_k in trace]
correct_min, correct_max = min(counts), max(counts)
print(f"right after each step of the last epoch: {counts}")
correct_lsq = int(np.sum((Xa @ w_lsq >= 0.5) == (y == 1)))
print(f"the least-squares fit itself outputs 1/2 everywhere and gets {correct_lsq} of 4 right")
