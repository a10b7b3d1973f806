"""Weight-initialization chapter: Keras initialisers against the variance formulas, the
layer-by-layer statistics of the 10-layer net, and the claims about the 30-layer ReLU runs.

About 10 s.
"""
import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if "keras" not in sys.modules:
    os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from pages import load_snippet  # noqa: E402
from buildbook import records  # noqa: E402

SNIPPETS = ROOT / "snippets" / "initialization"


def load(name):
    return load_snippet(f"initialization/{name}.py")


# ------------------------------------------------------------------ Keras initialisers
FAN_IN, FAN_OUT = 300, 700
N = {"fan_in": FAN_IN, "fan_out": FAN_OUT, "fan_avg": (FAN_IN + FAN_OUT) / 2}
CASES = [  # name, Var[W] formula, VarianceScaling(scale, mode, distribution)
    ("glorot_uniform", 2 / (FAN_IN + FAN_OUT), (1.0, "fan_avg", "uniform")),
    ("glorot_normal", 2 / (FAN_IN + FAN_OUT), (1.0, "fan_avg", "truncated_normal")),
    ("he_uniform", 2 / FAN_IN, (2.0, "fan_in", "uniform")),
    ("he_normal", 2 / FAN_IN, (2.0, "fan_in", "truncated_normal")),
    ("lecun_normal", 1 / FAN_IN, (1.0, "fan_in", "truncated_normal")),
    ("lecun_uniform", 1 / FAN_IN, (1.0, "fan_in", "uniform")),
]


@pytest.fixture(scope="module")
def initializers():
    keras = pytest.importorskip("keras")
    return keras.initializers


