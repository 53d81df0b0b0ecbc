"""Exercise 3, a solution: softmax and cross-entropy, multi-class and binary, for any scores.

The exercise is examples/exercises/ex3_softmax_cross_entropy.py; grade this file with
`bash run.sh exercises 3 --solutions`.
"""

import numpy as np


def log_softmax(scores: np.ndarray) -> np.ndarray:
    """log softmax(s)[k] = s[k] - log(sum of exp(s)), computed from s minus the row's largest
    score, so that exp's arguments are at most 0: no overflow, and the largest term is 1."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(scores: np.ndarray) -> np.ndarray:
    """The softmax of each row of `scores`: exp of the log-probabilities."""
    return np.exp(log_softmax(scores))


def cross_entropy(scores: np.ndarray, labels: np.ndarray) -> float:
    """The sum over the points of -log softmax(scores)[i, labels[i]]: straight from the
    log-probabilities, which stay finite where a probability would round to 0."""
    log_probabilities = log_softmax(scores)
    return -float(log_probabilities[np.arange(len(labels)), labels].sum())


def binary_cross_entropy(scores: np.ndarray, labels: np.ndarray) -> float:
    """The sum of -(y log p + (1 - y) log(1 - p)) for p = sigmoid(score).

    log p = -log(1 + e^-s) and log(1 - p) = -log(1 + e^s), and np.logaddexp(0, t) computes
    log(1 + e^t) without overflow.
    """
    return float(np.sum(labels * np.logaddexp(0, -scores)
                        + (1 - labels) * np.logaddexp(0, scores)))
