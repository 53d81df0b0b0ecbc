"""`Value`: a Node of the engine with Python's operators and the operations as methods.

Each operator and method here is one operation of `autograd.ops`, applied to the Value: the
engine below knows nothing of them, and the operations know nothing of this class.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from autograd import numpy_dispatch, ops
from autograd.engine import Node, OperationError, data_of

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

    # -- numpy ---------------------------------------------------------------------------------
    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """The data as a numpy array, for `np.asarray(v)` and friends: a constant, outside the
        graph (its array itself, unless a copy or another dtype is asked for)."""
        array = np.asarray(self._data, dtype=dtype)
        return array.copy() if copy else array

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        # np.exp(v), and `array + v`: the operation, a Value (see autograd.numpy_dispatch)
        return numpy_dispatch.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        # np.sum(v), np.concatenate([v, w]): the operation, a Value (see numpy_dispatch)
        return numpy_dispatch.array_function(func, args, kwargs)

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

    def __int__(self) -> int:
        return int(self.item())

    def __round__(self, ndigits: int | None = None) -> Any:
        return round(self.item(), ndigits)

    def __iter__(self) -> Iterator[Value]:
        # Refused at once, as numpy refuses a 0-d array: a generator would fail only at its first
        # item, after iter(v) and np.iterable(v) had called a scalar iterable (matplotlib's hist
        # then took each element of a vector as a data set of its own).
        if not self.shape:
            raise TypeError("iteration over a 0-d Value (a scalar) is undefined; use "
                            "v.item() for its number")
        return (self[i] for i in range(self.shape[0]))

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

    def square(self) -> Value:
        """x², elementwise."""
        return ops.square(self)

    def log1p(self) -> Value:
        """log(1 + x), accurate for small x.

        >>> Value(1e-16).log1p().data, Value(1 + 1e-16).log().data   # 1 + 1e-16 rounds to 1
        (1e-16, 0.0)
        """
        return ops.log1p(self)

    def expm1(self) -> Value:
        """exp(x) - 1, accurate for small x."""
        return ops.expm1(self)

    def clip(self, low: Any = None, high: Any = None) -> Value:
        """The elements limited to [low, high] (either bound may be None, not both). The
        gradient passes where low <= x <= high and is 0 outside, as in PyTorch; a bound that is
        a Value gets the gradient where the result is that bound.

        >>> x = Value([-2.0, 0.5, 3.0]); x.clip(0.0, 1.0).sum().backward(); x.grad
        array([0., 1., 0.])
        """
        return ops.clip(self, low, high)

    def leaky_relu(self, negative_slope: float = 0.01) -> Value:
        """x where x > 0, negative_slope · x elsewhere (slope negative_slope at 0).

        >>> Value([-2.0, 3.0]).leaky_relu(0.1).data
        array([-0.2,  3. ])
        """
        return ops.leaky_relu(self, negative_slope=negative_slope)

    def softplus(self) -> Value:
        """log(1 + exp(x)), a smooth ReLU, stable for large inputs; its derivative is sigmoid(x).

        >>> Value(1000.0).softplus().data
        1000.0
        """
        return ops.softplus(self)

    def elu(self, alpha: float = 1.0) -> Value:
        """x where x > 0, alpha · (exp(x) - 1) elsewhere."""
        return ops.elu(self, alpha=alpha)

    def gelu(self) -> Value:
        """GELU in its tanh approximation, as PyTorch's gelu(approximate="tanh"):
        0.5 x (1 + tanh(sqrt(2/π) (x + 0.044715 x³))).

        >>> round(Value(1.0).gelu().data, 6)
        0.841192
        """
        return ops.gelu(self)

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Value:
        return ops.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Value:
        return ops.mean(self, axis=axis, keepdims=keepdims)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Value:
        """The largest element (along `axis`); tied elements share the gradient equally."""
        return ops.max(self, axis=axis, keepdims=keepdims)

    def min(self, axis: Axis = None, keepdims: bool = False) -> Value:
        """The smallest element (along `axis`); tied elements share the gradient equally.

        >>> x = Value([3.0, 1.0, 1.0]); x.min().backward(); x.grad
        array([0. , 0.5, 0.5])
        """
        return ops.min(self, axis=axis, keepdims=keepdims)

    def var(self, axis: Axis = None, keepdims: bool = False, ddof: int = 0) -> Value:
        """The variance (along `axis`): mean((x - mean(x))²) · n / (n - ddof), as np.var.

        >>> Value([1.0, 2.0, 3.0, 4.0]).var().data
        1.25
        """
        return ops.var(self, axis=axis, keepdims=keepdims, ddof=ddof)

    def std(self, axis: Axis = None, keepdims: bool = False, ddof: int = 0) -> Value:
        """The standard deviation: sqrt(var). Its gradient is NaN where the variance is 0 (all
        elements equal), where the square root has no derivative, as in PyTorch.

        >>> Value([1.0, 2.0, 3.0, 4.0]).std(ddof=1).data
        1.2909944487358056
        """
        return ops.sqrt(ops.var(self, axis=axis, keepdims=keepdims, ddof=ddof))

    def argmax(self, axis: int | None = None, keepdims: bool = False) -> Any:
        """Where the largest element is, as np.argmax (plain integers: not differentiable)."""
        return np.argmax(self._data, axis=axis, keepdims=keepdims)

    def argmin(self, axis: int | None = None, keepdims: bool = False) -> Any:
        """Where the smallest element is, as np.argmin (plain integers: not differentiable)."""
        return np.argmin(self._data, axis=axis, keepdims=keepdims)

    def reshape(self, *shape: Any) -> Value:
        if len(shape) == 1 and not isinstance(shape[0], int | np.integer):
            shape = tuple(shape[0])
        return ops.reshape(self, shape=shape)

    def transpose(self, *axes: Any) -> Value:
        if len(axes) == 1 and not isinstance(axes[0], int | np.integer):
            axes = tuple(axes[0]) if axes[0] is not None else ()
        return ops.transpose(self, axes=axes or None)

    def squeeze(self, axis: int | Sequence[int] | None = None) -> Value:
        """The same elements without axes of size 1 (only those of `axis`, if given).

        >>> Value(np.zeros((1, 3, 1))).squeeze().shape
        (3,)
        """
        return ops.reshape(self, shape=_new_shape("squeeze", self.shape,
                                                  lambda a: np.squeeze(a, axis=axis)))

    def expand_dims(self, axis: int | Sequence[int]) -> Value:
        """The same elements with a new axis of size 1 at `axis`, as np.expand_dims.

        >>> Value([1.0, 2.0]).expand_dims(0).shape
        (1, 2)
        """
        return ops.reshape(self, shape=_new_shape("expand_dims", self.shape,
                                                  lambda a: np.expand_dims(a, axis)))

    def flatten(self) -> Value:
        """The elements in one axis, in row-major order.

        >>> Value(np.zeros((2, 3))).flatten().shape
        (6,)
        """
        return ops.reshape(self, shape=(-1,))

    def tolist(self) -> Any:
        """The data as (nested) Python lists of floats, or the float itself for a scalar."""
        return self._data if type(self._data) is float else self._data.tolist()

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


def _new_shape(name: str, shape: tuple[int, ...], change: Any) -> tuple[int, ...]:
    """The shape numpy's `change` gives an array of `shape` (tried on an empty stand-in), or an
    OperationError naming `name`."""
    try:
        return change(np.broadcast_to(np.empty((), dtype=bool), shape)).shape
    except (ValueError, TypeError) as error:  # numpy's AxisError is a ValueError
        raise OperationError(f"{name}: cannot apply to shape {shape} ({error})") from None


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
