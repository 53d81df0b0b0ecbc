"""From the step function to the sigmoid: discrete predictions become probabilities.

A linear model gives each point a score, here score = 4 x1 + 5 x2 - 9; its boundary is the line
where the score is 0. The step function turns the score into a hard yes or no (1 when the score
is >= 0, else 0): every point on one side gets the same answer, however near the line it lies.
The sigmoid, 1 / (1 + exp(-score)), turns it into a probability of class 1 instead: exactly 0.5
on the line, approaching 1 far on the positive side and 0 far on the negative side.

The difference matters for learning: the step function's gradient is 0 everywhere (flat on
both sides of the jump), so it tells gradient descent nothing, while the sigmoid's gradient,
sigmoid(s) (1 - sigmoid(s)), is largest (0.25) on the line and never 0.

What to look for:
- the table: step and sigmoid of each point's score; the point on the line gets step 1 and
  probability 0.500, and points further from the line get probabilities nearer 0 or 1;
- the gradients computed by backpropagation: 0 through the step, positive through the sigmoid;
- examples/output/step_to_sigmoid.png: the two functions of the score, and the plane coloured
  by the step's discrete prediction and by the sigmoid's probability.

Run: python examples/step_to_sigmoid.py (the --quick run is the same: it takes a second).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from _common import on_grid, parse_args, pyplot, save_figure

import nn
from autograd import Value

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CHECKS = [
    r"\( 1\.0, 1\.0\) +0\.00 +1 +0\.500 +on the line",
    r"\( 2\.0, 1\.0\) +4\.00 +1 +0\.982",
    r"\( 0\.5, 0\.5\) +-4\.50 +0 +0\.011",
    r"\( 1\.5, 0\.5\) +-0\.50 +0 +0\.378",
    r"gradient through the step: +d step/d score += 0\.0000 at every point",
    r"gradient through the sigmoid: +d sigmoid/d score = 0\.2500 on the line, 0\.0177 at "
    r"score 4\.00",
    r"saved examples/output/step_to_sigmoid\.png",
]

WEIGHTS = np.array([4.0, 5.0])
BIAS = -9.0
POINTS = np.array([[1.0, 1.0], [2.0, 1.0], [1.0, 1.2], [1.5, 0.5], [0.5, 0.5], [0.2, 1.8]])


def scores(X: np.ndarray) -> np.ndarray:
    """The linear model's score of each row of X."""
    return X @ WEIGHTS + BIAS


def derivative(activation: nn.Module, score: float) -> float:
    """d activation(score)/d score, by backpropagation."""
    s = Value(score)
    activation(s).backward()
    return s.grad


def plot_functions(ax: Axes) -> None:
    """step(score) and sigmoid(score) against the score."""
    s = np.linspace(-6, 6, 601)
    ax.plot(s, nn.step(s), color="#d95f02", linewidth=2, label="step(score): 0 or 1")
    ax.plot(s, nn.sigmoid(s), color="#1f78b4", linewidth=2, label="sigmoid(score): 0 to 1")
    ax.axhline(0.5, color="grey", linestyle=":", linewidth=1)
    ax.axvline(0.0, color="grey", linestyle=":", linewidth=1)
    ax.scatter(scores(POINTS), nn.sigmoid(scores(POINTS)), color="black", zorder=3,
               label="the table's points")
    ax.set(xlabel="score = 4 x1 + 5 x2 - 9", ylabel="prediction",
           title="Step against sigmoid of the score")
    ax.legend(loc="upper left", fontsize=8)


def plot_plane(ax: Axes, activation: Callable[[np.ndarray], np.ndarray], title: str,
               colorbar_label: str) -> None:
    """activation(score) over the plane, the line score = 0, and the table's points with
    their predictions."""
    plt = pyplot()
    xx, yy, plane_scores = on_grid(scores, (0.0, 2.5), (0.0, 2.2), steps=251)
    image = ax.contourf(xx, yy, activation(plane_scores), levels=np.linspace(0, 1, 21),
                        cmap="RdBu")
    plt.colorbar(image, ax=ax, label=colorbar_label, ticks=[0, 0.25, 0.5, 0.75, 1])
    ax.contour(xx, yy, plane_scores, levels=[0.0], colors="black")
    ax.scatter(POINTS[:, 0], POINTS[:, 1], color="black", zorder=3)
    for point, prediction in zip(POINTS, activation(scores(POINTS)), strict=True):
        ax.annotate(f"{prediction:.3g}", point, textcoords="offset points", xytext=(6, 6),
                    fontsize=9, bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.8})
    ax.set(xlabel="x1", ylabel="x2", title=title)


def main() -> None:
    parse_args(__doc__)
    print("score = 4 x1 + 5 x2 - 9; the boundary is the line where the score is 0\n")
    print("point         score   step   sigmoid (probability of class 1)")
    for point, score in zip(POINTS, scores(POINTS), strict=True):
        where = "   on the line" if score == 0 else ""
        print(f"({point[0]:4.1f},{point[1]:4.1f})  {score:6.2f}   {nn.step(score):4.0f}   "
              f"{nn.sigmoid(score):7.3f}{where}")

    step_gradients = [derivative(nn.Step(), s) for s in scores(POINTS)]
    print(f"\ngradient through the step:    d step/d score    = "
          f"{max(abs(g) for g in step_gradients):.4f} at every point")
    print(f"gradient through the sigmoid: d sigmoid/d score = "
          f"{derivative(nn.Sigmoid(), 0.0):.4f} on the line, "
          f"{derivative(nn.Sigmoid(), 4.0):.4f} at score 4.00\n")

    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(18, 5))
    plot_functions(axes[0])
    plot_plane(axes[1], nn.step, "Step: one answer on each side", "prediction (0 or 1)")
    plot_plane(axes[2], nn.sigmoid, "Sigmoid: the probability of class 1 (0.5 on the line)",
               "probability")
    fig.tight_layout()
    save_figure(fig, "step_to_sigmoid.png")


if __name__ == "__main__":
    main()
