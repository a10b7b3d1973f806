"""Tests for the history chapter: the perceptron rule converges on separable data and never on
XOR, and its update is a subgradient step on the perceptron criterion; a step unit has zero
gradient; a hand-written 2-4-1 sigmoid net solves XOR.  (Residual connections and the LSTM:
tests/test_foundations.py; the exercises: tests/test_exercises.py.)"""
import importlib.util
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

SNIPPETS = Path(__file__).resolve().parent.parent / "snippets" / "history"


def load(name):
    """Import snippets/history/<name>.py (its top level runs, off-screen)."""
    spec = importlib.util.spec_from_file_location(f"history_{name}", SNIPPETS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)   # plt.show() on Agg
            spec.loader.exec_module(module)
    finally:
        plt.close("all")
    return module


@pytest.fixture(scope="module")
def perceptron():
    return load("perceptron")


@pytest.fixture(scope="module")
def step():
    return load("step_derivative")


@pytest.fixture(scope="module")
def xor():
    return load("xor_backprop")


# --- the perceptron ----------------------------------------------------------------------

def test_perceptron_snippet_claims(perceptron):
    assert perceptron.sep_converged and perceptron.sep_epochs >= 2 and perceptron.sep_updates >= 1
    assert not perceptron.xor_converged
    assert perceptron.xor_epochs == perceptron.max_epochs
    assert perceptron.xor_min_errors >= 1


@pytest.mark.parametrize("seed", range(5))
def test_perceptron_converges_on_any_separable_set(perceptron, seed):
    """The convergence theorem: with margin gamma and radius R, at most (R/gamma)^2 mistakes
    (for the augmented vector (x, 1) and a unit-norm separating (w*, b*))."""
    rng = np.random.default_rng(seed)
    w_true = rng.normal(size=3)
    w_true /= np.linalg.norm(w_true)
    X = rng.uniform(-1, 1, (400, 2))
    margin = X @ w_true[:2] + w_true[2]
    keep = np.abs(margin) > 0.05
    X, y = X[keep][:80], (margin[keep][:80] > 0).astype(int)
    w, b, updates, errors = perceptron.train_perceptron(X, y, max_epochs=10_000)
    assert errors[-1] == 0
    assert np.all(perceptron.step(X @ w + b) == y)
    R = np.linalg.norm(np.c_[X, np.ones(len(X))], axis=1).max()
    gamma = np.abs(X @ w_true[:2] + w_true[2]).min()
    assert updates <= (R / gamma) ** 2


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2]], ids=str)
def test_perceptron_never_solves_xor(perceptron, order):
    X, y = perceptron.X_xor[order], perceptron.y_xor[order]
    w, b, updates, errors = perceptron.train_perceptron(X, y, max_epochs=500)
    assert min(errors) >= 1 and len(errors) == 500


def test_perceptron_weights_cycle_on_xor(perceptron):
    """The page says the XOR weights 'just cycle through a few values': the rule, run epoch by
    epoch from the snippet's start, revisits the same few (w, b) states forever."""
    X, y = perceptron.X_xor, perceptron.y_xor
    w, b, states = np.zeros(2), 0.0, []
    for epoch in range(200):
        for x_i, y_i in zip(X, y):
            err = y_i - perceptron.step(np.array(w @ x_i + b))
            w, b = w + err * x_i, b + err
            states.append((*w, b))
    late = set(states[len(states) // 2:])
    assert len(late) <= 12
    assert set(states[-40:]) == late                 # a cycle: the last steps repeat all of them


@pytest.mark.parametrize("seed", range(3))
def test_perceptron_update_is_a_subgradient_step_on_the_perceptron_criterion(perceptron, seed):
    """The note box: (y - y_hat)(x, 1) is minus a subgradient of max(0, -(2y - 1) z), z = w.x + b,
    a cost on z before the step (checked by finite differences where z is away from 0)."""
    rng = np.random.default_rng(seed)
    for _ in range(50):
        wb, x, y = rng.normal(size=3), np.r_[rng.normal(size=2), 1.0], float(rng.integers(0, 2))
        z = wb @ x
        if abs(z) < 1e-3:
            continue
        update = (y - perceptron.step(np.array(z))) * x
        cost = lambda v: max(0.0, -(2 * y - 1) * (v @ x))
        grad = np.array([(cost(wb + 1e-6 * e) - cost(wb - 1e-6 * e)) / 2e-6 for e in np.eye(3)])
        np.testing.assert_allclose(update, -grad, atol=1e-6)


# --- the step function --------------------------------------------------------------------

def test_step_gives_no_gradient(step):
    assert step.zero_fraction > 0.999
    assert step.spike == pytest.approx(1 / (2 * step.h))
    assert step.step_grad_norm == 0.0
    assert step.sigmoid_grad_norm > 1e-3
    assert step.nonzero_fraction < 0.01


# --- backprop solves XOR ------------------------------------------------------------------

def test_xor_backprop_solves_it(xor):
    assert xor.solved and xor.loss_end < 0.01 < xor.loss_start
    assert xor.solved_4 == xor.runs          # 4 hidden units: every start works here
    assert xor.solved_2 <= xor.solved_4      # 2 hidden units get stuck more often


@pytest.mark.parametrize("seed", range(3))
def test_xor_gradients_match_finite_differences(xor, seed):
    p = xor.init(np.random.default_rng(seed), 3)
    p["b1"] = np.random.default_rng(seed + 10).normal(size=3)
    _, grads = xor.backward(p)
    for k in p:
        num = np.zeros_like(p[k])
        for i in np.ndindex(p[k].shape):
            old = p[k][i]
            p[k][i] = old + 1e-6
            up, _ = xor.backward(p)
            p[k][i] = old - 1e-6
            down, _ = xor.backward(p)
            p[k][i] = old
            num[i] = (up - down) / 2e-6
        np.testing.assert_allclose(grads[k], num, rtol=1e-5, atol=1e-9, err_msg=k)
