"""Exercise 4, a solution: logistic regression, trained by gradient descent one point at a
time.

The exercise is examples/exercises/ex4_logistic_regression.py; grade this file with
`bash run.sh exercises 4 --solutions`.
"""

import numpy as np


def sigmoid(x: float | np.ndarray) -> float | np.ndarray:
    """1 / (1 + e^-x), for a number or elementwise for an array."""
    return 1 / (1 + np.exp(-x))


def output_formula(features: np.ndarray, weights: np.ndarray, bias: float) -> float | np.ndarray:
    """ŷ = sigmoid(w · x + b); `@` serves one point and a matrix of points alike."""
    return sigmoid(features @ weights + bias)


def error_formula(y: float | np.ndarray, output: float | np.ndarray) -> float | np.ndarray:
    """-(y log(output) + (1 - y) log(1 - output)): only one of the two terms counts, that of
    the point's label."""
    return -(y * np.log(output) + (1 - y) * np.log(1 - output))


def update_weights(x: np.ndarray, y: int, weights: np.ndarray, bias: float,
                   learning_rate: float) -> tuple[np.ndarray, float]:
    """w + lr (y - ŷ) x and b + lr (y - ŷ): -(y - ŷ) x is the gradient of the error."""
    error = y - output_formula(x, weights, bias)
    return weights + learning_rate * error * x, bias + learning_rate * error
