"""Grading exercise 6: backpropagation by hand through a two-layer network, for one point.

Every reference here is the engine's: the same network built from Values, its forward pass and
its `backward()` (or `autograd.grad` for one step of the chain rule), so the learner's
gradients are compared with what the library computes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.testing import UNIT_INTERVAL, Domain, arrays
from grading.core import (
    Case,
    Exercise,
    Hint,
    agrees,
    as_numbers,
    crashed_with,
    gives,
    negated,
    output_part,
)

MODERATE = Domain(-3.0, 3.0)
LAYERS = ("W1", "b1", "W2", "b2")


def error(output: Any, y: float) -> Any:
    """E = -(y log(output) + (1 - y) log(1 - output)), on Values or plain numbers."""
    return -(y * autograd.log(output) + (1 - y) * autograd.log(1 - output))


def logit(p: Any) -> Any:
    """The score whose sigmoid is p."""
    return np.log(p) - np.log1p(-p)


def network(x: np.ndarray, W1: Any, b1: Any, W2: Any, b2: Any) -> tuple[Any, Any]:
    """The network's hidden outputs and output, on Values or plain arrays."""
    hidden = autograd.sigmoid(x @ W1 + b1)
    return hidden, autograd.sigmoid(hidden @ W2 + b2)


def forward(x: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray,
            b2: float) -> tuple[np.ndarray, float]:
    """The reference forward pass."""
    hidden, output = network(x, W1, b1, W2, b2)
    return hidden, float(output)


def engine_gradients(x: np.ndarray, y: float, **weights: Any) -> dict[str, Any]:
    """The gradients of the error with respect to W1, b1, W2 and b2, by `backward()`."""
    values = {name: Value(weights[name]) for name in LAYERS}
    error(network(x, *values.values())[1], y).backward()
    return {name: value.grad for name, value in values.items()}


def engine_output_delta(y: float, output: float) -> float:
    """dE/dz at the output, z the score whose sigmoid is `output`, by `autograd.grad`."""
    score = Value(logit(output))
    return autograd.grad(error(autograd.sigmoid(score), y), score)


