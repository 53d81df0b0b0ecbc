"""autograd: a `Value` (a number or a numpy array) that records the operations applied to it,
and backpropagation through the graph they form.

>>> from autograd import Value
>>> x = Value(3.0)
>>> y = x * x + 2 * x
>>> y.backward()
>>> x.grad
8.0
"""

from importlib.metadata import PackageNotFoundError, version

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
    clip,
    concatenate,
    elu,
    exp,
    expm1,
    gelu,
    leaky_relu,
    linear,
    log,
    log1p,
    log_softmax,
    matmul,
    maximum,
    minimum,
    relu,
    sigmoid,
    softmax,
    softplus,
    sqrt,
    square,
    stack,
    tanh,
    where,
)
from autograd.value import Value

try:
    __version__ = version("learngrad")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

# The drawing package is imported on first use: it needs graphviz, which the engine does not.
_DRAWING = ("Diagram", "GraphvizNotFoundError", "Player", "draw_graph", "play_backprop")


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
    "Player",
    "Value",
    "clip",
    "concatenate",
    "detect_anomaly",
    "draw_graph",
    "elu",
    "exp",
    "expm1",
    "gelu",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "is_grad_enabled",
    "leaky_relu",
    "linear",
    "log",
    "log1p",
    "log_softmax",
    "matmul",
    "maximum",
    "minimum",
    "name_scope",
    "no_grad",
    "play_backprop",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "sqrt",
    "square",
    "stack",
    "tanh",
    "where",
    "__version__",
]
