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
    Value,
    detect_anomaly,
    grad,
    is_grad_enabled,
    name_scope,
    no_grad,
)
from autograd.ops import (
    concatenate,
    exp,
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

__all__ = [
    "GraphError",
    "Operation",
    "OperationError",
    "Value",
    "concatenate",
    "detect_anomaly",
    "exp",
    "grad",
    "is_grad_enabled",
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
