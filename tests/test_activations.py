"""Activation-function chapter: the measured properties, sigmoid's problems, the Keras layers,
the hand-written trainer, and the claims the page makes about the trained records.

About 15 s (most of it importing TensorFlow and one gradient check).
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

SNIPPETS = ROOT / "snippets" / "activations"


def load(name):
    return load_snippet(f"activations/{name}.py")


@pytest.fixture(scope="module")
def functions():
    return load("functions")


def test_derivative_ranges(functions):
    # sigma' <= 1/4 (max at z = 0); tanh' <= 1; SELU's slope on the negative side reaches
    # lambda * alpha = 1.7581 (Klambauer et al. 2017); leaky ReLU's floor is its alpha.
    assert functions.sigmoid_dmax == pytest.approx(0.25, abs=1e-9)
    assert functions.tanh_dmax == pytest.approx(1.0, abs=1e-9)
    assert functions.selu_dmax == pytest.approx(1.0507009873554805 * 1.6732632423543772, rel=1e-3)
    z = np.linspace(-10, 10, 2001)
    for name, alpha in (("leaky ReLU 0.01", 0.01), ("leaky ReLU 0.2", 0.2)):
        d = functions.FUNCTIONS[name][1](z)
        assert d.min() == pytest.approx(alpha) and d.max() == 1.0


def test_only_relu_can_die(functions):
    assert functions.dying == ["ReLU"]


def test_zero_centred_outputs(functions):
    # E[sigma(Z)] = 1/2 exactly; ReLU: E[max(Z, 0)] = 1/sqrt(2 pi) = 0.3989; SELU keeps
    # mean 0 and variance 1 for a N(0,1) input (its fixed point).
    assert functions.sigmoid_mean == pytest.approx(0.5, abs=1e-9)
    assert functions.relu_mean == pytest.approx(1 / np.sqrt(2 * np.pi), abs=1e-3)
    assert 0 < functions.elu_mean < functions.relu_mean
    assert abs(functions.selu_mean) < 0.01 and functions.selu_var == pytest.approx(1.0, abs=0.01)


@pytest.fixture(scope="module")
def problems():
    return load("sigmoid_problems")


def test_sigmoid_saturates(problems):
    # cs231n: at x = +-10 the local gradient is ~0; sigma'(10) = 4.54e-5, 5,500x below sigma'(0)
    assert problems.dsig_at_10 == pytest.approx(4.5396e-5, rel=1e-3)
    assert problems.saturation_ratio > 5000


def test_positive_inputs_share_one_gradient_sign(problems):
    assert problems.same_sign_rows == 6
    assert problems.same_sign_positive == 1.0          # every step in quadrant I or III
    assert problems.same_sign_centred < 0.7
    # zero-centred inputs allow a far larger stable step: fewer full-batch steps to w*
    assert problems.gd_steps_positive > 2 * problems.gd_steps_centred


def test_keras_layers_match_the_formulas():
    mod = load("keras_layers")
    assert mod.worst < 1e-6
    assert mod.maxout_diff == 0.0 and mod.prelu_params == 6


def test_trainer_gradients_match_gradient_tape():
    pytest.importorskip("tensorflow")
    from snippets.engine import deep
    assert deep.check_gradients(seed=4, verbose=False) < 1e-4


# ------------------------------------------------------------------ trained records
def _rec(name):
    return records.load(name)


def _ok(rec, path, metric):
    e = records.lookup(rec, path)
    return np.array([r["metrics"][metric] for r in e["per_seed"] if not r["metrics"]["diverged"]])


def test_dead_units_appear_only_at_high_learning_rates():
    rec = _rec("dead_relu")
    # cs231n (seed 002): "10-20 %" dead after training at a high learning rate.
    low = [_ok(rec, f"{v}.lr0_1", "final_dead").mean() for v in ("relu", "relu_bias", "leaky")]
    assert max(low) == 0.0, low
    # at the smallest rate a few units never fired, none of them in the first layer
    tiny = np.asarray(records.lookup(rec, "relu.lr0_01.final_dead_per_layer.values"))
    assert tiny[:, 0].max() == 0.0 and tiny.mean() > 0
    # at 0.5 the dead units are all in the first layer (its inputs, pixels, are all >= 0)
    mid = np.asarray(records.lookup(rec, "relu.lr0_5.final_dead_per_layer.values"))
    assert mid[:, 1:].max() == 0.0 and mid[:, 0].min() > 0
    relu = [_ok(rec, f"relu.{k}", "final_dead").mean() for k in ("lr0_1", "lr0_3", "lr0_5", "lr0_7")]
    assert relu == sorted(relu), f"dead fraction should grow with the learning rate: {relu}"
    assert relu[-1] > 0.10


def test_highest_rate_splits_relu_nets_into_survivors_and_collapsed():
    rec = _rec("dead_relu")
    dead = _ok(rec, "relu.lr0_7", "final_dead")
    acc = _ok(rec, "relu.lr0_7", "final_val_acc")
    collapsed = acc < 0.2
    assert collapsed.any() and (~collapsed).any()
    assert (dead[collapsed] > 0.5).all()                         # most units dead
    assert ((dead[~collapsed] > 0.05) & (dead[~collapsed] < 0.2)).all()   # cs231n's range
    # the 0.01 bias trick does not prevent the collapse
    assert (_ok(rec, "relu_bias.lr0_7", "final_val_acc") < 0.2).any()
    # leaky ReLU: no net that stayed finite collapsed, but one seed diverged at 0.5 and at 0.7
    assert (_ok(rec, "leaky.lr0_7", "final_val_acc") > 0.9).all()
    for k in ("lr0_5", "lr0_7"):
        assert sum(records.lookup(rec, f"leaky.{k}.diverged.values")) == 1
    for v in ("relu", "relu_bias"):
        assert sum(sum(records.lookup(rec, f"{v}.{k}.diverged.values")) for k in
                   ("lr0_01", "lr0_1", "lr0_3", "lr0_5", "lr0_7")) == 0


def test_race_sigmoid_stalls_the_rest_are_within_noise():
    rec = _rec("activation_race")
    res = rec["results"]
    learned = [k for k in res if k != "sigmoid"]
    # Seed 003 (Hands-on ML ch. 11): "ELU > leaky ReLU > ReLU > tanh > sigmoid".
    # Ours: sigmoid (Glorot, 6 layers, SGD 0.05) stays at chance for 5 epochs ...
    assert res["sigmoid"]["final_test_acc"]["mean"] < 0.2
    assert res["sigmoid"]["final_train_loss"]["mean"] > 2.0
    # ... every other activation passes 93 % after one epoch and 96 % at the end ...
    for k in learned:
        assert min(r["curves"]["val_acc"][1] for r in res[k]["per_seed"]) > 0.9, k
        assert res[k]["curves"]["val_acc"]["mean"][1] > 0.93, k
        assert res[k]["final_test_acc"]["mean"] > 0.96, k
    # ... ELU is nominally first, with the lowest training loss, but the spread of the six
    # means is smaller than the seed-to-seed standard deviation.
    means = {k: res[k]["final_test_acc"]["mean"] for k in learned}
    assert max(means, key=means.get) == "elu"
    assert min(means, key=means.get) == "selu"
    loss = {k: res[k]["final_train_loss"]["mean"] for k in learned}
    assert min(loss, key=loss.get) == "elu"
    spread = max(means.values()) - min(means.values())
    assert spread < max(res[k]["final_test_acc"]["std"] for k in learned), spread
