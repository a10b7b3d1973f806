"""Exercises: every exercise on every page has a collapsible hint and a collapsible worked answer
whose code is a snippet the build runs (the same snippets in both languages), and every answer's
claim holds for the snippet's own output.

Page convention (pymdownx.details, nested by indentation):

    ??? question "练习 1：..."          ??? question "Exercise 1: ..."
        ...                                 ...
        ??? tip "提示"                      ??? tip "Hint"
            ...                                 ...
        ??? success "答案"                  ??? success "Answer"
            ... [[value ...]] ...               ...
            [[snippet <chapter>/exercise_1_<slug>.py]]
"""
import re
import runpy

import numpy as np
import pytest

from buildbook import paths
from pages import en_pages, load_snippet, twin, zh_pages

LABELS = {"zh": ("提示", "答案"), "en": ("Hint", "Answer")}
SECTION = re.compile(r"^## [^\n]*\{#exercises\}\n(.*?)(?=^## |\Z)", re.S | re.M)
QUESTION = re.compile(r'^\?\?\? question "(?:练习|Exercise) (\d+)[：:]', re.M)
SNIPPET = re.compile(r"\[\[snippet ([^\]\s]+)\]\]")


def exercise_pages(lang="zh"):
    pages = [p for p in zh_pages() if SECTION.search(p.read_text(encoding="utf-8"))]
    return pages if lang == "zh" else [twin(p) for p in pages]


def exercises(page):
    """[(number, block text)] of the page's exercises section, one block per `??? question`."""
    section = SECTION.search(page.read_text(encoding="utf-8")).group(1)
    starts = list(QUESTION.finditer(section))
    assert len(starts) == section.count("??? question"), f"{page.name}: unnumbered exercise"
    return [(int(m.group(1)), section[m.start():(starts[i + 1].start() if i + 1 < len(starts) else None)])
            for i, m in enumerate(starts)]


def nested_block(block, title):
    """Lines of the `    ??? <kind> "<title>"` box nested in an exercise (indented 8 or deeper)."""
    lines = block.splitlines()
    head = [i for i, line in enumerate(lines) if re.fullmatch(rf'    \?\?\? \w+ "{re.escape(title)}"', line)]
    if len(head) != 1:
        return None
    body = []
    for line in lines[head[0] + 1:]:
        if line.strip() and not line.startswith("        "):
            break
        body.append(line)
    return "\n".join(body)


def test_the_chapters_and_the_history_have_exercises():
    stems = {p.name[:-3] for p in exercise_pages()}
    assert {"chain-rule", "activations", "initialization", "batch-norm", "history"} <= stems


@pytest.mark.parametrize("page", exercise_pages() + exercise_pages("en"), ids=lambda p: p.name)
def test_every_exercise_has_a_hint_and_an_answer_with_a_snippet(page):
    lang = "en" if page.name.endswith(".en.md") else "zh"
    hint, answer = LABELS[lang]
    found = exercises(page)
    assert [n for n, _ in found] == list(range(1, len(found) + 1)), "exercises numbered 1, 2, ..."
    for number, block in found:
        assert re.search(rf'^    \?\?\? tip "{hint}"$', block, re.M), f"exercise {number}: no hint"
        assert re.search(rf'^    \?\?\? success "{answer}"$', block, re.M), f"exercise {number}: no answer"
        hint_text, answer_text = nested_block(block, hint), nested_block(block, answer)
        assert hint_text and hint_text.strip(), f"exercise {number}: empty hint"
        assert answer_text is not None, f"exercise {number}: answer box not nested in the exercise"
        snippets = SNIPPET.findall(answer_text)
        assert snippets, f"exercise {number}: the answer shows no [[snippet]]"
        for rel in snippets:
            assert re.fullmatch(rf"[a-z_]+/exercise_{number}_[a-z0-9_]+\.py", rel), rel
            assert (paths.SNIPPETS / rel).is_file(), rel
        prose = SNIPPET.sub("", answer_text)
        assert len(prose.split()) >= 8 or len(prose.strip()) >= 40, f"exercise {number}: the answer explains nothing"


@pytest.mark.parametrize("page", exercise_pages(), ids=lambda p: p.name)
def test_both_languages_show_the_same_answer_snippets(page):
    ours = [(n, SNIPPET.findall(b)) for n, b in exercises(page)]
    theirs = [(n, SNIPPET.findall(b)) for n, b in exercises(twin(page))]
    assert ours == theirs


