"""The perceptron: a step-activated unit and the algorithm that trains it, logic gates built
from it, and XOR built from the gates (which no single perceptron can compute).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Value, no_grad, stack
from nn.activations import step
from nn.checks import Seed, as_features, number, whole_number
from nn.module import Module


def _predict(module: Module, X: Any) -> np.ndarray:
    """The 0/1 outputs of a step-activated module as an integer array."""
    with no_grad():
        return np.asarray(module(X).data).astype(np.int64)


class Perceptron(Module):
    """Rosenblatt's perceptron: output step(x · weights + bias), 1 if that is >= 0, else 0.

    Its gradient is zero almost everywhere (see `nn.step`), so it learns by the perceptron
    algorithm (`fit`) instead of gradient descent. Weights and bias start at zero; from zero
    the learning rate `lr` only scales them and never changes a prediction. `seed` fixes the
    order in which `fit` visits the points.

    >>> p = Perceptron(2)
    >>> p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1])[-1]   # AND: 0 mistakes at the end
    0
    >>> p.predict([[0, 0], [0, 1], [1, 0], [1, 1]])
    array([0, 0, 0, 1])
    """

    def __init__(self, n_inputs: int, lr: float = 1.0, seed: Seed = None) -> None:
        n_inputs = whole_number("Perceptron", "n_inputs", n_inputs)
        self.lr = number("Perceptron", "lr", lr, low=0, low_open=True)
        self.weights = Value(np.zeros(n_inputs), label="weights")
        self.bias = Value(0.0, label="bias")
        self._rng = np.random.default_rng(seed)

    def forward(self, x: Any) -> Value:
        return step(as_features(x, self.weights.size, "Perceptron") @ self.weights + self.bias)

    def predict(self, X: Any) -> np.ndarray:
        """The 0/1 class of each row of X (an integer array)."""
        return _predict(self, X)

    def fit(self, X: Any, y: Any, epochs: int = 100, shuffle: bool = True) -> list[int]:
        """Train with the perceptron algorithm; return the number of mistakes in each epoch.

        Each epoch visits every point (in a random order if `shuffle`). A misclassified point
        moves the boundary towards its side: weights += lr * (y - ŷ) * x and
        bias += lr * (y - ŷ), where y - ŷ is +1 or -1; a correctly classified point changes
        nothing. Training stops after the first epoch without mistakes: on linearly separable
        data that always comes (the perceptron convergence theorem).
        """
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        if X.ndim != 2 or X.shape[1] != self.weights.size or y.shape != X.shape[:1]:
            raise ValueError(f"Perceptron.fit: X must have shape (N, {self.weights.size}) and y "
                             f"shape (N,), got {X.shape} and {y.shape}")
        if not np.all(np.isin(y, (0, 1))):
            raise ValueError(f"Perceptron.fit: labels must be 0 or 1, got "
                             f"{np.array2string(np.unique(y), threshold=6)}")
        epochs = whole_number("Perceptron.fit", "epochs", epochs, unit=" of epochs")
        mistakes_per_epoch = []
        for _ in range(epochs):
            mistakes = 0
            for i in self._rng.permutation(len(X)) if shuffle else range(len(X)):
                error = float(y[i]) - step(float(X[i] @ self.weights.data) + self.bias.data)
                if error:
                    self.weights.data += self.lr * error * X[i]
                    self.bias.data += self.lr * error
                    mistakes += 1
            mistakes_per_epoch.append(mistakes)
            if mistakes == 0:
                break
        return mistakes_per_epoch


def _gate(weights: list[float], bias: float) -> Perceptron:
    gate = Perceptron(len(weights))
    gate.weights.data[:] = weights
    gate.bias.data = bias
    return gate


def and_perceptron() -> Perceptron:
    """x1 AND x2: weights (1, 1), bias -1.5, so only 1 + 1 - 1.5 reaches 0."""
    return _gate([1.0, 1.0], -1.5)


def or_perceptron() -> Perceptron:
    """x1 OR x2: weights (1, 1), bias -0.5, so one input at 1 is enough."""
    return _gate([1.0, 1.0], -0.5)


def nand_perceptron() -> Perceptron:
    """NOT (x1 AND x2): weights (-1, -1), bias 1.5, the AND perceptron turned around."""
    return _gate([-1.0, -1.0], 1.5)


def not_perceptron() -> Perceptron:
    """NOT x: weight -1, bias 0.5."""
    return _gate([-1.0], 0.5)


class XORNetwork(Module):
    """x1 XOR x2 as a two-layer network of perceptrons: AND(OR(x), NAND(x)).

    No single perceptron computes XOR (no line separates its 1s from its 0s); a hidden layer
    of two gates makes it separable.
    """

    def __init__(self) -> None:
        self.or_gate = or_perceptron()
        self.nand_gate = nand_perceptron()
        self.and_gate = and_perceptron()

    def forward(self, x: Any) -> Value:
        hidden = stack([self.or_gate(x), self.nand_gate(x)], axis=-1)
        return self.and_gate(hidden)

    def predict(self, X: Any) -> np.ndarray:
        """The 0/1 XOR of each row of X (an integer array)."""
        return _predict(self, X)


def xor_network() -> XORNetwork:
    """A ready-made XOR network of perceptrons: AND(OR(x), NAND(x)).

    >>> xor_network().predict([[0, 0], [0, 1], [1, 0], [1, 1]])
    array([0, 1, 1, 0])
    """
    return XORNetwork()
