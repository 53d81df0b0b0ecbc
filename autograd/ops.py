"""Every differentiable operation, each one a forward function and its gradient rules side by side.

A rule `vjp(g, out, *inputs, **params)` returns the gradient for one input, given the gradient
`g` of the result and the result `out`. Rules use ordinary arithmetic and the operations
themselves, so the same rule runs on plain floats and arrays in an ordinary backward pass and on
Values when the backward pass is itself recorded (`create_graph=True`). Broadcast inputs need
no care here: the engine sums each gradient back to its input's shape.

Scalars are Python floats and take the `math` module's fast path; tensors take numpy's.
"""

from __future__ import annotations

import builtins
import math
import operator
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np

from autograd.engine import Operation, data_of, shape_of

# Every rule here returns a new array or one of those it was given, never one kept elsewhere.
builtin = partial(Operation, fresh_gradients=True)

BROADCAST_HINT = ("shapes must broadcast: compared from the last axis, each pair of sizes "
                  "must be equal or one of them 1")


def _scalar_or_array(float_fn: Callable[[float], float],
                     array_fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """One function for floats (math: fast) and arrays (numpy). Where math raises (overflow,
    outside the domain), the engine calls again with a numpy scalar and gets inf or NaN."""
    return lambda x: float_fn(x) if type(x) is float else array_fn(x)


def _power(a: Any, b: Any) -> Any:
    result = a ** b
    return math.nan if type(result) is complex else result  # (-8.0) ** 0.5 is NaN, as in numpy


def _sigmoid_float(x: float) -> float:
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _sigmoid_array(x: Any) -> Any:
    e = np.exp(-np.abs(x))  # never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _relu(x: Any) -> Any:
    if type(x) is float:
        return 0.0 if x <= 0.0 else x
    return np.maximum(x, 0)


def _float_dtype(x: Any) -> Any:
    """The dtype of an array of floats, float64 for a Python number (the scalar path)."""
    return x.dtype if isinstance(x, np.ndarray | np.floating) else np.float64


def _sign(x: Any) -> Any:
    """The sign as a constant (d|x|/dx; 0 at 0). Never recorded: its own gradient is zero."""
    x = data_of(x)
    return (x > 0.0) - (x < 0.0) if type(x) is float else np.sign(x)


# -- arithmetic -------------------------------------------------------------------------------

add = builtin(
    "add", operator.add,
    lambda g, out, a, b: g,
    lambda g, out, a, b: g,
    hint=BROADCAST_HINT)

sub = builtin(
    "sub", operator.sub,
    lambda g, out, a, b: g,
    lambda g, out, a, b: -g,
    hint=BROADCAST_HINT)

mul = builtin(
    "mul", operator.mul,
    lambda g, out, a, b: g * b,
    lambda g, out, a, b: g * a,
    hint=BROADCAST_HINT)

div = builtin(
    "div", operator.truediv,
    lambda g, out, a, b: g / b,
    lambda g, out, a, b: -g * out / b,
    hint=BROADCAST_HINT)

neg = builtin(
    "neg", operator.neg,
    lambda g, out, a: -g)

def _power_base_vjp(g: Any, out: Any, a: Any, b: Any) -> Any:
    # a ** 0 is 1 for every a, so its derivative is 0 at a = 0 too, where b * a ** (b - 1)
    # would be 0 * inf. There the exponent b - 1 becomes 0, which gives b * 1 = 0.
    exponent, b_data = b - 1, data_of(b)
    if b_data == 0 if type(b_data) in (int, float) else np.any(b_data == 0):
        exponent = exponent + ((data_of(a) == 0) & (b_data == 0))
    return g * b * power(a, exponent)


power = builtin(
    "power", _power,
    _power_base_vjp,
    # d(a^b)/db = a^b log a; where a == 0 the limit is 0, so log is taken of 1 there instead.
    lambda g, out, a, b: g * out * log(a + (a == 0)),
    hint=BROADCAST_HINT)


def _maximum(a: Any, b: Any) -> Any:
    if type(a) is float and type(b) is float:
        return a if a > b or a != a else b  # NaN wins, as in numpy
    return np.maximum(a, b)


def _minimum(a: Any, b: Any) -> Any:
    if type(a) is float and type(b) is float:
        return a if a < b or a != a else b
    return np.minimum(a, b)


def _share(wins: Any, ties: Any) -> Any:
    """A gradient's share as a constant: 1 where an input wins, 1/2 where it ties."""
    return wins + 0.5 * ties


maximum = builtin(
    "maximum", _maximum,
    lambda g, out, a, b: g * _share(data_of(a) > data_of(b), data_of(a) == data_of(b)),
    lambda g, out, a, b: g * _share(data_of(b) > data_of(a), data_of(a) == data_of(b)),
    hint=BROADCAST_HINT,
    doc="""The larger of a and b, elementwise, like np.maximum; they broadcast. Where they are
    equal the gradient is split equally between them.

    >>> from autograd import Value
    >>> a, b = Value([1.0, 5.0]), Value([3.0, 5.0])
    >>> maximum(a, b).sum().backward(); a.grad, b.grad
    (array([0. , 0.5]), array([1. , 0.5]))
    """)

minimum = builtin(
    "minimum", _minimum,
    lambda g, out, a, b: g * _share(data_of(a) < data_of(b), data_of(a) == data_of(b)),
    lambda g, out, a, b: g * _share(data_of(b) < data_of(a), data_of(a) == data_of(b)),
    hint=BROADCAST_HINT,
    doc="""The smaller of a and b, elementwise, like np.minimum; they broadcast. Where they are
    equal the gradient is split equally between them.

    >>> from autograd import Value
    >>> minimum(Value([1.0, 5.0]), 3.0).data
    array([1., 3.])
    """)


def _where_forward(a: Any, b: Any, condition: Any) -> Any:
    chosen: np.ndarray = np.where(condition, a, b)
    return chosen[()]  # a 0-d array becomes a scalar: the scalar path stays


_where = builtin(
    "where", _where_forward,
    lambda g, out, a, b, condition: g * condition,
    lambda g, out, a, b, condition: g * np.logical_not(condition),
    hint=BROADCAST_HINT + " (the condition's shape too)")


def where(condition: Any, a: Any, b: Any) -> Any:
    """`a` where `condition` holds and `b` elsewhere, like `np.where`; the three broadcast.

    The condition is plain booleans (a Value's data counts as a constant); the gradient goes
    to `a` where it holds and to `b` elsewhere.

    >>> from autograd import Value
    >>> x = Value([-2.0, 3.0])
    >>> where(x.data > 0, x, 0.1 * x).data      # a leaky ReLU
    array([-0.2,  3. ])
    """
    return _where(a, b, condition=np.asarray(data_of(condition), dtype=bool))


def _clip(x: Any, low: Any, high: Any) -> Any:
    if type(x) is float and type(low) is not np.ndarray and type(high) is not np.ndarray:
        # as np.clip: the lower bound first, then the upper, so that low > high gives high
        if x < low:
            x = float(low)
        if x > high:
            x = float(high)
        return x
    return np.clip(x, low, high)


def _inside(x: Any, low: Any, high: Any) -> Any:
    """clip's derivative for x as a constant: 1 where low <= x <= high (the bounds included, as
    in PyTorch), 0 elsewhere."""
    x = data_of(x)
    return (x >= data_of(low)) & (x <= data_of(high))


def _below(x: Any, low: Any, high: Any) -> Any:
    """Where the result is `low`, as a constant: x below it, and low not above high (where
    high wins)."""
    low = data_of(low)
    return (data_of(x) < low) & (low <= data_of(high))


def _above(x: Any, low: Any, high: Any) -> Any:
    """Where the result is `high`, as a constant: x above it, or low above high."""
    high = data_of(high)
    return (data_of(x) > high) | (data_of(low) > high)


# The bounds are inputs, not parameters: a bound that is a Value gets its gradient, as a
# tensor bound of torch.clamp does, rather than being read as a constant.
_clip_op = builtin(
    "clip", _clip,
    lambda g, out, x, low, high: g * _inside(x, low, high),
    lambda g, out, x, low, high: g * _below(x, low, high),
    lambda g, out, x, low, high: g * _above(x, low, high),
    hint="low and high must be numbers, arrays or Values that broadcast with x, or None")


def clip(x: Any, low: Any = None, high: Any = None) -> Any:
    """The elements of `x` limited to [low, high], like np.clip; either bound may be None, not
    both. The gradient passes where low <= x <= high (bounds included, as in PyTorch) and is 0
    outside. The bounds may be numbers, arrays or Values that broadcast with x: a bound that is
    a Value gets the gradient where the result is that bound (as with torch.clamp).

    >>> from autograd import Value
    >>> clip(Value([-2.0, 0.5, 3.0]), 0.0, 1.0).data
    array([0. , 0.5, 1. ])
    >>> low = Value(0.0); clip(Value([-2.0, 0.5]), low, 1.0).sum().backward(); low.grad
    1.0
    """
    if low is None and high is None:
        raise ValueError("clip: give low, high or both (both None would change nothing)")
    # A missing bound is an infinite one: a number, so a scalar graph keeps its inputs after
    # backward (None would not count as one), and no rule needs a case of its own.
    return _clip_op(x, -math.inf if low is None else low, math.inf if high is None else high)


# -- elementwise functions ----------------------------------------------------------------------

exp = builtin(
    "exp", _scalar_or_array(math.exp, np.exp),
    lambda g, out, x: g * out,
    doc="""e to the power x, elementwise. Its derivative is itself.

    >>> from autograd import Value
    >>> exp(Value(0.0)).data
    1.0
    """)

log: Operation = builtin(
    "log", _scalar_or_array(math.log, np.log),
    lambda g, out, x: g / x,
    doc="""The natural logarithm, elementwise; its derivative is 1 / x. At 0 it is -inf, below 0 NaN
    (as numpy says, with its warning).

    >>> from autograd import Value
    >>> log(Value(1.0)).data
    0.0
    """)

sqrt = builtin(
    "sqrt", _scalar_or_array(math.sqrt, np.sqrt),
    lambda g, out, x: g * 0.5 / out,
    doc="""The square root, elementwise; its derivative is 1 / (2 sqrt(x)).

    >>> from autograd import Value
    >>> sqrt(Value(9.0)).data
    3.0
    """)

absolute = builtin(
    "abs", abs,
    lambda g, out, x: g * _sign(x))

tanh = builtin(
    "tanh", _scalar_or_array(math.tanh, np.tanh),
    lambda g, out, x: g * (1 - out * out),
    doc="""The hyperbolic tangent, elementwise; its derivative is 1 - tanh(x)².

    >>> from autograd import Value
    >>> tanh(Value(0.0)).data
    0.0
    """)

sigmoid = builtin(
    "sigmoid", _scalar_or_array(_sigmoid_float, _sigmoid_array),
    lambda g, out, x: g * out * (1 - out),
    doc="""1 / (1 + e^-x), elementwise, stable for any x; its derivative is
    sigmoid(x) (1 - sigmoid(x)).

    >>> from autograd import Value
    >>> sigmoid(Value(0.0)).data
    0.5
    """)

relu = builtin(
    "relu", _relu,
    lambda g, out, x: g * (x > 0),
    doc="""max(x, 0), elementwise; its derivative is 1 where x > 0 and 0 elsewhere (at 0 too).

    >>> from autograd import Value
    >>> relu(Value([-1.0, 2.0])).data
    array([0., 2.])
    """)

square = builtin(
    "square", lambda x: x * x,
    lambda g, out, x: g * 2.0 * x,
    doc="""x², elementwise; its derivative is 2x.

    >>> from autograd import Value
    >>> square(Value(3.0)).data
    9.0
    """)

log1p = builtin(
    "log1p", _scalar_or_array(math.log1p, np.log1p),
    lambda g, out, x: g / (x + 1.0),
    doc="""log(1 + x), elementwise, accurate for small x; its derivative is 1 / (1 + x).

    >>> from autograd import Value
    >>> log1p(Value(1e-16)).data
    1e-16
    """)

expm1 = builtin(
    "expm1", _scalar_or_array(math.expm1, np.expm1),
    lambda g, out, x: g * (out + 1.0),
    doc="""e^x - 1, elementwise, accurate for small x; its derivative is e^x.

    >>> from autograd import Value
    >>> expm1(Value(1e-16)).data
    1e-16
    """)


def _leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    if type(x) is float:
        return x if x > 0.0 else negative_slope * x
    return np.where(x > 0, x, x * negative_slope)


def _positive(x: Any) -> Any:
    """1 where x > 0, else 0, as a constant of x's kind: a float, or an array of its dtype."""
    x = data_of(x)
    return float(x > 0.0) if type(x) is float else (x > 0).astype(x.dtype)


# Below 0 the slope is negative_slope, at 0 too, as PyTorch has it.
leaky_relu = builtin(
    "leaky_relu", _leaky_relu,
    lambda g, out, x, negative_slope=0.01: g * (
        _positive(x) * (1.0 - negative_slope) + negative_slope),
    doc="""x where x > 0, negative_slope · x elsewhere, elementwise; the slope at 0 is
    negative_slope, as in PyTorch.

    >>> from autograd import Value
    >>> leaky_relu(Value([-2.0, 3.0]), negative_slope=0.1).data
    array([-0.2,  3. ])
    """)


def _softplus_float(x: float) -> float:
    return math.log1p(math.exp(-abs(x))) + (x if x > 0.0 else 0.0)  # never overflows


softplus = builtin(
    "softplus", _scalar_or_array(_softplus_float, lambda x: np.logaddexp(0, x)),
    lambda g, out, x: g * sigmoid(x),
    doc="""log(1 + e^x), elementwise: a smooth ReLU, stable for any x; its derivative is
    sigmoid(x).

    >>> from autograd import Value
    >>> softplus(Value([-1000.0, 1000.0])).data      # no overflow at either end
    array([   0., 1000.])
    """)


def _elu(x: Any, alpha: float = 1.0) -> Any:
    if type(x) is float:
        return x if x > 0.0 else alpha * math.expm1(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))  # no overflow where unused


