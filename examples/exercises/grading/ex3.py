"""Grading exercise 3: softmax, cross-entropy and binary cross-entropy, stable for scores in
the thousands.

Scores are drawn from ordinary values and from ±1000, where exp overflows (or rounds to 0):
a formula that is right but unstable fails there, and the smallest such input is usually a
single score of 1000. Both cross-entropies are seen the same way, as the sum over the points
of -log(probability of the point's class), from a table of log-probabilities with one column
per class; so one set of hints serves both.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from autograd.testing import Domain
from grading.core import (
    Case,
    Exercise,
    Hint,
    agrees,
    answer_to,
    crashed_with,
    gives,
    is_finite,
    negated,
    output_part,
)

SCORE = st.one_of(Domain(-10.0, 10.0).floats(), st.sampled_from([1000.0, -1000.0]))
OVERFLOWS = 700.0  # exp overflows float64 a little above this


def scores(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    """Arrays of scores: ordinary ones, and some of ±1000."""
    return hnp.arrays(np.float64, shape, elements=SCORE)


def _large_scores(case: Case) -> bool:
    return bool(np.abs(case.inputs["scores"]).max() >= OVERFLOWS)


def _unstable(case: Case) -> bool:
    return case.error is None and not is_finite(case.actual) and _large_scores(case)


# ---------------------------------------------------------------------------------------------
# softmax


@st.composite
def softmax_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """One row of 1 to 4 scores, or 1 to 3 rows."""
    shape = draw(st.one_of(st.tuples(st.integers(1, 4)),
                           st.tuples(st.integers(1, 3), st.integers(1, 4))))
    return {"scores": draw(scores(shape))}


def _normalized(scores: np.ndarray, axis: int | None) -> np.ndarray:
    """exp(scores), divided by its sum along `axis` (None: the sum of all of it)."""
    e = np.exp(scores - scores.max())
    return e / e.sum(axis=axis, keepdims=True)


SOFTMAX = output_part(
    "softmax", softmax_inputs(), lambda scores: autograd.softmax(scores),
    checked="softmax(scores) against exp(scores) / (sum of exp(scores) along each row)",
    hints=[
        Hint("exp overflows for scores near 1000 (e^1000 is inf in float64, and inf / inf is "
             "nan), and rounds to 0 near -1000 (0 / 0 is nan). softmax(s) does not change when "
             "the same number is subtracted from every score of a row: choose that number so "
             "that exp never sees a large score", _unstable),
        Hint("each row of scores (one point) must give probabilities summing to 1: sum along "
             "the last axis (axis=-1, keepdims=True), not down the columns",
             gives(lambda scores: _normalized(scores, axis=0))),
        Hint("each row of scores (one point) must give probabilities summing to 1: divide by "
             "the row's own sum, not by the sum over every row",
             gives(lambda scores: _normalized(scores, axis=None))),
        Hint("the probabilities come from exp(scores), not from the scores themselves",
             gives(lambda scores: scores / scores.sum(axis=-1, keepdims=True))),
        Hint("scores may be one row, of shape (K,), or several, of shape (N, K): sum along the "
             "last axis, axis=-1", crashed_with(np.exceptions.AxisError)),
    ],
    fallback="softmax(s)[k] = exp(s[k]) / (exp(s[0]) + ... + exp(s[K-1])), row by row")


# ---------------------------------------------------------------------------------------------
# Cross-entropies.

LogProbabilities = Callable[[np.ndarray], np.ndarray]


def binary_log_probabilities(scores: np.ndarray) -> np.ndarray:
    """log(1 - p) and log(p) for p = sigmoid(score), as the columns of classes 0 and 1: the
    log-softmax of the scores (0, score)."""
    return autograd.log_softmax(np.stack([np.zeros_like(scores), scores], axis=-1))


def cross_entropy_of(log_probabilities: LogProbabilities) -> Callable[..., float]:
    """The sum over the points of -log(probability of the point's class), for the class
    log-probabilities that `log_probabilities` gives for the scores."""

    def cross_entropy(scores: np.ndarray, labels: np.ndarray) -> float:
        return -float(np.take_along_axis(log_probabilities(scores), labels[:, None],
                                         axis=1).sum())

    return cross_entropy


def _other_classes(log_probabilities: LogProbabilities) -> Callable[[Case], bool]:
    """A hint's condition: the learner's answer is the cross-entropy for other classes than
    the labels (any choice of a class for each point, up to 3 points of up to 4 classes)."""

    def applies(case: Case) -> bool:
        table, labels = log_probabilities(case.inputs["scores"]), case.inputs["labels"]
        return any(
            agrees(-table[np.arange(len(labels)), list(classes)].sum(), case.actual)
            for classes in itertools.product(range(table.shape[1]), repeat=len(labels))
            if list(classes) != labels.tolist())

    return applies


# Points whose labels do not cover every class, to tell "every class" from other mistakes.
EVERY_CLASS_PROBES = [{"scores": np.array([[0.0, 1.0], [2.0, 0.0]]), "labels": np.array([0, 0])},
                      {"scores": np.array([1.0, -2.0]), "labels": np.array([1, 1])}]


def _right_until_large(reference: Callable[..., float],
                       probes: list[dict[str, Any]]) -> Callable[[Case], bool]:
    """A hint's condition: the learner's answer is wrong at large scores only (inf, nan or a
    finite number), and right at `probes` of ordinary ones: a probability rounded to 0, or
    clipped away from it."""

    def applies(case: Case) -> bool:
        return (case.error is None and _large_scores(case)
                and all(agrees(reference(**probe), answer_to(case, **probe)) for probe in probes))

    return applies


def cross_entropy_hints(log_probabilities: LogProbabilities, stability: str,
                        other_class: str, probes: list[dict[str, Any]]) -> list[Hint]:
    """Hints for a cross-entropy from scores, whose class log-probabilities are
    `log_probabilities(scores)`; `stability` and `other_class` are the hints for its unstable
    and wrong-class versions, `probes` inputs of ordinary scores, where an unstable one is
    right."""
    right_until_large = _right_until_large(cross_entropy_of(log_probabilities), probes)
    return [
        Hint(stability, right_until_large),
        Hint(other_class, _other_classes(log_probabilities)),
        Hint("each point counts once, with its own class: indexing with [:, labels] takes "
             "every point's label in every row; point i needs row i, column labels[i] only",
             gives(lambda scores, labels: -log_probabilities(scores)[:, labels].sum())),
        Hint("you added the log-probabilities of every class: each point contributes only the "
             "one of its own class",
             gives(lambda scores, labels: -log_probabilities(scores).sum(), EVERY_CLASS_PROBES)),
        Hint("the cross-entropy is a sum of -log(probability), which is positive: the sign is "
             "wrong", negated),
        Hint("this is the mean over the points; the course's cross-entropy is their sum",
             lambda case: agrees(case.expected / len(case.inputs["labels"]), case.actual)
             and len(case.inputs["labels"]) > 1),
    ]


# Ordinary scores, tried first: a mistake that also fails at scores of ±1000 shows better here.
# (For the binary points, the classes swapped would change the sum by the sum of the scores of
# label 0 less those of label 1: not 0 here.)
ORDINARY_POINTS = [{"scores": np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]]),
                    "labels": np.array([2, 1])}]
ORDINARY_BINARY_POINTS = [{"scores": np.array([1.5, -0.5, 1.0]), "labels": np.array([1, 0, 0])}]


@st.composite
def cross_entropy_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """1 to 3 points with scores for 2 to 4 classes, and their labels."""
    points, classes = draw(st.integers(1, 3)), draw(st.integers(2, 4))
    return {"scores": draw(scores((points, classes))),
            "labels": draw(hnp.arrays(np.int64, points, elements=st.integers(0, classes - 1)))}


@st.composite
def binary_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """1 to 3 points, each with a score for class 1, and their labels (0 or 1)."""
    points = draw(st.integers(1, 3))
    return {"scores": draw(scores((points,))),
            "labels": draw(hnp.arrays(np.int64, points, elements=st.integers(0, 1)))}


CROSS_ENTROPY = output_part(
    "cross_entropy", cross_entropy_inputs(), cross_entropy_of(autograd.log_softmax),
    checked="cross_entropy(scores, labels) against the sum over the points of "
            "-log softmax(scores)[i, labels[i]]",
    hints=cross_entropy_hints(
        autograd.log_softmax,
        stability="for scores near ±1000, exp overflows (e^1000 is inf) or the probability of "
                  "the point's class rounds to 0, whose log is -inf (a probability clipped "
                  "away from 0 keeps it finite, but wrong): work with log-probabilities, "
                  "log softmax(s)[k] = s[k] - log(sum of exp(s)), and keep exp's arguments "
                  "small as in softmax",
        other_class="for some points you took the log-probability of another class than their "
                    "label: point i counts with the probability of its own class, labels[i] "
                    "(row i, column labels[i])",
        probes=ORDINARY_POINTS),
    fallback="for each point i, take -log of the probability softmax gives its class "
             "labels[i]; add these up",
    examples=ORDINARY_POINTS)

BINARY_CROSS_ENTROPY = output_part(
    "binary_cross_entropy", binary_inputs(), cross_entropy_of(binary_log_probabilities),
    checked="binary_cross_entropy(scores, labels) against the sum over the points of "
            "-(y log p + (1 - y) log(1 - p)) with p = sigmoid(score)",
    hints=cross_entropy_hints(
        binary_log_probabilities,
        stability="for scores near ±1000, sigmoid rounds to exactly 0 or 1, and the log of 0 "
                  "is -inf (a p clipped away from 0 and 1 keeps it finite, but wrong): "
                  "compute log(p) and log(1 - p) from the score directly, without forming p "
                  "(np.logaddexp(0, t) is log(1 + e^t), without overflow)",
        other_class="for some points you took the log-probability of the other class: "
                    "p = sigmoid(score) is the probability of class 1, so a point of label 1 "
                    "counts with log(p) and one of label 0 with log(1 - p)",
        probes=ORDINARY_BINARY_POINTS),
    fallback="for each point, -(y log p + (1 - y) log(1 - p)) with p = sigmoid(score); add "
             "these up",
    examples=ORDINARY_BINARY_POINTS)

EXERCISE = Exercise(3, "ex3_softmax_cross_entropy.py", (
    SOFTMAX, CROSS_ENTROPY, BINARY_CROSS_ENTROPY))
