"""Exercise 2: the perceptron trick, and training a perceptron with it.

A perceptron predicts ŷ = step(w · x + b): 1 when the score w · x + b is at least 0, else 0.
The perceptron algorithm learns w and b from labelled points one point at a time. A correctly
classified point changes nothing; a misclassified one pulls the boundary towards itself:

    w <- w + learning_rate * (y - ŷ) * x
    b <- b + learning_rate * (y - ŷ)

(y - ŷ is +1 for a point of label 1 on the negative side, -1 for a point of label 0 on the
positive side.) On points that a line can separate, repeating this over the points ends with
every point on its side.

Write each function below in place of its `raise NotImplementedError`, then grade your work:

    bash run.sh exercises 2

A solution is in examples/exercises/solutions/ex2_perceptron_trick.py: try first, then compare.
"""

import numpy as np


def perceptron_step(weights: np.ndarray, bias: float, x: np.ndarray, y: int,
                    learning_rate: float) -> tuple[np.ndarray, float]:
    """One step of the perceptron algorithm for the point `x` of label `y` (0 or 1).

    Predict ŷ for x; if ŷ = y return the weights and bias as they are, otherwise return them
    moved as above. Return `(new_weights, new_bias)`.
    """
    raise NotImplementedError


def train_perceptron(X: np.ndarray, y: np.ndarray, learning_rate: float = 1.0,
                     epochs: int = 1000) -> tuple[np.ndarray, float]:
    """Train a perceptron on the points X (one per row) with labels y (0 or 1).

    Start with weights and bias 0. Each epoch takes every point, in order, through
    `perceptron_step`. Stop after the first epoch in which no point was misclassified, or
    after `epochs` epochs. Return `(weights, bias)`.
    """
    raise NotImplementedError