def _elu_vjp(g: Any, out: Any, x: Any, alpha: float = 1.0) -> Any:
    # 1 where x > 0; alpha e^x = out + alpha elsewhere (at 0 too, as PyTorch has it)
    positive = _positive(x)
    return g * (positive + (1.0 - positive) * (out + alpha))


elu = builtin(
    "elu", _elu, _elu_vjp,
    doc="""x where x > 0, alpha (e^x - 1) elsewhere, elementwise; the slope at 0 is alpha, as in
    PyTorch.

    >>> from autograd import Value
    >>> round(elu(Value(-1.0)).data, 6)
    -0.632121
    """)

# gelu's tanh approximation, as PyTorch's gelu(approximate="tanh"):
# 0.5 x (1 + tanh(k (x + c x^3))) with k = sqrt(2 / pi), c = 0.044715
GELU_K, GELU_C = math.sqrt(2.0 / math.pi), 0.044715


def _gelu(x: Any) -> Any:
    inner = GELU_K * (x + GELU_C * x * x * x)
    return 0.5 * x * (1.0 + (math.tanh(inner) if type(x) is float else np.tanh(inner)))


def _gelu_vjp(g: Any, out: Any, x: Any) -> Any:
    t = tanh(GELU_K * (x + GELU_C * x * x * x))
    return g * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * GELU_K * (1.0 + 3 * GELU_C * x * x))


