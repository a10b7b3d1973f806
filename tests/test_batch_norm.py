"""Tests for the batch-norm chapter: the numpy BN forward/backward against tf.GradientTape and
keras.layers.BatchNormalization (training and inference mode), the Keras pitfalls snippet, the
stacked trainer's hand-written BN backprop, and the claims the page makes from the committed
records (outcomes with tolerances, literature values beside ours)."""
import importlib.util
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if "keras" not in sys.modules:
    os.environ["KERAS_BACKEND"] = "tensorflow"

from buildbook import records  # noqa: E402

SNIPPETS = ROOT / "snippets" / "batch_norm"


def load(name):
    """Import snippets/batch_norm/<name>.py (its top level runs, off-screen)."""
    import matplotlib
    matplotlib.use("Agg")
    spec = importlib.util.spec_from_file_location(f"batch_norm_{name}", SNIPPETS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(SNIPPETS))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SNIPPETS))
    return module


@pytest.fixture(scope="module")
def keras_tf():
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("these tests run under the TensorFlow backend")
    return keras


@pytest.fixture(scope="module")
def bn(keras_tf):
    return load("bn_numpy")


# --- (a) numpy BN == tf.GradientTape == keras.layers.BatchNormalization ----------------------

def test_snippet_agrees_with_tape_and_keras(bn):
    assert bn.max_diff < 1e-10


@pytest.mark.parametrize("B, units, seed", [(2, 1, 0), (7, 3, 1), (64, 10, 2), (200, 4, 3)], ids=str)
def test_numpy_backward_matches_gradient_tape(bn, B, units, seed):
    import tensorflow as tf
    rng = np.random.default_rng(seed)
    z = rng.normal(rng.uniform(-3, 3), rng.uniform(0.1, 5), (B, units))
    gamma, beta = rng.normal(1, 0.5, units), rng.normal(0, 0.5, units)
    R = rng.normal(size=(B, units))
    y, cache, _ = bn.bn_forward(z, gamma, beta, 1e-3)
    dz, dg, db = bn.bn_backward(R, cache)
    zt, gt, bt = (tf.Variable(v) for v in (z, gamma, beta))
    with tf.GradientTape() as tape:
        m, v = tf.nn.moments(zt, axes=[0])
        cost = tf.reduce_sum(R * (gt * (zt - m) / tf.sqrt(v + 1e-3) + bt))
    tz, tg, tb = (t.numpy() for t in tape.gradient(cost, [zt, gt, bt]))
    for mine, theirs in ((dz, tz), (dg, tg), (db, tb)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-8, atol=1e-10)
    # BN's output ignores a shift of z, so the gradient sums to zero over the batch
    np.testing.assert_allclose(dz.sum(axis=0), 0, atol=1e-10)


@pytest.mark.parametrize("momentum", [0.99, 0.9, 0.5])
def test_numpy_matches_keras_layer_over_several_steps(bn, momentum):
    import keras
    rng = np.random.default_rng(int(momentum * 100))
    units, eps = 6, 1e-3
    gamma, beta = rng.normal(1, 0.3, units), rng.normal(0, 0.3, units)
    layer = keras.layers.BatchNormalization(momentum=momentum, epsilon=eps, dtype="float64")
    layer.build((None, units))
    layer.set_weights([gamma, beta, np.zeros(units), np.ones(units)])
    mm, mv = np.zeros(units), np.ones(units)
    for _ in range(5):
        z = rng.normal(2.0, 3.0, (16, units))
        ours, _, (mu, var) = bn.bn_forward(z, gamma, beta, eps)
        np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(z, training=True)), ours,
                                   rtol=1e-10, atol=1e-12)
        mm, mv = bn.update_moving(mm, mu, momentum), bn.update_moving(mv, var, momentum)
    k_mean, k_var = layer.get_weights()[2:]
    np.testing.assert_allclose(k_mean, mm, rtol=1e-10)
    np.testing.assert_allclose(k_var, mv, rtol=1e-10)      # Keras: biased batch variance
    z = rng.normal(2.0, 3.0, (3, units))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(z, training=False)),
                               bn.bn_inference(z, gamma, beta, mm, mv, eps), rtol=1e-10, atol=1e-12)


# --- (b) the pitfalls, as outcomes -------------------------------------------------------------

def test_keras_pitfalls(keras_tf):
    p = load("keras_pitfalls")
    assert p.train_vs_infer_gap > 1.0                    # training= changes the output a lot
    assert p.mean_after_10_slow == pytest.approx(5 * (1 - 0.99 ** 10), abs=0.1)
    assert p.jitter_fast > 2 * p.jitter_slow             # PyTorch's 0.1 in Keras: jumpy averages
    assert p.slope_bn_before > 2 * p.slope_bn_after      # BN before the sigmoid keeps it unsaturated
    assert p.spread_4 > 3 * p.spread_256                 # small batches: noisy normalisation
    assert p.frozen_uses_moving


# --- (c) the stacked trainer's hand-written BN backprop ----------------------------------------

