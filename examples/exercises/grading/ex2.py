"""Grading exercise 2: the perceptron trick, one step of it and a whole training.

`update_hints` recognises the mistakes of any update of the form w <- w + lr * error * x,
b <- b + lr * error; exercise 4's logistic regression uses them too.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grading.core import (
    Case,
    Exercise,
    Failure,
    Hint,
    Learner,
    Part,
    agrees,
    answer_to,
    as_numbers,
    gives,
    hypothesis_property,
    output_part,
    show,
)
from grading.ex1 import SMALL, perceptron


def moved(weights: np.ndarray, bias: float, x: np.ndarray, y: int, learning_rate: float,
          prediction: float) -> tuple[np.ndarray, float]:
    """Weights and bias moved by the error y - prediction: the perceptron's and logistic
    regression's update."""
    error = y - prediction
    return weights + learning_rate * error * x, bias + learning_rate * error


def perceptron_step(weights: np.ndarray, bias: float, x: np.ndarray, y: int,
                    learning_rate: float) -> tuple[np.ndarray, float]:
    """The reference step: a misclassified point moves the boundary, a correct one does not."""
    return moved(weights, bias, x, y, learning_rate, perceptron(x, weights, bias))


def _pair(answer: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """(weights, bias) as arrays, from an answer that should be such a pair."""
    if not (isinstance(answer, tuple | list) and len(answer) == 2):
        return None
    weights, bias = as_numbers(answer[0]), as_numbers(answer[1])
    return None if weights is None or bias is None else (weights, bias)


def _not_a_pair_like_expected(case: Case) -> bool:
    """Whether the answer is not a pair (weights, bias) of the expected shapes."""
    pair = _pair(case.actual)
    return pair is None or pair[0].shape != np.shape(case.expected[0]) or pair[1].shape != ()


# For an update's answer that is not (new_weights, new_bias): other hints would misread it.
PAIR_HINT = Hint("return a pair (new_weights, new_bias): the weights in an array of the "
                 "weights' shape, and the bias a single number", _not_a_pair_like_expected)

Update = Callable[..., tuple[np.ndarray, float]]
Change = Callable[[np.ndarray, float, float], tuple[np.ndarray, float]]


def altered(update: Update, change: Change) -> Update:
    """A mistaken update: `update`'s change of the weights and of the bias, (dw, db), altered
    to change(dw, db, learning_rate)."""

    def mistaken(**inputs: Any) -> tuple[np.ndarray, float]:
        weights, bias = update(**inputs)
        dw, db = change(weights - inputs["weights"], bias - inputs["bias"],
                        inputs["learning_rate"])
        return inputs["weights"] + dw, inputs["bias"] + db

    return mistaken


def update_hints(update: Update, error: str, probes: Sequence[dict[str, Any]]) -> list[Hint]:
    """Hints for the mistakes of an update w <- w + lr * `error` * x, b <- b + lr * `error`,
    where `update` is the right one and `probes` are inputs where it moves both."""
    return [
        Hint(f"the step goes the wrong way, away from the point: check the sign of {error}",
             gives(altered(update, lambda dw, db, rate: (-dw, -db)), probes)),
        Hint("the bias did not move: it is updated like a weight whose input is always 1",
             gives(altered(update, lambda dw, db, rate: (dw, 0.0)), probes)),
        Hint("the step is not scaled by learning_rate",
             gives(altered(update, lambda dw, db, rate: (dw / rate, db / rate)), probes)),
    ]


def _changes_correct_points(case: Case) -> bool:
    """Whether the learner's step moves the boundary for points it classifies correctly: one
    far on the positive side with label 1, one far on the negative side with label 0."""
    for inputs in CORRECT_POINTS:
        answer = answer_to(case, **inputs)
        if answer is not None and not agrees((inputs["weights"], inputs["bias"]), answer):
            return True
    return False


def _point(weights: list[float], bias: float, x: list[float], y: int) -> dict[str, Any]:
    return {"weights": np.array(weights), "bias": bias, "x": np.array(x), "y": y,
            "learning_rate": 0.5}


CORRECT_POINTS = [_point([1.0, 1.0], 1.0, [1.0, 2.0], 1), _point([-1.0, 1.0], -1.0, [2.0, 0.0], 0)]
# Misclassified points with scores far from 0, of both labels, and a point on the boundary.
PROBES = [_point([1.0, 2.0], 1.0, [1.0, 1.0], 0), _point([-1.0, 2.0], -3.0, [2.0, 1.0], 1),
          _point([1.0, -1.0], 0.0, [1.0, 1.0], 0), *CORRECT_POINTS]


@st.composite
def step_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """A perceptron of 1 to 3 inputs and one labelled point, in whole numbers (so that
    scores of exactly 0 come up), and a learning rate."""
    vector = hnp.arrays(np.float64, draw(st.integers(1, 3)), elements=SMALL)
    return {"weights": draw(vector), "bias": draw(SMALL), "x": draw(vector),
            "y": draw(st.sampled_from([0, 1])),
            "learning_rate": draw(st.sampled_from([1.0, 0.5, 0.1]))}


PERCEPTRON_STEP = output_part(
    "perceptron_step", step_inputs(), perceptron_step,
    checked="the new (weights, bias) from perceptron_step against the perceptron trick",
    hints=[
        PAIR_HINT,
        Hint("a correctly classified point (ŷ = y) must leave the weights and bias as they "
             "are: update only the misclassified points", _changes_correct_points),
        Hint("at a score of exactly 0 the perceptron predicts 1 (step(0) = 1)",
             gives(lambda weights, bias, x, y, learning_rate: moved(
                 weights, bias, x, y, learning_rate,
                 float(np.dot(weights, x) + bias > 0)), PROBES)),
        *update_hints(perceptron_step, "y - ŷ", PROBES),
    ],
    fallback="predict ŷ = step(w · x + b); if ŷ = y return the weights and bias unchanged, "
             "otherwise move them by learning_rate * (y - ŷ) times the point (and times 1 "
             "for the bias)")


@st.composite
def separable_points(draw: st.DrawFn) -> dict[str, Any]:
    """1 to 10 points of the plane in whole numbers, labelled by the side of a line they are
    on, at least a whole score unit away from it (a point on the line is moved off it)."""
    normal = np.array(draw(st.tuples(st.integers(-2, 2), st.integers(-2, 2)).filter(any)),
                      dtype=float)
    offset = float(draw(st.integers(-3, 3)))
    X = np.array(draw(st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=1,
                               max_size=10)), dtype=float)
    X[X @ normal + offset == 0] += normal
    # The perceptron convergence theorem bounds the mistakes for such points by
    # (radius / margin)² < 2000, and an epoch with no mistake ends the training.
    return {"X": X, "y": (X @ normal + offset > 0).astype(int), "learning_rate": 1.0,
            "epochs": 2000}


