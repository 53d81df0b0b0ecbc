"""Activation functions: step, sigmoid, tanh, relu, leaky_relu, softplus, elu, gelu, softmax.

Each takes a Value (and returns a recorded Value) or plain data (and returns plain data), like
the functions of autograd. All but step are autograd's own operations; step is defined here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Operation, elu, gelu, leaky_relu, relu, sigmoid, softmax, softplus, tanh

__all__ = ["elu", "gelu", "leaky_relu", "relu", "sigmoid", "softmax", "softplus", "step", "tanh"]


def _heaviside(x: Any) -> Any:
    if type(x) is float:
        return 1.0 if x >= 0.0 else 0.0
    x = np.asarray(x)
    return (x >= 0).astype(x.dtype if x.dtype.kind == "f" else np.float64)


_step = Operation("step", _heaviside, lambda g, out, x: g * 0, fresh_gradients=True)


def step(x: Any) -> Any:
    """The step (Heaviside) function: 1 where x >= 0, else 0.

    Its gradient is zero everywhere (the function is flat but for the jump at 0), so gradient
    descent cannot train a unit that uses it: that is why a perceptron is trained by the
    perceptron algorithm instead (see `nn.Perceptron`).

    >>> step(np.array([-2.0, 0.0, 3.0]))
    array([0., 1., 1.])
    """
    return _step(x)
