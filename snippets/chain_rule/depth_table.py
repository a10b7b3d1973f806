"""Does depth help? One MNIST net of seed 000's depth table, trained in Keras.

Trains ONE configuration (sigmoid or ReLU, 1-4 hidden layers of 100 units) for ONE seed,
in the setup of the seed article's TF1 scripts: 10 sigmoid output units, loss = mean over
the batch AND the 10 units of sigmoid cross-entropy on one-hot labels, plus L2 on every
weight matrix (TF1's l2_regularizer(5.0/50000) = 1e-4 * sum(W^2)/2); weights
N(0,1)/sqrt(fan_in) (sigmoid) or N(0,1)/sqrt(fan_in/2) (ReLU, also the output layer),
biases N(0,1); plain SGD, learning rate 0.5, mini-batches of 10; 30 epochs (60 for 4 hidden
layers).  After every epoch it prints the validation and test accuracy and the norm of
dC/db_l of every hidden layer l (C = the mean cross-entropy on the first 1,000 training
images, without the L2 term).  The book reports the best validation accuracy over the epochs.
Cost for one seed: CPU, ~3 min (30 epochs) to ~7 min (4 hidden layers, 60 epochs) with the
JAX backend on 2 cores; TensorFlow is slower.
The book trains 5 seeds of all 8 configurations at once with its shared engine
(snippets/engine/stacked.py), which a test proves equal to this file step for step.
"""
import argparse
import os

import numpy as np
import keras

HIDDEN, LR, BATCH = 100, 0.5, 10
L2 = 5.0 / 50000              # TF1 l2_regularizer(scale): scale * sum(W^2) / 2
GRAD_SUBSET = 1000            # gradient norms on the first 1,000 training images
ORDER_SEED = 2017


def default_epochs(depth):
    return 60 if depth == 4 else 30


def load_mnist():
    """(x_train, y_train), (x_val, y_val), (x_test, y_test): first 10,000 training images = validation."""
    path = os.environ.get("MNIST_PATH")
    if path:
        with np.load(path) as d:
            (xtr, ytr), (xte, yte) = (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])
    else:
        (xtr, ytr), (xte, yte) = keras.datasets.mnist.load_data()
    flat = lambda x: x.reshape(-1, 784).astype("float32") / 255
    return (flat(xtr[10000:]), ytr[10000:]), (flat(xtr[:10000]), ytr[:10000]), (flat(xte), yte)


def build_model(seed, activation="sigmoid", depth=3):
    """784-100-...-100-10; the sigmoid and ReLU nets of one seed share the same raw N(0,1) draws."""
    keras.utils.set_random_seed(seed)
    scale = 2.0 if activation == "relu" else 1.0          # Var(W) = scale / fan_in
    dense = lambda units, act: keras.layers.Dense(
        units, activation=act,
        kernel_initializer=keras.initializers.VarianceScaling(scale, "fan_in", "untruncated_normal"),
        bias_initializer=keras.initializers.RandomNormal(0.0, 1.0),
        kernel_regularizer=keras.regularizers.L2(L2 / 2))   # adds (L2/2) sum(W^2): dC/dW += L2 * W
    layers = [dense(HIDDEN, activation) for _ in range(depth)]
    return keras.Sequential([keras.Input((784,))] + layers + [dense(10, None)])   # logits z


# C = mean over batch and 10 units of CE(sigmoid(z), y);  dC/dz = (sigmoid(z) - y) / (B * 10)
loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)


def batch_order(epoch, n):
    """The same shuffle for every seed; the ragged last batch is dropped."""
    return np.random.default_rng([ORDER_SEED, epoch]).permutation(n)[:n // BATCH * BATCH]


def gradients(model, x, y):
    """dC/dtheta of the data term (no L2) for every array of model.get_weights()."""
    if keras.backend.backend() == "jax":
        import jax
        def cost(trainable):
            z, _ = model.stateless_call(trainable, model.non_trainable_variables, x)
            return loss_fn(y, z)
        grads = jax.grad(cost)([v.value for v in model.trainable_variables])
    else:
        import tensorflow as tf
        with tf.GradientTape() as tape:
            cost = loss_fn(y, model(x))
        grads = tape.gradient(cost, model.trainable_variables)
    return [keras.ops.convert_to_numpy(g) for g in grads]


def accuracy(model, x, y):
    return float(np.mean(np.argmax(keras.ops.convert_to_numpy(model(x)), axis=1) == y))


def train(seed=0, epochs=None, train_size=None, eval_size=None, activation="sigmoid", depth=3):
    (xtr, ytr), (xv, yv), (xt, yt) = load_mnist()
    xtr, ytr = xtr[:train_size], ytr[:train_size]
    xv, yv, xt, yt = xv[:eval_size], yv[:eval_size], xt[:eval_size], yt[:eval_size]
    Ytr = keras.utils.to_categorical(ytr, 10).astype("float32")
    xg, Yg = xtr[:GRAD_SUBSET], Ytr[:GRAD_SUBSET]
    model = build_model(seed, activation, depth)
    model.compile(optimizer=keras.optimizers.SGD(LR), loss=loss_fn)   # W <- W - lr * dC/dW
    history = {"val_acc": [], "test_acc": [], "grad_norm_b": [], "grad_norm_w": []}

    def measure(epoch):
        g = gradients(model, xg, Yg)
        history["val_acc"].append(accuracy(model, xv, yv))
        history["test_acc"].append(accuracy(model, xt, yt))
        history["grad_norm_b"].append([float(np.linalg.norm(b)) for b in g[1:-2:2]])  # hidden layers
        history["grad_norm_w"].append([float(np.linalg.norm(w)) for w in g[0:-2:2]])
        print(f"epoch {epoch:2d}  val {history['val_acc'][-1]:.4f}  test {history['test_acc'][-1]:.4f}"
              "  ||dC/db_l|| " + " ".join(f"{v:.2e}" for v in history["grad_norm_b"][-1]))

    measure(0)
    for epoch in range(1, (epochs or default_epochs(depth)) + 1):
        order = batch_order(epoch, len(xtr))
        model.fit(xtr[order], Ytr[order], batch_size=BATCH, epochs=1, shuffle=False, verbose=0)
        measure(epoch)
    best = int(np.argmax(history["val_acc"][1:])) + 1
    print(f"best validation accuracy {history['val_acc'][best]:.4f} at epoch {best}")
    return model, history


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--activation", choices=("sigmoid", "relu"), default="sigmoid")
    ap.add_argument("--depth", type=int, choices=(1, 2, 3, 4), default=3)
    ap.add_argument("--epochs", type=int, default=None, help="default 30 (60 for depth 4)")
    ap.add_argument("--train-size", type=int, default=None)
    ap.add_argument("--eval-size", type=int, default=None)
    a = ap.parse_args()
    train(a.seed, a.epochs, a.train_size, a.eval_size, a.activation, a.depth)
