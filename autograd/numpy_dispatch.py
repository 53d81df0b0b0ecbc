"""numpy's own functions on Values: which numpy function is which operation.

numpy hands a call that involves a Value to the Value's `__array_ufunc__` (for ufuncs such as
`np.exp` and the operators) or `__array_function__` (for the other functions, such as
`np.sum`); both come here. A function with an operation returns a Value with its gradient; a
function that only looks at the numbers (`np.shape`, `np.argmax`, `np.isnan`, comparisons)
answers from the data, as a constant; anything else is refused with a `TypeError` that names it
and says what to use instead, rather than turned silently into a constant or an object array.
`np.asarray(v)` does not come here: it reads the data (`Value.__array__`).

>>> import numpy as np
>>> from autograd import Value
>>> x = Value([1.0, 2.0])
>>> y = np.sum(np.exp(x) * 2)
>>> y.backward(); x.grad                 # 2 e^x
array([ 5.43656366, 14.7781122 ])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import ops
from autograd.engine import Node, data_of

# ufuncs that are operations, called with the same inputs
UFUNCS: dict[Any, Callable[..., Any]] = {
    np.add: ops.add, np.subtract: ops.sub, np.multiply: ops.mul, np.divide: ops.div,
    np.negative: ops.neg, np.positive: lambda x: x, np.power: ops.power, np.exp: ops.exp,
    np.log: ops.log, np.sqrt: ops.sqrt, np.absolute: ops.absolute, np.tanh: ops.tanh,
    np.maximum: ops.maximum, np.minimum: ops.minimum, np.square: ops.square,
    np.log1p: ops.log1p, np.expm1: ops.expm1, np.matmul: ops.matmul,
}
# ufuncs whose answer is not differentiable (booleans, signs): computed on the data
ON_DATA_UFUNCS = {np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
                  np.isnan, np.isfinite, np.isinf, np.signbit, np.sign, np.logical_not}
REFUSED = (" is not an operation of autograd, so it cannot give a gradient: use the Value's "
           "methods and autograd's functions (x.sum(), x.exp(), autograd.maximum, ...), or "
           "apply it to x.data, as a constant")


def array_ufunc(ufunc: Any, method: str, inputs: tuple[Any, ...],
                kwargs: dict[str, Any]) -> Any:
    """What `ufunc.method(*inputs, **kwargs)` gives when some input is a Value."""
    name = f"np.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
    if "out" in kwargs:
        raise TypeError(f"{name}: out= cannot write into an array or a Value from a Value "
                        "(an operation makes a new Value); use the result, e.g. "
                        "total = total + x rather than total += x on a numpy array")
    if method != "__call__" or (ufunc not in UFUNCS and ufunc not in ON_DATA_UFUNCS):
        raise TypeError(name + REFUSED)
    if kwargs:
        raise TypeError(f"{name}: the options {sorted(kwargs)} are not supported on Values; "
                        "call it with its inputs alone")
    if ufunc in ON_DATA_UFUNCS:
        return ufunc(*[data_of(x) for x in inputs])
    return UFUNCS[ufunc](*inputs)


def array_function(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """What the numpy function `func(*args, **kwargs)` gives when some argument is a Value."""
    name = _numpy_name(func)
    if func in ON_DATA_FUNCTIONS:
        return func(*_data_deep(args), **_data_deep(kwargs))
    adapter = FUNCTIONS.get(func)
    if adapter is None:
        raise TypeError(name + REFUSED)
    if kwargs.get("out") is not None:
        raise TypeError(f"{name}: out= cannot write a Value's result into an array; use the "
                        "result it returns")
    try:
        return adapter(*args, **kwargs)
    except TypeError as error:  # an option the adapter does not take
        raise TypeError(f"{name} on a Value: {error}") from None


def _numpy_name(func: Any) -> str:
    """The name a numpy function is called by: np.sum, np.linalg.norm, np.testing.assert_equal
    (the module's public parts, without numpy's private ones such as _core)."""
    parts = [part for part in (getattr(func, "__module__", None) or "numpy").split(".")
             if not part.startswith("_")]
    return ".".join(["np", *parts[1:], func.__name__])


def _data_deep(x: Any) -> Any:
    """`x` with every Value inside (in tuples, lists and dicts) replaced by its data."""
    if isinstance(x, Node):
        return x._data
    if isinstance(x, list | tuple):
        return type(x)(_data_deep(item) for item in x)
    if isinstance(x, dict):
        return {key: _data_deep(item) for key, item in x.items()}
    return x


# -- the functions with an operation, each with numpy's parameters in numpy's order --------------
# The order matters: np.sum(x, 0, np.float32) gives dtype by position, and np.var(x, 0, None,
# None, 1) ddof. What an operation cannot do on a Value (write into out, compute in another
# dtype, numpy's other options such as initial and where) is refused by `_plain`.

Axis = int | Sequence[int] | None


def _plain(out: Any = None, dtype: Any = None, options: dict[str, Any] | None = None) -> None:
    """Refuse, with a TypeError, an `out`, a `dtype` or any other option: an operation makes a
    new Value of its inputs' dtype."""
    if out is not None:
        raise TypeError("out= cannot write a Value's result into an array; use the result it "
                        "returns")
    if dtype is not None:
        name = getattr(dtype, "__name__", dtype)  # np.float32, not <class 'numpy.float32'>
        raise TypeError(f"dtype={name} is not supported: the result keeps the dtype of its "
                        "inputs")
    if options:
        raise TypeError(f"the options {sorted(options)} are not supported on Values")


