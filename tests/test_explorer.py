"""The two interactive widgets against numpy: the gradient-flow explorer of the initialization
chapter (docs/assets/explorer.js) and the chain product of the chain-rule chapter.

In-process: every observation the initialization page makes about the explorer is asserted on the
numpy reference (snippets/initialization/explorer_reference.py), whose hand-written backward pass
is checked against tf.GradientTape. In the browser (the built site, one Chromium): the widget is
set through its URL and through its controls (keyboard and selects), in both languages, and its
per-layer numbers (`window.gradientExplorer.last`) are compared with the reference's for the same
settings.

Tolerance: both sides compute in float64 with the same random numbers; they differ only in the
order of the sums in a matrix product and in the last bit of exp/log/tanh, which leaves them
about 1e-13 apart. The comparison uses RTOL = 1e-5 (float32's resolution). Histogram counts may
differ by a value that falls on a bin edge (BIN_SLACK counts per bin). Not compared: chaotic
settings (tanh with N(0, 1) weights and many layers), where last-bit differences grow layer by
layer until the two agree only statistically.
"""
import json
import math
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from pages import load_snippet

RTOL = 1e-5
BIN_SLACK = 2
WAIT_MS = 120_000          # the first pass at depth 50 takes a while on a loaded 2-core machine
KEYS = ("act_mean", "act_std", "grad_norm", "forward_gain", "backward_gain")


@pytest.fixture(scope="module")
def ref():
    return load_snippet("initialization/explorer_reference.py")


@pytest.fixture(scope="module")
def chain_ref():
    return load_snippet("chain_rule/one_neuron_chain.py")


# ------------------------------------------------------------------ the page's claims, in numpy
def test_sigmoid_with_xavier_vanishes_without_saturating(ref):
    assert ref.sig_glorot["saturated"].max() == 0.0
    assert 0.2 < ref.sigmoid_glorot_bwd_gain < 0.25          # about sigma'(0) = 1/4 per layer
    assert ref.sigmoid_glorot_grad_ratio < 1e-12


def test_sigmoid_with_n01_saturates_but_its_gradient_survives(ref):
    s = ref.sig_n1
    assert ref.sigmoid_n1_saturated > 0.2
    assert 0.1 < ref.sigmoid_n1_grad_ratio < 10
    assert s["dead"][-5:].mean() > s["dead"][:5].mean() + 0.1          # dead units broadly increase with depth,
    assert (np.diff(s["dead"]) < 0).any()                               # but not layer by layer
    assert ref.sigmoid_n1_dead_max == s["dead"].max() > ref.sigmoid_n1_dead_last == s["dead"][-1]
    ends = s["hist"][:, :3].sum(axis=1) + s["hist"][:, -3:].sum(axis=1)  # histograms pile up at 0 and 1
    assert (ends / s["hist"].sum(axis=1)).min() > 0.5


def test_batch_norm_rescues_sigmoid(ref):
    assert ref.sigmoid_bn_saturated < 0.005
    assert 0.2 < ref.sigmoid_glorot_bn_grad_ratio < 5
    assert ref.sigmoid_glorot_bn_grad_ratio > 1e12 * ref.sigmoid_glorot_grad_ratio
    # the forward pass no longer depends on the weights' scale: both inits give nearly the same plots
    np.testing.assert_allclose(ref.sig_n1_bn["act_std"], ref.sig_glorot_bn["act_std"], rtol=1e-3)
    np.testing.assert_allclose(ref.sig_n1_bn["saturated"], ref.sig_glorot_bn["saturated"], atol=1e-3)
    # ...but not the weight gradients: with z's scale normalized away dL/dW_l ~ 1/sigma_w, so Xavier's
    # sigma_w = 0.1 gives every layer 10 times the gradient norm of N(0, 1)'s sigma_w = 1
    inv = ref.weight_std("normal1", 100) / ref.weight_std("glorot", 100)
    np.testing.assert_allclose(ref.sig_glorot_bn["grad_norm"] / ref.sig_n1_bn["grad_norm"], inv, rtol=0.01)
    assert inv == pytest.approx(10.0)
    assert 0.99 * inv < ref.sigmoid_bn_glorot_over_n1_min <= ref.sigmoid_bn_glorot_over_n1_max < 1.01 * inv
    assert ref.sigmoid_bn_glorot_over_n1 == pytest.approx(inv, rel=0.01)
    assert ref.sigmoid_bn_glorot_grad_first == pytest.approx(inv * ref.sigmoid_bn_n1_grad_first, rel=0.01)


