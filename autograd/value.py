"""`Value`: a Node of the engine with Python's operators and the operations as methods.

Each operator and method here is one operation of `autograd.ops`, applied to the Value: the
engine below knows nothing of them, and the operations know nothing of this class.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from autograd import ops
from autograd.engine import Node, data_of

Axis = int | Sequence[int] | None


class Value(Node):
    """A number or an array that remembers how it was computed, so gradients can flow back.

    `Value(data, requires_grad=True, label="", copy=True)`: data is a number (kept as a Python
    float, the fast scalar path), a nested list or a numpy array (kept as a floating array,
    copied). With `copy=False` a floating array is held as it is, sharing the caller's memory
    (as `torch.from_numpy` does): write into it no more once a graph has used it.

    >>> a, b = Value(-4.0), Value(2.0)
    >>> c = a * b + b ** 3
    >>> c.backward()
    >>> a.grad, b.grad      # dc/da = b, dc/db = a + 3 b^2
    (2.0, 8.0)
    """

    __slots__ = ()
    __array_ufunc__ = None  # numpy defers to Value: `array + value` calls Value.__radd__

    # -- Python's operators ----------------------------------------------------------------
    def __add__(self, other: Any) -> Value:
        return ops.add(self, other)

    def __radd__(self, other: Any) -> Value:
        return ops.add(other, self)

    def __sub__(self, other: Any) -> Value:
        return ops.sub(self, other)

    def __rsub__(self, other: Any) -> Value:
        return ops.sub(other, self)

    def __mul__(self, other: Any) -> Value:
        return ops.mul(self, other)

    def __rmul__(self, other: Any) -> Value:
        return ops.mul(other, self)

    def __truediv__(self, other: Any) -> Value:
        return ops.div(self, other)

    def __rtruediv__(self, other: Any) -> Value:
        return ops.div(other, self)

    def __pow__(self, other: Any) -> Value:
        return ops.power(self, other)

    def __rpow__(self, other: Any) -> Value:
        return ops.power(other, self)

    def __matmul__(self, other: Any) -> Value:
        return ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Value:
        return ops.matmul(other, self)

    def __neg__(self) -> Value:
        return ops.neg(self)

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return ops.absolute(self)

    def __getitem__(self, index: Any) -> Value:
        return ops.getitem(self, index=_plain_index(index))

    def __iter__(self) -> Iterator[Value]:
        for i in range(len(self)):
            yield self[i]

    # Comparisons compare the data and return plain booleans (arrays for tensors): they are
    # not differentiable, so they record nothing.
    def __lt__(self, other: Any) -> Any:
        return self._data < data_of(other)

    def __le__(self, other: Any) -> Any:
        return self._data <= data_of(other)

    def __gt__(self, other: Any) -> Any:
        return self._data > data_of(other)

    def __ge__(self, other: Any) -> Any:
        return self._data >= data_of(other)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        return self._data == data_of(other)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        return self._data != data_of(other)

    __hash__ = object.__hash__  # defining __eq__ would otherwise remove it

    # -- named operations ------------------------------------------------------------------
    def exp(self) -> Value:
        return ops.exp(self)

    def log(self) -> Value:
        return ops.log(self)

    def sqrt(self) -> Value:
        return ops.sqrt(self)

    def abs(self) -> Value:
        return ops.absolute(self)

    def tanh(self) -> Value:
        return ops.tanh(self)

    def sigmoid(self) -> Value:
        return ops.sigmoid(self)

    def relu(self) -> Value:
        return ops.relu(self)

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Value:
        return ops.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Value:
        return ops.mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Value:
        return ops.max(self, axis=axis, keepdims=keepdims)

    def reshape(self, *shape: Any) -> Value:
        if len(shape) == 1 and not isinstance(shape[0], int | np.integer):
            shape = tuple(shape[0])
        return ops.reshape(self, shape=shape)

    def transpose(self, *axes: Any) -> Value:
        if len(axes) == 1 and not isinstance(axes[0], int | np.integer):
            axes = tuple(axes[0]) if axes[0] is not None else ()
        return ops.transpose(self, axes=axes or None)

    def swapaxes(self, axis1: int, axis2: int) -> Value:
        axes = list(range(self.ndim))
        axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
        return ops.transpose(self, axes=tuple(axes))

    @property
    def T(self) -> Value:
        return ops.transpose(self, axes=None)

    def softmax(self, axis: int = -1) -> Value:
        return ops.softmax(self, axis=axis)

    def log_softmax(self, axis: int = -1) -> Value:
        return ops.log_softmax(self, axis=axis)


def _plain_index(index: Any) -> Any:
    """Indices are constants: a Value used as an index contributes its data (as integers).

    An index array is copied: the gradient rule reads it again in the backward pass, so a
    caller reusing the array (a buffer refilled for the next batch) must not change it."""
    if isinstance(index, tuple):
        return tuple(_plain_index(i) for i in index)
    if isinstance(index, Node):
        return np.asarray(index._data).astype(np.intp)
    if isinstance(index, list | np.ndarray):
        return np.array(index)
    return index
