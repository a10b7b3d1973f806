"""Tests for the foundations the chapters build on: the computational graph and the gradient as a
product of layer Jacobians (chain rule), exploding gradients and clipping on both Keras backends,
symmetry breaking (initialization), tanh (activations), residual connections and the LSTM's cell
state (history).  Each asserts what the prose says, with tolerances."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import pytest

from pages import load_snippet

ROOT = Path(__file__).resolve().parent.parent


# --- chain rule: the two-neuron chain as a computational graph -----------------------------------

@pytest.fixture(scope="module")
def graph():
    return load_snippet("chain_rule/computational_graph.py")


def test_graph_gradients_match_gradient_tape_and_the_backprop_section(graph):
    assert graph.max_tape_diff < 1e-12
    backprop = load_snippet("chain_rule/backprop_chain.py")
    assert graph.grad_w1 == pytest.approx(backprop.grad_w1, rel=1e-12)   # "the same as in the previous section"
    # every sigma the gradient passes multiplies it by sigma' <= 1/4
    assert graph.dC_dz2 / graph.dC_da2 <= 0.25 and graph.dC_dz1 / graph.dC_da1 <= 0.25


# --- chain rule: the gradient as a product of layer Jacobians --------------------------------------

@pytest.fixture(scope="module")
def jac():
    return load_snippet("chain_rule/jacobian_product.py")


def test_hand_jacobian_product_matches_gradient_tape(jac):
    assert jac.grad_rel_diff < 1e-10 and jac.jacobian_rel_diff < 1e-10


@pytest.mark.parametrize("seed, depth, width", [(1, 3, 7), (2, 8, 30), (3, 5, 64)], ids=str)
def test_jacobian_product_on_other_shapes(jac, seed, depth, width):
    import tensorflow as tf
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((width, width)) / np.sqrt(width) for _ in range(depth)]
    a0, g = rng.standard_normal(width), rng.standard_normal(width)
    zs, _ = jac.forward(Ws, a0)
    hand = jac.backward(jac.jacobians(Ws, zs), g)[0]
    a0_t = tf.Variable(a0)
    with tf.GradientTape() as tape:
        a = a0_t
        for W in Ws:
            a = tf.sigmoid(tf.linalg.matvec(tf.constant(W), a))
        cost = tf.tensordot(tf.constant(g), a, axes=1)
    np.testing.assert_allclose(hand, tape.gradient(cost, a0_t).numpy(), rtol=1e-9, atol=1e-300)


def test_sigmoid_jacobians_shrink_and_larger_weights_trade_slope_for_scale(jac):
    # g = 1: each layer shrinks the gradient to about the rms singular value of J_l (< 1/4)
    assert jac.factor_gain1 < 0.25
    assert jac.factor_gain1 == pytest.approx(jac.rms_J_gain1, rel=0.1)
    assert jac.s_max_J_gain1 <= 0.25 * jac.s_max_W_gain1 + 1e-12       # s_max(J) <= max sigma' s_max(W)
    assert jac.s_max_W_gain1 == pytest.approx(2.0, rel=0.1)           # square N(0, 1/n): edge at 2
    assert jac.total_gain1 < 1e-10
    # g = 4: larger factor, still below 1, and a smaller mean sigma'
    assert jac.factor_gain1 < jac.factor_gain4 < 1
    assert jac.dsig_gain4 < jac.dsig_gain1
    # g = 16: the product grows, while most of the last layer is saturated
    assert jac.factor_gain16 > 1 and jac.total_gain16 > 1
    assert jac.dsig_gain16 < jac.dsig_gain4
    assert jac.saturated_gain16 > 0.5


# --- chain rule: exploding gradients and clipping, on both backends -------------------------------

CLIP_REPORT = """
import json, runpy
g = runpy.run_path("snippets/chain_rule/gradient_clipping.py")
print("JSON" + json.dumps({k: g[k] for k in ["loss_start", "diverged", "diverged_step", "final_clipnorm",
                                            "final_clipvalue", "final_global", "var_y",
                                            "global_rise_epochs", "global_over_mean"]}))
"""


@pytest.fixture(scope="module", params=["tensorflow", "jax"], ids=str)
def clipping(request, site):
    """The snippet's values on each backend: TensorFlow's from the build's own run of it (the
    numbers the page shows), JAX's from running it again with KERAS_BACKEND=jax."""
    if request.param == "tensorflow":
        from buildbook import execute
        return dict(execute.run("chain_rule/gradient_clipping.py").values, backend=request.param)
    env = {**os.environ, "KERAS_BACKEND": request.param, "TF_CPP_MIN_LOG_LEVEL": "3", "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-c", CLIP_REPORT], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = [l for l in proc.stdout.splitlines() if l.startswith("JSON")][-1]
    return dict(json.loads(line[4:]), backend=request.param)


