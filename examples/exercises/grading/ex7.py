"""Grading exercise 7: the training tools: the L2 penalty and its gradient, dropout, a step of
SGD with momentum, and early stopping's decision.

Dropout is random, so it is graded by what must hold whatever the random draws: in training
each element is either dropped (0) or kept and scaled by 1 / (1 - p), over many elements about
a share p is dropped, and the same generator gives the same mask; in evaluation the input comes
back unchanged.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
from autograd import Value
from autograd.testing import Domain, arrays
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
    first_hint,
    gives,
    hypothesis_property,
    output_part,
    show,
)
from grading.ex1 import SMALL

# ---------------------------------------------------------------------------------------------
# The L2 penalty.


def l2_with_gradient(weights: list[np.ndarray], lam: float) -> tuple[float, list[Any]]:
    """nn.l2_penalty of the weights, and its gradient for each, by backward()."""
    values = [Value(w) for w in weights]
    penalty = nn.l2_penalty(values, lam)
    penalty.backward()
    return penalty.item(), [value.grad for value in values]


@st.composite
def penalty_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """1 to 3 arrays of weights, and lam."""
    count = draw(st.integers(1, 3))
    return {"weights": [draw(arrays(elements=Domain(-3.0, 3.0), max_dims=2, max_side=3))
                        for _ in range(count)],
            "lam": draw(st.sampled_from([0.5, 0.1, 0.01]))}


def _squares(weights: list[np.ndarray]) -> float:
    return sum(float(np.sum(w**2)) for w in weights)


# Arrays of 3 and of 1 weights, of either sign: where the mistakes below differ (a mean over 2
# weights is also a ½; a weight of 1 is its own square).
PENALTY_PROBES = [{"weights": [np.array([1.0, -2.0, 3.0]), np.array([[0.5]])], "lam": 0.1}]


def _penalty_mistake(wrong: Callable[[list[np.ndarray], float], Any]) -> Callable[[Case], bool]:
    return gives(wrong, PENALTY_PROBES)


L2_PENALTY = output_part(
    "l2_penalty", penalty_inputs(), lambda weights, lam: l2_with_gradient(weights, lam)[0],
    checked="l2_penalty(weights, lam) against lam times the sum of the squares of every weight",
    hints=[
        Hint("that is the L1 penalty, with absolute values; L2 adds the squares",
             _penalty_mistake(lambda weights, lam: lam * sum(float(np.sum(np.abs(w)))
                                                             for w in weights))),
        Hint("lam is missing: the penalty is lam times the sum of squares",
             _penalty_mistake(lambda weights, lam: _squares(weights))),
        Hint("no square root: the L2 penalty is lam times the sum of squares, not the length "
             "of the weight vector",
             _penalty_mistake(lambda weights, lam: lam * np.sqrt(_squares(weights)))),
        Hint("no ½ in front in this course (as in micrograd): lam times the sum of squares",
             _penalty_mistake(lambda weights, lam: lam / 2 * _squares(weights))),
        Hint("the sum of the squares, not their mean",
             _penalty_mistake(lambda weights, lam: lam * sum(float(np.mean(w**2))
                                                             for w in weights))),
        Hint("square each weight, then add them up (not the square of their sum)",
             _penalty_mistake(lambda weights, lam: lam * sum(float(np.sum(w)) ** 2
                                                             for w in weights))),
        Hint("every array of weights counts, not only the first",
             _penalty_mistake(lambda weights, lam: lam * _squares(weights[:1]))),
    ],
    fallback="lam times the sum, over every array of weights, of the squares of its elements")


def _gradients_negated(case: Case) -> bool:
    return isinstance(case.actual, list | tuple) and len(case.actual) == len(case.expected) \
        and agrees([-g for g in case.expected], list(case.actual))


L2_PENALTY_GRADIENT = output_part(
    "l2_penalty_gradient", penalty_inputs(),
    lambda weights, lam: l2_with_gradient(weights, lam)[1],
    checked="l2_penalty_gradient(weights, lam) against the engine's gradient of the penalty, "
            "for each array of weights",
    hints=[
        Hint("return a list with one gradient per array of weights, each of that array's shape",
             lambda case: not isinstance(case.actual, list | tuple)
             or len(case.actual) != len(case.expected)),
        Hint("a factor is missing: what is the derivative of w²?",
             _penalty_mistake(lambda weights, lam: [lam * w for w in weights])),
        Hint("lam is missing: the penalty is lam times the sum of squares",
             _penalty_mistake(lambda weights, lam: [2 * w for w in weights])),
        Hint("that is the gradient of the L1 penalty (absolute values)",
             _penalty_mistake(lambda weights, lam: [lam * np.sign(w) for w in weights])),
        Hint("sign error: the penalty grows with |w|, so its gradient has w's sign",
             _gradients_negated),
    ],
    fallback="the derivative of lam * w² with respect to w, for every weight, in arrays of the "
             "weights' shapes")

# ---------------------------------------------------------------------------------------------
# Dropout.

NONZERO_SMALL = st.sampled_from([1.0, 2.0, -1.0, 3.0, -2.0])


@st.composite
def dropout_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """x without zeros (so a 0 in the output is a dropped element), p, a seeded generator,
    and training or evaluation."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=4))
    return {"x": draw(hnp.arrays(np.float64, shape, elements=NONZERO_SMALL)),
            "p": draw(st.sampled_from([0.5, 0.25, 0.75])),
            "rng": draw(st.integers(0, 1000).map(np.random.default_rng)),
            "training": draw(st.booleans())}


