"""Every text the diagram and the player show: numbers, value records, operation names and
settings, constants and the summary of what was left out.

>>> number(0.5), number(2e-6), summary(np.arange(6.0))
('0.5000', '2.000e-06', 'min 0 mean 2.5 max 5')
>>> from autograd import Value
>>> grad_field(Value(1.0), 0.25), grad_field(Value(1.0), None)
('grad 0.2500', 'grad —')
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np

from autograd.value import Value

# How operations are written in their node; others show their name.
SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/", "neg": "-x", "power": "**",
           "matmul": "@"}


def escape(text: str, record: bool = False) -> str:
    """Text as it must be written in a DOT label: backslashes doubled, newlines as \\n, `&` as
    `&amp;` (Graphviz reads "&lt;" in a label as "<"), and in a record the characters that
    would start a field or a port escaped."""
    text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("&", "&amp;")
    if record:
        for char in "{}|<>":
            text = text.replace(char, "\\" + char)
    return text


def number(x: float) -> str:
    """Four decimals, as micrograd prints; scientific notation where those would hide it."""
    if x == 0:
        return "0.0000"  # also for -0.0, which says nothing more
    if not math.isfinite(x) or 1e-3 <= abs(x) < 1e5:
        return f"{x:.4f}"
    return f"{x:.3e}"


def shorten(text: str, most: int = 24) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def counts_text(counts: Counter[str], most: int = 6) -> str:
    shown = ", ".join(f"{name} {n}" for name, n in counts.most_common(most))
    return shown + (", …" if len(counts) > most else "")


def omitted_text(omitted: Counter[str]) -> str:
    return (f"… {plural(sum(omitted.values()), 'more value')} not drawn "
            f"({counts_text(omitted)})")


def norm(grad: Any) -> float:
    """|grad| for a scalar, the norm of grad for a tensor."""
    return float(np.linalg.norm(np.ravel(grad)))


def magnitude(grad: Any) -> float | None:
    """The norm of `grad`, or None if there is no gradient."""
    return None if grad is None else norm(grad)


def grad_field(value: Value, grad: Any) -> str:
    """What a value's record says of its gradient `grad` (None: not computed)."""
    if grad is None:
        return "grad —" if value.requires_grad else "no grad"
    if type(value.data) is float:
        return f"grad {number(float(grad))}"
    grad = np.asarray(grad)
    return (f"grad {number(float(grad.item()))}" if grad.size == 1
            else f"grad norm {number(norm(grad))}")


def value_fields(value: Value, grad: Any) -> list[str]:
    """A value's record, field by field: its label, its data (a tensor: shape, dtype and a
    summary) and its gradient `grad`."""
    fields = [value.label] if value.label else []
    if type(value.data) is float:  # the scalar path: micrograd's record
        fields.append(f"data {number(value.data)}")
    else:
        array = np.asarray(value.data)
        fields += [f"shape {array.shape} {array.dtype}", f"data {summary(array)}"]
    fields.append(grad_field(value, grad))
    return fields


def value_label(value: Value, grad: Any, braces: bool) -> str:
    """The record label of a value; `braces` turns its fields back to a row (the fields of a
    record run across the rank direction)."""
    row = " | ".join(escape(field, record=True) for field in value_fields(value, grad))
    return "{ " + row + " }" if braces else row


def summary(array: np.ndarray) -> str:
    """Up to four numbers as they are, more as min / mean / max."""
    if array.size == 0:
        return "empty"
    if array.size == 1:
        return number(float(array.item()))
    if array.size <= 4:
        return "[" + ", ".join(f"{float(x):.4g}" for x in array.ravel()) + "]"
    return (f"min {float(array.min()):.4g} mean {float(array.mean()):.4g} "
            f"max {float(array.max()):.4g}")


def constant_text(constant: Any) -> str:
    """A plain number or array given to an operation, in a few characters."""
    if isinstance(constant, bool | int | float | np.number):
        return f"{float(constant):.4g}"
    if isinstance(constant, np.ndarray):
        return summary(constant) if constant.size <= 4 else f"array {constant.shape}"
    return shorten(repr(constant))


def symbol(value: Value) -> str:
    """How the operation that made `value` is written: "+", "*", "tanh", ..."""
    op = value.op or ""  # asked of operations' results only
    return SYMBOLS.get(op, op)


def op_lines(value: Value) -> list[str]:
    """The operation's symbol, then its parameters one per line (those that say something)."""
    lines = [symbol(value)]
    for name, setting in value.params.items():
        if setting is None or setting is False:
            continue
        text = index_text(setting) if name == "index" else repr(setting)
        lines.append(f"{name}={shorten(text)}")
    return lines


def op_label(value: Value) -> str:
    return "\\n".join(escape(line) for line in op_lines(value))


def index_text(index: Any) -> str:
    """An index as it was written: [0], [:, 1:3], [array (5,)]."""
    def part(item: Any) -> str:
        if isinstance(item, slice):
            ends = ("" if x is None else str(x) for x in (item.start, item.stop))
            return ":".join(ends) + ("" if item.step is None else f":{item.step}")
        if item is Ellipsis:
            return "..."
        if isinstance(item, np.ndarray):
            return f"array {item.shape}"
        return repr(item)

    parts = index if isinstance(index, tuple) else (index,)
    return "[" + ", ".join(part(item) for item in parts) + "]"
