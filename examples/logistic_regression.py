"""Logistic regression by gradient descent, side by side with the perceptron algorithm.

Logistic regression predicts the probability of class 1 as sigmoid(w · x + b) and measures its
error with the log-loss (binary cross-entropy), -mean(y log p + (1 - y) log(1 - p)). Gradient
descent moves w and b a small step against the gradient of that error, computed here by
`backward()`; the gradient works out to mean((p - y) x), so every point pulls the line, more
strongly the more wrong it is. The perceptron algorithm instead jumps the line whenever one
point is on the wrong side, and leaves it alone otherwise.

The two classes here overlap a little, so no line separates them. The log-loss falls at every
step and the line settles where the errors balance; the perceptron keeps making mistakes in
every epoch, so its line never stops jumping and where it ends is a matter of luck.

What to look for:
- the log-loss falling from log(2) = 0.693 (w = 0, b = 0: p = 0.5 everywhere) at every epoch,
  and the gradient from `backward()` matching the formula mean((p - y) x);
- the perceptron's mistakes per epoch never reaching 0, and both models' final accuracy;
- examples/output/logistic_regression.png: the falling error, the logistic boundary moving
  over the epochs (on the final model's probabilities), and the perceptron's boundary jumping.

Run: python examples/logistic_regression.py (add --quick for fewer epochs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from _common import on_grid, padded_limits, parse_args, pyplot, save_figure

import nn
from autograd import Value

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CHECKS = [
    r"gradient from backward\(\) at the start: \[-?\d\.\d{4}, -?\d\.\d{4}\], bias -?\d\.\d{4}"
    r" += mean\(\(p - y\) x\): yes",
    r"log-loss: 0\.693 at the start -> 0\.1\d{2} after \d+ epochs, lower after every epoch: yes",
    r"logistic regression: +training accuracy 9\d%",
    r"perceptron: +training accuracy [5-9]\d%, fewest mistakes in an epoch: [1-9]\d*",
    r"saved examples/output/logistic_regression\.png",
]

CLASS_COLORS = ("#d95f02", "#1f78b4")
Boundary = tuple[np.ndarray, float]  # (weights, bias) of the line w · x + b = 0


def log_loss(X: np.ndarray, y: np.ndarray, w: Value, b: Value) -> tuple[Value, np.ndarray]:
    """The log-loss of the model sigmoid(X w + b), and its probabilities."""
    p = nn.sigmoid(X @ w + b)
    return nn.binary_cross_entropy(p, y), p.data


def logistic_regression(X: np.ndarray, y: np.ndarray, epochs: int,
                        learning_rate: float) -> tuple[list[float], list[Boundary]]:
    """Full-batch gradient descent on the log-loss from w = 0, b = 0; returns the loss at the
    start and after each epoch, and the boundary after each epoch."""
    w, b = Value(np.zeros(2), label="w"), Value(0.0, label="b")
    loss, p = log_loss(X, y, w, b)
    losses, boundaries = [loss.item()], []
    for _ in range(epochs):
        w.zero_grad()
        b.zero_grad()
        loss.backward()
        if not boundaries:  # the first step: compare with the formula
            formula = ((p - y)[:, None] * X).mean(axis=0)
            matches = np.allclose(w.grad, formula) and np.isclose(b.grad, np.mean(p - y))
            print(f"gradient from backward() at the start: [{w.grad[0]:.4f}, {w.grad[1]:.4f}], "
                  f"bias {b.grad:.4f}   = mean((p - y) x): {'yes' if matches else 'NO'}")
        w.data -= learning_rate * w.grad
        b.data -= learning_rate * b.grad
        boundaries.append((w.data.copy(), b.data))
        loss, p = log_loss(X, y, w, b)
        losses.append(loss.item())
    return losses, boundaries


def perceptron_algorithm(X: np.ndarray, y: np.ndarray,
                         epochs: int) -> tuple[list[int], list[Boundary]]:
    """The perceptron algorithm an epoch at a time; the mistakes and boundary of each epoch."""
    perceptron = nn.Perceptron(2, seed=0)
    mistakes, boundaries = [], []
    for _ in range(epochs):
        mistakes += perceptron.fit(X, y, epochs=1)
        boundaries.append((perceptron.weights.data.copy(), perceptron.bias.data))
    return mistakes, boundaries


def accuracy(boundary: Boundary, X: np.ndarray, y: np.ndarray) -> float:
    """The fraction of points on their class's side of the line (w · x + b >= 0: class 1)."""
    w, b = boundary
    return float(np.mean((X @ w + b >= 0) == (y == 1)))


