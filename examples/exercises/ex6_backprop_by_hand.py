"""Exercise 6: backpropagation by hand, through a network of two layers, for one point.

The network: a point x of n features, a hidden layer of h sigmoid units, one sigmoid output.

    hidden = sigmoid(x @ W1 + b1)         W1 of shape (n, h), b1 of shape (h,)
    output = sigmoid(hidden @ W2 + b2)    W2 of shape (h,), b2 a number

Its error for the label y (0 or 1) is E = -(y log(output) + (1 - y) log(1 - output)).

Backpropagation computes the gradient of E for every weight, from the output back to the
input, with the chain rule. It goes through the deltas: the gradient of E with respect to a
layer's scores, before its sigmoid (the course's error terms are the same up to their sign).
The output's delta comes from E and the sigmoid; the hidden layer's from the output's, back
through W2 and the hidden sigmoid. Each weight's gradient is then a delta times the input that
the weight multiplies.

The grader compares your numbers with the engine's own: the same network built from
autograd Values, and its backward(). You can do the same:

    from autograd import Value, sigmoid
    W1, b1, W2, b2 = (Value(w) for w in (W1, b1, W2, b2))
    output = sigmoid(sigmoid(x @ W1 + b1) @ W2 + b2)
    E = -(y * output.log() + (1 - y) * (1 - output).log())
    E.backward()                    # W1.grad is dE/dW1, and so on

Write each function below in place of its `raise NotImplementedError`, then grade your work:

    bash run.sh exercises 6

A solution is in examples/exercises/solutions/ex6_backprop_by_hand.py: try first, then compare.
"""

import numpy as np


def forward(x: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray,
            b2: float) -> tuple[np.ndarray, float]:
    """The forward pass: return `(hidden, output)`."""
    raise NotImplementedError


def output_delta(y: float, output: float) -> float:
    """The output's delta: dE/dz for z = hidden @ W2 + b2, the score whose sigmoid is
    `output`."""
    raise NotImplementedError


def hidden_delta(delta_out: float, W2: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """The hidden layer's deltas: dE/dz1 for z1 = x @ W1 + b1, the scores whose sigmoids are
    `hidden`, given the output's delta `delta_out`. Of shape (h,)."""
    raise NotImplementedError


def gradients(x: np.ndarray, y: float, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray,
              b2: float) -> dict[str, np.ndarray | float]:
    """The gradients of E for the point x of label y: a dict with the keys "W1", "b1", "W2"
    and "b2", each of its weight's shape. Use the three functions above."""
    raise NotImplementedError
