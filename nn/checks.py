"""The argument checks every part of nn shares, and the `Seed` type.

Each check returns the value it accepted (converted: an int, a float, an array) or raises an
error that names the function, the argument, the value given and what would be valid:

>>> whole_number("batches", "batch_size", 0)
Traceback (most recent call last):
...
ValueError: batches: batch_size must be a whole number >= 1, got 0
>>> number("SGD", "momentum", 0.9, low=0.0, high=1.0)
0.9
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value, stack

Seed = int | np.random.Generator | None  # an int or a Generator makes a result reproducible


def is_whole_number(value: Any) -> bool:
    """Whether `value` is a Python or numpy integer; a bool is not (True is no count).

    >>> is_whole_number(3), is_whole_number(np.int64(3)), is_whole_number(True)
    (True, True, False)
    """
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def is_real_number(value: Any) -> bool:
    """Whether `value` is a Python or numpy real number (a bool is not).

    >>> is_real_number(0.5), is_real_number(np.float32(2)), is_real_number(np.bool_(True))
    (True, True, False)
    """
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_)


def whole_number(where: str, name: str, value: Any, low: int = 1, unit: str = "",
                 hint: str = "") -> int:
    """`value` as an int if it is a whole number >= `low`, else a ValueError naming it.

    `unit` follows "whole number" in the message (" of epochs"), `hint` the bound.

    >>> whole_number("fit", "epochs", 5, unit=" of epochs")
    5
    """
    if not is_whole_number(value) or value < low:
        raise ValueError(f"{where}: {name} must be a whole number{unit} >= {low}{hint}, got "
                         f"{value!r}")
    return int(value)


def number(where: str, name: str, value: Any, low: float = -math.inf, high: float = math.inf,
           low_open: bool = False, high_open: bool = False, kind: str = "finite number",
           hint: str = "") -> float:
    """`value` as a float if it is a finite real number between `low` and `high`.

    The bounds are included unless `low_open` / `high_open`. A value that is not a real number
    (a bool, a string, None) raises TypeError; one outside the bounds, NaN or an infinity,
    ValueError. `kind` names what is expected ("fraction"), `hint` adds an explanation.

    >>> number("Dropout", "p", 1.0, low=0.0, high=1.0, high_open=True)
    Traceback (most recent call last):
    ...
    ValueError: Dropout: p must be a finite number in [0.0, 1.0), got 1.0
    """
    if not is_real_number(value):
        raise TypeError(f"{where}: {name} must be a number, got {type(value).__name__}")
    above = low < value if low_open else low <= value
    below = value < high if high_open else value <= high
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an int beyond any float, such as 10**400
        finite = False
    if not (above and below and finite):
        interval = _interval(low, high, low_open, high_open)
        raise ValueError(f"{where}: {name} must be a {kind}{interval and ' '}{interval}{hint}, "
                         f"got {value}")
    return float(value)


def _interval(low: float, high: float, low_open: bool, high_open: bool) -> str:
    """The bounds as a reader writes them: ">= 0", "> 0" or "in [0, 1)"; "" for none."""
    if low == -math.inf and high == math.inf:
        return ""
    if high == math.inf:
        return f"{'>' if low_open else '>='} {low}"
    if low == -math.inf:
        return f"{'<' if high_open else '<='} {high}"
    return f"in {'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"


def choice(where: str, name: str, value: Any, choices: Sequence[Any], hint: str = "") -> Any:
    """`value` if it is one of `choices`, else a ValueError listing them.

    >>> choice("Linear", "init", "xavier", ("he", "glorot"))
    Traceback (most recent call last):
    ...
    ValueError: Linear: init must be one of 'he', 'glorot', got 'xavier'
    """
    if value not in choices:
        listing = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{where}: {name} must be one of {listing}{hint}, got {value!r}")
    return value


def holds_values(x: Any) -> bool:
    """Whether `x` is a Value, or a list or tuple holding one at any depth."""
    if isinstance(x, Value):
        return True
    return isinstance(x, list | tuple) and any(holds_values(item) for item in x)


def stacked(x: Any) -> Any:
    """A list or tuple holding Values (at any depth, among numbers) as one stacked Value, so
    that gradients reach those Values; anything else as it is.

    numpy would read such a list as an array of the Values' numbers: a constant, cut off from
    the graph.

    >>> a = Value(1.0)
    >>> out = stacked([[a, 2.0], [3.0, a]])
    >>> out.shape, out.requires_grad
    ((2, 2), True)
    """
    if not isinstance(x, list | tuple) or not holds_values(x):
        return x
    return stack([stacked(item) if isinstance(item, list | tuple) else item for item in x])


def as_features(x: Any, width: int, where: str, dtype: Any = np.float64) -> Any:
    """`x` as a Value or an array whose last axis holds `width` features, or a clear error.

    Plain data becomes an array of `dtype`; a (nested) list holding Values becomes one Value.

    >>> as_features([[1, 2, 3]], 3, "Linear")
    array([[1., 2., 3.]])
    """
    x = stacked(x)
    if not isinstance(x, Value):
        array = np.asarray(x)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{where}: inputs must be numbers or Values, got an array of "
                            f"{array.dtype}")
        x = array.astype(dtype, copy=False)
    shape = x.shape
    if not shape or shape[-1] != width:
        raise ValueError(f"{where}: expected inputs with {width} features on the last axis, "
                         f"e.g. shape (batch, {width}), got shape {x.shape}")
    return x
