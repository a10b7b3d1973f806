"""No hand-typed measurements: every numeral in page prose is a setup or literature constant on
the page's allowlist below, each with its source.  A measured value is written as a shortcode
(`[[value ...]]` of a snippet, `[[cite ...]]` of a record), never typed.

Prose is the page outside fenced code, inline code, shortcodes `[[...]]`, math `$...$`/`$$...$$`,
HTML tags and attributes, link URLs and heading ids (tests/pages.py: prose_lines).  Also not counted:
the text of links to the references page (author-year citations, checked by test_citations.py),
ordered-list markers (`1. `) and exercise numbers (`练习 3`, `Exercise 3`).  Thousands separators are
ignored (1,000 = 1000).  Allowlists are per chapter and shared by the two twins; the references
page (bibliographic data) and the generated report page are not checked.
"""
import re

import pytest

from pages import prose_lines, zh_pages, twin

NUMERAL = re.compile(r"(?<![A-Za-z0-9_.])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![A-Za-z0-9_]|\.\d)")
REF_LINK_TEXT = re.compile(r"\[[^\]]*\]\(\)")          # prose_lines leaves links as [text]()
LIST_MARKER = re.compile(r"^\s*\d+\.\s")
EXERCISE = re.compile(r"(?:练习|Exercise) \d+")
NOT_CHECKED = {"references", "report"}

# Every page: the small integers of the text's mathematics.
COMMON = {
    "0": "zero: means, slopes and bounds of the math in the text (mean 0, slope 0 for z < 0)",
    "1": "one: unit variance, slope 1, epoch 1, 'a factor of 1'; math constants of the text",
}