def _sum_or_mean(op: Any) -> Callable[..., Any]:
    def reduce(a: Any, axis: Axis = None, dtype: Any = None, out: None = None,
               keepdims: bool = False, **options: Any) -> Any:
        _plain(out, dtype, options)
        return op(a, axis=axis, keepdims=keepdims)

    return reduce


def _extreme(op: Any) -> Callable[..., Any]:
    def reduce(a: Any, axis: Axis = None, out: None = None, keepdims: bool = False,
               **options: Any) -> Any:  # np.max has no dtype
        _plain(out, None, options)
        return op(a, axis=axis, keepdims=keepdims)

    return reduce


def _var(a: Any, axis: Axis = None, dtype: Any = None, out: None = None, ddof: float = 0,
         keepdims: bool = False, *, correction: float | None = None, **options: Any) -> Any:
    _plain(out, dtype, options)
    if correction is not None:  # numpy 2's (and the array API's) other name of ddof
        if ddof != 0:
            raise ValueError("ddof and correction are one setting: give only one of them")
        ddof = correction
    return ops.var(a, axis=axis, keepdims=keepdims, ddof=ddof)


def _std(*args: Any, **kwargs: Any) -> Any:
    return ops.sqrt(_var(*args, **kwargs))


def _dot(a: Any, b: Any, out: None = None) -> Any:
    _plain(out)
    if np.ndim(data_of(a)) == 0 or np.ndim(data_of(b)) == 0:
        return ops.mul(a, b)
    if np.ndim(data_of(a)) > 2 or np.ndim(data_of(b)) > 2:
        raise TypeError("np.dot of arrays with more than 2 axes is not supported; use "
                        "a @ b (np.matmul), which treats leading axes as a batch")
    return ops.matmul(a, b)


def _where(condition: Any, x: Any = None, y: Any = None) -> Any:
    if x is None or y is None:
        raise TypeError("np.where(condition) alone gives indices; give x and y as well, or "
                        "use np.nonzero(condition.data)")
    return ops.where(condition, x, y)


def _clip(a: Any, a_min: Any = None, a_max: Any = None, out: None = None, *, min: Any = None,
          max: Any = None, **options: Any) -> Any:
    _plain(out, None, options)
    low, high = (min if a_min is None else a_min), (max if a_max is None else a_max)
    return ops.clip(a, low, high)  # a bound that is a Value gets its gradient


def _reshape(a: Any, shape: Any = None, order: str = "C", *, newshape: Any = None) -> Any:
    if order != "C":
        raise TypeError(f"order={order!r} is not supported, only 'C' (row-major)")
    shape = newshape if shape is None else shape
    return ops.reshape(a, shape=(shape,) if isinstance(shape, int) else tuple(shape))


def _joining(join: Any) -> Callable[..., Any]:
    def joined(arrays: Any, axis: int | None = 0, out: None = None, **options: Any) -> Any:
        _plain(out, None, options)
        return join(arrays, axis=axis)

    return joined


FUNCTIONS: dict[Any, Callable[..., Any]] = {
    np.sum: _sum_or_mean(ops.sum), np.mean: _sum_or_mean(ops.mean),
    np.max: _extreme(ops.max), np.min: _extreme(ops.min), np.var: _var, np.std: _std,
    np.dot: _dot, np.where: _where, np.clip: _clip, np.reshape: _reshape,
    np.concatenate: _joining(ops.concatenate), np.stack: _joining(ops.stack),
    np.transpose: lambda a, axes=None: ops.transpose(a, axes=axes),
    np.squeeze: lambda a, axis=None: a.squeeze(axis),
    np.expand_dims: lambda a, axis: a.expand_dims(axis),
    np.ravel: lambda a, order="C": _reshape(a, (-1,), order),
}
# np.amax and np.amin are other names of np.max and np.min in some numpy versions
FUNCTIONS.update({getattr(np, alias): FUNCTIONS[np.max if alias == "amax" else np.min]
                  for alias in ("amax", "amin") if getattr(np, alias, None) not in FUNCTIONS})

# functions that only look at the numbers: answered from the data, as constants
ON_DATA_FUNCTIONS = {
    np.shape, np.ndim, np.size, np.argmax, np.argmin, np.argsort, np.nonzero, np.flatnonzero,
    np.count_nonzero, np.any, np.all, np.allclose, np.isclose, np.array_equal,
    np.array_equiv, np.isnan, np.isfinite, np.isinf, np.array2string, np.array_repr,
    np.array_str,
    # what numpy's own helpers ask (np.testing.assert_almost_equal asks np.iscomplexobj)
    np.iscomplexobj, np.isrealobj, np.iscomplex, np.isreal, np.result_type,
    # arrays of the same shape and dtype, whose numbers do not depend on the Value's
    np.zeros_like, np.ones_like, np.empty_like, np.full_like,
}
