"""Exercise 1, a solution: perceptrons as logic gates, and XOR from them.

The exercise is examples/exercises/ex1_perceptron_gates.py; grade this file with
`bash run.sh exercises 1 --solutions`.
"""

import numpy as np


def perceptron_output(x: np.ndarray, weights: np.ndarray, bias: float) -> int:
    """The perceptron's output for the inputs `x`: 1 if w · x + b >= 0, else 0."""
    return int(np.dot(weights, x) + bias >= 0)


def and_weights() -> tuple[list[float], float]:
    """AND: only 1 + 1 reaches the threshold 1.5."""
    return [1.0, 1.0], -1.5


def or_weights() -> tuple[list[float], float]:
    """OR: one input at 1 is enough to reach the threshold 0.5."""
    return [1.0, 1.0], -0.5


def not_weights() -> tuple[list[float], float]:
    """NOT: the score 0.5 - x is positive for x = 0 and negative for x = 1."""
    return [-1.0], 0.5


def nand_weights() -> tuple[list[float], float]:
    """NAND: AND's weights and bias with their signs flipped, so every output flips."""
    return [-1.0, -1.0], 1.5


def xor_output(x: np.ndarray) -> int:
    """XOR = AND(OR(x), NAND(x)): OR excludes (0, 0), NAND excludes (1, 1)."""
    hidden = np.array([perceptron_output(x, *or_weights()),
                       perceptron_output(x, *nand_weights())])
    return perceptron_output(hidden, *and_weights())
