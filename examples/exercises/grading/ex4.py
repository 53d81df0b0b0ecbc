"""Grading exercise 4: logistic regression by gradient descent, in the course's four
functions: the sigmoid, the output, the error and the weight update.

The update's hints are exercise 2's (the same formula, with the sigmoid's probability for ŷ),
and one more for the perceptron's 0/1 prediction in its place.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from autograd.testing import UNIT_INTERVAL, Domain, arrays
from grading.core import Exercise, Hint, gives, negated, output_part
from grading.ex1 import SMALL, perceptron
from grading.ex2 import PAIR_HINT, PROBES, moved, update_hints

MODERATE = Domain(-30.0, 30.0)


def score(features: np.ndarray, weights: np.ndarray, bias: float) -> Any:
    """w · x + b for one point, or for each row of several."""
    return features @ weights + bias


SIGMOID = output_part(
    "sigmoid", st.fixed_dictionaries({"x": MODERATE.floats() | arrays(elements=MODERATE)}),
    lambda x: autograd.sigmoid(x),
    checked="sigmoid(x) against 1 / (1 + e^-x), for numbers and arrays",
    hints=[
        Hint("your sigmoid decreases, but it should rise from 0 (very negative x) to 1 (very "
             "positive x): check the sign in the exponent", gives(lambda x: 1 / (1 + np.exp(x)))),
        Hint("the denominator is 1 + e^-x", gives(lambda x: 1 / (1 - np.exp(-x)))),
    ],
    fallback="check yours by hand at x = 0, where sigmoid is 0.5, and at x = 2, where it is "
             "about 0.8808")


@st.composite
def output_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Weights and bias of 1 to 3 features, and one point or 1 to 3 of them."""
    n = draw(st.integers(1, 3))
    shape = draw(st.sampled_from([(n,), (draw(st.integers(1, 3)), n)]))
    return {"features": draw(arrays(shape, elements=Domain(-3.0, 3.0))),
            "weights": draw(arrays((n,), elements=Domain(-3.0, 3.0))),
            "bias": draw(Domain(-3.0, 3.0).floats())}


OUTPUT_FORMULA = output_part(
    "output_formula", output_inputs(),
    lambda features, weights, bias: autograd.sigmoid(score(features, weights, bias)),
    checked="output_formula(features, weights, bias) against sigmoid(w · x + b)",
    hints=[
        Hint("that is the score w · x + b; the output is the sigmoid of it", gives(score)),
        Hint("the bias is missing", gives(lambda features, weights, bias: autograd.sigmoid(
            features @ weights))),
        Hint("the bias belongs inside the sigmoid, added to the score",
             gives(lambda features, weights, bias: autograd.sigmoid(features @ weights) + bias)),
    ],
    fallback="ŷ = sigmoid(w · x + b), for one point or for each row of several")


def log_loss(y: Any, output: Any) -> Any:
    """The error of the prediction `output` (the probability of label 1) for the label y."""
    return -(y * np.log(output) + (1 - y) * np.log(1 - output))


@st.composite
def error_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """A label and a probability, as numbers or as arrays of 1 to 3 of them."""
    n = draw(st.integers(0, 3))
    if n == 0:
        return {"y": float(draw(st.integers(0, 1))), "output": draw(UNIT_INTERVAL.floats())}
    return {"y": draw(hnp.arrays(np.float64, n, elements=st.sampled_from([0.0, 1.0]))),
            "output": draw(arrays((n,), elements=UNIT_INTERVAL))}


# Both labels, where the mistakes below differ from each other and from a log left the same
# for both labels.
ERROR_PROBES = [{"y": np.array([0.0, 1.0]), "output": np.array([0.2, 0.7])}]

ERROR_FORMULA = output_part(
    "error_formula", error_inputs(), log_loss,
    checked="error_formula(y, output) against -(y log(output) + (1 - y) log(1 - output))",
    hints=[
        Hint("the log of a probability is negative and the error is positive: yours has the "
             "opposite sign", negated),
        Hint("the two logs are swapped: `output` is the probability of label 1, so a point of "
             "label 1 has the error -log(output)",
             gives(lambda y, output: log_loss(1 - y, output), ERROR_PROBES)),
        Hint("the term of label 0, with log(1 - output), is missing",
             gives(lambda y, output: -y * np.log(output), ERROR_PROBES)),
    ],
    fallback="-(y log(output) + (1 - y) log(1 - output)), elementwise for arrays")


def update_weights(x: np.ndarray, y: int, weights: np.ndarray, bias: float,
                   learning_rate: float) -> tuple[np.ndarray, float]:
    """The reference update: gradient descent on the error for one point."""
    return moved(weights, bias, x, y, learning_rate, autograd.sigmoid(score(x, weights, bias)))


@st.composite
def update_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """A point of 1 to 3 features and its label, the weights and bias, and a learning rate."""
    vector = hnp.arrays(np.float64, draw(st.integers(1, 3)), elements=SMALL)
    return {"x": draw(vector), "y": draw(st.sampled_from([0, 1])), "weights": draw(vector),
            "bias": draw(SMALL), "learning_rate": draw(st.sampled_from([0.5, 0.1, 1.0]))}


UPDATE_WEIGHTS = output_part(
    "update_weights", update_inputs(), update_weights,
    checked="the new (weights, bias) from update_weights against w + learning_rate (y - ŷ) x, "
            "b + learning_rate (y - ŷ)",
    hints=[
        PAIR_HINT,
        Hint("ŷ is the sigmoid's output, a probability between 0 and 1, not the perceptron's 0 "
             "or 1: every point moves the line, the more the more wrong it is",
             gives(lambda x, y, weights, bias, learning_rate: moved(
                 weights, bias, x, y, learning_rate, perceptron(x, weights, bias)), PROBES)),
        *update_hints(update_weights, "y - ŷ", PROBES),
    ],
    fallback="ŷ = sigmoid(w · x + b); w moves by learning_rate (y - ŷ) x and b by "
             "learning_rate (y - ŷ)")

EXERCISE = Exercise(4, "ex4_logistic_regression.py", (
    SIGMOID, OUTPUT_FORMULA, ERROR_FORMULA, UPDATE_WEIGHTS))