def engine_hidden_delta(delta_out: float, W2: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """dE/dz1, z1 the hidden scores, from dE/dz2 = delta_out, by `autograd.grad`."""
    scores = Value(logit(hidden))
    return autograd.grad(autograd.sigmoid(scores) @ W2, scores, grad_output=delta_out)


@st.composite
def network_inputs(draw: st.DrawFn, labelled: bool) -> dict[str, Any]:
    """A point of 1 to 3 features (and its label, if `labelled`), and the weights of a
    network of 1 to 3 hidden units."""
    n, h = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    point = {"x": draw(arrays((n,), elements=MODERATE))}
    if labelled:
        point["y"] = draw(st.sampled_from([0.0, 1.0]))
    return {**point, "W1": draw(arrays((n, h), elements=MODERATE)),
            "b1": draw(arrays((h,), elements=MODERATE)),
            "W2": draw(arrays((h,), elements=MODERATE)), "b2": draw(MODERATE.floats())}


FORWARD = output_part(
    "forward", network_inputs(labelled=False), forward,
    checked="forward(x, W1, b1, W2, b2) against the engine's forward pass: (hidden, output)",
    hints=[
        Hint("the hidden layer's outputs pass through the sigmoid too",
             gives(lambda x, W1, b1, W2, b2: (x @ W1 + b1, float(autograd.sigmoid(
                 (x @ W1 + b1) @ W2 + b2))))),
        Hint("the output is the sigmoid of the output layer's score",
             gives(lambda x, W1, b1, W2, b2: (network(x, W1, b1, W2, b2)[0],
                                              float(network(x, W1, b1, W2, b2)[0] @ W2 + b2)))),
        Hint("the shapes do not fit: x has n entries and W1 has shape (n, h), one column per "
             "hidden unit; which product gives the h hidden scores?",
             crashed_with(ValueError, saying="matmul")),
    ],
    fallback="hidden = sigmoid(x @ W1 + b1) and output = sigmoid(hidden @ W2 + b2)")

OUTPUT_DELTA = output_part(
    "output_delta",
    st.fixed_dictionaries({"y": st.sampled_from([0.0, 1.0]), "output": UNIT_INTERVAL.floats()}),
    engine_output_delta,
    checked="output_delta(y, output) against the engine's dE/dz at the output",
    hints=[
        Hint("sign: that is y - ŷ, which points downhill (the course's error term); the "
             "gradient dE/dz points uphill, the other way", negated),
        Hint("that is the delta of the squared error ½(y - ŷ)²; with the cross-entropy error, "
             "the sigmoid's derivative cancels out",
             gives(lambda y, output: (output - y) * output * (1 - output))),
    ],
    fallback="dE/dz = dE/dŷ · dŷ/dz: work both out for E = -(y log ŷ + (1 - y) log(1 - ŷ)) "
             "and ŷ = sigmoid(z), and simplify")


@st.composite
def hidden_delta_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """The output's delta, and the weights W2 and outputs of 1 to 3 hidden units."""
    h = draw(st.integers(1, 3))
    return {"delta_out": draw(MODERATE.floats()), "W2": draw(arrays((h,), elements=MODERATE)),
            "hidden": draw(arrays((h,), elements=UNIT_INTERVAL))}


HIDDEN_DELTA = output_part(
    "hidden_delta", hidden_delta_inputs(), engine_hidden_delta,
    checked="hidden_delta(delta_out, W2, hidden) against the engine's dE/dz1 for the hidden "
            "scores z1",
    hints=[
        Hint("the hidden scores pass through a sigmoid before W2: the sigmoid's derivative at "
             "the hidden layer is missing",
             gives(lambda delta_out, W2, hidden: delta_out * W2)),
        Hint("sign error: your delta is the exact negative of the right one", negated),
    ],
    fallback="the output's score is hidden @ W2 + b2 and hidden = sigmoid(z1): follow the "
             "chain rule from the output's score back to z1")


def _dict_with_layers(case: Case) -> bool:
    return isinstance(case.actual, dict) and set(case.actual) == set(LAYERS)


def _all_negated(case: Case) -> bool:
    return _dict_with_layers(case) and all(
        agrees(-np.asarray(case.expected[k]), case.actual[k]) for k in LAYERS)


def _w1_transposed(case: Case) -> bool:
    return _dict_with_layers(case) and agrees(case.expected["W1"].T, case.actual["W1"]) and (
        case.expected["W1"].shape[0] != case.expected["W1"].shape[1])


def _a_gradient_of_another_shape(case: Case) -> bool:
    return _dict_with_layers(case) and any(
        as_numbers(case.actual[k]) is None
        or as_numbers(case.actual[k]).shape != np.shape(case.expected[k]) for k in LAYERS)


def _only_hidden_layer_wrong(case: Case) -> bool:
    return _dict_with_layers(case) and all(
        agrees(case.expected[k], case.actual[k]) for k in ("W2", "b2"))


GRADIENTS = output_part(
    "gradients", network_inputs(labelled=True), engine_gradients,
    checked="gradients(x, y, W1, b1, W2, b2) against the engine's backward()",
    hints=[
        Hint("return a dict with the keys 'W1', 'b1', 'W2' and 'b2'",
             lambda case: not _dict_with_layers(case)),
        Hint("sign error: every gradient is the exact negative of the engine's", _all_negated),
        Hint("transposed matrix: W1[i, j] connects input i to hidden unit j, so its gradient "
             "has W1's shape (n, h)", _w1_transposed),
        Hint("each gradient has its weight's shape: W1's (n, h), b1's and W2's (h,), and b2's "
             "a single number; compare the shapes of expected and yours",
             _a_gradient_of_another_shape),
        Hint("the output layer's gradients (W2, b2) are right and the hidden layer's (W1, b1) "
             "are not: check hidden_delta, and that W1's gradient pairs each input with each "
             "hidden unit's delta", _only_hidden_layer_wrong),
    ],
    fallback="each weight's gradient is the delta of the unit it feeds times the input it "
             "multiplies; each bias's gradient is its unit's delta")

EXERCISE = Exercise(6, "ex6_backprop_by_hand.py", (
    FORWARD, OUTPUT_DELTA, HIDDEN_DELTA, GRADIENTS))
