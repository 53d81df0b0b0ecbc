"""Exercise 5, a solution: gradient rules for custom Operations.

The exercise is examples/exercises/ex5_gradient_rules.py; grade this file with
`bash run.sh exercises 5 --solutions`.
"""

from typing import Any

import autograd


def sigmoid_vjp(g: Any, out: Any, x: Any) -> Any:
    """g · sigmoid'(x), with sigmoid' = sigmoid (1 - sigmoid) read off the output."""
    return g * out * (1 - out)


def tanh_vjp(g: Any, out: Any, x: Any) -> Any:
    """g · (1 - tanh(x)²), again from the output."""
    return g * (1 - out**2)


def softplus_vjp(g: Any, out: Any, x: Any) -> Any:
    """d/dx log(1 + e^x) = e^x / (1 + e^x) = sigmoid(x)."""
    return g * autograd.sigmoid(x)


def reduce_to_shape(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum the added leading axes away, then the stretched ones, keeping them."""
    added = grad.ndim - len(shape)
    if added:
        grad = grad.sum(axis=tuple(range(added)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


def multiply_vjp_x(g: Any, out: Any, x: Any, y: Any) -> Any:
    """d(x y)/dx = y, times g, summed back over what broadcasting added to x."""
    return reduce_to_shape(g * y, x.shape)


def multiply_vjp_y(g: Any, out: Any, x: Any, y: Any) -> Any:
    """d(x y)/dy = x, times g, summed back over what broadcasting added to y."""
    return reduce_to_shape(g * x, y.shape)


def matmul_vjp_a(g: Any, out: Any, a: Any, b: Any) -> Any:
    """a[i, k] meets b[k, j] in out[i, j]: the sum over j of g[i, j] b[k, j], g @ b.T."""
    return g @ b.T


def matmul_vjp_b(g: Any, out: Any, a: Any, b: Any) -> Any:
    """b[k, j] meets a[i, k] in out[i, j]: the sum over i of a[i, k] g[i, j], a.T @ g."""
    return a.T @ g


def softmax_vjp(g: Any, out: Any, x: Any) -> Any:
    """The Jacobian out_i (δij - out_j) applied to g: out_j (g_j - sum_i g_i out_i), row by
    row."""
    return out * (g - (g * out).sum(axis=-1, keepdims=True))