def test_relu_with_he_keeps_gains_near_one(ref):
    assert 0.9 < ref.relu_he_bwd_gain < 1.1
    assert 0.9 < ref.typical_gain(ref.relu_he, "forward_gain") < 1.1
    assert 0.2 < ref.relu_he_grad_ratio < 5
    d = ref.relu_he["dead"]                                     # dead units broadly increase with depth,
    assert ref.relu_he_dead_max > 0.1 and d[-5:].mean() > d[:5].mean() + 0.1
    assert (np.diff(d) < 0).any() and ref.relu_he_dead_max > ref.relu_he_dead_last == d[-1]   # not layer by layer
    # the examples' representations grow alike with depth (mean pairwise cosine similarity of a_l)
    cos = ref.relu_he["act_cos"]
    assert ref.relu_he_cos_first == cos[0] < 0.5 and ref.relu_he_cos_last == cos[-1] > 0.9
    assert cos[-5:].mean() > cos[:5].mean() + 0.3


def test_mean_cosine(ref):
    assert ref.mean_cosine(np.ones((4, 3))) == pytest.approx(1.0)           # identical rows
    assert ref.mean_cosine(np.eye(3)) == pytest.approx(0.0)                  # orthogonal rows
    a = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])                        # a zero row counts 0
    assert ref.mean_cosine(a) == pytest.approx(2 * (1 / np.sqrt(2)) / 6)


def test_relu_with_xavier_loses_half_the_variance_per_layer(ref):
    assert abs(ref.relu_glorot_bwd_gain - 1 / math.sqrt(2)) < 0.05
    assert ref.relu_glorot_act_ratio < 1e-3
    # all weights x c  =>  every layer's dL/dW x c^(L-1): the same shape as with He, a lower level
    c = ref.weight_std("glorot", 100) / ref.weight_std("he", 100)
    np.testing.assert_allclose(ref.relu_glorot["grad_norm"] / ref.relu_he["grad_norm"], c ** 29, rtol=1e-9)
    assert ref.relu_glorot_grad_ratio == pytest.approx(ref.relu_he_grad_ratio, rel=1e-9)
    assert ref.relu_glorot_over_he == pytest.approx(c ** 29, rel=1e-9)


def test_tanh_with_tiny_weights_fades(ref):
    gains = ref.tanh_small["forward_gain"][1:]                 # sqrt(n) sigma = 0.1 per layer
    assert gains.min() > 0.08 and gains.max() < 0.12
    assert ref.tanh_small_act_last < 1e-25


def test_random_numbers_are_mulberry32_and_box_muller(ref):
    def mulberry32(seed, k):                                   # the published algorithm, step k + 1
        t = (seed + (k + 1) * 0x6D2B79F5) & 0xFFFFFFFF
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return (t ^ (t >> 14)) & 0xFFFFFFFF
    u = ref.uniforms(0, 40)
    assert [int(v * 2 ** 32) for v in u] == [mulberry32(ref.SEED, k) for k in range(40)]
    z = ref.normals(0, 20_000)
    assert abs(z.mean()) < 0.03 and abs(z.std() - 1) < 0.03
    np.testing.assert_array_equal(ref.normals(7, 5), z[7:12])   # any slice of the one stream


