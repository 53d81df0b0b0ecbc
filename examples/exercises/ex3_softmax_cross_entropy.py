"""Exercise 3: softmax and cross-entropy, multi-class and binary, for any scores.

A model gives each point a score per class. Softmax turns a row of scores s into
probabilities, positive and summing to 1:

    softmax(s)[k] = exp(s[k]) / (exp(s[0]) + exp(s[1]) + ... + exp(s[K-1]))

The cross-entropy measures how well the probabilities fit the observed labels: the sum over the
points of -log(the probability given to the point's own class). It is low when each point's
class gets a high probability. With two classes, a single score per point is enough: the
probability of class 1 is p = sigmoid(score), that of class 0 is 1 - p.

Scores can be large. In float64, exp(1000) overflows to inf and exp(-1000) rounds to 0, so a
formula typed as written returns nan or inf for scores like 1000. Yours must not: every
function here must give the right, finite answer for scores in the thousands too.

Write each function below in place of its `raise NotImplementedError`, then grade your work:

    bash run.sh exercises 3

A solution is in examples/exercises/solutions/ex3_softmax_cross_entropy.py: try first, then
compare.
"""

import numpy as np


def softmax(scores: np.ndarray) -> np.ndarray:
    """The softmax of each row of `scores`: one row of shape (K,) or N rows, (N, K).

    Returns probabilities of the same shape, each row summing to 1.
    """
    raise NotImplementedError


def cross_entropy(scores: np.ndarray, labels: np.ndarray) -> float:
    """The cross-entropy of N points with `scores` of shape (N, K), one column per class, and
    `labels` of shape (N,), the class of each point (0 to K-1).

    The sum over the points i of -log softmax(scores)[i, labels[i]].
    """
    raise NotImplementedError


def binary_cross_entropy(scores: np.ndarray, labels: np.ndarray) -> float:
    """The binary cross-entropy of N points with `scores` of shape (N,) and `labels` y of
    shape (N,), each 0 or 1.

    With p = sigmoid(score), the probability of class 1: the sum over the points of
    -(y log(p) + (1 - y) log(1 - p)).
    """
    raise NotImplementedError
