"""Exercise 7, a solution: the tools of training: an L2 penalty, dropout, momentum and early
stopping.

The exercise is examples/exercises/ex7_training_tools.py; grade this file with
`bash run.sh exercises 7 --solutions`.
"""

import numpy as np


def l2_penalty(weights: list[np.ndarray], lam: float) -> float:
    """lam times the sum of the squares of every weight."""
    return lam * sum(float(np.sum(w**2)) for w in weights)


def l2_penalty_gradient(weights: list[np.ndarray], lam: float) -> list[np.ndarray]:
    """d(lam w²)/dw = 2 lam w, array by array."""
    return [2 * lam * w for w in weights]


def dropout(x: np.ndarray, p: float, rng: np.random.Generator, training: bool) -> np.ndarray:
    """Inverted dropout: scaling the kept elements in training leaves evaluation alone."""
    if not training:
        return x
    kept = rng.random(x.shape) >= p  # True with probability 1 - p
    return np.where(kept, x / (1 - p), 0.0)


def momentum_step(weights: np.ndarray, velocity: np.ndarray, gradient: np.ndarray,
                  learning_rate: float, momentum: float) -> tuple[np.ndarray, np.ndarray]:
    """The velocity first, then a step along it."""
    velocity = momentum * velocity + gradient
    return weights - learning_rate * velocity, velocity


def early_stopping(val_losses: list[float], patience: int) -> tuple[bool, int]:
    """np.argmin returns the first of equal minima: the earliest best epoch."""
    best = int(np.argmin(val_losses))
    epochs_since_best = len(val_losses) - 1 - best
    return epochs_since_best >= patience, best
