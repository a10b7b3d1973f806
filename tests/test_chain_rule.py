"""Tests for the chain-rule chapter: hand-written backprop, the one-neuron chain, sigma' <= 1/4,
and per-layer gradient norms at initialization."""
import importlib.util
import os
import sys
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

SNIPPETS = Path(__file__).resolve().parent.parent / "snippets" / "chain_rule"


def load(name):
    """Import snippets/chain_rule/<name>.py as a module (its top level runs, off-screen)."""
    spec = importlib.util.spec_from_file_location(f"chain_rule_{name}", SNIPPETS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(SNIPPETS))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)   # plt.show() on Agg
            spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SNIPPETS))
        plt.close("all")
    return module


# --- (a) numpy backprop == tf.GradientTape ------------------------------------------------

def tape_gradients(params, x, y):
    """Independent reference: the same network written with raw TF ops, differentiated by TF."""
    import tensorflow as tf

    variables = {k: tf.Variable(v, dtype=tf.float64) for k, v in params.items()}
    xt, yt = tf.constant(x, tf.float64), tf.constant(y, tf.float64)
    with tf.GradientTape() as tape:
        h = tf.sigmoid(xt @ variables["W1"] + variables["b1"])
        out = tf.sigmoid(h @ variables["W2"] + variables["b2"])
        cost = 0.5 * tf.reduce_sum((out - yt) ** 2) / x.shape[0]
    grads = tape.gradient(cost, variables)
    return {k: g.numpy() for k, g in grads.items()}


@pytest.fixture(scope="module")
def mlp():
    return load("mlp_backprop")


@pytest.mark.parametrize("n, n_in, n_hidden, n_out, seed", [
    (1, 1, 1, 1, 0), (7, 3, 5, 2, 1), (64, 20, 32, 10, 2), (5, 784, 30, 10, 3),
], ids=str)
def test_hand_backprop_matches_gradient_tape(mlp, n, n_in, n_hidden, n_out, seed):
    rng = np.random.default_rng(seed)
    params = mlp.init_params(rng, n_in, n_hidden, n_out)
    params["b1"] = rng.standard_normal(n_hidden)          # non-zero biases
    params["b2"] = rng.standard_normal(n_out)
    x = rng.standard_normal((n, n_in))
    y = rng.uniform(0, 1, size=(n, n_out))
    hand = mlp.backward(params, x, y)
    reference = tape_gradients(params, x, y)
    assert set(hand) == set(params)
    for name in params:
        assert hand[name].shape == params[name].shape, name
        np.testing.assert_allclose(hand[name], reference[name], rtol=1e-6, atol=1e-15, err_msg=name)
        assert np.abs(reference[name]).max() > 1e-8, f"{name}: gradient too small to test"


def test_gradient_descent_step_lowers_the_cost(mlp):
    rng = np.random.default_rng(0)
    params = mlp.init_params(rng, 4, 6, 2)
    x, y = rng.standard_normal((16, 4)), rng.uniform(0, 1, size=(16, 2))
    grads = mlp.backward(params, x, y)
    stepped = {k: v - 0.5 * grads[k] for k, v in params.items()}
    assert mlp.loss(stepped, x, y) < mlp.loss(params, x, y)


# --- (b) the one-neuron chain: product of factors == finite differences --------------------

@pytest.fixture(scope="module")
def chain():
    return load("one_neuron_chain")


@pytest.mark.parametrize("layers, seed", [(1, 0), (2, 1), (4, 2), (4, 3), (6, 4)], ids=str)
def test_chain_product_equals_finite_differences(chain, layers, seed):
    rng = np.random.default_rng(seed)
    w, b = rng.standard_normal(layers), rng.standard_normal(layers)
    x, y = rng.standard_normal(), rng.uniform()
    factors = chain.grad_b1_factors(w, b, x, y)
    assert len(factors) == 2 * layers                     # sigma'(z1), (w_l, sigma'(z_l)) ..., dC/da_L
    product = np.prod(factors)
    numeric = chain.grad_b1_numeric(w, b, x, y, h=1e-5)
    assert product == pytest.approx(numeric, rel=1e-5, abs=1e-11)


def test_chain_snippet_values(chain):
    assert chain.rel_error < 1e-5
    assert chain.median_ratio < 1


# --- (c) max sigma' = 1/4 at z = 0 ----------------------------------------------------------

def test_max_sigmoid_slope_is_a_quarter():
    slope = load("sigmoid_slope")
    assert slope.max_slope == pytest.approx(0.25, abs=1e-6)
    assert abs(slope.z_at_max) <= 1e-3                     # within one grid step of 0
    z = np.random.default_rng(0).uniform(-50, 50, 10_000)
    assert np.all(slope.sigma_prime(z) <= 0.25)


# --- (d) per-layer norms at initialization -------------------------------------------------

@pytest.fixture(scope="module")
def norms_module():
    return load("layer_norms")


@pytest.mark.parametrize("seed", [0, 1, 2], ids=str)
def test_sigmoid_gradients_vanish_towards_the_input(norms_module, seed):
    norms = norms_module.bias_grad_norms("sigmoid", seed=seed)
    assert len(norms) == 10
    assert norms[0] < 1e-3 * norms[-1]                    # first layer << last layer
    assert np.all(np.diff(norms) > 0)                     # and it shrinks at every step back


@pytest.mark.parametrize("seed", [0, 1, 2], ids=str)
def test_relu_gradients_keep_their_size(norms_module, seed):
    norms = norms_module.bias_grad_norms("relu", seed=seed)
    assert norms.max() < 10 * norms.min()                 # within an order of magnitude


def test_widget_examples(chain):
    """Page (the product widget): with w = 1, b = 0 no factor exceeds 1/4, and only sigma'(z_1) at
    x = 0 equals it; with w = 8, b = -3.5, x = 1/2 the second layer's factor w sigma'(z_2) is still
    above 1 and the factors fall below 1 from the third layer on."""
    L = 30
    for x in (0.0, 0.5, 1.0, -2.0):
        f = chain.grad_b1_factors(np.ones(L), np.zeros(L), x, 0.0)
        per_layer = [f[0]] + [f[2 * l - 1] * f[2 * l] for l in range(1, L)]      # sigma'(z_1), w_l sigma'(z_l)
        assert max(per_layer) <= 0.25
        assert (per_layer[0] == 0.25) == (x == 0.0) and max(per_layer[1:]) < 0.25
    f = chain.grad_b1_factors(np.full(L, 8.0), np.full(L, -3.5), 0.5, 0.0)
    per_layer = [f[0]] + [f[2 * l - 1] * f[2 * l] for l in range(1, L)]
    assert 1 < per_layer[1] < 1.5 and max(per_layer[2:]) < 1