def answer_snippets():
    return sorted({rel for page in exercise_pages() for _, block in exercises(page)
                   for rel in SNIPPET.findall(block)})


# --- the answers' claims, asserted on each snippet's own output ------------------------------

def chain_rule_1(m):
    assert 0.5 < m.eta_limit < 1.0                     # 0.5 converges, 1.0 diverges
    assert m.factor_05 < 1 < m.factor_10
    assert 1 - 0.5 * m.curvature_max < 0               # 0.5 overshoots: the path jumps across the valley
    assert m.cost_05 < m.cost_start / 100
    assert m.cost_10 > 1e6 * m.cost_start
    assert m.descend(0.98 * m.eta_limit, steps=400) < m.cost_start          # just inside: converges
    assert m.descend(1.02 * m.eta_limit, steps=400) > m.cost_start          # just outside: diverges


def chain_rule_2(m):
    assert m.grad_tuned == pytest.approx(m.grad_fd, rel=1e-5)
    assert m.grad_tuned == pytest.approx(0.25 * m.per_layer ** 3 * 0.5)     # s'(0) * 2^3 * (a_L - y)
    assert m.grad_tuned / m.grad_w1 == pytest.approx(8.0 ** 3)
    assert 8 * 0.25 * (1 - np.tanh(m.z_window / 2) ** 2) == pytest.approx(1.0)   # 8 s'(z) = 1 at the edge
    assert m.median_noise_4 < m.median_noise_1 < m.grad_tuned / 10


def chain_rule_3(m):
    assert m.rms_factor_1 == pytest.approx(m.predicted_1, rel=0.1)
    assert m.rms_factor_2 == pytest.approx(1.0, rel=0.1)
    assert m.rms_factor_4 == pytest.approx(m.predicted_4, rel=0.1)
    for norm, rms in ((m.norm_factor_1, m.rms_factor_1), (m.norm_factor_2, m.rms_factor_2),
                      (m.norm_factor_4, m.rms_factor_4)):
        assert 0.8 * rms < norm < rms                  # a little smaller: the batch sum cancels
    # a variance off by two: first/last ratios 1-2 orders of magnitude apart after ten layers
    assert 10 < m.apart_1_2 < 100 and 10 < m.apart_4_2 < 100
    assert m.apart_1_2 == pytest.approx(m.first_last[2.0] / m.first_last[1.0])


def chain_rule_4(m):
    assert m.tanh_like_relu
    assert m.factor_sigmoid < 0.3 < m.factor_tanh < 1  # tanh still shrinks a little
    assert m.slope_tanh > 3 * m.slope_sigmoid
    # the mean slope is not the cause: ReLU's is smaller than tanh's yet ReLU shrinks less;
    # sqrt(n Var[w] E[f'^2]) orders the factors as measured
    assert m.slope_relu < m.slope_tanh and m.factor_relu > m.factor_tanh
    assert m.vf_sigmoid < m.vf_tanh < m.vf_relu
    for vf, f in ((m.vf_sigmoid, m.factor_sigmoid), (m.vf_tanh, m.factor_tanh), (m.vf_relu, m.factor_relu)):
        assert f == pytest.approx(vf, rel=0.1)


def chain_rule_5(m):
    assert m.measured_over_predicted == pytest.approx(m.measured_ratio_20 / m.predicted_ratio_20)
    assert 1 < m.measured_over_predicted < 3                                # "within a factor of about 2.6"
    assert m.shrink_20 == pytest.approx(m.shrink_10, rel=0.1)
    assert m.measured_ratio_20 < 1e-10


def activations_1(m):
    assert m.identity_error < 1e-12
    assert m.slope_ratio == pytest.approx(4.0, rel=1e-6)
    assert m.grid_max_ratio == pytest.approx(4.0, rel=1e-9)


def activations_2(m):
    assert m.same_sign_positive == 1.0
    assert 0.4 < m.same_sign_tanh < 0.6 and 0.4 < m.input_same_sign_tanh_all < 0.6
    # over the steps with two non-zero components, "one sign" iff the input has one sign: the
    # same share as the inputs those steps used
    assert m.same_sign_tanh == m.input_same_sign_tanh
    # SGD reaches w* and the remaining updates are 0: counting them as "one sign" (as
    # sigmoid_problems.py's line does) inflates the share
    assert m.counted_tanh < m.n_steps / 2
    assert m.same_sign_tanh_all_steps > m.same_sign_tanh + 0.2
    # the reader's run: sigmoid_problems.py with x_pos replaced, counting every step
    sp = load_snippet("activations/sigmoid_problems.py")
    rng = np.random.default_rng(0)
    rng.standard_normal((6, 5))
    rng.standard_normal(6)
    x = np.tanh(rng.standard_normal((400, 2)))
    np.testing.assert_array_equal(x, m.inputs["tanh outputs"])
    np.testing.assert_array_equal(m.inputs["positive (uniform 0.4..1)"], sp.x_pos)
    step = np.diff(sp.sgd_path(x, sp.w_star, sp.lr, sp.steps), axis=0)
    assert np.mean(np.sign(step[:, 0]) == np.sign(step[:, 1])) == pytest.approx(m.same_sign_tanh_all_steps)