@pytest.mark.parametrize("name, var, vs", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("seed", [0, 7])
def test_initializer_variance_matches_formula(initializers, name, var, vs, seed):
    from keras import ops
    w = np.asarray(ops.convert_to_numpy(initializers.get({"class_name": name, "config": {"seed": seed}})(
        (FAN_IN, FAN_OUT))), np.float64)
    # 210,000 samples: the sample variance is within ~0.5 % of the truth; allow 3 %
    assert w.var() == pytest.approx(var, rel=0.03), (name, w.var(), var)
    assert abs(w.mean()) < 0.01 * np.sqrt(var) * 10
    scale, mode, dist = vs
    assert scale / N[mode] == pytest.approx(var)
    explicit = ops.convert_to_numpy(initializers.VarianceScaling(scale, mode, dist, seed=seed)((FAN_IN, FAN_OUT)))
    np.testing.assert_array_equal(w, explicit)
    if dist == "uniform":                                   # U(-r, r), r = sqrt(3 var)
        assert np.abs(w).max() <= np.sqrt(3 * var) + 1e-6
        assert np.abs(w).max() > 0.99 * np.sqrt(3 * var)
    else:                                                   # truncated at 2 std (of the untruncated)
        assert np.abs(w).max() <= 2 * np.sqrt(var) / 0.87962566103423978 + 1e-6


def test_keras_init_snippet():
    mod = load("keras_init")
    assert mod.max_ratio_error < 0.03
    assert mod.r_glorot == pytest.approx(np.sqrt(6 / 1000))


# ------------------------------------------------------------------ 10-layer statistics
@pytest.fixture(scope="module")
def hist():
    return load("histograms")


def test_small_weights_vanish_large_weights_saturate_or_explode(hist):
    # cs231n: N(0, 0.01^2) activations collapse towards 0; N(0, 1) tanh saturates at +-1
    assert hist.tanh_small_act_ratio < 1e-4
    assert hist.tanh_big_saturated > 0.8
    # ReLU with N(0,1): each layer multiplies the std by ~sqrt(500/2) = 15.8
    assert hist.relu_big_act_ratio > 15.8 ** 9 / 10
    # tanh with N(0, 1): the gradient grows on its way back instead of vanishing; each layer's factor
    # n_out Var[w] E[f'(z)^2] = 500 E[f'(z)^2] stays above 1 although most units are saturated
    acts, grads = hist.runs[("tanh", "N(0,1)")]
    assert hist.tanh_big_grad_ratio > 1e3
    stds = [g.std() for g in grads]
    assert all(a > b for a, b in zip(stds, stds[1:]))
    assert min(hist.WIDTH * np.mean((1 - a ** 2) ** 2) for a in acts) > 1


def test_he_keeps_relu_stable_glorot_halves_its_variance(hist):
    # He et al. (2015): Var = 2/n keeps ReLU activations and gradients at one scale;
    # Glorot (here Var = 1/n) loses a factor 2 of variance per layer: std x 2^-4.5 over 9 layers
    assert 0.5 < hist.relu_he_act_ratio < 2 and 0.5 < hist.relu_he_grad_ratio < 2
    assert hist.relu_glorot_act_ratio == pytest.approx(2 ** -4.5, rel=0.5)
    assert hist.relu_glorot_grad_ratio < 0.1
    assert hist.tanh_glorot_act_ratio > 0.2                # tanh + Glorot: narrows only slowly


# ------------------------------------------------------------------ the trained record
def _acc(rec, init, metric="final_val_acc"):
    return np.asarray(records.lookup(rec, f"{init}.{metric}.values"))


@pytest.fixture(scope="module")
def table():
    return load("deep_init_table")


def test_he_trains_the_30_layer_relu_net_glorot_lags_normal_diverges(table):
    rec = records.load("deep_init")
    he, glorot = _acc(rec, "he"), _acc(rec, "glorot")
    # He et al. (2015, fig. 3, a 30-layer conv net): Xavier "completely stalls", theirs converges.
    # Ours (MNIST, 30 dense layers): He > 90 % after four epochs (> 80 % after one); Glorot far
    # behind, every seed below what every He net had after epoch 1; N(0,1) diverges in epoch 1.
    assert he.min() > 0.9 and table.he_epoch1_min > 0.8, he
    assert table.he_diverged == table.glorot_diverged == 0
    assert glorot.max() < table.he_epoch1_min
    assert table.glorot_final_max == glorot.max() and table.glorot_final_mean == pytest.approx(glorot.mean())
    assert table.normal1_diverged == rec["results"]["normal1"]["n"]
    assert table.normal1_last_epoch_diverged == 1                      # "within the first epoch"
    for r in records.lookup(rec, "normal1.per_seed"):
        assert r["curves"]["val_loss"][1] == rec["settings"]["loss_cap"]    # non-finite by epoch 1
    # page: before training the N(0, 1) nets are finite but their loss is already at the cap
    assert table.normal1_epoch0_finite and table.normal1_epoch0_loss_min == table.loss_cap


def test_glorot_learns_only_the_priors_in_epoch_one_then_slowly(table):
    # after epoch 1: every val loss within 0.04 below ln 10 (equal probabilities); 3 seeds score exactly
    # the share of the most frequent digit in the validation set (one answer for every image)
    assert np.log(10) - 0.04 < table.glorot_epoch1_loss_min <= table.glorot_epoch1_loss_max < np.log(10)
    assert table.glorot_epoch1_common_n == 3
    from snippets.engine import mnist
    _, (_, yv), _ = mnist.load_mnist()
    assert table.glorot_epoch1_common_acc == pytest.approx(np.bincount(yv).max() / len(yv))
    # page: a net that learned only the class frequencies scores their entropy, "only a hair" below ln 10
    p = np.bincount(yv) / len(yv)
    assert 0 < np.log(10) + (p * np.log(p)).sum() < 0.005
    # the other seeds have begun to move (page quotes their accuracies), still far below He
    assert table.glorot_epoch1_other_n == table.n_seeds - table.glorot_epoch1_common_n
    assert 0.15 < table.glorot_epoch1_other_min <= table.glorot_epoch1_other_max < 0.3
    # before training: uniform predictions, loss = ln 10
    assert table.glorot_epoch0_loss_min == pytest.approx(np.log(10), abs=1e-3)
    assert table.glorot_epoch0_loss_max == pytest.approx(np.log(10), abs=1e-3)
    # epoch 2: every seed leaves the plateau; after four epochs: wide spread, far below He
    assert table.glorot_epoch2_loss_max < 2.25 and table.glorot_epoch2_acc_min > 0.2
    assert 0.4 < table.glorot_final_mean < 0.7 and table.glorot_final_std > 0.03