ALLOW = {
    "index": {
        "2": "smoke run: 2 seeds (buildbook run --smoke)",
        "5": "at least 5 seeds per record (tests/test_batch_norm*.py: n_seeds >= 5)",
        "300": "smoke run: 300 training images (buildbook run --smoke)",
        "1957": "Rosenblatt's perceptron, the history chapter's first year",
        "2016": "He et al. (2016), residual networks: the history chapter's last year",
    },
    "glossary": {
        "0.01": "leaky ReLU slope, Maas et al. 2013 / Hands-On ML ch. 11",
        "0.2": "leaky ReLU slope, Hands-On ML ch. 11",
        "5": "Nielsen, chapter 5",
        "1957": "Rosenblatt (1957)", "1986": "Rumelhart et al. (1986)",
        "2006": "Hinton, Osindero & Teh (2006)", "2010": "Glorot & Bengio (2010)",
        "2013": "Maas et al. / Goodfellow et al. (2013)",
        "2015": "Ioffe & Szegedy / He et al. / Xu et al. / Clevert et al. (2015)",
        "2017": "Klambauer et al. (2017)",
        "1997": "Hochreiter & Schmidhuber (1997)", "2016": "He et al. (2016)",
        "2000": "Gers, Schmidhuber & Cummins (2000), the LSTM's forget gate",
    },
    "history": {
        "0.5": "step-function threshold / XOR illustration in the text",
        "2": "xor_backprop.py's network: 2 inputs (setup)",
        "4": "xor_backprop.py's 4 hidden units (setup); sigma' <= 1/4 (chain-rule chapter)",
        "5": "LeNet-5 (a model's name); AlexNet's top-5 error",
        "10": "CIFAR-10 (a data set's name)",
        "15.3": "AlexNet's ImageNet 2012 top-5 error, Krizhevsky et al. (2012)",
        "25": "AlexNet paper: 25 % training error on CIFAR-10",
        "26.2": "runner-up's ImageNet 2012 top-5 error, Krizhevsky et al. (2012)",
        "30": "He et al. (2015): a 30-layer network",
        "1957": "timeline: Rosenblatt", "1960": "timeline: Widrow & Hoff",
        "1969": "timeline: Minsky & Papert", "1986": "timeline: Rumelhart et al.",
        "1989": "timeline: LeCun et al.", "1991": "timeline: Hochreiter",
        "2006": "timeline: Hinton et al.", "2010": "timeline: Glorot & Bengio; Nair & Hinton",
        "2011": "timeline: Glorot, Bordes & Bengio", "2012": "timeline: ImageNet 2012; Dahl/Hinton et al.",
        "2015": "timeline: He et al.; Ioffe & Szegedy",
        "1997": "timeline: Hochreiter & Schmidhuber (LSTM)", "2016": "timeline: He et al. (residual networks)",
    },
    "chain-rule": {
        "0.5": "exercise 1: a learning rate for the reader to try",
        "1.0": "exercise 1: a learning rate for the reader to try",
        "2": "'2 divided by the curvature' (stability bound of gradient descent); exercise settings",
        "4": "sigma' <= 1/4, derived in the text; 4 hidden layers (depth_table settings.depths)",
        "3": "Nielsen, chapter 3 (learning slowdown, cross-entropy)",
        "5": "Nielsen, chapter 5",
        "5.0": "L2 scale 5.0/50000 of EthanYuan's script (depth_table settings.loss)",
        "50000": "L2 scale 5.0/50000 of EthanYuan's script (depth_table settings.loss)",
        "10": "mini-batch 10 and 10 output units (depth_table settings); Nielsen's [784,30,...,10]",
        "20": "exercise 5: a depth for the reader to try",
        "30": "Nielsen's nets [784,30,30,10] ... (layer_speed settings.sizes)",
        "50": "equivalence test: at least 50 steps; 50 % escape threshold; first 50 epochs window "
              "(layer_speed_table.py drop50_*); target 50 % (mse_vs_ce settings.targets)",
        "90": "threshold between escaped and stuck seeds (depth_table_table.py); target 90 % "
              "(mse_vs_ce settings.targets)",
        "100": "hidden units (depth_table settings.hidden_units)",
        "500": "784-500-500-10, the net of 《人工智能系列(七)》 (mse_vs_ce settings.sizes)",
        "784": "MNIST input size",
        "1000": "first 1000 training images (depth_table settings.grad_norm, layer_speed settings.images)",
    },
    "activations": {
        "0.01": "leaky ReLU slope and bias trick (cs231n, Hands-On ML; dead_relu settings.variants)",
        "0.1": "a learning rate of dead_relu settings.learning_rates",
        "0.2": "leaky ReLU slope, Hands-On ML ch. 11",
        "0.25": "PReLU's initial slope, He et al. (2015)",
        "0.3": "a learning rate of dead_relu settings.learning_rates",
        "0.5": "a learning rate of dead_relu settings.learning_rates",
        "2": "2-D toy problem of sigmoid_problems.py",
        "4": "sigma' <= 1/4, derived in the chain-rule chapter",
        "6": "6 hidden layers (activation_race settings.sizes); AlexNet's 'six times faster'",
        "10": "CIFAR-10; 1/10 per class; 10 % in cs231n's '10-20 %'; output units",
        "11": "Hands-On ML, chapter 11",
        "20": "cs231n: 10-20 % dead units",
        "25": "AlexNet paper: 25 % training error on CIFAR-10",
        "32": "mini-batch size (dead_relu settings.batch_size)",
        "90": "toy problem: gradient descent run to 90 % of each problem's optimum (sigmoid_problems.py)",
        "100": "hidden units (dead_relu / activation_race settings.sizes)",
        "784": "MNIST input size",
        "10000": "training loss on the first 10,000 images (activation_race settings.train_loss_on)",
    },
    "initialization": {
        "0.99": "saturation threshold |a| > 0.99 of histograms.py",
        "2": "epoch 2, where deep_init_table.py's glorot_epoch2_* values are taken; mean output 1/2",
        "4": "sigmoid's slope 1/4 at 0; 'four times the uniform bound'",
        "10": "10-layer network of histograms.py (setup)",
        "11": "Hands-On ML, chapter 11",
        "16": "16 times the Xavier variance for sigmoid (literature rule of thumb)",
        "30": "30 hidden layers (deep_init settings.hidden_layers); He et al.'s 30-layer net",
        "50": "the gradient-flow explorer's largest depth (docs/assets/explorer.js LIMITS.depth)",
        "100": "hidden units (deep_init settings.sizes)",
        "500": "units per layer of histograms.py (setup)",
        "1000": "inputs fed to histograms.py's network (setup)",
    },
    "batch-norm": {
        "0.01": "a learning rate of bn_learning_rate settings.learning_rates; Hands-On ML's lr",
        "0.1": "PyTorch's momentum default; a learning rate of bn_learning_rate settings",
        "0.9": "BN momentum (settings.bn_momentum); Keras = 1 - PyTorch's 0.1",
        "0.99": "Keras BatchNormalization momentum default",
        "2": "exercise: a batch of 2; item 2 of keras_pitfalls.py",
        "3": "3 hidden layers of the paper's MNIST toy; learning rate 3 (bn_learning_rate settings)",
        "3.3": "Ioffe & Szegedy (2015), section 3.3 (learning rate and Jacobians under BN)",
        "4": "batch of 4 in keras_pitfalls.py (setup)",
        "5": "Ioffe & Szegedy: learning rate of Inception x5 and x30",
        "10": "10 steps in keras_pitfalls.py (setup); 10 classes, chance = 10 %; output units",
        "11": "Hands-On ML, chapter 11; layer 11 = the output layer of bn_deep_sigmoid (settings.sizes)",
        "14": "Ioffe & Szegedy (2015): 14 times fewer training steps",
        "15": "15th percentile, Ioffe & Szegedy's MNIST figure (bn_mnist_toy settings.probe)",
        "20": "20 random batches in keras_pitfalls.py (setup)",
        "30": "Ioffe & Szegedy: learning rate of Inception x30",
        "50": "target 50 % (bn_deep_sigmoid settings.targets); 50th percentile",
        "60": "mini-batch 60 (bn_mnist_toy settings.batch_size, Ioffe & Szegedy)",
        "85": "85th percentile, Ioffe & Szegedy's MNIST figure (bn_mnist_toy settings.probe)",
        "90": "target 90 % (settings.targets)",
        "95": "target 95 % (settings.targets)",
        "97": "target 97 % (settings.targets)",
        "100": "hidden units (settings.sizes); last 100 steps / every 100 steps (setup)",
        "256": "batch of 256 in keras_pitfalls.py (setup)",
        "300": "784-300-100-10 (bn_seed003 settings.sizes, Hands-On ML)",
        "500": "evaluation every 500 steps (bn_mnist_toy settings.eval_at_steps)",
        "784": "MNIST input size",
        "1000": "first 1,000 validation images (bn_mnist_toy settings.probe); first 1,000 training "
                "images (bn_deep_sigmoid settings.grad_norm); step 1,000 (bn_mnist_toy eval_at_steps)",
        "10000": "MNIST 10,000 validation / 10,000 test images (settings.data)",
        "50000": "MNIST 50,000 training images (settings.data)",
    },
}