def test_without_clipping_the_net_diverges(clipping):
    assert clipping["diverged"] and clipping["diverged_step"] is not None
    assert clipping["diverged_step"] <= 10                       # "within the first few steps"
    assert clipping["loss_start"] > 100 * clipping["var_y"]       # far worse than predicting the mean


def test_with_clipping_the_same_net_trains(clipping):
    for key in ["final_clipnorm", "final_clipvalue", "final_global"]:
        assert math.isfinite(clipping[key]), key
        assert clipping[key] < clipping["loss_start"] / 100, key
    # clipnorm and clipvalue end below the cost of predicting the mean
    assert clipping["final_clipnorm"] < clipping["var_y"]
    assert clipping["final_clipvalue"] < clipping["var_y"]
    # global_clipnorm is the slowest of the three (on both backends)
    assert clipping["final_global"] > max(clipping["final_clipnorm"], clipping["final_clipvalue"])
    assert clipping["global_over_mean"] == pytest.approx(clipping["final_global"] / clipping["var_y"])
    if clipping["backend"] == "tensorflow":
        # the page shows the build's TensorFlow run: global_clipnorm's cost mostly falls but rises
        # at some epoch, and after the last epoch it is still above the cost of predicting the mean
        assert clipping["global_rise_epochs"] != "none"
        assert clipping["global_over_mean"] > 1


def test_global_clipnorm_never_steps_longer_than_clipnorm_for_the_same_gradient():
    """Page: for the same gradient, global_clipnorm gives no variable a longer step than clipnorm
    (||g|| >= ||g_i||, so min(1, c/||g||) <= min(1, c/||g_i||))."""
    import keras
    rng = np.random.default_rng(0)
    for scale in (0.01, 0.3, 3.0, 100.0):
        g = [rng.standard_normal(s) * scale for s in ((4, 3), (3,), (3, 1))]
        steps = {}
        for kind in ("clipnorm", "global_clipnorm"):
            opt = keras.optimizers.SGD(learning_rate=1.0, **{kind: 1.0})
            variables = [keras.Variable(np.zeros_like(x)) for x in g]
            opt.apply_gradients(zip([keras.ops.convert_to_tensor(x) for x in g], variables))
            steps[kind] = [np.linalg.norm(keras.ops.convert_to_numpy(v)) for v in variables]
        assert all(gl <= cn * (1 + 1e-6) for gl, cn in zip(steps["global_clipnorm"], steps["clipnorm"])), scale


