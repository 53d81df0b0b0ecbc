"""Hypothesis strategies for gradient tests, and a one-line gradient property.

This module needs Hypothesis, an optional extra: `pip install "learngrad[testing]"`. It is
imported explicitly (`from autograd import testing`); `import autograd` works without it.

Inputs are drawn from a `Domain`: an open interval, less a margin around each kink (a point
where the function has no derivative, like 0 for `abs`) and at each end. Values are drawn from
what is left, so every drawn value keeps its promise by construction, with no example thrown
away.

>>> from autograd.testing import POSITIVE, gradient_property, values
>>> test_log = gradient_property(lambda x: x.log(), values(elements=POSITIVE))

`test_log` is a complete Hypothesis test: pytest collects it and checks with
`autograd.gradcheck` that the gradient of `log` matches finite differences at every drawn input.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np

try:
    from hypothesis import given
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as error:
    raise ImportError('autograd.testing needs Hypothesis, an optional extra of the package: '
                      'pip install "learngrad[testing]" (or pip install hypothesis)') from error

from autograd.gradcheck import gradcheck, gradgradcheck
from autograd.value import Value

__all__ = [
    "NEGATIVE",
    "NONZERO",
    "POSITIVE",
    "REAL",
    "UNIT_INTERVAL",
    "Domain",
    "arrays",
    "broadcastable_arrays",
    "broadcastable_shapes",
    "gradient_property",
    "values",
]

Shape = tuple[int, ...]


@dataclass(frozen=True)
class Domain:
    """Where a function's inputs may be drawn from: the open interval (low, high), keeping at
    least `margin` away from each of its ends and from each point of `kinks`.

    The margin keeps finite differences (steps of about 1e-6 · max(1, |x|)) from straddling a
    kink or reaching a singular end: the default 1e-3 is a thousand such steps near 0.

    >>> Domain(-4.0, 4.0, kinks=(0.0,), margin=0.5).intervals()
    [(-3.5, -0.5), (0.5, 3.5)]
    """

    low: float
    high: float
    kinks: tuple[float, ...] = ()
    margin: float = 1e-3

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinks", tuple(self.kinks))  # any sequence will do
        numbers = (self.low, self.high, self.margin, *self.kinks)
        if not all(isinstance(n, Real) and math.isfinite(n) for n in numbers):
            raise ValueError(f"{self}: low, high, margin and kinks must be finite numbers "
                             "(gradient checks need values of moderate size)")
        if not self.low < self.high:
            raise ValueError(f"{self}: low must be less than high")
        if self.margin < 0:
            raise ValueError(f"{self}: margin must be >= 0")
        if not self.intervals():
            raise ValueError(f"{self}: nothing is left once the margin {self.margin} is kept "
                             "from the ends and the kinks; use a smaller margin")

    def intervals(self) -> list[tuple[float, float]]:
        """The closed intervals values are drawn from, in order. With a margin of 0 they
        start and stop one float away from the ends and the kinks, which stay out."""
        barriers = [self.low, *sorted(k for k in self.kinks if self.low < k < self.high),
                    self.high]
        pieces = []
        for left, right in zip(barriers, barriers[1:], strict=False):
            start, stop = _away_from(left, self.margin, +1), _away_from(right, self.margin, -1)
            if start <= stop:
                pieces.append((start, stop))
        return pieces

    def contains(self, x: Any) -> bool:
        """Whether every element of `x` lies in this domain (inside, and off ends and kinks)."""
        x = np.asarray(x, dtype=np.float64)
        inside = (x > self.low) & (x < self.high)
        inside &= (x - self.low >= self.margin) & (self.high - x >= self.margin)
        for kink in self.kinks:
            inside &= (np.abs(x - kink) >= self.margin) & (x != kink)
        return bool(np.all(inside))

    def floats(self, dtype: Any = np.float64) -> st.SearchStrategy[float]:
        """A strategy for single numbers of this domain, exactly representable in `dtype`
        (Python floats; `dtype` only sets their precision)."""
        dtype = _float_dtype(dtype)
        tiny = float(np.finfo(dtype).tiny)  # the smallest normal number; subnormals stay out
        pieces = []
        for start, stop in self.intervals():
            start, stop = _representable(start, stop, dtype.itemsize * 8)
            if start <= stop and (start <= 0 <= stop or stop >= tiny or start <= -tiny):
                pieces.append(st.floats(start, stop, width=dtype.itemsize * 8, allow_nan=False,
                                        allow_infinity=False, allow_subnormal=False))
        if not pieces:
            raise ValueError(f"{self}: no normal {dtype} number lies in this domain")
        return st.one_of(pieces)


def _away_from(barrier: float, margin: float, sign: int) -> float:
    """barrier + sign·margin, nudged outward until it is at least `margin` from barrier in
    float arithmetic, and not barrier itself."""
    point = barrier + sign * margin
    while sign * (point - barrier) < margin or point == barrier:
        point = float(np.nextafter(point, sign * math.inf))
    return point


def _representable(start: float, stop: float, width: int) -> tuple[float, float]:
    """The interval shrunk to its ends' nearest inner numbers of the given float width."""
    if width == 64:
        return start, stop
    kind = np.float32 if width == 32 else np.float16
    low, high = kind(start), kind(stop)
    if float(low) < start:  # compared as float64: numpy would compare in the narrow type
        low = np.nextafter(low, kind(math.inf))
    if float(high) > stop:
        high = np.nextafter(high, kind(-math.inf))
    return float(low), float(high)