def activations_3(m):
    assert m.dead_low_lr == 0 and m.dead_high_lr >= 5
    assert m.revived_all
    assert 0 < m.needed_min < m.needed_median < m.needed_max
    assert m.needed_max > 10 * m.needed_min            # what it takes depends on the unit


def activations_4(m):
    assert abs(m.mu_final) < 2e-3 and abs(m.nu_final - 1) < 2e-3
    assert m.raw_diverges
    # fed straight back: the mean grows at every step, the variance dips first, then grows
    assert m.raw_mean_always_grows and m.raw_nu_grows_after_dip
    assert m.raw_nu_dip_step > 0 and m.nu_raw_min < 2.0
    assert abs(m.mu_edge) < 0.1 and abs(m.nu_edge - 1) < 0.5
    assert m.fixed_point_error < 1e-3
    for start in ((-0.5, 0.5), (1.0, 3.0)):            # converges from other starts too
        mu, nu = m.iterate(0.0, 1.0, *start)[-1]
        assert abs(mu) < 2e-3 and abs(nu - 1) < 2e-3


def initialization_1(m):
    assert m.var_quadrature == pytest.approx(m.r ** 2 / 3, rel=1e-6)
    assert m.var_sampled == pytest.approx(m.r ** 2 / 3, rel=0.01)
    assert m.r_he == pytest.approx(np.sqrt(6 / m.n_in))
    assert m.he_var_sampled == pytest.approx(2 / m.n_in, rel=0.01)


def initialization_2(m):
    assert m.moment_error < 5e-3
    assert m.max_factor_error < 0.08
    # max_factor_error is of the geometric-mean factor; compounded over the layers it is a few-fold
    assert m.max_drift == pytest.approx(max(max(f, 1 / f) for f in m.factor.values()) ** (m.layers - 1))
    assert 1 < m.max_drift < (1 + m.max_factor_error) ** (m.layers - 1) + 1e-9
    assert m.factor_he_linear == pytest.approx(2.0, rel=0.05)
    assert m.factor_he_02 > m.factor_leaky_02
    assert m.gain_alpha_1 == 1.0                       # alpha = 1: LeCun's 1/n_in


def initialization_3(m):
    assert m.closer_16x                                     # in the back-propagated gradient...
    assert not m.closer_16x_activations                     # ...but not in the activations (2 std for sigmoid)
    assert m.act_spread_xavier == pytest.approx(2 * m.act_std_xavier)
    assert abs(m.act_spread_xavier - m.act_std_tanh) < 0.05 and m.act_spread_16x > 2 * m.act_std_tanh
    assert m.grad_ratio_xavier < 1e-4 < m.grad_ratio_16x
    assert m.act_std_16x > 2 * m.act_std_xavier
    assert 0 < m.saturated_16x < 0.2


def initialization_4(m):
    assert m.logit_ratio_10 == pytest.approx(m.predicted_10, rel=1e-6)   # exact: ReLU is homogeneous
    assert m.logit_ratio_30 == pytest.approx(m.predicted_30, rel=1e-6)
    assert m.gap == pytest.approx(2.0 ** 10, rel=1e-6)  # 20 more layers, each sqrt(1/2)
    assert m.logit_ratio_30 < m.logit_ratio_10 < 1                  # better off, still below He
    for grad, logit in ((m.grad_ratio_10, m.logit_ratio_10), (m.grad_ratio_30, m.logit_ratio_30)):
        assert 0.5 < grad / logit < 2                  # the gradient shrinks alike


