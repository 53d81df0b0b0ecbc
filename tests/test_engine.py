"""The engine: scalar expressions with derivatives worked out by hand, and the backward pass."""

import math

import numpy as np
import pytest

from autograd import Value


def test_micrograd_expression_matches_hand_derivatives():
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    e = (c - d).relu() + (d / a).tanh()
    e.backward()
    # c - d = -2 < 0, so relu passes nothing; d / a = 0, so tanh' = 1 and
    # de/da = -d/a^2 + b/a = -0.5, de/db = (a + 3 b^2) / a = -2.
    assert e.data == 0.0
    assert a.grad == pytest.approx(-0.5)
    assert b.grad == pytest.approx(-2.0)


def test_tensor_example_from_the_readme():
    rng = np.random.default_rng(0)
    X = Value(rng.standard_normal((64, 3)), requires_grad=False)
    W = Value(rng.standard_normal((3, 4)))
    bias = Value(np.zeros(4))
    loss = (X @ W + bias).relu().mean()
    loss.backward()
    assert W.grad.shape == (3, 4) and bias.grad.shape == (4,)
    active = (X.data @ W.data + bias.data) > 0
    np.testing.assert_allclose(bias.grad, active.sum(axis=0) / active.size)
    np.testing.assert_allclose(W.grad, X.data.T @ active / active.size)


def test_exp_log_chain():
    x = Value(0.5)
    y = (x.exp() + 1).log()  # softplus; derivative is sigmoid(x)
    y.backward()
    assert x.grad == pytest.approx(1 / (1 + math.exp(-0.5)))
