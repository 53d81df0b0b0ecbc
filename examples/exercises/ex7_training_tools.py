"""Exercise 7: the tools of training: an L2 penalty, dropout, momentum and early stopping.

- L2 regularization adds lam * (the sum of the squares of every weight) to the loss, so
  gradient descent also pulls every weight towards 0: large weights, which overfit, cost more.
- Dropout, in training, zeroes each element of a layer's output with probability p and
  divides the others by 1 - p (so the expected output is unchanged); the network cannot lean
  on any single unit. In evaluation it does nothing.
- Momentum lets gradient descent keep part of its previous velocity, to roll over bumps and
  small local minima: velocity <- momentum * velocity + gradient, then
  weights <- weights - learning_rate * velocity (the convention of nn.SGD and PyTorch).
- Early stopping watches the validation loss after every epoch, stops when it has not
  improved for `patience` epochs, and keeps the weights of the best epoch.

Write each function below in place of its `raise NotImplementedError`, then grade your work:

    bash run.sh exercises 7

A solution is in examples/exercises/solutions/ex7_training_tools.py: try first, then compare.
"""

import numpy as np


def l2_penalty(weights: list[np.ndarray], lam: float) -> float:
    """lam times the sum, over every array in `weights`, of the squares of its elements."""
    raise NotImplementedError


def l2_penalty_gradient(weights: list[np.ndarray], lam: float) -> list[np.ndarray]:
    """The gradient of l2_penalty with respect to each array in `weights`: a list of arrays,
    each of its weights' shape."""
    raise NotImplementedError


def dropout(x: np.ndarray, p: float, rng: np.random.Generator, training: bool) -> np.ndarray:
    """Dropout of the array x with drop probability p.

    In training, drop (set to 0) each element with probability p, independently, drawing the
    random numbers from `rng` (e.g. rng.random(x.shape)), and turn each kept element x into
    x / (1 - p). In evaluation (training False), return x unchanged.
    """
    raise NotImplementedError


def momentum_step(weights: np.ndarray, velocity: np.ndarray, gradient: np.ndarray,
                  learning_rate: float, momentum: float) -> tuple[np.ndarray, np.ndarray]:
    """One step of gradient descent with momentum. Return `(new_weights, new_velocity)`."""
    raise NotImplementedError


def early_stopping(val_losses: list[float], patience: int) -> tuple[bool, int]:
    """Early stopping's decision after the epochs whose validation losses are `val_losses`.

    The best epoch is the one with the lowest loss; with ties, the earliest (an equal loss is
    no improvement). Return `(stop, best_epoch)`: stop is True when the best epoch lies
    `patience` or more epochs before the last one; best_epoch is the index whose weights to
    keep.
    """
    raise NotImplementedError