def _float_dtype(dtype: Any) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise ValueError(f"autograd.testing: dtype must be a floating type (float16, float32 "
                         f"or float64), got {dtype}")
    return dtype


REAL = Domain(-10.0, 10.0)
POSITIVE = Domain(0.0, 10.0, margin=1e-2)
NEGATIVE = Domain(-10.0, 0.0, margin=1e-2)
NONZERO = Domain(-10.0, 10.0, kinks=(0.0,), margin=1e-2)
UNIT_INTERVAL = Domain(0.0, 1.0, margin=1e-2)


def arrays(shape: int | Shape | st.SearchStrategy[Shape] | None = None,
           dtype: Any = np.float64, elements: Domain = REAL, *, min_dims: int = 0,
           max_dims: int = 3, min_side: int = 1, max_side: int = 4
           ) -> st.SearchStrategy[np.ndarray]:
    """A strategy for numpy arrays whose elements lie in the domain `elements`.

    `shape` may be fixed, a strategy, or None for random shapes within the dimension and side
    bounds (0-d arrays included by default). `dtype` may be a floating dtype or a strategy of
    them, e.g. `st.sampled_from([np.float32, np.float64])`.

    >>> arrays((2, 3), elements=POSITIVE).example().shape
    (2, 3)
    """
    if shape is None:
        shape = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                                 max_side=max_side)
    dtypes = dtype if isinstance(dtype, st.SearchStrategy) else st.just(_float_dtype(dtype))
    return dtypes.map(_float_dtype).flatmap(
        lambda d: hnp.arrays(d, shape, elements=elements.floats(d)))


def broadcastable_shapes(num_shapes: int = 2, *, min_dims: int = 0, max_dims: int = 3,
                         min_side: int = 1, max_side: int = 4
                         ) -> st.SearchStrategy[tuple[Shape, ...]]:
    """A strategy for tuples of `num_shapes` shapes that broadcast together, like ((3, 1), (4,)).

    >>> a, b = broadcastable_shapes().example(); _ = np.broadcast_shapes(a, b)
    """
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=min_side,
        max_side=max_side).map(lambda shapes: shapes.input_shapes)


def broadcastable_arrays(num_arrays: int = 2, dtype: Any = np.float64,
                         elements: Domain | Sequence[Domain] = REAL, **shape_bounds: int
                         ) -> st.SearchStrategy[tuple[np.ndarray, ...]]:
    """A strategy for tuples of arrays whose shapes broadcast together. `elements` is one domain
    for all of them or one per array (a nonzero divisor, say); `shape_bounds` are those of
    `broadcastable_shapes`.

    >>> x, y = broadcastable_arrays(elements=[REAL, NONZERO]).example(); _ = x / y
    """
    domains = [elements] * num_arrays if isinstance(elements, Domain) else list(elements)
    if len(domains) != num_arrays:
        raise ValueError(f"broadcastable_arrays: {len(domains)} domains given for "
                         f"{num_arrays} arrays; give one domain, or one per array")
    return broadcastable_shapes(num_arrays, **shape_bounds).flatmap(
        lambda shapes: st.tuples(*(arrays(shape, dtype, domain)
                                   for shape, domain in zip(shapes, domains, strict=True))))


def values(shape: int | Shape | st.SearchStrategy[Shape] | None = None,
           dtype: Any = np.float64, elements: Domain = REAL, *, requires_grad: bool = True,
           **shape_bounds: int) -> st.SearchStrategy[Value]:
    """A strategy for Values holding arrays drawn by `arrays` (same arguments). For Values on
    the scalar path, which hold Python floats, map a domain's floats: `REAL.floats().map(Value)`.

    >>> values((3,), elements=NONZERO).example().shape
    (3,)
    """
    return arrays(shape, dtype, elements, **shape_bounds).map(
        lambda data: Value(data, requires_grad=requires_grad))


def gradient_property(fn: Callable[..., Any], *inputs: st.SearchStrategy[Any],
                      second_order: bool = False, **check_options: Any) -> Callable[[], None]:
    """A Hypothesis test asserting that `fn`'s gradients match finite differences at every
    drawn input, with `gradcheck` (and `gradgradcheck` when `second_order`).

    Each strategy of `inputs` draws one argument of `fn` (arrays and floats become Values that
    require a gradient; Values are used as drawn), or a tuple of several, as
    `broadcastable_arrays` does. `check_options` (eps, atol, rtol, seed) go to the checks.
    Assign the result to a name starting with `test_` and pytest runs it:

    >>> test_mul = gradient_property(lambda x, y: x * y, broadcastable_arrays())
    """
    if not inputs:
        raise ValueError("gradient_property: give one strategy per argument of fn")

    @given(st.tuples(*inputs))
    def test(drawn: tuple[Any, ...]) -> None:
        arguments = [x if isinstance(x, Value) else Value(x)
                     for part in drawn for x in (part if isinstance(part, tuple) else (part,))]
        gradcheck(fn, arguments, **check_options)
        if second_order:
            gradgradcheck(fn, arguments, **check_options)

    return test
