"""Exercise 6, a solution: backpropagation by hand, through a network of two layers, for one
point.

The exercise is examples/exercises/ex6_backprop_by_hand.py; grade this file with
`bash run.sh exercises 6 --solutions`.
"""

from typing import Any

import numpy as np

from autograd import sigmoid


def forward(x: np.ndarray, W1: Any, b1: Any, W2: Any, b2: Any) -> tuple[Any, Any]:
    """The forward pass, with autograd's sigmoid: it takes arrays and Values alike."""
    hidden = sigmoid(x @ W1 + b1)
    return hidden, sigmoid(hidden @ W2 + b2)


def output_delta(y: float, output: float) -> float:
    """dE/dŷ = (ŷ - y) / (ŷ (1 - ŷ)) and dŷ/dz = ŷ (1 - ŷ): their product is ŷ - y."""
    return output - y


def hidden_delta(delta_out: float, W2: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Back through W2 (z = hidden @ W2 + b2, so dz/dhidden = W2), then through each hidden
    sigmoid (dhidden/dz1 = hidden (1 - hidden))."""
    return delta_out * W2 * hidden * (1 - hidden)


def gradients(x: np.ndarray, y: float, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray,
              b2: float) -> dict[str, np.ndarray | float]:
    """Each weight's gradient: the delta of the unit it feeds times the input it multiplies.
    W1[i, j] multiplies x[i] into hidden unit j, hence the outer product of x and the deltas.
    """
    hidden, output = forward(x, W1, b1, W2, b2)
    delta_out = output_delta(y, output)
    delta_hidden = hidden_delta(delta_out, W2, hidden)
    return {"W1": np.outer(x, delta_hidden), "b1": delta_hidden,
            "W2": delta_out * hidden, "b2": delta_out}
