"""The one place where drawing reads what the engine keeps to itself.

A Value's `.grad` reads zero before any backward pass; a picture must tell "no gradient yet"
from "a gradient of zero", so it reads the engine's own slot instead.

>>> from autograd import Value
>>> x = Value(2.0)
>>> gradient_or_none(x) is None
True
>>> (x * 3).backward(); gradient_or_none(x)
3.0
"""

from __future__ import annotations

from typing import Any

from autograd.value import Value


def gradient_or_none(value: Value) -> Any:
    """The gradient as data (a float or an array), or None if none has been computed."""
    grad = value._grad
    return grad.data if isinstance(grad, Value) else grad
