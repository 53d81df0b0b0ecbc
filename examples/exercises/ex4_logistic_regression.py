"""Exercise 4: logistic regression, trained by gradient descent one point at a time.

Logistic regression predicts the probability that a point x has label 1:

    ŷ = sigmoid(w · x + b),   where sigmoid(t) = 1 / (1 + e^-t)

and measures how wrong a prediction is for the label y (0 or 1) with the error

    E = -(y log(ŷ) + (1 - y) log(1 - ŷ))

Gradient descent moves w and b a small step against the gradient of E, which works out to

    w <- w + learning_rate * (y - ŷ) * x
    b <- b + learning_rate * (y - ŷ)

It looks like the perceptron trick, but ŷ is a probability: every point moves the line, and a
badly misclassified one moves it most.

Write each function below in place of its `raise NotImplementedError`, then grade your work:

    bash run.sh exercises 4

A solution is in examples/exercises/solutions/ex4_logistic_regression.py: try first, then
compare.
"""

import numpy as np


def sigmoid(x: float | np.ndarray) -> float | np.ndarray:
    """1 / (1 + e^-x), for a number or elementwise for an array."""
    raise NotImplementedError


def output_formula(features: np.ndarray, weights: np.ndarray, bias: float) -> float | np.ndarray:
    """The prediction ŷ = sigmoid(w · x + b) for one point (features of shape (n,)), or for
    each row of several (shape (N, n))."""
    raise NotImplementedError


def error_formula(y: float | np.ndarray, output: float | np.ndarray) -> float | np.ndarray:
    """The error -(y log(output) + (1 - y) log(1 - output)) of the prediction `output` for the
    label y; elementwise for arrays."""
    raise NotImplementedError


def update_weights(x: np.ndarray, y: int, weights: np.ndarray, bias: float,
                   learning_rate: float) -> tuple[np.ndarray, float]:
    """One step of gradient descent on the error of the point x with label y.

    Return the new `(weights, bias)`, moved as above.
    """
    raise NotImplementedError
