"""How far back a gradient reaches in time: the norm of dC/dx_t, the gradient of a loss on the last
output with respect to the input at step t, for t back through 100 steps, in a plain tanh RNN
(keras.layers.SimpleRNN) and in LSTMs (keras.layers.LSTM) whose forget gates start at three levels
(tf.GradientTape, at initialization, on random inputs). CPU, ~10 s (half of it importing TensorFlow)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

steps, features, units, batch = 100, 4, 32, 16
rng = np.random.default_rng(0)
x = tf.constant(rng.standard_normal((batch, steps, features)), tf.float64)
readout = tf.constant(rng.standard_normal((units, 1)), tf.float64)
FORGET_BIASES = [1.0, 3.0, 6.0]        # forget gate f = sigma(. + b_f) starts near sigma(b_f)


def make(kind, forget_bias=None):
    keras.utils.set_random_seed(0)
    if kind == "rnn":                 # h_t = tanh(x_t W + h_{t-1} U + b)
        layer = keras.layers.SimpleRNN(units, dtype="float64")
    else:                             # c_t = f_t * c_{t-1} + i_t * g_t,  h_t = o_t * tanh(c_t)
        layer = keras.layers.LSTM(units, dtype="float64", unit_forget_bias=False)
    layer.build((batch, steps, features))
    if kind == "lstm":                # Keras orders the LSTM bias as [input, forget, cell, output]
        bias = np.zeros(4 * units)
        bias[units:2 * units] = forget_bias
        layer.cell.bias.assign(bias)
    return layer


def input_grad_norms(layer):
    """||dC/dx_t|| for t = 1..steps with C = mean over the batch of h_T . r (the last output)."""
    with tf.GradientTape() as tape:
        tape.watch(x)
        cost = tf.reduce_mean(layer(x) @ readout)
    g = tape.gradient(cost, x)                       # shape (batch, steps, features)
    return np.sqrt(tf.reduce_sum(g ** 2, axis=[0, 2]).numpy())


curves = {"SimpleRNN (tanh)": input_grad_norms(make("rnn"))}
for b in FORGET_BIASES:
    curves[f"LSTM, forget bias {b:g}"] = input_grad_norms(make("lstm", b))

print("steps back   " + "   ".join(f"{name:>22s}" for name in curves))
for back in [0, 1, 5, 10, 20, 40, 60, 80, 99]:
    print(f"{back:10d}   " + "   ".join(f"{c[steps - 1 - back]:22.2e}" for c in curves.values()))
# how much of the gradient at the last step is left 99 steps earlier
reach = {name: float(c[0] / c[-1]) for name, c in curves.items()}
for name, r in reach.items():
    print(f"{name:22s}: ||dC/dx_1|| / ||dC/dx_100|| = {r:.1e}")
rnn_reach = reach["SimpleRNN (tanh)"]
lstm_reach_default = reach["LSTM, forget bias 1"]      # Keras's unit_forget_bias=True adds 1
lstm_reach_3 = reach["LSTM, forget bias 3"]
lstm_reach_6 = reach["LSTM, forget bias 6"]
forget_gate_1 = float(1 / (1 + np.exp(-1.0)))          # sigma(1), about the forget gate's start
forget_gate_6 = float(1 / (1 + np.exp(-6.0)))
forget_gate_1_pow_99 = forget_gate_1 ** 99                # if sigma(1) alone set the decay
lstm_per_step_default = lstm_reach_default ** (1 / (steps - 1))   # the measured factor per step
# the lowest point of each curve, relative to the last step: along the cell state's direct path
# the factor prod f_t <= 1 can only shrink the gradient; where a curve rises again going back,
# the indirect paths (through the gates and h_{t-1}) amplify it
low = {name: float(c.min() / c[-1]) for name, c in curves.items()}
lstm_min_3 = low["LSTM, forget bias 3"]
lstm_min_6 = low["LSTM, forget bias 6"]
print(f"forget bias 1: {lstm_per_step_default:.3f} per step measured; sigma(1)^99 = {forget_gate_1_pow_99:.1e}")
print(f"lowest ||dC/dx_t|| / ||dC/dx_100||: forget bias 3 {lstm_min_3:.2f}, forget bias 6 {lstm_min_6:.2f}")

fig, ax = plt.subplots(figsize=(6.5, 4))
back = np.arange(steps)[::-1]                          # steps before the last one
for (name, c), marker in zip(curves.items(), "o^sd"):
    ax.semilogy(back, c, marker + "-", ms=2.5, label=name)
ax.set_xlabel("steps back from the last step (T - t)")
ax.set_ylabel(r"$\|\partial C / \partial x_t\|$")
ax.grid(alpha=0.3, which="both")
ax.legend()
plt.show()