gelu = builtin("gelu", _gelu, _gelu_vjp,
    doc="""GELU in its tanh approximation, elementwise, as PyTorch's gelu(approximate="tanh"):
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).

    >>> from autograd import Value
    >>> round(gelu(Value(1.0)).data, 6)
    0.841192
    """)


# -- reductions -------------------------------------------------------------------------------


def _kept(g: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    """`g`, the gradient of a reduction of `x`, with the reduced axes put back as size 1."""
    if keepdims or axis is None and not shape_of(g):
        return g
    ndim = len(shape_of(x))
    axes = set(range(ndim) if axis is None else np.atleast_1d(axis) % builtins.max(ndim, 1))
    shape = [1 if i in axes else n for i, n in enumerate(shape_of(x))]
    return reshape(g, shape=tuple(shape))


def _sum_vjp(g: Any, out: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return broadcast_to(_kept(g, x, axis, keepdims), shape=shape_of(x))


def _mean_vjp(g: Any, out: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    count = builtins.max(math.prod(shape_of(x)) // builtins.max(math.prod(shape_of(out)), 1), 1)
    return broadcast_to(_kept(g, x, axis, keepdims) / count, shape=shape_of(x))


def _extreme_vjp(g: Any, out: Any, x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    """The gradient of max or min goes to the elements equal to the result; tied elements
    share it equally. Where numpy's result is NaN (a NaN among the elements, which it
    propagates), it goes to the NaNs, as in PyTorch, rather than to no element (0 / 0)."""
    x_data = data_of(x)
    is_extreme = (x_data == _kept(data_of(out), x_data, axis, keepdims)) | (x_data != x_data)
    share = is_extreme / np.sum(is_extreme, axis=axis, keepdims=True)
    return _kept(g, x, axis, keepdims) * share.astype(_float_dtype(x_data))


def _var(x: Any, axis: Any = None, keepdims: bool = False, ddof: int = 0) -> Any:
    return np.var(x, axis=axis, keepdims=keepdims, ddof=ddof)


def _var_vjp(g: Any, out: Any, x: Any, axis: Any = None, keepdims: bool = False,
             ddof: int = 0) -> Any:
    """d var / dx = 2 (x - mean) / (n - ddof), with n the count of each reduced group.

    Where n - ddof <= 0, numpy divides by zero (the variance is inf, or NaN): no function of x
    is left to differentiate, so the gradient is NaN, not a ZeroDivisionError nor, for ddof > n,
    a finite number of the wrong sign."""
    count = math.prod(shape_of(x)) // builtins.max(math.prod(shape_of(out)), 1)
    scale = 2.0 / (count - ddof) if count > ddof else math.nan
    centred = x - mean(x, axis=axis, keepdims=True)
    return _kept(g, x, axis, keepdims) * centred * scale


sum = builtin(
    "sum", lambda x, axis=None, keepdims=False: np.sum(x, axis=axis, keepdims=keepdims),
    _sum_vjp, hint="axis must name existing axes")

mean = builtin(
    "mean", lambda x, axis=None, keepdims=False: np.mean(x, axis=axis, keepdims=keepdims),
    _mean_vjp, hint="axis must name existing axes")

max = builtin(
    "max", lambda x, axis=None, keepdims=False: np.max(x, axis=axis, keepdims=keepdims),
    _extreme_vjp, hint="axis must name existing axes, and the array must not be empty")

min = builtin(
    "min", lambda x, axis=None, keepdims=False: np.min(x, axis=axis, keepdims=keepdims),
    _extreme_vjp, hint="axis must name existing axes, and the array must not be empty")

var = builtin(
    "var", _var, _var_vjp,
    hint="axis must name existing axes, and ddof must be a whole number below the count")

broadcast_to = builtin(
    "broadcast_to", lambda x, shape: np.broadcast_to(x, shape),
    lambda g, out, x, shape: g,  # the engine sums g back to x's shape
    hint=BROADCAST_HINT)


# -- shapes and indexing ------------------------------------------------------------------------


def _transpose_vjp(g: Any, out: Any, x: Any, axes: Any = None) -> Any:
    if axes is None:
        return transpose(g, axes=None)
    ndim = len(shape_of(x))
    return transpose(g, axes=tuple(np.argsort([a % ndim for a in axes])))


def _reshape(x: Any, shape: Any) -> Any:
    if type(x) is float and shape == ():  # a scalar stays a Python float: the scalar path
        return x
    return np.reshape(x, shape)


def _transpose(x: Any, axes: Any = None) -> Any:
    if type(x) is float and not axes:  # a scalar stays a Python float, as in _reshape
        return x
    return np.transpose(x, axes)


reshape: Operation = builtin(
    "reshape", _reshape,
    lambda g, out, x, shape: reshape(g, shape=shape_of(x)),
    hint="the new shape must hold the same number of elements (one size may be -1)")

transpose = builtin(
    "transpose", _transpose,
    _transpose_vjp,
    hint="axes must be a permutation of the array's axes")


def _is_advanced(index: Any) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return builtins.any(isinstance(p, np.ndarray | list) for p in parts)


def _scatter(g: Any, index: Any, shape: tuple[int, ...]) -> Any:
    """Zeros of `shape` with `g` added at `index`; repeated indices add up."""
    grad = np.zeros(shape, dtype=_float_dtype(g))
    if _is_advanced(index):
        np.add.at(grad, index, g)
    else:
        grad[index] = g
    return grad


getitem = builtin(
    "getitem", lambda x, index: x[index],
    lambda g, out, x, index: scatter(g, index=index, shape=shape_of(x)),
    hint="the index must fit the shape (integers, slices, None, ..., integer or boolean arrays)")

scatter: Operation = builtin(
    "scatter", _scatter,
    lambda g, out, x, index, shape: getitem(g, index=index))


def _concatenate_vjp(i: int, g: Any, out: Any, *xs: Any, axis: int = 0) -> Any:
    axis = axis % len(shape_of(out))
    sizes = [shape_of(x)[axis] for x in xs]
    start = builtins.sum(sizes[:i])
    return g[(slice(None),) * axis + (slice(start, start + sizes[i]),)]


def _stack_vjp(i: int, g: Any, out: Any, *xs: Any, axis: int = 0) -> Any:
    axis = axis % len(shape_of(out))
    return g[(slice(None),) * axis + (i,)]


_concatenate = builtin(
    "concatenate", lambda *xs, axis=0: np.concatenate(xs, axis=axis),
    each_input=_concatenate_vjp,
    hint="every array needs the same number of axes and equal sizes but along axis")

_stack = builtin(
    "stack", lambda *xs, axis=0: np.stack(xs, axis=axis), each_input=_stack_vjp,
    hint="every array needs the same shape")


def concatenate(values: Sequence[Any], axis: int | None = 0) -> Any:
    """Join Values (or arrays) along an existing axis, like `np.concatenate`; with axis=None,
    each is flattened first and the result has one axis.

    >>> from autograd import Value
    >>> concatenate([Value([1.0, 2.0]), Value([3.0])]).shape
    (3,)
    >>> concatenate([Value([[1.0, 2.0]]), Value([3.0])], axis=None).shape
    (3,)
    """
    if axis is None:  # flattened by reshapes of their own, whose rules undo them
        return _concatenate(*[reshape(v, shape=(-1,)) for v in values], axis=0)
    return _concatenate(*values, axis=axis)


def stack(values: Sequence[Any], axis: int = 0) -> Any:
    """Join Values (or arrays) of one shape along a new axis, like `np.stack`.

    >>> from autograd import Value
    >>> stack([Value([1.0, 2.0]), Value([3.0, 4.0])], axis=1).shape
    (2, 2)
    """
    return _stack(*values, axis=axis)


# -- linear algebra -------------------------------------------------------------------------


def _matrix_transpose(x: Any) -> Any:
    return x.swapaxes(-1, -2)


def _matmul_vjp_a(g: Any, out: Any, a: Any, b: Any) -> Any:
    if b.ndim == 1:  # out[..., i] = sum_j a[..., i, j] b[j]
        return g * b if a.ndim == 1 else g[..., None] * b
    if a.ndim == 1:  # out[..., k] = sum_j a[j] b[..., j, k]
        return (g[..., None, :] @ _matrix_transpose(b))[..., 0, :]
    return g @ _matrix_transpose(b)


def _matmul_vjp_b(g: Any, out: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1:
        return g * a if b.ndim == 1 else a[:, None] * g[..., None, :]
    if b.ndim == 1:
        return (_matrix_transpose(a) @ g[..., None])[..., 0]
    return _matrix_transpose(a) @ g


MATMUL_HINT = ("both need at least one axis, and the last axis of the first must equal the "
               "second-to-last axis of the second (or its only axis); leading axes broadcast")

matmul = builtin(
    "matmul", lambda a, b: np.matmul(a, b), _matmul_vjp_a, _matmul_vjp_b, hint=MATMUL_HINT,
    doc="""The matrix product a @ b, as np.matmul: vectors, matrices and batches of them.

    >>> from autograd import Value
    >>> matmul(Value([[1.0, 2.0]]), Value([[3.0], [4.0]])).data
    array([[11.]])
    """)


LINEAR_HINT = ("x @ weight.T + bias: x must have shape (..., in_features) and weight "
               "(out_features, in_features); the bias (out_features,), or any shape that "
               "broadcasts to the product's without enlarging it")


def _linear(x: Any, weight: Any, bias: Any = None) -> Any:
    """x @ weight.T + bias, as PyTorch's `torch.nn.functional.linear`: a fully connected layer.

    `weight` has shape (out_features, in_features), one row per output; `bias` (optional) has
    shape (out_features,). `x` has shape (..., in_features): a batch, or one sample.

    >>> import numpy as np
    >>> from autograd import Value, linear
    >>> x, weight = np.ones((4, 3)), Value(np.ones((2, 3)))
    >>> linear(x, weight, Value(np.zeros(2))).shape
    (4, 2)
    """
    if type(weight) is not np.ndarray or weight.ndim != 2:
        raise ValueError(f"weight must be a matrix (out_features, in_features), got shape "
                         f"{np.shape(weight)}")
    # weight.T is a view: matmul hands it to BLAS as a transposed operand, copying nothing.
    out = np.matmul(x, weight.T)
    if bias is None:
        return out
    if type(bias) is np.ndarray and bias.shape == out.shape[-1:] and bias.dtype == out.dtype:
        # The sum has the product's shape and dtype, and the product is a new array of our own:
        # adding in place saves a pass over memory.
        out += bias
        return out
    total = out + bias
    if np.shape(total) != out.shape:  # the rules below give the product the whole gradient
        raise ValueError(f"the bias (shape {np.shape(bias)}) would enlarge the product of shape "
                         f"{out.shape} to {np.shape(total)}")
    return total


def _linear_vjp_x(g: Any, out: Any, x: Any, weight: Any, bias: Any = None) -> Any:
    return g @ weight  # (..., out) @ (out, in): one sample or a batch alike


def _linear_vjp_weight(g: Any, out: Any, x: Any, weight: Any, bias: Any = None) -> Any:
    if x.ndim == 1:  # one sample: the outer product g x^T
        return g[:, None] * x
    if x.ndim == 2 and type(weight) is np.ndarray and not weight.flags.c_contiguous:
        # A column-major weight (nn.Linear's) gets a column-major gradient, so that the
        # optimizer's updates run over both in the same order; BLAS writes it transposed.
        grad = np.empty(weight.shape, np.result_type(x, g), order="F")
        np.matmul(x.T, g, out=grad.T)
        return grad
    return _matrix_transpose(g) @ x  # (..., out, in); the engine sums the batch axes


def _linear_vjp_bias(g: Any, out: Any, x: Any, weight: Any, bias: Any = None) -> Any:
    if g.ndim == 2 and np.shape(bias) == g.shape[1:]:  # a batch of rows: summed here, at once
        return g.sum(axis=0)
    return g  # the engine sums it back to the bias's shape


# x @ weight.T + bias as one operation: a fully connected layer records one node, not three.
linear = builtin(
    "linear", _linear,
    _linear_vjp_x,
    _linear_vjp_weight,
    _linear_vjp_bias,
    hint=LINEAR_HINT,
    doc="""x @ weight.T + bias as one operation, PyTorch's F.linear: a fully connected layer's
    forward pass (weight of shape (out, in)), recorded as one node; the bias may be None. The
    gradient of the bias is summed over the batch by the engine.

    >>> from autograd import Value
    >>> linear(Value([[1.0, 2.0]]), Value([[1.0, 1.0]]), Value([0.5])).data
    array([[3.5]])
    """)


# -- softmax ------------------------------------------------------------------------------------


def _log_softmax(x: Any, axis: int = -1) -> Any:
    # Subtracting the maximum keeps it stable for inputs in the thousands. The reductions call
    # the ufuncs' reduce directly: np.max and np.sum wrap it in Python that costs more than the
    # work itself on a batch of short rows.
    shifted = x - np.maximum.reduce(x, axis=axis, keepdims=True)
    return shifted - np.log(np.add.reduce(np.exp(shifted), axis=axis, keepdims=True))


def _softmax(x: Any, axis: int = -1) -> Any:
    e = np.exp(x - np.maximum.reduce(x, axis=axis, keepdims=True))  # as in _log_softmax
    return e / np.add.reduce(e, axis=axis, keepdims=True)


softmax = builtin(
    "softmax", _softmax,
    lambda g, out, x, axis=-1: out * (g - (g * out).sum(axis=axis, keepdims=True)),
    hint="axis must name an existing axis",
    doc="""exp(x) / sum(exp(x)) along `axis` (the last by default): each row becomes probabilities.
    Stable for inputs in the thousands.

    >>> from autograd import Value
    >>> softmax(Value([0.0, 0.0])).data
    array([0.5, 0.5])
    """)

log_softmax = builtin(
    "log_softmax", _log_softmax,
    lambda g, out, x, axis=-1: g - exp(out) * g.sum(axis=axis, keepdims=True),
    hint="axis must name an existing axis",
    doc="""log(softmax(x)) along `axis`, computed without the exp overflowing.

    >>> from autograd import Value
    >>> log_softmax(Value([0.0, 0.0])).data
    array([-0.69314718, -0.69314718])
    """)
