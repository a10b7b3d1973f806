"""What the chain-rule chapter says about its trained results, asserted on the committed records.

Literature values sit beside ours: seed article 000's single runs (REFERENCE.md) and Nielsen's
ch. 5 speeds of learning (stored in the layer_speed record's settings).
"""
import numpy as np
import pytest

from buildbook import records

SEED_000 = {"sigmoid": {1: 0.9525, 2: 0.9587, 3: 0.963, 4: 0.9608},
            "relu": {1: 0.9762, 2: 0.9772, 3: 0.9779, 4: 0.9779}}


@pytest.fixture(scope="module")
def depth():
    return records.load("depth_table")["results"]


@pytest.fixture(scope="module")
def speed():
    return records.load("layer_speed")


@pytest.mark.parametrize("act", ["sigmoid", "relu"], ids=str)
@pytest.mark.parametrize("layers", [1, 2, 3], ids=lambda n: f"h{n}")
def test_shallow_nets_match_seed_000_within_half_a_point(depth, act, layers):
    ours = depth[act][f"h{layers}"]["best_val_acc"]["mean"]
    assert abs(ours - SEED_000[act][layers]) < 0.005, f"ours {ours:.4f} vs seed 000 {SEED_000[act][layers]}"


def test_four_layer_sigmoid_splits_into_stuck_and_trained_seeds(depth):
    best = np.array(depth["sigmoid"]["h4"]["best_val_acc"]["values"])
    assert (best < 0.2).any(), "the page says some seeds never leave chance level"
    assert (best > 0.9).any(), "the page says some seeds reach above 90 %"


def test_every_four_layer_sigmoid_seed_starts_on_a_vanishing_gradient_plateau(depth):
    for run in depth["sigmoid"]["h4"]["per_seed"]:
        first_layer = np.array(run["curves"]["grad_norm_b"])[:, 0]
        assert first_layer.min() < 3e-4, f"seed {run['seed']}: page says around 1e-4 or below"


def test_gap_closes_in_trained_seeds_and_grows_in_stuck_ones(depth):
    for run in depth["sigmoid"]["h4"]["per_seed"]:
        g = np.array(run["curves"]["grad_norm_b"])
        init_ratio, final_ratio = g[0, 0] / g[0, 3], g[-1, 0] / g[-1, 3]
        if run["metrics"]["best_val_acc"] > 0.9:
            assert 0.2 < final_ratio < 5, f"seed {run['seed']}: gap should close"
        else:
            assert final_ratio < init_ratio / 2, f"seed {run['seed']}: gap should grow"
            assert g[-1, 0] < g[0, 0] / 100, f"seed {run['seed']}: first layer should keep shrinking"


def test_sigmoid_layers_start_two_orders_apart_relu_layers_about_equal(depth):
    sig = np.array(depth["sigmoid"]["h4"]["init_grad_norm_b"]["mean"])
    relu = np.array(depth["relu"]["h4"]["init_grad_norm_b"]["mean"])
    assert sig[3] / sig[0] > 50
    assert relu.max() / relu.min() < 2


def test_relu_never_shows_a_layer_to_layer_drop(depth):
    g = np.array(depth["relu"]["h4"]["curves"]["grad_norm_b"]["mean"])
    assert (g[:, 0] / g[:, 3]).min() > 0.1


def test_speed_gap_survives_nielsen_style_training(speed):
    h4 = speed["results"]["h4"]
    assert h4["init_ratio_last_to_first"]["mean"] > 10
    assert h4["final_ratio_last_to_first"]["mean"] > 10, "the page says the gap has not gone away"


@pytest.mark.parametrize("net", ["h2", "h3", "h4"], ids=str)
def test_speeds_at_initialisation_match_nielsen_within_a_factor_of_two(speed, net):
    ours = np.array(speed["results"][net]["init_norm_b"]["mean"])
    book = np.array(speed["settings"]["literature"]["init_norm_b"][net])
    assert np.all(np.diff(ours) > 0), "each layer learns faster than the one before it"
    assert np.all((ours / book > 0.5) & (ours / book < 2)), f"ours {ours} vs Nielsen {book}"
