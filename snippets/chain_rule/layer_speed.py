"""Nielsen's "speed of learning" of each hidden layer (Neural Networks and Deep Learning, ch. 5), in Keras.

Trains ONE sigmoid net [784, 30, ..., 30, 10] (2-4 hidden layers) for ONE seed, in the setup
of Nielsen's fig/generate_gradient.py with his network2.py: weights N(0, 1/n_in), biases
N(0, 1); sigmoid hidden and output units; cost C = cross-entropy summed over the 10 outputs,
averaged over the first 1,000 MNIST training images, plus L2 (lambda/2n) sum(W^2); 500 epochs
of SGD with eta = 0.1, lambda = 5.0 and mini-batches of all 1,000 images, i.e. one full-batch
gradient step per epoch.  Before every step (and after the last) it prints ||dC/db_l|| of
every hidden layer l -- Nielsen's speed of learning -- and the validation and training
accuracy.  Cost for one seed: CPU, ~2 min (500 epochs, JAX backend on 2 cores).
The book trains 5 seeds of the three nets at once with its shared engine
(snippets/engine/stacked.py), which a test proves equal to this file step for step.
"""
import argparse
import os

import numpy as np
import keras

HIDDEN, ETA, LMBDA = 30, 0.1, 5.0
N_IMAGES, EPOCHS = 1000, 500


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


def build_model(seed, depth=4, n=N_IMAGES):
    """Sigmoid net [784, 30 x depth, 10] with network2's default initialisation."""
    keras.utils.set_random_seed(seed)
    dense = lambda units, act: keras.layers.Dense(
        units, activation=act,
        kernel_initializer=keras.initializers.VarianceScaling(1.0, "fan_in", "untruncated_normal"),
        bias_initializer=keras.initializers.RandomNormal(0.0, 1.0),
        # (lambda / 2n) sum(W^2): each step multiplies W by (1 - eta * lambda / n)
        kernel_regularizer=keras.regularizers.L2(LMBDA / (2 * n)))
    layers = [dense(HIDDEN, "sigmoid") for _ in range(depth)]
    return keras.Sequential([keras.Input((784,))] + layers + [dense(10, None)])   # logits z


def cost(y, z):
    """Per image: sum over the 10 outputs of CE(sigmoid(z), y); Keras averages it over images.
    dC/dz = (sigmoid(z) - y) / n."""
    return keras.ops.sum(keras.ops.binary_crossentropy(y, z, from_logits=True), axis=-1)


def gradients(model, x, y):
    """dC/dtheta of the data term (no L2) for every array of model.get_weights()."""
    if keras.backend.backend() == "jax":
        import jax
        def c(trainable):
            z, _ = model.stateless_call(trainable, model.non_trainable_variables, x)
            return keras.ops.mean(cost(y, z))
        grads = jax.grad(c)([v.value for v in model.trainable_variables])
    else:
        import tensorflow as tf
        with tf.GradientTape() as tape:
            c = keras.ops.mean(cost(y, model(x)))
        grads = tape.gradient(c, model.trainable_variables)
    return [keras.ops.convert_to_numpy(g) for g in grads]


def accuracy(model, x, y):
    return float(np.mean(np.argmax(keras.ops.convert_to_numpy(model(x)), axis=1) == y))


def train(seed=0, epochs=EPOCHS, train_size=None, eval_size=None, depth=4):
    (xtr, ytr), (xv, yv), _ = load_mnist()
    n = min(train_size or N_IMAGES, N_IMAGES)
    x, y, Y = xtr[:n], ytr[:n], keras.utils.to_categorical(ytr[:n], 10).astype("float32")
    xv, yv = xv[:eval_size], yv[:eval_size]
    model = build_model(seed, depth, n)
    model.compile(optimizer=keras.optimizers.SGD(ETA), loss=cost)   # W <- W - eta * dC/dW
    history = {"norm_b": [], "val_acc": [], "train_acc": []}
    for epoch in range(epochs + 1):
        # With one full batch, the gradient measured here is the one the next step uses.
        g = gradients(model, x, Y)
        history["norm_b"].append([float(np.linalg.norm(b)) for b in g[1:-2:2]])   # hidden layers
        history["val_acc"].append(accuracy(model, xv, yv))
        history["train_acc"].append(accuracy(model, x, y))
        print(f"epoch {epoch:3d}  val {history['val_acc'][-1]:.4f}  train {history['train_acc'][-1]:.4f}"
              "  ||dC/db_l|| " + " ".join(f"{v:.3e}" for v in history["norm_b"][-1]))
        if epoch < epochs:
            model.fit(x, Y, batch_size=n, epochs=1, shuffle=False, verbose=0)   # one step
    return model, history


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--depth", type=int, choices=(2, 3, 4), default=4)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--train-size", type=int, default=None, help=f"images (at most {N_IMAGES})")
    ap.add_argument("--eval-size", type=int, default=None)
    a = ap.parse_args()
    train(a.seed, a.epochs, a.train_size, a.eval_size, a.depth)
