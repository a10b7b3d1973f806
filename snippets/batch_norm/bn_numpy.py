"""Batch normalization written from scratch in numpy, forward and backward, checked against
tf.GradientTape and against keras.layers.BatchNormalization in training and inference mode.
CPU, ~5-15 s (most of it importing TensorFlow and Keras)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np


def bn_forward(z, gamma, beta, eps=1e-3):
    """Training mode: normalise each unit (column) with the statistics of this batch."""
    mu = z.mean(axis=0)                          # batch mean, per unit
    var = z.var(axis=0)                          # batch variance (divide by B, not B - 1)
    inv = 1.0 / np.sqrt(var + eps)
    zhat = (z - mu) * inv                        # mean 0, variance ~1 in every column
    y = gamma * zhat + beta                      # scale and shift: the layer can undo it
    return y, (zhat, inv, gamma), (mu, var)


def bn_backward(dy, cache):
    """dC/dz, dC/dgamma, dC/dbeta from dy = dC/dy.  mu and var depend on every example of
    the batch, so each dC/dz_i collects terms from all of them:
        dz = inv * (g - mean(g) - zhat * mean(g * zhat)),   g = gamma * dy."""
    zhat, inv, gamma = cache
    g = dy * gamma
    dz = inv * (g - g.mean(axis=0) - zhat * (g * zhat).mean(axis=0))
    return dz, (dy * zhat).sum(axis=0), dy.sum(axis=0)


def bn_inference(z, gamma, beta, moving_mean, moving_var, eps=1e-3):
    """Inference mode: fixed statistics, so each example is transformed on its own."""
    return gamma * (z - moving_mean) / np.sqrt(moving_var + eps) + beta


def update_moving(moving, batch_value, momentum):
    """Keras's convention: moving <- momentum * moving + (1 - momentum) * batch value."""
    return momentum * moving + (1.0 - momentum) * batch_value


rng = np.random.default_rng(0)
B, units, eps, momentum = 32, 5, 1e-3, 0.9
z = rng.normal(3.0, 2.0, (B, units))             # a batch of pre-activations, off-centre
gamma, beta = rng.normal(1.0, 0.2, units), rng.normal(0.0, 0.2, units)
y, cache, (mu, var) = bn_forward(z, gamma, beta, eps)
zhat = cache[0]
print(f"normalised batch: column means {np.round(zhat.mean(0), 12) + 0}, "
      f"column std {np.round(zhat.std(0), 4)}")

# A cost that weights every output differently, C = sum(R * y), so dC/dy = R.
R = rng.normal(size=(B, units))
dz, dgamma, dbeta = bn_backward(R, cache)

# --- check 1: tf.GradientTape differentiates the same formula (float64)
import tensorflow as tf
zt, gt, bt = (tf.Variable(v) for v in (z, gamma, beta))
with tf.GradientTape() as tape:
    m, v = tf.nn.moments(zt, axes=[0])
    yt = gt * (zt - m) / tf.sqrt(v + eps) + bt
    cost = tf.reduce_sum(R * yt)
tz, tgamma, tbeta = (t.numpy() for t in tape.gradient(cost, [zt, gt, bt]))
diff_forward_tape = float(np.abs(y - yt.numpy()).max())
diff_dz = float(np.abs(dz - tz).max())
diff_dgamma = float(np.abs(dgamma - tgamma).max())
diff_dbeta = float(np.abs(dbeta - tbeta).max())
print(f"vs GradientTape: forward {diff_forward_tape:.1e}, dC/dz {diff_dz:.1e}, "
      f"dC/dgamma {diff_dgamma:.1e}, dC/dbeta {diff_dbeta:.1e}")

# --- check 2: Keras's layer, training and inference mode, and its moving averages
import keras
layer = keras.layers.BatchNormalization(momentum=momentum, epsilon=eps, dtype="float64")
layer.build((None, units))
layer.set_weights([gamma, beta, np.zeros(units), np.ones(units)])   # gamma, beta, moving mean, var
y_keras_train = keras.ops.convert_to_numpy(layer(z, training=True))
moving_mean = update_moving(np.zeros(units), mu, momentum)
moving_var = update_moving(np.ones(units), var, momentum)
k_mean, k_var = (np.asarray(w) for w in layer.get_weights()[2:])
diff_keras_train = float(np.abs(y - y_keras_train).max())
diff_moving = float(max(np.abs(moving_mean - k_mean).max(), np.abs(moving_var - k_var).max()))
z_new = rng.normal(3.0, 2.0, (4, units))        # inference: new examples, stored statistics
y_keras_infer = keras.ops.convert_to_numpy(layer(z_new, training=False))
diff_keras_infer = float(np.abs(bn_inference(z_new, gamma, beta, moving_mean, moving_var, eps)
                                - y_keras_infer).max())
print(f"vs keras BatchNormalization: training mode {diff_keras_train:.1e}, "
      f"moving averages {diff_moving:.1e}, inference mode {diff_keras_infer:.1e}")
max_diff = max(diff_forward_tape, diff_dz, diff_dgamma, diff_dbeta, diff_keras_train,
               diff_moving, diff_keras_infer)
