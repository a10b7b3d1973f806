"""The chain-rule chapter's section on cross-entropy and softmax: the saturated-output snippet and
the claims the page makes from the committed record of 《人工智能系列(七)》's net trained on mean
squared error and on cross-entropy (mse_vs_ce).  Literature beside ours: Nielsen (ch. 3) derives
that a saturated output learns slowly under the quadratic cost and not under the cross-entropy;
the article itself reports no accuracy.  The reference's copy-alone run and the engine ==
reference equivalence are the generic tests (test_references.py, test_equivalence.py).
"""
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from buildbook import records  # noqa: E402
from pages import load_snippet  # noqa: E402


@pytest.fixture(scope="module")
def record():
    path = records.record_path("mse_vs_ce")
    if not path.is_file():
        pytest.fail("results/mse_vs_ce.json is missing; create it with: "
                    "python -m buildbook run mse_vs_ce --backend jax")
    return records.load(path)


def _curves(record, cost, key="val_acc"):
    return np.array([r["curves"][key] for r in record["results"][cost]["per_seed"]], float)


# --- the snippet ----------------------------------------------------------------------------------

def test_saturated_output_gradients():
    """MSE keeps sigma'(z) (or the softmax Jacobian) as a factor, cross-entropy leaves a - y: for a
    confidently wrong output the page's ratios are in the hundreds and thousands, and both
    hand-written gradients equal tf.GradientTape's."""
    s = load_snippet("chain_rule/saturated_output.py")
    assert s.max_check < 1e-12
    a = s.a_out
    assert s.grad_ce_sigmoid == pytest.approx(a - 1)
    # the MSE of one unit, C = (a - y)^2 (no 1/2, as in the glossary and Keras's 'mse')
    assert s.grad_mse_sigmoid == pytest.approx(2 * (a - 1) * a * (1 - a))
    assert s.ratio_sigmoid == pytest.approx(1 / (2 * a * (1 - a)))  # the factor 2 sigma'(z) that CE cancels
    assert s.ratio_sigmoid > 50 and s.ratio_softmax > 1000
    assert s.p_true < 0.01 and s.p_wrong > 0.99                       # "confidently wrong"
    assert s.norm_ce_softmax > 1.0 > 100 * s.norm_mse_softmax
    assert s.ratio_uniform == pytest.approx(50)                      # n^2 / 2 at p_j = 1/n, n = 10


# --- the record -----------------------------------------------------------------------------------

def test_record_settings_are_the_pages(record):
    s = record["settings"]
    assert s["sizes"] == [784, 500, 500, 10] and s["hidden_activation"] == "sigmoid"
    assert s["optimizer"] == "plain SGD" and s["learning_rate"] == 0.1 and s["batch_size"] == 100
    assert len(record["provenance"]["seeds"]) >= 5
    assert record["results"]["mse"]["settings"]["loss"] == "mse"
    assert record["results"]["ce"]["settings"]["loss"] == "categorical_crossentropy"


def test_both_costs_start_from_the_same_nets(record):
    """The MSE and cross-entropy nets of a seed share their initial weights: equal accuracy at epoch 0."""
    np.testing.assert_array_equal(_curves(record, "mse")[:, 0], _curves(record, "ce")[:, 0])
    assert _curves(record, "mse")[:, 0].max() < 0.2                  # chance level: 10 classes


def test_mnist_table_snippet(record):
    table = load_snippet("chain_rule/mse_vs_ce_table.py")
    lines = table.rows.splitlines()
    assert len(lines) == 2 and all(line.count("|") == 8 for line in lines)
    # the best-validation column (4th cell) is each cost's best_val_acc, mean ± std
    for line, cost in zip(lines, ("mse", "ce")):
        best = np.array(record["results"][cost]["best_val_acc"]["values"]) * 100
        assert line.split("|")[4].strip() == f"{best.mean():.2f} ± {best.std(ddof=1):.2f}"
    assert table.n_seeds >= 5 and table.epochs == record["settings"]["epochs"]


def test_cross_entropy_is_ahead_on_every_seed_after_every_epoch(record):
    """The page: after the first epoch every cross-entropy seed is far above chance while the best
    MSE seed is barely above it; at the end cross-entropy leads on every seed (paired: same
    weights, same mini-batches) by tens of percentage points."""
    mse, ce = _curves(record, "mse"), _curves(record, "ce")
    assert (ce[:, 1:] > mse[:, 1:]).all()
    assert ce[:, 1].min() > 0.7 and mse[:, 1].max() < 0.2
    assert (ce[:, -1] - mse[:, -1]).min() > 0.5
    assert ce[:, -1].min() > 0.9 and all(record["results"]["ce"]["reached_90"]["values"])


def test_mse_learns_but_slowly_and_unsteadily(record):
    """The page: the MSE net does learn (every seed ends above where it started), never reaches
    50 % in these epochs, and on some seeds its validation accuracy falls back after an epoch."""
    mse = _curves(record, "mse")
    assert (mse[:, -1] > mse[:, 0] + 0.05).all()
    assert mse.max() < 0.5 and not any(record["results"]["mse"]["reached_50"]["values"])
    table = load_snippet("chain_rule/mse_vs_ce_table.py")
    falling = sum(bool((np.diff(row[1:]) < 0).any()) for row in mse)
    assert table.mse_seeds_falling == falling >= 1


def test_best_validation_accuracy_keeps_the_gap(record):
    """The page: the MSE curves go down as well as up, so best over the epochs is above final
    (mse_best_mean, mse_drop_max_pts); compared by best validation accuracy the cross-entropy net
    is still ahead on every seed by at least gap_best_min_pts (> 50 points)."""
    table = load_snippet("chain_rule/mse_vs_ce_table.py")
    mse, ce = _curves(record, "mse"), _curves(record, "ce")
    assert table.mse_best_mean == pytest.approx(mse[:, 1:].max(axis=1).mean())
    assert table.mse_best_mean > mse[:, -1].mean() + 0.01
    assert table.mse_drop_max_pts == pytest.approx((mse[:, 1:].max(axis=1) - mse[:, -1]).max() * 100)
    assert table.gap_best_min_pts == pytest.approx((ce[:, 1:].max(axis=1) - mse[:, 1:].max(axis=1)).min() * 100)
    assert table.gap_best_min_pts > 50
