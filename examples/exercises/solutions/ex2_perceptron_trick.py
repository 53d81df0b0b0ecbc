"""Exercise 2, a solution: the perceptron trick, and training a perceptron with it.

The exercise is examples/exercises/ex2_perceptron_trick.py; grade this file with
`bash run.sh exercises 2 --solutions`.
"""

import numpy as np


def perceptron_step(weights: np.ndarray, bias: float, x: np.ndarray, y: int,
                    learning_rate: float) -> tuple[np.ndarray, float]:
    """One step of the perceptron algorithm for the point `x` of label `y` (0 or 1)."""
    prediction = 1 if np.dot(weights, x) + bias >= 0 else 0
    error = y - prediction  # 0 for a correct point: then nothing moves
    return weights + learning_rate * error * x, bias + learning_rate * error


def train_perceptron(X: np.ndarray, y: np.ndarray, learning_rate: float = 1.0,
                     epochs: int = 1000) -> tuple[np.ndarray, float]:
    """Train a perceptron on the points X (one per row) with labels y (0 or 1)."""
    weights, bias = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        mistakes = 0
        for point, label in zip(X, y, strict=True):
            new_weights, new_bias = perceptron_step(weights, bias, point, label, learning_rate)
            mistakes += new_bias != bias  # a misclassified point always moves the bias
            weights, bias = new_weights, new_bias
        if mistakes == 0:
            break
    return weights, bias
