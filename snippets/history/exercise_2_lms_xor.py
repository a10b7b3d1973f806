"""Exercise answer: Widrow and Hoff's LMS rule on XOR: the weights settle (at the least-squares
fit), unlike the perceptron's, but that fit, thresholded at 1/2, gets only half the points right. CPU, <1 s."""
import numpy as np

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y = np.array([0.0, 1.0, 1.0, 0.0])
Xa = np.c_[X, np.ones(4)]                        # (x1, x2, 1): the bias as a weight

# LMS: the error is taken on the linear output s = w.(x, 1) BEFORE the threshold, and
# w <- w + eta (y - s) (x, 1) is a gradient step on (y - s)^2 / 2 for one example.
eta, epochs = 0.05, 2000
w = np.zeros(3)
for epoch in range(epochs):
    for x_i, y_i in zip(Xa, y):
        w = w + eta * (y_i - w @ x_i) * x_i
    if epoch == epochs - 2:
        w_before_last = w.copy()
w_lsq = np.linalg.lstsq(Xa, y, rcond=None)[0]    # the least-squares fit: w = (0, 0), b = 1/2
print(f"LMS after {epochs} epochs: w = {np.round(w[:2], 3)}, b = {w[2]:.3f}")
print(f"least squares:          w = {np.round(w_lsq[:2], 3)}, b = {w_lsq[2]:.3f}")
last_epoch_change = float(np.abs(w - w_before_last).max())
distance_to_lsq = float(np.abs(w - w_lsq).max())
s = Xa @ w
correct = int(np.sum((s >= 0.5) == (y == 1)))  # threshold the linear output at 1/2
print(f"linear outputs {np.round(s, 3)}; thresholded at 1/2: {correct} of 4 right")
correct_lsq = int(np.sum((Xa @ w_lsq >= 0.5) == (y == 1)))
print(f"change of the weights over the last epoch: {last_epoch_change:.1e}; "
      f"the least-squares fit itself outputs 1/2 everywhere and gets {correct_lsq} of 4 right")
# The per-example rule never stops moving completely (each step chases one example), but with a
# small eta it hovers near the least-squares fit; the closer to 1/2 the outputs, the more a
# tiny wobble decides which class the threshold reports.
