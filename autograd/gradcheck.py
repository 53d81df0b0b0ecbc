"""Gradient checks: the gradients backpropagation computes, compared with finite differences.

`gradcheck(fn, inputs)` differentiates `fn` at `inputs` twice: analytically, with
`autograd.grad`, and numerically, with central differences in float64. It returns True when the
two agree and otherwise raises `GradcheckError`, whose message names the input and shows its
worst elements in a small table. `gradgradcheck` does the same for second derivatives.

How much is compared depends on the sizes involved, so that the check stays fast:

- When (size of the outputs) × (size of the checked inputs) is at most `FULL_JACOBIAN_LIMIT`,
  the whole Jacobian is compared, entry by entry.
- Otherwise each input's gradient for one random upstream gradient v is compared element by
  element (vᵀJ: unlike a plain `sum()` of the output, a random v exposes transposition and
  broadcasting mistakes).
- An input with more than `ELEMENTWISE_LIMIT` elements is compared along `PROJECTIONS` random
  directions u instead, (vᵀJ)·u against a finite difference along u: two evaluations of `fn` per
  direction rather than two per element.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.engine import grad, is_grad_enabled, no_grad
from autograd.value import Value

FULL_JACOBIAN_LIMIT = 256  # compare whole Jacobians of at most this many entries
ELEMENTWISE_LIMIT = 1024  # check inputs up to this size element by element
PROJECTIONS = 3  # random directions for larger inputs
WORST_SHOWN = 5  # rows of the failure table
ROUNDING_ULPS = 16  # the rounding error granted to each output, in float64 epsilons of its size


class GradcheckError(AssertionError):
    """Analytic and numeric derivatives disagree. An AssertionError, so that test runners show
    it as a failed assertion, with its table."""


def gradcheck(fn: Callable[..., Any], inputs: Value | Sequence[Any], eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True,
              seed: int = 0) -> bool:
    """Check the gradients of `fn` at `inputs` against central finite differences.

    `fn(*inputs)` must return a Value or a tuple of Values. Every input that is a Value with
    `requires_grad` is checked; other inputs are passed through unchanged. An analytic entry
    `a` passes when `|a - n| <= atol + rtol * |n|` for its numeric counterpart `n`, computed
    with the step `h = eps * max(1, |x|)`, give or take the rounding error of `n` (which
    matters only for outputs much larger than their derivatives). The check runs in float64:
    float32 inputs are converted for its duration, with a warning. Afterwards the inputs hold
    their original data again and their `.grad` is untouched, so `fn` may also reach the input
    Values through a closure (a model's parameters, say). `seed` fixes the random upstream
    gradients.

    Returns True when everything agrees. Otherwise raises `GradcheckError`, naming each input
    that disagrees with a table of its worst elements (index, analytic, numeric, relative
    error), or returns False when `raise_exception` is False.

    >>> from autograd import Value
    >>> gradcheck(lambda x, w: (x * w).tanh(), [Value([0.5, -1.0]), Value([2.0, 0.3])])
    True
    """
    settings = _Settings("gradcheck", "gradient", eps, atol, rtol, raise_exception, seed)
    return _check(fn, _as_arguments(inputs, settings.caller), settings)


def gradgradcheck(fn: Callable[..., Any], inputs: Value | Sequence[Any], eps: float = 1e-6,
                  atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True,
                  seed: int = 0) -> bool:
    """Check the second derivatives of `fn` at `inputs` against finite differences.

    The first derivatives of `fn` (for a fixed random upstream gradient, so for a scalar `fn`
    its gradient up to a factor) are computed with `create_graph=True`, and `gradcheck`'s
    comparison is applied to them: their derivatives from a second backward pass against finite
    differences of the first derivatives. For a scalar function of a few elements, that
    compares the whole Hessian. Arguments and result are as for `gradcheck`.

    >>> from autograd import Value
    >>> gradgradcheck(lambda x: x.tanh() * x, [Value([0.5, -1.0])])
    True
    """
    settings = _Settings("gradgradcheck", "second-derivative", eps, atol, rtol,
                         raise_exception, seed, record_numeric=True)
    arguments = _as_arguments(inputs, settings.caller)
    positions = _checked_positions(arguments, settings.caller)
    settings.output_names.extend(f"gradient of input {p}" for p in positions)
    rng = np.random.default_rng([seed, 2])  # a stream of its own, apart from the outer check's
    upstreams: list[Any] = []

    def first_derivatives(*args: Any) -> tuple[Value, ...]:
        outputs = _outputs(fn(*args), settings.caller)
        if not upstreams:  # drawn once: every evaluation must differentiate the same function
            upstreams.extend(_random_upstream(out, rng) for out in outputs)
        gradients = _vector_jacobian_product(outputs, upstreams, [args[p] for p in positions],
                                             create_graph=True)
        return tuple(g if isinstance(g, Value) else Value(g, requires_grad=False)
                     for g in gradients)

    return _check(first_derivatives, arguments, settings)


# ---------------------------------------------------------------------------------------------
# The comparison.


@dataclass
class _Settings:
    caller: str  # the public function, for messages
    what: str  # what is compared, for the failure message's first line
    eps: float
    atol: float
    rtol: float
    raise_exception: bool
    seed: int
    record_numeric: bool = False  # evaluate fn with recording on (gradgradcheck differentiates)
    output_names: list[str] = field(default_factory=list)  # empty: "output" or "output i"


@dataclass
class _Input:
    """A checked input: its position among fn's arguments, the Value, and its own data."""

    position: int
    value: Value
    original: Any

    def describe(self) -> str:
        label = f"label {self.value.label!r}, " if self.value.label else ""
        return f"input {self.position} ({label}shape {self.value.shape})"


def _check(fn: Callable[..., Any], arguments: list[Any], settings: _Settings) -> bool:
    """Compare analytic and numeric derivatives of `fn` for each checked input and report."""
    if not is_grad_enabled():
        raise RuntimeError(f"{settings.caller}: called inside no_grad(), where nothing is "
                           "recorded and no gradient can be computed; call it outside")
    checked = [_Input(p, arguments[p], arguments[p].data)
               for p in _checked_positions(arguments, settings.caller)]
    try:
        for item in checked:
            item.value.data = _float64_copy(item, settings.caller)
        reports = _mismatches(fn, arguments, checked, settings)
    finally:
        for item in checked:
            item.value.data = item.original
    if not reports:
        return True
    if settings.raise_exception:
        raise GradcheckError("\n\n".join(reports))
    return False


def _mismatches(fn: Callable[..., Any], arguments: list[Any], checked: list[_Input],
                settings: _Settings) -> list[str]:
    """One failure report for each checked input whose derivatives disagree."""
    outputs = _outputs(fn(*arguments), settings.caller)
    at_point = _flatten(out.data for out in outputs)
    if not np.all(np.isfinite(at_point)):
        raise ValueError(f"{settings.caller}: fn gives non-finite values (inf or NaN) at these "
                         "inputs, where it has no derivative to check; choose a point inside "
                         "its domain")
    if at_point.size == 0:
        return []  # no output element, no derivative
    full = at_point.size * sum(item.value.size for item in checked) <= FULL_JACOBIAN_LIMIT
    rng = np.random.default_rng(settings.seed)
    upstreams = (_unit_upstreams(outputs) if full
                 else [[_random_upstream(out, rng) for out in outputs]])
    weights = np.stack([_flatten(upstream) for upstream in upstreams])
    analytic = _analytic_rows(outputs, upstreams, [item.value for item in checked])
    context = nullcontext if settings.record_numeric else no_grad

    def evaluate() -> np.ndarray:
        with context():
            values = _flatten(out.data for out in _outputs(fn(*arguments), settings.caller))
        if values.shape != at_point.shape:
            raise ValueError(f"{settings.caller}: fn's outputs changed size from "
                             f"{at_point.size} to {values.size} when an input moved slightly; "
                             "their shapes must depend on the inputs' shapes only")
        return values

    reports = []
    for item, rows in zip(checked, analytic, strict=True):
        x = np.ravel(item.value.data)
        if x.size == 0:
            continue
        if x.size <= ELEMENTWISE_LIMIT:
            mode = "full" if full else "vjp"
            steps = settings.eps * np.maximum(1.0, np.abs(x))
            moves = (_one_hot(x.size, k, steps[k]) for k in range(x.size))
        else:
            mode = "projection"
            directions = rng.standard_normal((PROJECTIONS, x.size))
            directions *= np.maximum(1.0, np.abs(x)) / np.linalg.norm(directions, axis=1,
                                                                      keepdims=True)
            steps = np.full(PROJECTIONS, settings.eps)
            moves = (settings.eps * d for d in directions)
            rows = rows @ directions.T
        differences, rounding = _central_differences(item, moves, evaluate, weights)
        report = _report(item, rows, differences / steps, rounding / steps, mode, outputs,
                         settings)
        if report:
            reports.append(report)
    return reports


def _central_differences(item: _Input, moves: Iterable[np.ndarray],
                         evaluate: Callable[[], np.ndarray],
                         weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each move m (flat, in the input's shape once reshaped), the upstream-weighted
    difference (F(x + m) - F(x - m)) / 2 of the flattened outputs F, and a bound on its
    rounding error: one column per move in each.

    The bound grants every output `ROUNDING_ULPS` float64 roundings of its size, so that large
    outputs with small derivatives (1e6 against 1e-2, say), whose differences cancel, raise no
    false alarm; it stays far below atol for outputs of ordinary size."""
    x = item.value.data
    differences, sizes = [], []
    try:
        for move in moves:
            item.value.data = _like(x, x + move.reshape(np.shape(x)))
            plus = evaluate()
            item.value.data = _like(x, x - move.reshape(np.shape(x)))
            minus = evaluate()
            differences.append(weights @ (plus - minus) / 2)
            sizes.append(np.abs(weights) @ np.maximum(np.abs(plus), np.abs(minus)))
    finally:
        item.value.data = x
    rounding = ROUNDING_ULPS * np.finfo(np.float64).eps * np.stack(sizes, axis=1)
    return np.stack(differences, axis=1), rounding


def _analytic_rows(outputs: list[Value], upstreams: list[list[Any]],
                   inputs: list[Value]) -> list[np.ndarray]:
    """For each input, a matrix with one row per upstream gradient: that row's vᵀJ, flat."""
    rows: list[list[np.ndarray]] = [[] for _ in inputs]
    for upstream in upstreams:
        gradients = _vector_jacobian_product(outputs, upstream, inputs, create_graph=False)
        for row, gradient in zip(rows, gradients, strict=True):
            row.append(np.ravel(np.asarray(gradient, dtype=np.float64)))
    return [np.stack(row) for row in rows]


def _vector_jacobian_product(outputs: list[Value], upstreams: list[Any], inputs: list[Value],
                             create_graph: bool) -> list[Any]:
    """The gradients of sum_i <upstreams[i], outputs[i]> with respect to each input."""
    total: list[Any] | None = None
    for out, upstream in zip(outputs, upstreams, strict=True):
        if not out.requires_grad or not np.any(upstream):
            continue  # contributes nothing
        gradients = grad(out, inputs, grad_output=upstream, create_graph=create_graph,
                         retain_graph=True)
        if total is None:
            total = gradients
        else:
            total = [t + g for t, g in zip(total, gradients, strict=True)]
    if total is None:
        return [0.0 if type(v.data) is float else np.zeros(v.shape) for v in inputs]
    return total


# ---------------------------------------------------------------------------------------------
# The failure report.


def _report(item: _Input, analytic: np.ndarray, numeric: np.ndarray, rounding: np.ndarray,
            mode: str, outputs: list[Value], settings: _Settings) -> str | None:
    """None if `analytic` and `numeric` agree to within the tolerances and the rounding error
    of `numeric`; otherwise a message with the worst entries."""
    error = np.abs(analytic - numeric)
    allowed = settings.atol + settings.rtol * np.abs(numeric) + rounding
    failed = ~(error <= allowed)  # NaN fails
    if not failed.any():
        return None
    excess = np.where(np.isnan(error), np.inf, error / allowed)
    worst = np.argsort(-np.where(failed, excess, -1.0), axis=None, kind="stable")[:WORST_SHOWN]
    worst = worst[failed.ravel()[worst]]
    scale = np.maximum(np.abs(analytic), np.abs(numeric))
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(scale > 0, error / scale, 0.0)
    output_labels = _output_labels(outputs, settings) if mode == "full" else []
    if len(output_labels) == 1:
        output_labels = []  # one output element: nothing to tell apart
    header = (["output", "index"] if output_labels else ["index"]) + [
        "analytic", "numeric", "rel. error"]
    table = []
    for flat in worst:
        row, column = np.unravel_index(flat, analytic.shape)
        where = (f"direction {column}" if mode == "projection"
                 else str(tuple(int(i) for i in np.unravel_index(column, item.value.shape))))
        table.append(([output_labels[row]] if output_labels else []) + [
            where, f"{analytic[row, column]:.6g}", f"{numeric[row, column]:.6g}",
            f"{relative[row, column]:.3g}"])
    return "\n".join([
        f"{settings.caller}: {settings.what} mismatch for {item.describe()}",
        _CAPTIONS[mode].format(seed=settings.seed, size=item.value.size,
                               limit=ELEMENTWISE_LIMIT, count=PROJECTIONS),
        f"{failed.sum()} of {failed.size} differ by more than atol + rtol * |numeric| "
        f"(atol={settings.atol:g}, rtol={settings.rtol:g}); the worst:",
        _table(header, table)])


_CAPTIONS = {
    "full": "Compared: the Jacobian, d output[i] / d input[index], entry by entry.",
    "vjp": "Compared: the gradient for a random upstream gradient v (seed {seed}), v^T J, "
           "element by element.",
    "projection": "Compared: derivatives along {count} random directions (the input has "
                  "{size} elements, more than the {limit} compared one by one).",
}


def _output_labels(outputs: list[Value], settings: _Settings) -> list[str]:
    """A name for each element of the flattened outputs: "output[1, 0]", "output 1[2]", ..."""
    names = settings.output_names or (
        ["output"] if len(outputs) == 1 else [f"output {i}" for i in range(len(outputs))])
    labels = []
    for name, out in zip(names, outputs, strict=True):
        for index in np.ndindex(out.shape):
            labels.append(f"{name}[{', '.join(map(str, index))}]" if index else name)
    return labels


def _table(header: list[str], rows: list[list[str]]) -> str:
    """Right-aligned columns separated by " | ", with a rule under the header."""
    widths = [max(len(row[c]) for row in [header, *rows]) for c in range(len(header))]
    lines = [" | ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True))
             for row in [header, *rows]]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join("    " + line for line in lines)


# ---------------------------------------------------------------------------------------------
# Inputs, outputs and upstream gradients.


def _as_arguments(inputs: Value | Sequence[Any], caller: str) -> list[Any]:
    if isinstance(inputs, Value):
        return [inputs]
    if isinstance(inputs, list | tuple):
        return list(inputs)
    raise TypeError(f"{caller}: inputs must be a Value or a list or tuple of fn's arguments "
                    f"(Values and constants), got {type(inputs).__name__}; wrap arrays to "
                    "differentiate in Value(...)")


def _checked_positions(arguments: list[Any], caller: str) -> list[int]:
    positions = [p for p, a in enumerate(arguments) if isinstance(a, Value) and a.requires_grad]
    if not positions:
        raise ValueError(f"{caller}: none of the {len(arguments)} inputs is a Value that "
                         "requires a gradient, so there is nothing to check; pass what to "
                         "differentiate as Value(data) (requires_grad=True by default)")
    return positions


def _outputs(result: Any, caller: str) -> list[Value]:
    if isinstance(result, Value):
        return [result]
    if isinstance(result, list | tuple) and result and all(isinstance(r, Value) for r in result):
        return list(result)
    raise TypeError(f"{caller}: fn must return a Value or a non-empty tuple of Values, got "
                    f"{type(result).__name__}; compute it with Value operations")


def _float64_copy(item: _Input, caller: str) -> Any:
    """The input's data as float64, in an array of our own that the check may move around."""
    data = item.original
    if type(data) is float:
        return data
    if data.dtype != np.float64:
        warnings.warn(f"{caller}: {item.describe()} is {data.dtype}; it is checked in float64, "
                      f"since finite differences in {data.dtype} are too coarse for a gradient "
                      "check", stacklevel=4)
    return np.array(data, dtype=np.float64)


def _like(x: Any, moved: Any) -> Any:
    """`moved` in the form of `x`: a Python float for a float (the scalar path), else an array
    (numpy's arithmetic turns 0-d arrays into scalars)."""
    return float(moved) if type(x) is float else np.asarray(moved)


def _one_hot(size: int, k: int, value: float) -> np.ndarray:
    move = np.zeros(size)
    move[k] = value
    return move


def _flatten(parts: Iterable[Any]) -> np.ndarray:
    """The numbers of several floats and arrays, concatenated into one new float64 vector."""
    return np.concatenate([np.ravel(np.asarray(p, dtype=np.float64)) for p in parts])


def _random_upstream(out: Value, rng: np.random.Generator) -> Any:
    upstream = rng.standard_normal(out.shape)
    return float(upstream) if type(out.data) is float else upstream


def _unit_upstreams(outputs: list[Value]) -> list[list[Any]]:
    """One upstream gradient per output element, 1 there and 0 elsewhere: the Jacobian's rows."""
    zeros = [_like(out.data, np.zeros(out.shape)) for out in outputs]
    upstreams = []
    for i, out in enumerate(outputs):
        for k in range(out.size):
            upstream = list(zeros)
            upstream[i] = _like(out.data, _one_hot(out.size, k, 1.0).reshape(out.shape))
            upstreams.append(upstream)
    return upstreams
