"""Exercise 1: perceptrons as logic gates, and XOR from them.

A perceptron gives its inputs x weights w and adds a bias b: the score w · x + b. It outputs
1 when the score is at least 0 and 0 otherwise: step(w · x + b). Its boundary, where the score
is 0, is a line (for one input, a point), so a perceptron can compute any logical operator
whose 1s a line cuts off from its 0s: AND, OR, NOT and NAND. XOR cannot be computed by one
perceptron, but it can by several.

Write each function below in place of its `raise NotImplementedError`, then grade your work:

    bash run.sh exercises 1

A solution is in examples/exercises/solutions/ex1_perceptron_gates.py: try first, then compare.
"""

import numpy as np


def perceptron_output(x: np.ndarray, weights: np.ndarray, bias: float) -> int:
    """The perceptron's output for the inputs `x`: 1 if w · x + b >= 0, else 0."""
    raise NotImplementedError


def and_weights() -> tuple[list[float], float]:
    """Weights and bias of a perceptron computing x1 AND x2 (1 only when both inputs are 1).

    Return `([w1, w2], b)`.
    """
    raise NotImplementedError


def or_weights() -> tuple[list[float], float]:
    """Weights and bias of a perceptron computing x1 OR x2 (1 when at least one input is 1).

    Return `([w1, w2], b)`.
    """
    raise NotImplementedError


def not_weights() -> tuple[list[float], float]:
    """Weight and bias of a perceptron computing NOT x (1 when x is 0, 0 when x is 1).

    Return `([w], b)`: one input, so one weight.
    """
    raise NotImplementedError


def nand_weights() -> tuple[list[float], float]:
    """Weights and bias of a perceptron computing x1 NAND x2, that is NOT (x1 AND x2).

    Return `([w1, w2], b)`.
    """
    raise NotImplementedError


def xor_output(x: np.ndarray) -> int:
    """x1 XOR x2 for x = (x1, x2): 1 when exactly one of the inputs is 1, else 0.

    No single perceptron can do it. Build it from two layers of your perceptrons: feed x to
    two of the gates above, and their two outputs to a third (use `perceptron_output`).
    """
    raise NotImplementedError
