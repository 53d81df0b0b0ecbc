"""Loss functions: each returns the mean over the examples of a per-example loss, as a scalar
Value to call `backward()` on.

Predictions are Values (or lists of scalar Values, which are stacked); targets are arrays, or
Values when their gradients are wanted too. Every loss checks that predictions and targets fit
together and says how when they do not, and every formula is written so that extreme inputs
give finite losses and gradients.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np

from autograd import Operation, Value, log_softmax, sigmoid, softmax
from nn.checks import stacked


def _predictions(x: Any, where: str) -> Value:
    """Predictions as one Value: a (nested) list of Values is stacked; plain data is a
    constant."""
    x = stacked(x)
    if not isinstance(x, Value):
        x = Value(x, requires_grad=False)
    if x.size == 0:
        raise ValueError(f"{where}: got no predictions (shape {x.shape})")
    return x


def _targets(y: Any) -> Value | np.ndarray:
    """Targets as they are if a Value (gradients may be wanted), otherwise as an array of the
    loss's own: the gradient rules read the targets again in the backward pass, and the caller
    may refill its array (a reused batch buffer) before that."""
    return y if isinstance(y, Value) else np.array(y)


def _check_same_shape(where: str, predictions: Value, targets: Any) -> None:
    if targets.shape != predictions.shape:
        raise ValueError(f"{where}: predictions have shape {predictions.shape} but targets have "
                         f"shape {targets.shape}; they must be equal (reshape one of them, e.g. "
                         "pred.reshape(-1) or y.reshape(-1, 1))")


def _check_range(where: str, what: str, data: Any, low: float, high: float,
                 advice: str = "") -> None:
    data = np.asarray(data)
    if data.dtype.kind not in "biuf" or not np.all((data >= low) & (data <= high)):
        shown = np.array2string(data, threshold=6, precision=4)
        raise ValueError(f"{where}: {what} must lie in [{low:g}, {high:g}], got {shown}{advice}")


def mse_loss(predictions: Any, targets: Any) -> Value:
    """Mean squared error: mean((predictions - targets)²).

    Shapes must be equal (broadcasting (N, 1) against (N,) would silently compare every
    prediction with every target).

    >>> mse_loss(Value([1.0, 2.0]), [0.0, 4.0]).item()   # (1 + 4) / 2
    2.5
    """
    predictions = _predictions(predictions, "mse_loss")
    targets = _targets(targets)
    _check_same_shape("mse_loss", predictions, targets)
    return ((predictions - targets) ** 2).mean()


def binary_cross_entropy(probabilities: Any, targets: Any, eps: float = 1e-7) -> Value:
    """Binary cross-entropy on probabilities: mean(-(y log p + (1 - y) log(1 - p))).

    `probabilities` must lie in [0, 1] (outputs of a sigmoid) and `targets` in [0, 1] (0/1
    labels, or soft labels). p is clipped to [eps, 1 - eps] before the logs, so p = 0 or 1
    gives a finite loss (at most -log(eps) ≈ 16.1 per example for eps = 1e-7, which float32
    can still tell from 1); the clip passes the gradient through unchanged, so a saturated
    prediction is still pushed the right way. From raw scores, prefer
    `binary_cross_entropy_with_logits`, which is exact where this one clips.

    >>> round(binary_cross_entropy(Value([0.8, 0.4]), [1, 0]).item(), 4)  # -(ln .8 + ln .6)/2
    0.367
    """
    where = "binary_cross_entropy"
    p = _predictions(probabilities, where)
    y = _targets(targets)
    _check_same_shape(where, p, y)
    _check_range(where, "probabilities", p.data, 0.0, 1.0,
                 "; for raw scores use binary_cross_entropy_with_logits")
    _check_range(where, "targets", np.asarray(y), 0.0, 1.0)
    # Adding the constant (clipped - p) clips the value but keeps the gradient of p itself.
    clipped = p + (np.clip(p.data, eps, 1.0 - eps) - p.data)
    return -(y * clipped.log() + (1.0 - y) * (1.0 - clipped).log()).mean()


def _bce_with_logits(x: Any, y: Any) -> Any:
    # -(y log σ(x) + (1 - y) log(1 - σ(x))) rearranged so that no exp can overflow
    return np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x)))


# Its own operation (rather than relu, abs and log composed) because the composed gradient is
# wrong at exactly x = 0, where relu and abs take their one-sided derivatives.
_binary_cross_entropy_with_logits = Operation(
    "binary_cross_entropy_with_logits", _bce_with_logits,
    lambda g, out, x, y: g * (sigmoid(x) - y),
    lambda g, out, x, y: -g * x, fresh_gradients=True)


def binary_cross_entropy_with_logits(logits: Any, targets: Any) -> Value:
    """Binary cross-entropy on raw scores x, with p = sigmoid(x): stable for any x.

    Computed as mean(max(x, 0) - x y + log(1 + exp(-|x|))), which equals
    -(y log p + (1 - y) log(1 - p)) without ever overflowing; its gradient is sigmoid(x) - y
    per example. `targets` must lie in [0, 1].

    >>> round(binary_cross_entropy_with_logits(Value([0.0]), [1]).item(), 4)  # ln 2
    0.6931
    """
    where = "binary_cross_entropy_with_logits"
    x = _predictions(logits, where)
    y = _targets(targets)
    _check_same_shape(where, x, y)
    _check_range(where, "targets", np.asarray(y), 0.0, 1.0)
    return _binary_cross_entropy_with_logits(x, y).mean()


def _class_indices(labels: np.ndarray, classes: int, where: str) -> np.ndarray:
    """Integer class labels checked to lie in [0, classes), or a clear error."""
    whole = labels.dtype.kind in "iu" or (
        labels.dtype.kind == "f" and np.all(np.isfinite(labels))
        and np.all(labels == np.round(labels)))
    if not whole:
        raise ValueError(f"{where}: labels must be integer class indices (or one-hot rows of "
                         f"the logits' shape), got dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"{where}: labels must be class indices in [0, {classes - 1}] for "
                         f"{classes} classes, got values from {labels.min():g} to "
                         f"{labels.max():g}")
    # a copy: the loss's gradient rule reads the labels in the backward pass, and the caller
    # may refill its array (a reused batch buffer) before that
    return np.array(labels, dtype=np.intp)


def _cross_entropy_forward(logits: Any, labels: np.ndarray) -> Any:
    log_probs = log_softmax(logits, axis=-1)  # plain arrays in, a plain array out
    return -log_probs[np.arange(len(labels)), labels].sum() / len(labels)


def _cross_entropy_vjp(g: Any, out: Any, logits: Any, labels: np.ndarray) -> Any:
    """(softmax(logits) - one_hot(labels)) g / N, every row at once."""
    one_hot = np.zeros(logits.shape, logits.dtype)
    one_hot[np.arange(len(labels)), labels] = 1
    return (softmax(logits, axis=-1) - one_hot) * (g / len(labels))


# -mean(log softmax(logits)[i, labels[i]]) over the rows i, as one operation: its gradient is
# written at once rather than backpropagated through log_softmax, integer indexing and the mean
# one by one, and the graph holds one node for the loss. Written with softmax, the rule can
# itself be differentiated (second derivatives).
_cross_entropy = Operation("cross_entropy", _cross_entropy_forward, _cross_entropy_vjp,
                           fresh_gradients=True)


def cross_entropy(logits: Any, labels: Any) -> Value:
    """Multi-class cross-entropy from raw scores: mean(-log softmax(logits)[label]).

    `logits` has shape (N, C) (or (C,) for one example). `labels` is either N integer class
    indices in [0, C), or an (N, C) array of one-hot rows (any rows of probabilities work:
    the loss is then -sum(labels * log softmax(logits))). log_softmax keeps it stable for
    logits in the thousands.

    >>> round(cross_entropy(Value([[0.0, 0.0]]), [1]).item(), 4)   # -log(1/2)
    0.6931
    """
    where = "cross_entropy"
    z = _predictions(logits, where)
    shape = z.shape
    if not shape:
        raise ValueError(f"{where}: logits need a last axis of classes, e.g. shape (N, C); "
                         "got a scalar (for two classes and one score use "
                         "binary_cross_entropy_with_logits)")
    classes = shape[-1]
    y = _targets(labels)
    if y.shape == shape:
        _check_range(where, "one-hot labels", np.asarray(y), 0.0, 1.0)
        if not np.allclose(np.asarray(y).sum(axis=-1), 1.0):
            raise ValueError(f"{where}: each row of one-hot labels must sum to 1")
        return -(z.log_softmax(axis=-1) * y).sum(axis=-1).mean()
    if y.shape != shape[:-1]:
        raise ValueError(f"{where}: logits of shape {shape} need labels of shape "
                         f"{shape[:-1]} (class indices) or {shape} (one-hot), got "
                         f"shape {y.shape}")
    indices = _class_indices(np.asarray(y), classes, where).reshape(-1)
    rows = z if len(shape) == 2 else z.reshape(-1, classes)
    return _cross_entropy(rows, labels=indices)


def hinge_loss(scores: Any, targets: Any) -> Value:
    """The hinge (max-margin) loss of a binary classifier: mean(max(0, 1 - y s)).

    `targets` must be -1 or +1 (from 0/1 labels: 2 * y - 1). The loss is zero for a score on
    the right side with a margin of at least 1, as in micrograd's demo and in SVMs.

    >>> hinge_loss(Value([2.0, 0.5, -1.0]), [1, 1, 1]).item()   # (0 + 0.5 + 2) / 3
    0.8333333333333334
    """
    where = "hinge_loss"
    s = _predictions(scores, where)
    y = _targets(targets)
    _check_same_shape(where, s, y)
    labels = np.asarray(y)
    if labels.dtype.kind not in "biuf" or not np.all(np.isin(labels, (-1, 1))):
        raise ValueError(f"{where}: targets must be -1 or +1, got "
                         f"{np.array2string(np.unique(labels), threshold=6)}; convert 0/1 labels "
                         "with 2 * y - 1")
    # targets given as an array: array * Value is a Value (numpy hands it to
    # Value.__array_ufunc__), which numpy's type stubs cannot express
    return cast(Value, 1.0 - y * s).relu().mean()