def batch_norm_1(m):
    assert m.max_deviation < 1e-12 and m.opposite
    assert m.share_near_one > 0.8
    near, far = m.same
    assert (m.near_gap, m.far_gap) == (1.0, 120.0)     # the pairs the page names
    assert m.near_gap > 10 * 2 * np.sqrt(m.eps)         # |z1 - z2| >> 2 sqrt(eps) for both pairs
    assert np.abs(far).ravel() == pytest.approx([1.0, 1.0], abs=1e-6)
    assert np.abs(near).ravel() == pytest.approx([1.0, 1.0], abs=0.005)   # 1 apart: also ~ +-1
    assert m.c_far - m.c_near < 0.005                   # "almost the same +-1"
    assert m.mode_gap > 0.5                             # training and inference outputs differ


def batch_norm_2(m):
    assert m.max_abs_sum < 1e-9
    assert m.bias_effect < 1e-12


def batch_norm_3(m):
    assert m.formula == pytest.approx(5 * (1 - 0.9 ** 10))
    assert m.formula_slow < m.formula / 5
    assert abs(m.moving_mean_10 - m.formula) < 0.3
    assert m.remaining == pytest.approx(0.9 ** 10)


def history_1(m):
    assert m.within_bound
    assert m.bound_narrow > 100 * m.bound_wide
    assert m.updates_narrow < m.bound_narrow / 100    # far below the bound


def history_2(m):
    # both rules end in a cycle of one epoch, so the change over an epoch cannot tell them apart
    assert m.last_epoch_change < 1e-9 and m.perceptron_last_epoch_change < 1e-9
    # the LMS loop is small and shrinks with eta (each step moves w by about eta * 1/2)
    assert m.eta_small < m.eta < m.eta_big
    assert m.spread_small < m.lms_spread < m.spread_big
    for eta, spread in [(m.eta_small, m.spread_small), (m.eta, m.lms_spread), (m.eta_big, m.spread_big)]:
        assert 0.5 * eta < spread < 2 * eta
    assert m.lms_spread > 1e-3                          # it does not stop moving
    assert m.distance_to_lsq < 0.1
    assert m.w_lsq == pytest.approx([0.0, 0.0, 0.5], abs=1e-9)
    assert m.correct_lsq == 2
    # the output at (0, 1) sits on the threshold; 1 or 2 of 4 right, depending on the step
    assert m.s_01 == pytest.approx(0.5, abs=1e-3)
    assert (m.correct_min, m.correct_max) == (1, 2) and m.correct_min <= m.correct <= m.correct_max


CLAIMS = {f"{c.__name__.rsplit('_', 1)[0]}/exercise_{c.__name__.rsplit('_', 1)[1]}": c for c in (
    chain_rule_1, chain_rule_2, chain_rule_3, chain_rule_4, chain_rule_5,
    activations_1, activations_2, activations_3, activations_4,
    initialization_1, initialization_2, initialization_3, initialization_4,
    batch_norm_1, batch_norm_2, batch_norm_3, history_1, history_2)}


def claim_for(rel):
    """chain_rule/exercise_3_wrong_init.py -> chain_rule_3."""
    return next((c for prefix, c in CLAIMS.items() if rel.startswith(prefix + "_")), None)


def test_every_answer_snippet_has_a_claim_test():
    rels = answer_snippets()
    assert len(rels) == len(CLAIMS)
    for rel in rels:
        assert claim_for(rel) is not None, rel


@pytest.mark.parametrize("rel", answer_snippets(), ids=str)
def test_answer_claim(rel):
    claim_for(rel)(load_snippet(rel))


def test_moving_mean_answer_matches_keras(tmp_path, capsys):
    """The momentum answer reads Keras's moving mean: the update rule by hand gives the same, and
    keras_pitfalls.py with 0.9 in place of 0.99 in item 2 prints the same number (the exercise)."""
    pytest.importorskip("keras")
    m = load_snippet("batch_norm/exercise_3_momentum_09.py")
    moving = 0.0
    for batch in m.batches:
        moving = m.momentum * moving + (1 - m.momentum) * float(batch[:, 0].mean())   # rho, mu_B
    assert moving == pytest.approx(m.moving_mean_10, rel=1e-5)
    src = (paths.SNIPPETS / "batch_norm" / "keras_pitfalls.py").read_text()
    old = "for momentum in (0.99, 0.1):"
    assert old in src
    copy = tmp_path / "keras_pitfalls.py"
    copy.write_text(src.replace(old, "for momentum in (0.9, 0.1):"))
    capsys.readouterr()
    runpy.run_path(str(copy), run_name="__main__")
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("2. momentum=0.9:"))
    assert f"after 10 steps {m.moving_mean_10:.2f}," in line, line
