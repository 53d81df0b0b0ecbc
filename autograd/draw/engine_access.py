"""The one place where drawing reads what the engine keeps to itself.

- A Value's `.grad` reads zero before any backward pass; a picture must tell "no gradient yet"
  from "a gradient of zero", so it reads the engine's own slot instead.
- The player shows the local derivative of each step: the operation's own gradient rule,
  called as the engine calls it, with an upstream gradient of one.

>>> from autograd import Value
>>> x = Value(2.0)
>>> gradient_or_none(x) is None
True
>>> y = x * 3
>>> y.backward(); gradient_or_none(x)
3.0
>>> local_derivative(y, 0)                   # d(x * 3)/dx, from the rule of "mul"
3.0
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from autograd import engine
from autograd.value import Value


def gradient_or_none(value: Value) -> Any:
    """The gradient as data (a float or an array), or None if none has been computed."""
    grad = value._grad
    return grad.data if isinstance(grad, Value) else grad


def local_derivative(result: Value, i: int) -> Any:
    """d result / d (input i) at the data the graph recorded, as the engine computes it: the
    operation's rule for input i given an upstream gradient of one, summed back over broadcast
    axes. It has input i's shape. Only for a single-element result (otherwise the derivative
    is a Jacobian, which the rules never form): None then.
    """
    if result.size != 1 or result._op is None:
        return None
    op, out = result._op, result._data
    one = 1.0 if type(out) is float else np.ones_like(out)
    args = [x._data if isinstance(x, Value) else x for x in result._inputs]
    params = dict(result._params or {})
    try:
        raw = engine._apply_rule(op, i, one, out, *args, **params)
    except ArithmeticError:  # as the engine does: 1/0 on the scalar path follows numpy
        raw = engine._on_numpy_scalars(partial(engine._apply_rule, op, i), [one, out, *args],
                                       params)
    like = args[i]
    if raw.__class__ is not like.__class__ or type(like) is np.ndarray and (
            raw.shape != like.shape or raw.dtype != like.dtype):
        raw = engine._reduce_to(raw, like, op, i)
    # A rule may return an array it fills again on every call (Operation allows it unless it
    # promises fresh gradients), or one of the data it was given: keep this call's numbers.
    return raw.copy() if isinstance(raw, np.ndarray) else raw
