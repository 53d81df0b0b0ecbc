"""autograd: a `Value` (a number or a numpy array) that records the operations applied to it,
and backpropagation through the graph they form.

>>> from autograd import Value
>>> x = Value(3.0)
>>> y = x * x + 2 * x
>>> y.backward()
>>> x.grad
8.0
"""

from autograd.engine import (
    GraphError,
    Operation,
    OperationError,
    detect_anomaly,
    grad,
    is_grad_enabled,
    name_scope,
    no_grad,
)
from autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck
from autograd.ops import (
    concatenate,
    exp,
    linear,
    log,
    log_softmax,
    matmul,
    relu,
    sigmoid,
    softmax,
    sqrt,
    stack,
    tanh,
)
from autograd.value import Value

# The drawing module is imported on first use: it needs graphviz, and `python -m autograd.draw`
# must find it not yet imported.
_DRAWING = ("Diagram", "GraphvizNotFoundError", "draw_graph")


def __getattr__(name: str) -> object:
    if name in _DRAWING:
        from autograd import draw

        return getattr(draw, name)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


__all__ = [
    "Diagram",
    "GradcheckError",
    "GraphError",
    "GraphvizNotFoundError",
    "Operation",
    "OperationError",
    "Value",
    "concatenate",
    "detect_anomaly",
    "draw_graph",
    "exp",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "is_grad_enabled",
    "linear",
    "log",
    "log_softmax",
    "matmul",
    "name_scope",
    "no_grad",
    "relu",
    "sigmoid",
    "softmax",
    "sqrt",
    "stack",
    "tanh",
]