def test_clipping_arguments_do_what_the_page_says():
    """clipnorm: per variable; global_clipnorm: all variables together; clipvalue: per entry."""
    import keras
    g = [np.array([3.0, 4.0]), np.array([0.0, 12.0])]             # norms 5 and 12, global 13
    def clipped(**kwargs):
        """One SGD step (learning rate 1) from zero: the variables end at minus the clipped gradient."""
        opt = keras.optimizers.SGD(learning_rate=1.0, **kwargs)
        variables = [keras.Variable(np.zeros_like(x)) for x in g]
        opt.apply_gradients(zip([keras.ops.convert_to_tensor(x) for x in g], variables))
        return [-keras.ops.convert_to_numpy(v) for v in variables]
    norm = clipped(clipnorm=1.0)
    np.testing.assert_allclose(norm[0], [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(norm[1], [0.0, 1.0], rtol=1e-6)
    glob = clipped(global_clipnorm=1.0)
    np.testing.assert_allclose(glob[0], np.array([3.0, 4.0]) / 13, rtol=1e-6)
    np.testing.assert_allclose(glob[1], np.array([0.0, 12.0]) / 13, rtol=1e-6)
    value = clipped(clipvalue=0.5)
    np.testing.assert_allclose(value[0], [0.5, 0.5])
    np.testing.assert_allclose(value[1], [0.0, 0.5])
    with pytest.raises(ValueError):
        keras.optimizers.SGD(clipnorm=1.0, clipvalue=0.5)        # only one at a time


# --- initialization: symmetry breaking --------------------------------------------------------------

@pytest.fixture(scope="module")
def symmetry():
    return load_snippet("initialization/symmetry.py")


def test_equal_weights_give_equal_gradients_and_stay_equal(symmetry):
    assert symmetry.tape_diff < 1e-12
    assert symmetry.grad_spread_start == 0.0
    assert abs(symmetry.g["W1"]).max() > 1e-4                   # equal, but not zero
    assert symmetry.equal_spread < 1e-12
    assert symmetry.equal_accuracy <= 0.75                       # one unit: a linear boundary


def test_random_weights_break_the_symmetry_and_solve_xor(symmetry):
    assert symmetry.random_spread > 1.0
    assert symmetry.random_accuracy == 1.0


# --- activations: tanh ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tanh():
    return load_snippet("activations/tanh_slope.py")


def test_tanh_identity_derivative_and_slopes(tanh):
    assert tanh.identity_error < 1e-14
    assert tanh.derivative_error < 1e-8
    assert tanh.tanh_max_slope == pytest.approx(1.0, abs=1e-12) and abs(tanh.tanh_argmax) < 1e-9
    assert tanh.sigmoid_max_slope == pytest.approx(0.25, abs=1e-12)
    assert tanh.slope_ratio == pytest.approx(4.0, abs=1e-9)


def test_tanh_is_zero_centered_and_passes_the_gradient(tanh):
    assert abs(tanh.tanh_mean) < 0.005 and tanh.sigmoid_mean == pytest.approx(0.5, abs=0.005)
    assert 0.8 < tanh.tanh_factor < 1.0                          # "almost intact", but below 1
    assert tanh.sigmoid_factor < 0.25                            # "loses more than three quarters"


# --- history: residual connections and the LSTM's cell state ----------------------------------------

@pytest.fixture(scope="module")
def residual():
    return load_snippet("history/residual_depth.py")


def test_residual_connections_keep_the_gradient(residual):
    assert residual.plain_ratio < 1e-20
    assert residual.norms["residual"].min() > 1e3 * residual.norms["plain"][:25].max()
    assert residual.residual_spread < 30


def test_plain_net_shrinks_like_the_chain_rule_chapters(residual):
    """'close to' the chain-rule chapter's per-layer factor (a shallower, wider net there)."""
    chain = load_snippet("chain_rule/layer_norms.py")
    assert residual.plain_per_layer == pytest.approx(chain.sigmoid_per_layer, abs=0.03)
    assert residual.plain_per_layer != pytest.approx(chain.sigmoid_per_layer, abs=1e-3)   # not equal


def test_residual_product_amplifies_and_is_not_monotonic(residual):
    """The identity term stops the vanishing, but the product of (I + J_l) is not norm-preserving:
    the first layer gets several times the last layer's gradient, and the curve dips in between."""
    r = residual.norms["residual"]
    assert 2 < residual.residual_ratio < 20
    assert residual.residual_max_layer == 1
    assert 1 < residual.residual_min_layer < residual.depth
    assert r.min() < r[-1] < r[0]                                  # dips below the last layer's
    assert r.max() == r[residual.residual_max_layer - 1] and r.min() == r[residual.residual_min_layer - 1]


@pytest.fixture(scope="module")
def lstm():
    return load_snippet("history/lstm_memory.py")


def test_plain_rnn_and_default_lstm_forget(lstm):
    assert lstm.rnn_reach < 1e-6
    assert lstm.lstm_reach_default < 1e-6
    assert lstm.lstm_reach_default < 100 * lstm.rnn_reach           # bias 1 "barely helps"
    assert lstm.forget_gate_1 == pytest.approx(0.731, abs=1e-3)


def test_default_lstm_decays_slower_than_its_forget_gate_alone(lstm):
    """sigma(1) is only an estimate: the measured per-step factor is larger than sigma(1)."""
    assert lstm.lstm_per_step_default == pytest.approx(lstm.lstm_reach_default ** (1 / (lstm.steps - 1)))
    assert lstm.forget_gate_1 < lstm.lstm_per_step_default < 0.95
    assert lstm.forget_gate_1_pow_99 < 1e-3 * lstm.lstm_reach_default


def test_lstm_with_forget_gate_near_one_reaches_back(lstm):
    assert lstm.lstm_reach_3 > 0.5 and lstm.lstm_reach_6 > 0.5
    assert min(lstm.lstm_reach_3, lstm.lstm_reach_6) > 1e6 * max(lstm.rnn_reach, lstm.lstm_reach_default)


def test_lstm_curves_dip_then_rise_through_indirect_paths(lstm):
    """The direct path's factor prod f_t <= 1 cannot raise the gradient above the last step's, yet the
    first step gets more: the curves dip (to the reported minimum) and rise again going back."""
    for b, low, reach in [(3, lstm.lstm_min_3, lstm.lstm_reach_3), (6, lstm.lstm_min_6, lstm.lstm_reach_6)]:
        c = lstm.curves[f"LSTM, forget bias {b}"]
        assert low == pytest.approx(c.min() / c[-1])
        assert 0.1 < low < 1 < reach
        assert int(np.argmin(c)) not in (0, lstm.steps - 1)     # an interior minimum
