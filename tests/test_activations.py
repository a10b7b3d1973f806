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


def test_tanh_loses_little_per_layer_but_it_adds_up():
    tanh = load("tanh_slope")
    # "tanh loses only about 8 % per layer, yet after 20 layers only ~18 % is left; the sigmoid
    # loses more than three quarters per layer (~2e-13 left)"
    assert 0 < tanh.tanh_loss_per_layer < 0.1 and tanh.sigmoid_factor < 0.25
    assert tanh.tanh_ratio == pytest.approx(tanh.tanh_factor ** tanh.depth)
    assert tanh.tanh_ratio < 0.25 and tanh.sigmoid_ratio < 1e-10


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


@pytest.fixture(scope="module")
def dead_table():
    return load("dead_relu_table")


def test_dead_units_appear_only_at_high_learning_rates(dead_table):
    t, rec = dead_table, _rec("dead_relu")
    # cs231n (seed 002): "10-20 %" dead after training at a high learning rate.
    assert t.max_dead_at_0_1 == 0.0                                   # "0.0 % for all three"
    assert 0 < t.max_dead_at_0_3 < 0.01                               # "at most 0.6 %" at 0.3
    assert t.max_dead_at_0_3 < t.relu_dead_low                        # fewer than at 0.01
    assert max(_ok(rec, f"{v}.lr0_1", "final_dead").max() for v in ("relu", "relu_bias", "leaky")) == 0.0
    # at the smallest rate a few units never fired, none of them in the first layer
    assert 0 < t.relu_dead_low < 0.05 and t.relu_dead_low_first_layer == 0.0
    # at 0.5 the dead units are all in the first layer (its inputs, pixels, are all >= 0)
    assert t.relu_dead_0_5_other_layers == 0.0 and t.relu_dead_0_5_first_layer > 0
    assert 0 < t.relu_dead_0_5 < 0.1
    relu = [_ok(rec, f"relu.{k}", "final_dead").mean() for k in ("lr0_1", "lr0_3", "lr0_5", "lr0_7")]
    assert relu == sorted(relu), f"dead fraction should grow with the learning rate: {relu}"


def test_highest_rate_relu_survivors_and_a_collapse(dead_table):
    t, rec = dead_table, _rec("dead_relu")
    # relu at 0.7: 4 of 5 train normally with 7-15 % dead units (near cs231n's 10-20 %), one
    # collapses with most of its units dead; the mean describes no typical net
    assert (t.relu_survivors, t.relu_collapsed) == (4, 1)
    assert 0.05 < t.relu_survivor_dead_min and t.relu_survivor_dead_max < 0.2
    assert t.relu_collapsed_dead > 0.5 and t.relu_collapsed_acc < 0.6
    assert t.relu_survivor_dead_max < t.relu_top_dead_mean < t.relu_collapsed_dead
    # bias 0.01: no collapse at 0.7, but more dead units than bias 0 on every surviving seed;
    # the page quotes both means over exactly those seeds
    assert t.bias_collapsed == 0 and t.bias_top_acc_min > 0.8
    assert t.bias_compared == 4 and t.bias_more_dead == t.bias_compared
    assert t.bias_compared_dead_mean > t.relu_compared_dead_mean
    assert t.relu_compared_dead_mean == pytest.approx(np.mean(t.relu_top_dead[t.relu_top_acc >= t.COLLAPSED]))
    # leaky ReLU: no finite net collapsed; the only divergences of the experiment are leaky, at 0.7
    assert t.leaky_top_collapsed == 0 and t.leaky_top_acc > 0.9 and 0.05 < t.leaky_top_never < 0.2
    assert t.leaky_diverged_total == t.leaky_diverged_top == 1
    assert t.relu_diverged_total == 0
    assert sum(records.lookup(rec, "leaky.lr0_7.diverged.values")) == 1


def test_dead_relu_table_leaves_diverged_seeds_out_of_the_means(dead_table):
    # the record's own mean counts a NaN net as 100 % dead; the page's numbers must not
    rec = _rec("dead_relu")
    assert records.lookup(rec, "leaky.lr0_7.final_dead.mean") > dead_table.leaky_top_never
    assert dead_table.rows.count("\n") == len(rec["settings"]["learning_rates"]) - 1
    assert "NaN" in dead_table.seed_rows


def test_race_sigmoid_stalls_elu_leads_the_rest_are_within_noise():
    t, res = load("activation_race_table"), _rec("activation_race")["results"]
    learned = [k for k in res if k != "sigmoid"]
    # Seed 003 (Hands-on ML ch. 11): "ELU > leaky ReLU > ReLU > tanh > sigmoid".
    # Ours: sigmoid (Glorot, 6 layers, SGD 0.05) stays at chance for 5 epochs, its loss at
    # ln 10 (a uniform guess; MNIST's ten classes are nearly balanced, so guessing the class
    # frequencies costs about the same) ...
    assert t.diverged == 0
    assert t.sigmoid_test < 0.2 and t.sigmoid_loss == pytest.approx(np.log(10), abs=0.01)
    assert max(res["sigmoid"]["curves"]["train_loss"]["mean"][1:]) < np.log(10) + 0.02
    # ... every other activation passes 93 % after one epoch (every seed) and 96 % at the end ...
    assert t.min_epoch1 > 0.93 and f"{t.min_epoch1:.0%}" == "93%"
    for k in learned:
        assert res[k]["final_test_acc"]["mean"] > 0.96, k
    # the page cites the spread of the six means (spread_points, about 0.6 points)
    assert t.spread < 0.008 and t.spread_points == pytest.approx(t.spread * 100)
    # ... ELU first with the lowest training loss, ahead by ~2 standard errors (a hint) ...
    assert t.best == "elu" and t.lowest_loss == "elu" and t.order[-1] == "sigmoid"
    # "the order in between differs from the rule of thumb: ReLU's mean before both leaky ReLUs'"
    assert t.test["relu"].mean() > max(t.test["leaky_relu_0_01"].mean(), t.test["leaky_relu_0_2"].mean())
    assert t.best_loss < t.tanh_loss
    assert 1.0 < t.lead_z < 3.0
    # ... and the other five's means lie closer together than their seed-to-seed std.
    assert t.rest_spread < t.rest_max_std
