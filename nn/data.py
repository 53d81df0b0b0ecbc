"""Data: one-hot labels, shuffled mini-batches, a train/validation/test split, and small
two-dimensional classification data sets, all plain numpy and reproducible from a seed.

Every `seed` argument accepts an int (the same int gives the same result), a
`numpy.random.Generator` (drawn from, so successive calls differ) or None (fresh randomness).

>>> X, y = make_moons(200, noise=0.1, seed=0)
>>> (X_train, y_train), (X_val, y_val), (X_test, y_test) = train_val_test_split(X, y, seed=0)
>>> len(X_train), len(X_val), len(X_test)
(120, 40, 40)
>>> [len(xb) for xb, yb in batches(X_train, y_train, batch_size=50, seed=0)]
[50, 50, 20]
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from nn.checks import Seed, is_whole_number, number, whole_number


def _array(data: Any, name: str, where: str) -> np.ndarray:
    """`data` as a numpy array with at least one axis (the samples), or a clear error."""
    array = np.asarray(data)
    if array.dtype == object or array.ndim == 0:
        raise TypeError(f"{where}: {name} must be an array of samples (one per row), got "
                        f"{type(data).__name__} with shape {array.shape}")
    return array


def _paired(X: Any, y: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    """X and y as arrays with the same (non-zero) number of samples."""
    X, y = _array(X, "X", where), _array(y, "y", where)
    if len(X) != len(y):
        raise ValueError(f"{where}: X has {len(X)} samples (shape {X.shape}) but y has "
                         f"{len(y)} (shape {y.shape}); they must have one label per sample")
    if len(X) == 0:
        raise ValueError(f"{where}: X and y are empty; there must be at least one sample")
    return X, y


def one_hot(labels: Any, num_classes: int | None = None) -> np.ndarray:
    """Integer class labels as one-hot rows: label k becomes a row with 1.0 at column k.

    The result has the labels' shape plus a last axis of length `num_classes` (by default the
    largest label + 1), and dtype float64.

    >>> one_hot([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    """
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iuf" or (labels.dtype.kind == "f" and not (
            np.all(np.isfinite(labels)) and np.all(labels == np.round(labels)))):
        raise ValueError(f"one_hot: labels must be whole numbers (class indices), got "
                         f"dtype {labels.dtype}: {labels.ravel()[:5]}")
    labels = labels.astype(np.int64)
    if num_classes is None:
        if labels.size == 0:
            raise ValueError("one_hot: cannot infer num_classes from no labels; pass it")
        num_classes = int(labels.max()) + 1
    num_classes = whole_number("one_hot", "num_classes", num_classes)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"one_hot: labels must be in 0..{num_classes - 1} for num_classes="
                         f"{num_classes}, got labels from {labels.min()} to {labels.max()}")
    return np.eye(num_classes)[labels]


def batches(X: Any, y: Any, batch_size: int | None = None, shuffle: bool = True,
            seed: Seed = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield (X_batch, y_batch) pairs covering the data once, in a shuffled order by default.

    The last batch holds what is left, so it may be smaller. The batch size chooses the kind
    of gradient descent: None (or any size >= the number of samples) gives one batch of
    everything (batch gradient descent), 1 gives stochastic gradient descent, and sizes in
    between give mini-batch gradient descent.

    >>> X, y = np.arange(10).reshape(5, 2), np.arange(5)
    >>> [yb.tolist() for xb, yb in batches(X, y, batch_size=2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    X, y = _paired(X, y, "batches")
    n = len(X)
    if batch_size is None:
        batch_size = n
    batch_size = whole_number("batches", "batch_size", batch_size,
                              hint=" (1 for stochastic, None for the full batch)")
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    return _batches(X, y, order, batch_size)


def _batches(X: np.ndarray, y: np.ndarray, order: np.ndarray,
             batch_size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    for start in range(0, len(order), batch_size):
        rows = order[start:start + batch_size]
        yield X[rows], y[rows]


def train_val_test_split(X: Any, y: Any, val: float = 0.2, test: float = 0.2,
                         seed: Seed = None) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Shuffle the samples and split them into ((X_train, y_train), (X_val, y_val),
    (X_test, y_test)).

    `val` and `test` are the fractions held out (each rounded to a whole number of samples, at
    least one when the fraction is above 0); the rest, which must not be empty, is for
    training. A fraction of 0 gives an empty part.

    >>> X, y = np.arange(20).reshape(10, 2), np.arange(10)
    >>> train, val, test = train_val_test_split(X, y, val=0.2, test=0.1, seed=0)
    >>> len(train[0]), len(val[0]), len(test[0])
    (7, 2, 1)
    """
    X, y = _paired(X, y, "train_val_test_split")
    for name, fraction in (("val", val), ("test", test)):
        number("train_val_test_split", name, fraction, low=0, high=1, high_open=True,
               kind="fraction")
    if val + test >= 1:
        raise ValueError(f"train_val_test_split: val + test must be below 1 to leave samples "
                         f"for training, got val={val} + test={test} = {val + test}")
    n = len(X)
    n_val, n_test = (max(1, round(f * n)) if f > 0 else 0 for f in (val, test))
    n_train = n - n_val - n_test
    if n_train < 1:
        raise ValueError(f"train_val_test_split: {n} samples are too few to hold out "
                         f"{n_val} for validation and {n_test} for testing and still train")
    order = np.random.default_rng(seed).permutation(n)
    parts = np.split(order, [n_train, n_train + n_val])
    return tuple((X[rows], y[rows]) for rows in parts)


# ---------------------------------------------------------------------------------------------
# Data set generators: X of shape (n, 2) float64, y of shape (n,) int64 class labels.


def _check_size_and_noise(where: str, n: int, classes: int, noise: float,
                          noise_name: str = "noise") -> None:
    whole_number(where, "n", n, low=classes, hint=" (so every class gets a sample)")
    number(where, noise_name, noise, low=0, hint=" (the standard deviation of the Gaussian "
           "noise)")


def _split_evenly(n: int, parts: int) -> list[int]:
    """n as `parts` whole numbers that differ by at most one, the larger ones first."""
    return [n // parts + (i < n % parts) for i in range(parts)]


def _labelled(classes: list[np.ndarray], noise: float,
              rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Points of class k are classes[k]; add Gaussian noise of std `noise` and shuffle."""
    X = np.concatenate(classes) + rng.normal(scale=noise, size=(sum(map(len, classes)), 2))
    y = np.concatenate([np.full(len(points), k, dtype=np.int64)
                        for k, points in enumerate(classes)])
    order = rng.permutation(len(X))
    return X[order], y[order]


def make_blobs(n: int = 100, centers: int | Any = 2, std: float = 1.0,
               seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs, one per class: `n` points split evenly between the centers.

    `centers` is a number of classes k, whose centers are then spread evenly on a circle of
    radius 5 around the origin (class 0 at (5, 0)), or an array of k center coordinates of
    shape (k, 2). Each blob has standard deviation `std` along each axis. With the default two
    classes the centers are 10 apart, 5 standard deviations on either side of the line x0 = 0
    at std=1, so the classes are linearly separable except with negligible probability (about
    3e-7 per point); more classes, or a larger std, bring the blobs closer together.

    >>> X, y = make_blobs(6, seed=0)
    >>> X.shape, sorted(y.tolist())
    ((6, 2), [0, 0, 0, 1, 1, 1])
    """
    if is_whole_number(centers):
        if centers < 1:
            raise ValueError(f"make_blobs: centers must be >= 1 classes, got {centers}")
        angles = 2 * np.pi * np.arange(centers) / centers
        centers = 5.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or centers.shape[1] != 2 or len(centers) == 0:
        raise ValueError(f"make_blobs: centers must be a number of classes or an array of "
                         f"shape (k, 2), got shape {centers.shape}")
    _check_size_and_noise("make_blobs", n, len(centers), std, "std")
    counts = _split_evenly(n, len(centers))
    classes = [np.tile(center, (count, 1)) for center, count in zip(centers, counts,
                                                                    strict=True)]
    return _labelled(classes, std, np.random.default_rng(seed))


def make_moons(n: int = 100, noise: float = 0.1,
               seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles, as scikit-learn's `make_moons`: not linearly separable.

    Class 0 is the upper half of the unit circle, class 1 the lower half of the unit circle
    centered at (1, 0.5); the points are evenly spaced along each half (class 0 gets n // 2 of
    them) before Gaussian noise of standard deviation `noise` is added.

    >>> X, y = make_moons(100, noise=0.1, seed=0)
    >>> X.shape, y.shape, int(y.sum())
    ((100, 2), (100,), 50)
    """
    _check_size_and_noise("make_moons", n, 2, noise)
    n_upper, n_lower = n // 2, n - n // 2
    upper = np.linspace(0, np.pi, n_upper)
    lower = np.linspace(0, np.pi, n_lower)
    classes = [np.stack([np.cos(upper), np.sin(upper)], axis=1),
               np.stack([1 - np.cos(lower), 0.5 - np.sin(lower)], axis=1)]
    return _labelled(classes, noise, np.random.default_rng(seed))


def make_circles(n: int = 100, noise: float = 0.05, factor: float = 0.5,
                 seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """A circle inside another, as scikit-learn's `make_circles`: not linearly separable.

    Class 0 lies on the unit circle (n // 2 points), class 1 on the circle of radius `factor`
    (0 < factor < 1), both centered at the origin with evenly spaced points, before Gaussian
    noise of standard deviation `noise` is added.

    >>> X, y = make_circles(100, noise=0.0, seed=0)
    >>> np.round(np.hypot(X[:, 0], X[:, 1])[y == 1].max(), 6)
    np.float64(0.5)
    """
    _check_size_and_noise("make_circles", n, 2, noise)
    number("make_circles", "factor", factor, low=0, high=1, low_open=True, high_open=True,
           hint=" (the inner radius over the outer one)")
    n_outer, n_inner = n // 2, n - n // 2
    classes = []
    for radius, count in ((1.0, n_outer), (factor, n_inner)):
        angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
        classes.append(radius * np.stack([np.cos(angles), np.sin(angles)], axis=1))
    return _labelled(classes, noise, np.random.default_rng(seed))


def make_xor(n: int = 100, noise: float = 0.1,
             seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """The XOR problem: four clusters at the corners (+-1, +-1), n split evenly between them.

    A point's class is 1 when its corner's coordinates have different signs, i.e. the XOR of
    (x0 > 0) and (x1 > 0), and 0 otherwise; no single line separates the classes. Each cluster
    has standard deviation `noise` (with noise=0 the points are exactly the corners).

    >>> X, y = make_xor(4, noise=0.0, seed=0)
    >>> sorted(zip(X.tolist(), y.tolist()))
    [([-1.0, -1.0], 0), ([-1.0, 1.0], 1), ([1.0, -1.0], 1), ([1.0, 1.0], 0)]
    """
    _check_size_and_noise("make_xor", n, 4, noise)
    corners = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    clusters = [np.tile(corner, (count, 1))
                for corner, count in zip(corners, _split_evenly(n, 4), strict=True)]
    classes = [np.concatenate(clusters[:2]), np.concatenate(clusters[2:])]
    return _labelled(classes, noise, np.random.default_rng(seed))
