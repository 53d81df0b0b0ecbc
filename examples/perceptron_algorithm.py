"""The perceptron algorithm: a line that moves towards each misclassified point until none is left.

The perceptron predicts 1 when w1 x1 + w2 x2 + b >= 0 and 0 otherwise, so its boundary is the
line w1 x1 + w2 x2 + b = 0. The algorithm visits the points one by one; each misclassified point
pulls the line towards itself (w += lr (y - ŷ) x, b += lr (y - ŷ)), and a correctly classified
point changes nothing. On linearly separable points it always ends, after finitely many
mistakes, with a line that separates them (the perceptron convergence theorem).

What to look for:
- the mistakes per epoch falling to 0, and the line's equation after each epoch;
- examples/output/perceptron_algorithm.png: the boundary line every few epochs, from pale
  (early) to dark (the final line, which separates the two classes), and the mistakes per epoch.

Run: python examples/perceptron_algorithm.py (add --quick for the same run: it takes a second).
"""

from __future__ import annotations

import numpy as np
from _common import parse_args, pyplot, save_figure

import nn

CHECKS = [
    r"^ +1 +[1-9]\d* +-?\d+\.\d{2} x1 [+-] \d+\.\d{2} x2 [+-] \d+\.\d{2} = 0",
    r"converged after \d+ epochs: 0 mistakes, all 60 points on the right side",
    r"training accuracy of the final line: 100\.0%",
    r"saved examples/output/perceptron_algorithm\.png",
]

CLASS_COLORS = ("#d95f02", "#1f78b4")


def line_equation(weights: np.ndarray, bias: float) -> str:
    """w1 x1 + w2 x2 + b = 0, written with signs."""
    (w1, w2), b = weights, bias
    return (f"{w1:6.2f} x1 {'-' if w2 < 0 else '+'} {abs(w2):.2f} x2 "
            f"{'-' if b < 0 else '+'} {abs(b):.2f} = 0")


def train(perceptron: nn.Perceptron, X: np.ndarray, y: np.ndarray,
          max_epochs: int) -> tuple[list[int], list[tuple[np.ndarray, float]]]:
    """Run the perceptron algorithm an epoch at a time, printing each epoch; return the
    mistakes and the boundary (weights, bias) after every epoch."""
    mistakes, boundaries = [], []
    print("epoch  mistakes  boundary after the epoch")
    for epoch in range(1, max_epochs + 1):
        mistakes += perceptron.fit(X, y, epochs=1)
        boundaries.append((perceptron.weights.data.copy(), perceptron.bias.data))
        print(f"{epoch:5d}  {mistakes[-1]:8d}  {line_equation(*boundaries[-1])}")
        if mistakes[-1] == 0:
            break
    return mistakes, boundaries


def plot(X: np.ndarray, y: np.ndarray, mistakes: list[int],
         boundaries: list[tuple[np.ndarray, float]]) -> None:
    """The points with the boundary every few epochs, and the mistakes per epoch."""
    plt = pyplot()
    fig, (ax, ax_mistakes) = plt.subplots(1, 2, figsize=(12, 5),
                                          gridspec_kw={"width_ratios": [3, 2]})
    for label in (0, 1):
        points = X[y == label]
        ax.scatter(points[:, 0], points[:, 1], c=CLASS_COLORS[label], edgecolors="black",
                   label=f"class {label}", zorder=3)
    x1 = np.array([X[:, 0].min() - 0.5, X[:, 0].max() + 0.5])
    shown = sorted({*range(0, len(boundaries), max(1, len(boundaries) // 5)),
                    len(boundaries) - 1})
    for i in shown:
        (w1, w2), b = boundaries[i]
        shade = 0.25 + 0.75 * (i + 1) / len(boundaries)
        ax.plot(x1, -(b + w1 * x1) / w2, color=plt.cm.Greys(shade),
                linewidth=3 if i == len(boundaries) - 1 else 1.5, label=f"after epoch {i + 1}")
    ax.set(xlim=x1, ylim=(X[:, 1].min() - 0.5, X[:, 1].max() + 0.5), xlabel="x1", ylabel="x2",
           title="The boundary line w1 x1 + w2 x2 + b = 0 as the perceptron learns")
    ax.legend(fontsize=8, loc="upper right")
    epochs = np.arange(1, len(mistakes) + 1)
    ax_mistakes.bar(epochs, mistakes, color="#7570b3")
    ax_mistakes.set(xlabel="epoch", ylabel="misclassified points during the epoch",
                    title="Mistakes per epoch")
    for axis in (ax_mistakes.xaxis, ax_mistakes.yaxis):
        axis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    save_figure(fig, "perceptron_algorithm.png")


def main() -> None:
    parse_args(__doc__)
    X, y = nn.make_blobs(60, centers=[[1.0, 2.0], [3.0, 1.0]], std=0.5, seed=4)
    perceptron = nn.Perceptron(2, seed=0)  # weights and bias start at zero
    print(f"{len(X)} points, {int(np.sum(y == 0))} of class 0 and {int(np.sum(y == 1))} of "
          "class 1, linearly separable\n")
    mistakes, boundaries = train(perceptron, X, y, max_epochs=100)
    if mistakes[-1] == 0:
        print(f"\nconverged after {len(mistakes)} epochs: 0 mistakes, all {len(X)} points on "
              "the right side")
    accuracy = np.mean(perceptron.predict(X) == y)
    print(f"training accuracy of the final line: {accuracy:.1%}\n")
    plot(X, y, mistakes, boundaries)


if __name__ == "__main__":
    main()
