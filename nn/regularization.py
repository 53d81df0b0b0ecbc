"""Penalties on the size of the weights, added to a loss to discourage overfitting.

    loss = data_loss + nn.l2_penalty(model.parameters(), 1e-4)

They apply to whatever parameters they are given: to leave the biases alone, pass only the
weights. (The optimizers' `weight_decay` is the other way to do L2 regularization.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import cast

from autograd import Value
from nn.checks import number


def _penalty(params: Iterable[Value], lam: float, where: str,
             term: Callable[[Value], Value]) -> Value:
    number(where, "lam", lam, low=0)
    params = list(params)
    if not params:
        raise ValueError(f"{where}: no parameters were given (an exhausted generator?); "
                         "pass e.g. model.parameters()")
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"{where}: params must be Values, e.g. model.parameters(); item {i} "
                            f"is a {type(p).__name__}")
    # params is not empty, so the sum is a Value (sum's start, 0, is never the answer)
    total = cast(Value, sum(term(p) if p.ndim == 0 else term(p).sum() for p in params))
    return lam * total


def l1_penalty(params: Iterable[Value], lam: float) -> Value:
    """lam * sum(|w|) over every element of every parameter: pushes weights to exactly zero.

    At w = 0 the gradient taken is 0 (the middle of the subgradient [-lam, lam]).

    >>> l1_penalty([Value([1.0, -2.0]), Value(3.0)], 0.1).item()
    0.6000000000000001
    """
    return _penalty(params, lam, "l1_penalty", lambda p: p.abs())


def l2_penalty(params: Iterable[Value], lam: float) -> Value:
    """lam * sum(w²) over every element of every parameter: shrinks weights towards zero.

    As in micrograd's `alpha * sum(p * p for p in model.parameters())`; the gradient is
    2 lam w (there is no 1/2 in front).

    >>> l2_penalty([Value([1.0, -2.0]), Value(3.0)], 0.1).item()
    1.4000000000000001
    """
    return _penalty(params, lam, "l2_penalty", lambda p: p * p)