def _raw_ref_link_texts(raw: str) -> list[str]:
    return re.findall(r"\[([^\]]*)\]\((?:\./)?references(?:\.en)?\.md#[\w-]+\)", raw)


def numerals(page):
    """(line number, numeral without thousands separators) for every numeral in the prose."""
    raw = page.read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in prose_lines(page):
        for text in _raw_ref_link_texts(raw[number - 1]):
            line = line.replace(f"[{text}]()", " ", 1)
        line = LIST_MARKER.sub(" ", line)
        line = EXERCISE.sub(" ", line)
        found += [(number, m.group(0).replace(",", "")) for m in NUMERAL.finditer(line)]
    return found


PAGES = [p for p in zh_pages() if p.name[:-3] not in NOT_CHECKED]
PAGES = PAGES + [twin(p) for p in PAGES]


def test_allowlists_name_their_sources():
    for stem, allowed in ALLOW.items():
        for value, source in allowed.items():
            assert re.fullmatch(r"\d+(?:\.\d+)?", value), (stem, value)
            assert len(source) > 10, f"{stem}: give {value} a source"


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_prose_numerals_are_allowlisted_constants(page):
    stem = page.name.split(".")[0]
    allowed = {**COMMON, **ALLOW.get(stem, {})}
    bad = [f"{page.name}:{n}: {value}" for n, value in numerals(page) if value not in allowed]
    assert not bad, ("numerals in prose that are not on the page's allowlist (cite measured values "
                     "with [[value]]/[[cite]]; add setup or literature constants to ALLOW with "
                     "their source):\n  " + "\n  ".join(bad))


@pytest.mark.parametrize("stem", sorted(ALLOW), ids=str)
def test_allowlist_entries_are_used(stem):
    """No stale entries: each allowed numeral still appears on the page or its twin."""
    pages = [p for p in PAGES if p.name.split(".")[0] == stem]
    used = {value for page in pages for _, value in numerals(page)}
    assert set(ALLOW[stem]) <= used, f"{stem}: unused {sorted(set(ALLOW[stem]) - used)}"