def _kept_scaled_by(factor: Callable[[float], float]) -> Callable[[Case], bool]:
    """A hint's condition: the kept (nonzero) elements are x times factor(p)."""

    def applies(case: Case) -> bool:
        x, out = case.inputs["x"], as_numbers(case.actual)
        kept = out != 0
        return bool(kept.any()) and agrees(x[kept] * factor(case.inputs["p"]), out[kept])

    return applies


TRAINING_HINTS = [
    Hint("the kept elements are not rescaled: divide them by 1 - p, the probability of keeping "
         "one, so that the expected output equals the input (inverted dropout)",
         _kept_scaled_by(lambda p: 1.0)),
    Hint("the kept elements must be divided by 1 - p, not multiplied by it",
         _kept_scaled_by(lambda p: 1 - p)),
    Hint("the kept elements must be divided by 1 - p, the probability of keeping one, not by "
         "p, the probability of dropping one", _kept_scaled_by(lambda p: 1 / p)),
]
EVALUATION_HINTS = [
    Hint("in evaluation, inverted dropout is the identity: the scaling by 1 / (1 - p) happens "
         "in training only", lambda case: agrees(case.inputs["x"] * (1 - case.inputs["p"]),
                                                 case.actual)),
    Hint("nothing is dropped in evaluation", lambda case: bool(np.any(case.actual == 0))),
]


def _dropout_answer(call: Callable[..., Any], arguments: dict[str, Any]) -> np.ndarray:
    """The learner's dropout output, as an array of x's shape, or a `Failure`."""
    answer = call(**copy.deepcopy(arguments))
    out = as_numbers(answer)
    if out is None or out.shape != arguments["x"].shape:
        raise Failure("what dropout returns", actual=show(answer),
                      hint=f"return an array of x's shape, {arguments['x'].shape}")
    return out


def check_dropout(learner: Learner) -> None:
    """Dropout's output element by element on drawn inputs, then the share it drops and its
    use of the generator it is given."""
    call = learner.function("dropout")

    def one(arguments: dict[str, Any]) -> None:
        x, p = arguments["x"], arguments["p"]
        out = _dropout_answer(call, arguments)
        case = Case(arguments, x, out)
        if not arguments["training"]:
            if not agrees(x, out):
                raise Failure("dropout in evaluation (training=False)", expected=show(x),
                              actual=show(out), hint=first_hint(EVALUATION_HINTS, case)
                              or "in evaluation, return x unchanged")
            return
        kept = out != 0
        if not agrees(x[kept] / (1 - p), out[kept]):
            raise Failure("dropout in training: each element either dropped (0) or kept and "
                          "scaled by 1 / (1 - p)",
                          expected=f"each element 0 or x / (1 - p), from {show(x / (1 - p))}",
                          actual=show(out), hint=first_hint(TRAINING_HINTS, case)
                          or "keep each element with probability 1 - p, and scale the kept "
                             "ones by 1 / (1 - p)")

    hypothesis_property(dropout_inputs(), one, "dropout")
    ones = {"x": np.ones((100, 200)), "p": 0.25, "rng": np.random.default_rng(0),
            "training": True}
    given = "dropout(x=np.ones((100, 200)), p=0.25, rng=np.random.default_rng(0), training=True)"
    dropped = _dropout_answer(call, ones) == 0
    share = float(np.mean(dropped))
    if abs(share - 0.25) > 0.02:  # six standard deviations of the share
        raise Failure("the share of the elements dropout drops", given=given,
                      expected="about 0.25", actual=f"{share:.3f}",
                      hint="p is the probability of dropping an element; an element is kept "
                           "with probability 1 - p" if abs(share - 0.75) <= 0.02 else
                           "drop each element, independently, with probability p")
    # Independent elements: a row of 200 (or a column of 100) all dropped or all kept would
    # happen once in 10^12 runs.
    whole = [name for name, axis in (("rows", 1), ("columns", 0))
             if np.all(dropped.all(axis=axis) | ~dropped.any(axis=axis))]
    if whole:
        raise Failure("whether dropout drops each element independently", given=given,
                      actual=f"whole {whole[0]} dropped or kept together",
                      hint="drop each element independently: draw one random number per "
                           "element, for an array of x's shape (rng.random(x.shape)), not one "
                           "per row or per column")
    if not agrees(_dropout_answer(call, ones), _dropout_answer(call, ones)):
        raise Failure("dropout twice with generators seeded alike", given=given,
                      hint="draw the mask with the generator `rng` you are given (rng.random), "
                           "so that a seed repeats a run")


