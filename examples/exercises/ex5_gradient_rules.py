"""Exercise 5: gradient rules for custom Operations.

Every operation of autograd is an `Operation`: a forward function and, for each input, a
gradient rule. A rule `vjp(g, out, x, ...)` is given the upstream gradient g (d loss / d out,
of out's shape), the operation's result `out` and its inputs, and returns d loss / d x: g
times the derivative of out with respect to x, with x's own shape. For example:

    import numpy as np
    from autograd import Operation, Value
    softplus = Operation("softplus", lambda x: np.logaddexp(0, x), softplus_vjp)
    y = softplus(Value(np.array([-1.0, 2.0]))).sum()
    y.backward()            # calls softplus_vjp(g, out, x) for the input's gradient

The rules are given numpy arrays; when second derivatives are taken they are given Values
instead. So write them with operators (+ - * / ** @), `.T`, `.sum(axis=..., keepdims=...)`,
`.reshape(...)` and autograd's functions (autograd.sigmoid, autograd.exp, ...), which work on
both, rather than numpy's functions.

The grader puts each rule into an Operation and checks it against finite differences with
autograd.gradcheck and autograd.gradgradcheck, on inputs drawn at random. Grade your work:

    bash run.sh exercises 5

A solution is in examples/exercises/solutions/ex5_gradient_rules.py: try first, then compare.
"""

from typing import Any

import autograd  # noqa: F401 (its functions, such as autograd.sigmoid, are for your rules)


def sigmoid_vjp(g: Any, out: Any, x: Any) -> Any:
    """The rule of sigmoid(x) = 1 / (1 + e^-x), elementwise. Its derivative is
    sigmoid(x) (1 - sigmoid(x)), and sigmoid(x) is `out`."""
    raise NotImplementedError


def tanh_vjp(g: Any, out: Any, x: Any) -> Any:
    """The rule of tanh(x), elementwise. Its derivative is 1 - tanh(x)², and tanh(x) is
    `out`."""
    raise NotImplementedError


def softplus_vjp(g: Any, out: Any, x: Any) -> Any:
    """The rule of softplus(x) = log(1 + e^x), elementwise."""
    raise NotImplementedError


def reduce_to_shape(grad: Any, shape: tuple[int, ...]) -> Any:
    """`grad` summed back to `shape`, for an input of that shape broadcast to grad's shape.

    Broadcasting adds leading axes and stretches axes of size 1; the input is used once per
    copy, so its gradient is the sum of the copies' gradients. Sum over the leading axes that
    `shape` does not have, and over the axes where `shape` has size 1 (keeping them). For grad
    of shape (4, 3): to shape (3,), sum over axis 0; to shape (4, 1), sum over axis 1, kept.
    It must work on arrays and on Values.
    """
    raise NotImplementedError


def multiply_vjp_x(g: Any, out: Any, x: Any, y: Any) -> Any:
    """The rule of x * y (with broadcasting) for x: of x's shape (use reduce_to_shape)."""
    raise NotImplementedError


def multiply_vjp_y(g: Any, out: Any, x: Any, y: Any) -> Any:
    """The rule of x * y (with broadcasting) for y: of y's shape (use reduce_to_shape)."""
    raise NotImplementedError


def matmul_vjp_a(g: Any, out: Any, a: Any, b: Any) -> Any:
    """The rule of a @ b, for matrices a (n, k) and b (k, m), for a: of shape (n, k)."""
    raise NotImplementedError


def matmul_vjp_b(g: Any, out: Any, a: Any, b: Any) -> Any:
    """The rule of a @ b, for matrices a (n, k) and b (k, m), for b: of shape (k, m)."""
    raise NotImplementedError


def softmax_vjp(g: Any, out: Any, x: Any) -> Any:
    """The rule of softmax along the last axis: out[..., i] = exp(x[..., i]) / (sum over j of
    exp(x[..., j])). Each output of a row depends on every score of that row."""
    raise NotImplementedError