@pytest.mark.parametrize("act", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu"], ids=str)
@pytest.mark.parametrize("bn", [False, True], ids=["plain", "bn"])
def test_reference_backward_matches_gradient_tape(ref, act, bn):
    import tensorflow as tf

    depth, width = 4, 12
    size = ref.BATCH * width
    x = tf.constant(ref.normals(0, size).reshape(ref.BATCH, width))
    g = tf.constant(ref.normals(size, size).reshape(ref.BATCH, width))
    std = ref.weight_std("he", width)
    Ws = [tf.Variable(std * ref.normals(2 * size + l * width * width, width * width).reshape(width, width))
          for l in range(depth)]
    f = {"sigmoid": tf.sigmoid, "tanh": tf.tanh, "relu": tf.nn.relu,
         "leaky_relu": lambda z: tf.nn.leaky_relu(z, alpha=ref.LEAKY_SLOPE), "elu": tf.nn.elu,
         "selu": tf.nn.selu}[act]
    with tf.GradientTape() as tape:
        a = x
        for W in Ws:
            z = a @ W
            if bn:
                mean, var = tf.nn.moments(z, axes=[0])
                z = (z - mean) / tf.sqrt(var + ref.EPS)
            a = f(z)
        loss = tf.reduce_sum(g * a)                            # L = sum(G * a_L)
    grads = tape.gradient(loss, Ws)
    ours = ref.explore(depth=depth, width=width, act=act, init="he", bn=bn)
    np.testing.assert_allclose(ours["grad_norm"], [float(tf.norm(d)) for d in grads], rtol=1e-9)


# ------------------------------------------------------------------ in the browser
@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context()
    # The widgets need no typeset math: math.js is answered with an empty script, which spares
    # Chromium KaTeX's pass over each of these pages at every load (the page visits check it).
    context.route("**/assets/math.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    yield page
    context.close()


def query(state: dict) -> str:
    return "&".join(f"{k}={int(v) if isinstance(v, bool) else v}" for k, v in state.items())


def read(tab, name="gradientExplorer"):
    return json.loads(tab.evaluate(f"() => JSON.stringify({{last: window.{name}.last, state: window.{name}.state}})"))


def assert_matches_reference(ref, got: dict):
    state = got["state"]
    want = ref.explore(**{k: state[k] for k in ("depth", "width", "act", "init", "scale", "bn")})
    for key in KEYS:     # a mean near 0 is compared on the scale of the spread
        atol = 1e-9 * np.abs(want["act_std"]).max() if key == "act_mean" else 0
        np.testing.assert_allclose(got["last"][key], want[key], rtol=RTOL, atol=atol, err_msg=f"{key}, {state}")
    for key in ("saturated", "dead"):
        np.testing.assert_allclose(got["last"][key], want[key], rtol=0, atol=1e-12, err_msg=f"{key}, {state}")
    np.testing.assert_allclose(got["last"]["hist"], want["hist"], rtol=0, atol=BIN_SLACK, err_msg=f"hist, {state}")
    np.testing.assert_allclose(got["last"]["hist_range"], want["hist_range"], rtol=RTOL)


def open_explorer(tab, base_url, lang, state):
    path = "initialization/" if lang == "zh" else "en/initialization/"
    tab.goto(f"{base_url}{path}?{query(state)}#explorer")
    tab.wait_for_function("() => window.gradientExplorer && window.gradientExplorer.last")


URL_CASES = {
    "zh-sigmoid-xavier-depth30": ("zh", dict(depth=30, width=40, act="sigmoid", init="glorot", bn=False)),
    "en-tanh-xavier-depth50": ("en", dict(depth=50, width=30, act="tanh", init="glorot", bn=False)),
    "zh-sigmoid-n01-bn": ("zh", dict(depth=20, width=50, act="sigmoid", init="normal1", bn=True)),
    "en-relu-he": ("en", dict(depth=30, width=60, act="relu", init="he", bn=False)),
    "zh-leaky-relu-tiny-weights": ("zh", dict(depth=12, width=30, act="leaky_relu", init="small", bn=False)),
    "en-elu-free-scale-bn": ("en", dict(depth=10, width=20, act="elu", init="scale", scale=1.7, bn=True)),
    "zh-selu-lecun": ("zh", dict(depth=25, width=50, act="selu", init="lecun", bn=False)),
}


@pytest.mark.parametrize("case", URL_CASES, ids=str)
def test_explorer_set_by_url_matches_numpy(tab, base_url, ref, case):
    lang, state = URL_CASES[case]
    open_explorer(tab, base_url, lang, state)
    got = read(tab)
    for key, value in state.items():                           # the URL restored the settings...
        assert got["state"][key] == value, key
    assert tab.input_value("#gb-x-act") == state["act"]        # ...and the controls show them
    assert tab.input_value("#gb-x-init") == state["init"]
    assert tab.input_value("#gb-x-depth") == str(state["depth"])
    assert tab.is_checked("#gb-x-bn") == state["bn"]
    assert_matches_reference(ref, got)
    assert tab.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"], ids=str)
def test_explorer_controls_update_the_url_and_the_numbers(tab, base_url, ref, lang):
    open_explorer(tab, base_url, lang, dict(depth=8, width=20, act="relu", init="he", bn=False))
    label = tab.text_content("label[for='gb-x-act']")
    assert label == ("激活函数" if lang == "zh" else "activation function")
    rendered = int(tab.get_attribute(".gb-explorer", "data-rendered"))
    tab.select_option("#gb-x-act", "tanh")
    tab.select_option("#gb-x-init", "normal1")
    tab.check("#gb-x-bn")
    tab.focus("#gb-x-depth")
    tab.keyboard.press("ArrowRight")                           # depth 8 -> 9, by keyboard
    tab.wait_for_function(f"() => +document.querySelector('.gb-explorer').dataset.rendered > {rendered} && "
                          "window.gradientExplorer.state.depth === 9 && window.gradientExplorer.state.bn")
    params = {k: v[0] for k, v in parse_qs(urlsplit(tab.url).query).items()}
    assert params == {"depth": "9", "width": "20", "act": "tanh", "init": "normal1", "bn": "1"}
    assert urlsplit(tab.url).fragment == "explorer"
    got = read(tab)
    assert got["state"] == {"depth": 9, "width": 20, "act": "tanh", "init": "normal1", "scale": 1, "bn": True}
    assert_matches_reference(ref, got)
    tab.reload()                                               # the URL alone brings the view back
    tab.wait_for_function("() => window.gradientExplorer && window.gradientExplorer.last")
    assert read(tab)["state"] == got["state"]
    assert tab.errors == []


def test_language_switch_keeps_the_settings(tab, base_url):
    state = dict(depth=6, width=20, act="selu", init="lecun", bn=True)
    open_explorer(tab, base_url, "zh", state)
    with tab.expect_navigation(wait_until="domcontentloaded"):
        tab.locator(".md-header a[hreflang='en']").first.dispatch_event("click")
    tab.wait_for_function("() => window.gradientExplorer && window.gradientExplorer.last")
    assert urlsplit(tab.url).path.endswith("/en/initialization/")
    assert {k: read(tab)["state"][k] for k in state} == state
    assert tab.errors == []


CHAIN_CASES = {
    "zh-default": ("zh", dict(cw=1, cb=0, cx=1, cdepth=30)),
    "en-explodes-at-z0": ("en", dict(cw=8, cb=-4, cx=0.5, cdepth=30)),
    "zh-bias-moved-decays": ("zh", dict(cw=8, cb=-3.5, cx=0.5, cdepth=30)),
    "en-negative-w-depth50": ("en", dict(cw=-6.5, cb=2.3, cx=-1.2, cdepth=50)),
}


def chain_products(chain_ref, w, b, x, depth):
    """|d a_L / d b_1| for L = 1..depth from one_neuron_chain.py: its dC/db1 factors without dC/da_L."""
    return [abs(float(np.prod(chain_ref.grad_b1_factors(np.full(L, w), np.full(L, b), x, 0.0)[:-1])))
            for L in range(1, depth + 1)]


@pytest.mark.parametrize("case", CHAIN_CASES, ids=str)
def test_chain_product_widget_matches_numpy(tab, base_url, chain_ref, case):
    lang, state = CHAIN_CASES[case]
    path = "chain-rule/" if lang == "zh" else "en/chain-rule/"
    tab.goto(f"{base_url}{path}?{query(state)}#chain-product")
    tab.wait_for_function("() => window.chainProduct && window.chainProduct.last")
    got = read(tab, "chainProduct")
    assert got["state"] == {"w": state["cw"], "b": state["cb"], "x": state["cx"], "depth": state["cdepth"]}
    want = chain_products(chain_ref, state["cw"], state["cb"], state["cx"], state["cdepth"])
    np.testing.assert_allclose(got["last"]["product"], want, rtol=RTOL)
    rendered = int(tab.get_attribute(".gb-chain", "data-rendered"))
    tab.focus("#gb-c-depth")
    tab.keyboard.press("ArrowLeft")                            # one layer less, by keyboard
    tab.wait_for_function(f"() => +document.querySelector('.gb-chain').dataset.rendered > {rendered}")
    assert parse_qs(urlsplit(tab.url).query)["cdepth"] == [str(state["cdepth"] - 1)]
    assert len(read(tab, "chainProduct")["last"]["product"]) == state["cdepth"] - 1
    assert tab.errors == []


def test_chain_product_claims(chain_ref):
    """What the chain-rule page says about the widget's settings."""
    low = [f for i, f in enumerate(chain_ref.grad_b1_factors(np.ones(30), np.zeros(30), 1.0, 0.0)[:-1])
           if i == 0 or i % 2 == 0]                           # sigma'(z1), then w*sigma'(z_l) pairs
    assert max(low) < 0.25                                     # w = 1, b = 0: every factor below 1/4
    boom = chain_products(chain_ref, 8.0, -4.0, 0.5, 30)       # z = 0 in every layer: factor 2
    assert boom == [0.25 * 2.0 ** (L - 1) for L in range(1, 31)]
    moved = chain_products(chain_ref, 8.0, -3.5, 0.5, 30)      # b moved: z leaves 0, factors < 1
    assert moved[-1] < 1e-10 * moved[0] and moved[-1] / moved[-2] < 1