# ---------------------------------------------------------------------------------------------
# Momentum.


def momentum_step(weights: np.ndarray, velocity: np.ndarray, gradient: np.ndarray,
                  learning_rate: float, momentum: float) -> tuple[np.ndarray, np.ndarray]:
    """The reference step, as nn.SGD takes it: v <- momentum v + g, w <- w - lr v."""
    velocity = momentum * velocity + gradient
    return weights - learning_rate * velocity, velocity


@st.composite
def momentum_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Weights, velocity and gradient of one shape, in whole numbers; the rates."""
    vector = hnp.arrays(np.float64, draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=3)),
                        elements=SMALL)
    return {"weights": draw(vector), "velocity": draw(vector), "gradient": draw(vector),
            "learning_rate": draw(st.sampled_from([0.5, 0.1])),
            "momentum": draw(st.sampled_from([0.5, 0.9]))}


# Where every mistake below gives a different answer.
MOMENTUM_PROBES = [{"weights": np.array([1.0, -2.0]), "velocity": np.array([0.5, 1.0]),
                    "gradient": np.array([2.0, -1.0]), "learning_rate": 0.1, "momentum": 0.9}]
TWICE = ("momentum applied twice: the new velocity is momentum times the old one plus the "
         "gradient, and the step is learning_rate times that new velocity, nothing more")


def _mistake(step: Callable[..., tuple[Any, Any]]) -> Callable[[Case], bool]:
    return gives(step, MOMENTUM_PROBES)


MOMENTUM_STEP = output_part(
    "momentum_step", momentum_inputs(), momentum_step,
    checked="the new (weights, velocity) from momentum_step against v <- momentum v + g, "
            "w <- w - learning_rate v",
    hints=[
        Hint(TWICE, _mistake(lambda weights, velocity, gradient, learning_rate, momentum:
                             momentum_step(weights, momentum * velocity, gradient,
                                           learning_rate, momentum))),
        Hint(TWICE, _mistake(lambda weights, velocity, gradient, learning_rate, momentum: (
            weights - learning_rate * momentum * (momentum * velocity + gradient),
            momentum * velocity + gradient))),
        Hint(TWICE, _mistake(lambda weights, velocity, gradient, learning_rate, momentum: (
            weights - learning_rate * (momentum * (momentum * velocity + gradient) + gradient),
            momentum * velocity + gradient))),
        Hint("the step uses the old velocity: update the velocity first, then step with the new "
             "one", _mistake(lambda weights, velocity, gradient, learning_rate, momentum: (
                 weights - learning_rate * velocity, momentum * velocity + gradient))),
        Hint("the old velocity is forgotten: that is plain gradient descent",
             _mistake(lambda weights, velocity, gradient, learning_rate, momentum:
                      momentum_step(weights, velocity, gradient, learning_rate, 0.0))),
        Hint("the step goes uphill: subtract learning_rate times the velocity",
             _mistake(lambda weights, velocity, gradient, learning_rate, momentum: (
                 2 * weights - momentum_step(weights, velocity, gradient, learning_rate,
                                             momentum)[0],
                 momentum * velocity + gradient))),
        Hint("no (1 - momentum) factor on the gradient in this convention (as in nn.SGD and "
             "PyTorch)", _mistake(lambda weights, velocity, gradient, learning_rate, momentum:
                                  momentum_step(weights, velocity, (1 - momentum) * gradient,
                                                learning_rate, momentum))),
        Hint("that is the other convention, v <- momentum v - learning_rate g and w <- w + v; "
             "this exercise keeps nn.SGD's (and PyTorch's): v <- momentum v + g, then "
             "w <- w - learning_rate v",
             _mistake(lambda weights, velocity, gradient, learning_rate, momentum: (
                 weights + momentum * velocity - learning_rate * gradient,
                 momentum * velocity - learning_rate * gradient))),
        Hint("the learning rate scales the step, not the gradient inside the velocity",
             _mistake(lambda weights, velocity, gradient, learning_rate, momentum: (
                 weights - (momentum * velocity + learning_rate * gradient),
                 momentum * velocity + learning_rate * gradient))),
    ],
    fallback="first the velocity: momentum times the old one plus the gradient; then the "
             "weights: minus learning_rate times the new velocity")

# ---------------------------------------------------------------------------------------------
# Early stopping.


def early_stopping(val_losses: list[float], patience: int) -> tuple[bool, int]:
    """The reference decision: the best epoch is the first with the lowest loss; stop once it
    is `patience` epochs or more before the last one."""
    best = int(np.argmin(val_losses))
    return len(val_losses) - 1 - best >= patience, best


def _best_epoch_is(best_of: Callable[[list[float]], int]) -> Callable[[Case], bool]:
    """A hint's condition: the learner's best epoch is best_of(losses), at the failing input and
    at the probes, and is not the right one."""

    def best_of_answer(answer: Any) -> int | None:
        numbers = as_numbers(answer[1]) if isinstance(answer, tuple | list) and len(
            answer) == 2 else None
        return None if numbers is None or numbers.size != 1 else int(numbers.item())

    def applies(case: Case) -> bool:
        losses = case.inputs["val_losses"]
        return (best_of(losses) != case.expected[1]
                and best_of_answer(case.actual) == best_of(losses)
                and all(best_of_answer(answer_to(case, **probe)) == best_of(probe["val_losses"])
                        for probe in EARLY_STOPPING_PROBES))

    return applies


def _stops_one_off(case: Case) -> bool:
    stop, best = case.expected
    waited = len(case.inputs["val_losses"]) - 1 - best
    return (isinstance(case.actual, tuple | list) and len(case.actual) == 2
            and agrees(best, case.actual[1]) and not agrees(stop, case.actual[0])
            and waited - case.inputs["patience"] in (-1, 0))


# Losses whose first lowest, last lowest, last and highest epochs all differ.
EARLY_STOPPING_PROBES = [{"val_losses": [5.0, 1.0, 2.0, 1.0, 3.0], "patience": 1}]


@st.composite
def early_stopping_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """1 to 8 validation losses in whole numbers (so ties come up), and a patience."""
    return {"val_losses": draw(st.lists(st.integers(0, 4).map(float), min_size=1, max_size=8)),
            "patience": draw(st.integers(1, 3))}


EARLY_STOPPING = output_part(
    "early_stopping", early_stopping_inputs(), early_stopping,
    checked="early_stopping(val_losses, patience) against (stop, best_epoch)",
    hints=[
        Hint("you keep the weights of the last epoch; early stopping keeps those of the best "
             "epoch, the one with the lowest validation loss",
             _best_epoch_is(lambda losses: len(losses) - 1)),
        Hint("the best epoch has the lowest validation loss, not the highest",
             _best_epoch_is(lambda losses: int(np.argmax(losses)))),
        Hint("best_epoch is an index into val_losses, counting from 0: the first epoch is 0",
             _best_epoch_is(lambda losses: int(np.argmin(losses)) + 1)),
        Hint("a loss equal to the best so far is no improvement: with ties, the earliest epoch "
             "stays the best",
             _best_epoch_is(lambda losses: len(losses) - 1 - int(np.argmin(losses[::-1])))),
        Hint("off by one: stop as soon as `patience` epochs have passed since the best one, not "
             "one sooner or one later", _stops_one_off),
    ],
    fallback="the best epoch is the one with the lowest loss (the first, with ties); stop when "
             "it is `patience` or more epochs before the last one, comparing with the best "
             "loss, not with the previous epoch's")

EXERCISE = Exercise(7, "ex7_training_tools.py", (
    L2_PENALTY, L2_PENALTY_GRADIENT, Part("dropout", check_dropout), MOMENTUM_STEP,
    EARLY_STOPPING))