def test_stacked_bn_gradients_match_gradient_tape(keras_tf):
    sys.path.insert(0, str(SNIPPETS))
    import bn_stacked
    assert bn_stacked.check_gradients(seed=5, verbose=False) < 1e-4


def test_stacked_inference_mode_uses_moving_averages(keras_tf):
    sys.path.insert(0, str(SNIPPETS))
    import bn_stacked as bs
    from keras import ops
    net = bs.Net([784, 5, 10], "sigmoid", K=2, bn=True, bn_logits=True, momentum=0.9)
    p, st = net.init_params([np.random.default_rng(k) for k in range(2)])
    st = {k: v + (0.5 if k.startswith("m") else 1.0) for k, v in st.items()}   # mean 0.5, var 2
    x = np.random.default_rng(0).random((4, 784), dtype=np.float32)
    logits, _, _ = net.forward(bs.Trainer.to_device(p), bs.Trainer.to_device(st), ops.convert_to_tensor(x), train=False)
    for k in range(2):
        m = net.member(p, k)
        a = 1 / (1 + np.exp(-((x @ m["W0"] - 0.5) / np.sqrt(2 + 1e-3))))
        expect = (a @ m["W1"] - 0.5) / np.sqrt(2 + 1e-3)
        np.testing.assert_allclose(ops.convert_to_numpy(logits)[k], expect, rtol=1e-4, atol=1e-5)


# --- (d) claims from the committed records -------------------------------------------------------

def _rec(name):
    path = records.record_path(name)
    if not path.is_file():
        pytest.fail(f"results/{name}.json is missing; create it with: python -m buildbook run {name}")
    return records.load(path)


def test_claim_seed003_bn_helps_only_modestly_at_lr_001():
    """Hands-On ML ch. 11 (seed 003): BN 'unlikely to have a very positive impact' on this
    shallow net (no control run in the book).  Ours at its lr 0.01: BN ahead on every seed,
    by a few points, both still far from 98 %."""
    r = _rec("bn_seed003")["results"]
    plain, bn = r["plain"]["final_test_acc"], r["bn"]["final_test_acc"]
    assert all(b > p for b, p in zip(bn["values"], plain["values"]))
    assert 0.0 < bn["mean"] - plain["mean"] < 0.06, (plain["mean"], bn["mean"])
    assert max(bn["values"] + plain["values"]) < 0.98
    assert all(r["bn"]["reached_95"]["values"]) and not any(r["plain"]["reached_95"]["values"])


def test_claim_deep_sigmoid_stalls_without_bn():
    """Ioffe & Szegedy: BN makes deep nets with saturating activations trainable."""
    r = _rec("bn_deep_sigmoid")["results"]
    assert r["plain"]["final_val_acc"]["mean"] < 0.2          # chance level: 10 classes
    assert min(r["bn"]["final_val_acc"]["values"]) > 0.9      # >> plain
    assert all(r["bn"]["reached_90"]["values"]) and not any(r["plain"]["reached_50"]["values"])


def test_claim_bn_tolerates_a_much_larger_learning_rate():
    """Ioffe & Szegedy raised Inception's learning rate 5x and 30x with BN."""
    rec = _rec("bn_learning_rate")
    r = rec["results"]
    ok_plain = [c["settings"]["learning_rate"] for c in r["plain"].values()
                if not any(c["diverged"]["values"]) and c["final_val_acc"]["mean"] > 0.9]
    ok_bn = [c["settings"]["learning_rate"] for c in r["bn"].values()
             if not any(c["diverged"]["values"]) and c["final_val_acc"]["mean"] > 0.9]
    assert max(ok_bn) >= 10 * max(ok_plain), (ok_plain, ok_bn)
    assert all(all(c["diverged"]["values"]) for c in r["plain"].values()
               if c["settings"]["learning_rate"] >= 0.3)            # the page says so
    assert r["plain"]["lr1e-01"]["final_val_acc"]["mean"] == max(
        c["final_val_acc"]["mean"] for c in r["plain"].values())     # 0.1: best without BN


def test_claim_mnist_toy_faster_start_and_steadier_inputs():
    """Ioffe & Szegedy's MNIST net (Fig. 1): BN trains faster and ends higher, and the 15/50/85th
    percentiles of a sigmoid's input are much steadier.  Their '14x fewer steps' is ImageNet's;
    ours at MNIST scale: a few times faster to 90 %, little to 97 %."""
    r = _rec("bn_mnist_toy")["results"]
    assert r["bn"]["final_test_acc"]["mean"] > r["plain"]["final_test_acc"]["mean"]
    assert r["bn"]["fewer_steps_90"]["mean"] >= 2
    assert 1 <= r["bn"]["fewer_steps_97"]["mean"] < 14
    assert r["bn"]["fewer_steps_90"]["mean"] > r["bn"]["fewer_steps_97"]["mean"]
    assert r["plain"]["probe_width_ratio"]["mean"] > 5 * r["bn"]["probe_width_ratio"]["mean"]