def plot_boundaries(ax: Axes, X: np.ndarray, y: np.ndarray, boundaries: list[Boundary],
                    shown: list[int], title: str) -> None:
    """The points and the boundary after each epoch in `shown`, pale to dark."""
    plt = pyplot()
    for label in (0, 1):
        points = X[y == label]
        ax.scatter(points[:, 0], points[:, 1], c=CLASS_COLORS[label], edgecolors="black", s=25,
                   label=f"class {label}", zorder=3)
    x1 = np.array([X[:, 0].min() - 0.5, X[:, 0].max() + 0.5])
    for n, epoch in enumerate(shown):
        (w1, w2), b = boundaries[epoch - 1]
        ax.plot(x1, -(b + w1 * x1) / w2, color=plt.cm.Greys(0.35 + 0.65 * n / (len(shown) - 1)),
                linewidth=3 if epoch == len(boundaries) else 1.5, label=f"after epoch {epoch}")
    ax.set(xlim=x1, ylim=(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5), xlabel="x1", ylabel="x2",
           title=title)
    ax.legend(fontsize=7, loc="upper right")


def plot(X: np.ndarray, y: np.ndarray, losses: list[float], logistic: list[Boundary],
         mistakes: list[int], perceptron: list[Boundary]) -> None:
    """The errors against the epochs, and the two models' boundaries over the epochs."""
    plt = pyplot()
    fig, (ax_error, ax_logistic, ax_perceptron) = plt.subplots(1, 3, figsize=(18, 5))
    ax_error.plot(np.arange(1, len(losses)), losses[1:], color="#1b9e77",
                  label="logistic regression: log-loss")
    ax_error.plot(np.arange(1, len(logistic) + 1), [1 - accuracy(b, X, y) for b in logistic],
                  color="#1b9e77", linestyle="--", label="logistic regression: error rate")
    ax_error.plot(np.arange(1, len(mistakes) + 1), np.array(mistakes) / len(X),
                  color="#7570b3", label="perceptron: mistakes per epoch / points")
    ax_error.set(xscale="log", xlabel="epoch", ylabel="error", ylim=(0, None),
                 title="The error falling (log scale of epochs)")
    ax_error.legend(fontsize=8)
    w, b = logistic[-1]
    xx, yy, probability = on_grid(lambda points: nn.sigmoid(points @ w + b), *padded_limits(X))
    image = ax_logistic.contourf(xx, yy, probability, levels=np.linspace(0, 1, 11),
                                 cmap="RdBu", alpha=0.5)
    plt.colorbar(image, ax=ax_logistic, label="final probability of class 1")
    spread_out = sorted(set(np.geomspace(1, len(logistic), 5).astype(int).tolist()))
    plot_boundaries(ax_logistic, X, y, logistic, spread_out,
                    "Logistic regression: the line settles")
    last_epochs = list(range(len(perceptron) - 4, len(perceptron) + 1))
    plot_boundaries(ax_perceptron, X, y, perceptron, last_epochs,
                    "Perceptron algorithm: the line still jumps in the last epochs")
    fig.tight_layout()
    save_figure(fig, "logistic_regression.png")


def main() -> None:
    # at least 50: the perceptron runs epochs // 10 epochs and the figure shows its last 5
    args = parse_args(__doc__, epochs=(1000, 200, 50))
    epochs = args.epochs
    X, y = nn.make_blobs(100, centers=[[1.0, 2.0], [3.0, 1.0]], std=0.7, seed=0)
    print(f"{len(X)} points in two overlapping classes; logistic regression for {epochs} "
          f"epochs (learning rate 0.5), the perceptron for {epochs // 10} epochs\n")
    losses, logistic = logistic_regression(X, y, epochs, learning_rate=0.5)
    falling = all(np.diff(losses) < 0)
    print(f"log-loss: {losses[0]:.3f} at the start -> {losses[-1]:.3f} after {epochs} epochs, "
          f"lower after every epoch: {'yes' if falling else 'NO'}")
    for epoch in sorted({1, 10, epochs // 10, epochs // 2, epochs}):
        print(f"  after epoch {epoch:4d}   log-loss {losses[epoch]:.4f}   "
              f"accuracy {accuracy(logistic[epoch - 1], X, y):.0%}")
    mistakes, perceptron = perceptron_algorithm(X, y, epochs // 10)
    shown = 20
    print(f"\nperceptron mistakes per epoch: {' '.join(map(str, mistakes[:shown]))}"
          f"{' ...' if len(mistakes) > shown else ''}")
    print(f"\nlogistic regression:  training accuracy {accuracy(logistic[-1], X, y):.0%}")
    print(f"perceptron:           training accuracy {accuracy(perceptron[-1], X, y):.0%}, "
          f"fewest mistakes in an epoch: {min(mistakes)}\n")
    plot(X, y, losses, logistic, mistakes, perceptron)


if __name__ == "__main__":
    main()