def check_training(learner: Learner) -> None:
    """train_perceptron on separable points must end with every point on its side."""
    call = learner.function("train_perceptron")

    def one(arguments: dict[str, Any]) -> None:
        answer = call(**copy.deepcopy(arguments))
        pair = _pair(answer)
        if pair is None:
            raise Failure("what train_perceptron returns", actual=show(answer),
                          hint="return the pair (weights, bias)")
        weights, bias = pair
        X, y = arguments["X"], arguments["y"]
        if weights.shape != X.shape[1:] or bias.shape != ():
            raise Failure("what train_perceptron returns", actual=show(answer),
                          hint=f"return the pair (weights, bias): one weight per feature, in "
                               f"an array of shape {X.shape[1:]}, and the bias a single number")
        predictions = np.array([perceptron(x, weights, bias.item()) for x in X])
        if not np.array_equal(predictions, y):
            untrained = not np.any(weights) and not np.any(bias)
            raise Failure(
                "your trained perceptron's predictions on the points it was trained on (they "
                "can be separated by a line, so training ends with every point on its side)",
                expected=f"the labels {show(y)}",
                actual=f"{show(predictions)} with weights {show(weights)}, bias "
                       f"{show(bias.item())}",
                hint="the weights and bias are still 0, as they started: keep what "
                     "perceptron_step returns for the next point and the next epoch, and stop "
                     "only after a whole epoch without a mistake" if untrained else
                     "start from weights and bias 0; every epoch must take every point "
                     "through perceptron_step, and training may stop only after an epoch "
                     "without a mistake")

    hypothesis_property(separable_points(), one, "train_perceptron")


EXERCISE = Exercise(2, "ex2_perceptron_trick.py", (
    PERCEPTRON_STEP, Part("train_perceptron", check_training)))
