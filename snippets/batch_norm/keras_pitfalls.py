"""Four ways keras.layers.BatchNormalization surprises people, each shown by running it:
training= True vs False, what `momentum` means, BN before or after the activation, and
small batches.  CPU, ~5-15 s (most of it importing TensorFlow and Keras)."""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import keras

rng = np.random.default_rng(3)
x = rng.normal(5.0, 3.0, (64, 4)).astype("float32")      # features far from mean 0, std 1

# 1. training=True normalises with THIS batch's statistics; training=False uses the moving
#    averages, which start at mean 0, variance 1 -- a fresh layer then barely changes x.
bn = keras.layers.BatchNormalization()
out_train = keras.ops.convert_to_numpy(bn(x, training=True))
out_infer = keras.ops.convert_to_numpy(bn(x, training=False))
print(f"1. training=True : output mean {out_train.mean():+.3f}, std {out_train.std():.3f}")
print(f"   training=False: output mean {out_infer.mean():+.3f}, std {out_infer.std():.3f}"
      "  (moving averages after one update)")
train_vs_infer_gap = float(np.abs(out_train - out_infer).mean())

# 2. momentum: Keras keeps  moving = momentum * moving + (1 - momentum) * batch  (default 0.99).
#    PyTorch's BatchNorm1d keeps  running = (1 - momentum) * running + momentum * batch
#    (default 0.1).  Same word, opposite meaning: Keras 0.99 ~ PyTorch 0.01; Keras 0.9 = PyTorch 0.1.
for momentum in (0.99, 0.1):
    layer = keras.layers.BatchNormalization(momentum=momentum)
    means = []
    for step in range(300):
        batch = rng.normal(5.0, 3.0, (32, 4)).astype("float32")
        layer(batch, training=True)
        means.append(float(keras.ops.convert_to_numpy(layer.moving_mean)[0]))
    means = np.array(means)
    print(f"2. momentum={momentum}: moving mean after 10 steps {means[9]:.2f}, after 300 "
          f"{means[-1]:.2f}; jitter over the last 100 steps (std) {means[-100:].std():.3f}"
          f"  (true mean 5)")
    if momentum == 0.99:
        mean_after_10_slow = means[9]
        jitter_slow = float(means[-100:].std())
    else:
        jitter_fast = float(means[-100:].std())
print(f"   formula for momentum 0.99: 5 * (1 - 0.99**10) = {5 * (1 - 0.99 ** 10):.2f}")

# 3. Before or after the activation?  Pre-activations of a Dense layer on unscaled inputs are
#    large; a sigmoid after them saturates unless BN comes first.
dense = keras.layers.Dense(100, kernel_initializer=keras.initializers.RandomNormal(0, 1, seed=1))
inputs = rng.uniform(0, 1, (256, 100)).astype("float32")
z = dense(inputs)
orders = {"Dense -> BN -> sigmoid": keras.ops.sigmoid(keras.layers.BatchNormalization()(z, training=True)),
          "Dense -> sigmoid -> BN": keras.ops.sigmoid(z)}
slopes = {}
for name, a in orders.items():
    a = keras.ops.convert_to_numpy(a)
    slope = a * (1 - a)                                   # sigma'(input) of every unit
    slopes[name] = float(slope.mean())
    print(f"3. {name}: mean sigma'(input) {slope.mean():.3f}, "
          f"saturated (sigma' < 0.01) {np.mean(slope < 0.01):.0%}")
slope_bn_before = slopes["Dense -> BN -> sigmoid"]
slope_bn_after = slopes["Dense -> sigmoid -> BN"]

# 4. Small batches: in training mode an example's output depends on the OTHER examples in its
#    batch.  Put one fixed example into 20 random batches and look at the spread of its output.
bn = keras.layers.BatchNormalization()
pool = rng.normal(0.0, 1.0, (5000, 1)).astype("float32")
probe = np.array([[1.0]], "float32")
spread = {}
for size in (1, 2, 4, 16, 256):
    outs = []
    for _ in range(20):
        others = pool[rng.choice(len(pool), size - 1, replace=False)]
        batch = np.concatenate([probe, others])
        outs.append(float(keras.ops.convert_to_numpy(bn(batch, training=True))[0, 0]))
    spread[size] = float(np.std(outs))
    print(f"4. batch of {size:3d}: output for the same input x = 1: mean {np.mean(outs):+.3f}, "
          f"spread (std over 20 batches) {np.std(outs):.3f}")
spread_4, spread_256 = spread[4], spread[256]
print("   (a batch of 1 normalises every input to 0: the output is beta, whatever x is)")

# 5. Freezing: trainable=False makes the layer run in inference mode even when training=True.
bn = keras.layers.BatchNormalization()
bn.build((None, 4))
bn.trainable = False
frozen = keras.ops.convert_to_numpy(bn(x, training=True))
frozen_uses_moving = bool(np.allclose(frozen, x / np.sqrt(1 + 1e-3), atol=1e-5))
print(f"5. trainable=False, training=True: output = x / sqrt(1 + eps)? {frozen_uses_moving}")
