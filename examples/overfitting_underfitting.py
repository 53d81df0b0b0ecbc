"""Underfitting and overfitting: too small, about right and too large models on the same data.

100 noisy points of two moons to learn from, and 300 more, never trained on, to validate with.
Three models learn them for the same number of epochs:

- too small: logistic regression, one straight line. It underfits: it is as wrong on the
  training points as on the validation points, and training longer does not help.
- about right: one hidden layer of 4 tanh units. Training and validation losses fall together
  and stay close.
- too large: two hidden layers of 32 ReLU units, far more parameters than points. It overfits:
  the training loss goes to nearly 0 while the validation loss, after a minimum, climbs again,
  because the model learns the noise of the training points.

Early stopping is the cure shown here: train the large model again, watch the validation loss
after each epoch, stop once it has not improved for a while (the patience), and go back to the
weights of the best epoch.

What to look for:
- each model's final training and validation loss and accuracy, and the gap between the
  losses: small for the first two, large for the overfitting one;
- the large model's validation loss: its best epoch and how far it rose after it;
- the epoch early stopping picks, and the validation accuracy it keeps;
- examples/output/overfitting_underfitting.png: the training and validation curves of each
  model (with the epoch early stopping picked), and each model's decision boundary: a line, a
  smooth curve, and a wiggly boundary bent around single noisy points.

Run: python examples/overfitting_underfitting.py (add --quick for fewer epochs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from _common import on_grid, parse_args, pyplot, save_figure

import nn

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CHECKS = [
    r"too small +train loss 0\.[2-3]\d{2} +accuracy +8\d% +validation loss 0\.[2-3]\d{2} +"
    r"accuracy +8\d%",
    r"about right +train loss 0\.[1-3]\d{2} +accuracy +9\d% +validation loss 0\.[1-3]\d{2} +"
    r"accuracy +(8[5-9]|9\d)% +gap 0\.0[0-4]\d",
    r"too large +train loss 0\.0\d{2} +accuracy +(9[5-9]|100)% .* gap (0\.[2-9]|[1-9])",
    r"too large: validation loss lowest at epoch \d+ \(0\.2\d{2}\), then it rises to "
    r"\d\.\d{3}: overfitting",
    r"early stopping \(patience 50\) stopped after epoch \d+ and restored epoch \d+: "
    r"validation accuracy +9\d%",
    r"saved examples/output/overfitting_underfitting\.png",
]

Data = tuple[np.ndarray, np.ndarray]
PATIENCE = 50


@dataclass
class Candidate:
    """A model size to try: its name, its layers, how to build it and its learning rate."""

    name: str
    architecture: str
    build: Callable[[], nn.Module]
    learning_rate: float


CANDIDATES = [
    Candidate("too small", "logistic regression, 3 parameters",
              lambda: nn.Linear(2, 1, seed=0), 0.05),
    Candidate("about right", "2-4-1 with tanh, 17 parameters",
              lambda: nn.Sequential(nn.Linear(2, 4, seed=0), nn.Tanh(), nn.Linear(4, 1, seed=1)),
              0.02),
    Candidate("too large", "2-32-32-1 with ReLU, 1185 parameters",
              lambda: nn.Sequential(nn.Linear(2, 32, seed=0), nn.ReLU(),
                                    nn.Linear(32, 32, seed=1), nn.ReLU(),
                                    nn.Linear(32, 1, seed=2)),
              0.01),
]


def train(candidate: Candidate, train_set: Data, validation: Data, epochs: int,
          callbacks: tuple[nn.EarlyStopping, ...] = ()) -> tuple[nn.Module, nn.History]:
    """Build the candidate's model and train it with Adam on the binary cross-entropy."""
    model = candidate.build()
    history = nn.fit(model, nn.binary_cross_entropy_with_logits,
                     nn.Adam(model.parameters(), lr=candidate.learning_rate), *train_set,
                     epochs=epochs, validation=validation, callbacks=callbacks,
                     task="binary_logits", progress=False, seed=0)
    return model, history


def plot_curves(ax: Axes, title: str, history: nn.History, stopped: nn.History | None) -> None:
    """Training and validation loss per epoch; the epoch early stopping picked, if any."""
    epochs = np.arange(1, history.epochs + 1)
    ax.plot(epochs, history.train_loss, color="#1b9e77", label="training loss")
    ax.plot(epochs, history.val_loss, color="#d95f02", label="validation loss")
    if stopped is not None:
        ax.axvline(stopped.best_epoch, color="black", linestyle="--",
                   label=f"early stopping picks epoch {stopped.best_epoch}")
    ax.set(xlabel="epoch", ylabel="binary cross-entropy", title=title,
           ylim=(0, max(1.0, 1.1 * history.val_loss[-1])))
    ax.legend(fontsize=8)


def plot_boundary(ax: Axes, models: list[nn.Module], train_set: Data, title: str) -> None:
    """The decision boundary of each model (solid, then dashed) over the training points."""
    X, y = train_set
    for model, style in zip(models, ("solid", "dashed"), strict=False):
        xx, yy, logits = on_grid(model, (-1.8, 2.8), (-1.4, 1.9), steps=230)
        ax.contour(xx, yy, logits, levels=[0.0], colors="black", linestyles=style)
    for label, color in ((0, "#d95f02"), (1, "#1f78b4")):
        ax.scatter(*X[y.ravel() == label].T, c=color, edgecolors="black", s=20,
                   label=f"class {label} (training)")
    ax.set(xlabel="x1", ylabel="x2", title=title)
    ax.legend(fontsize=8, loc="lower left")


def main() -> None:
    args = parse_args(__doc__, epochs=(1000, 400))
    epochs = args.epochs
    X, y = nn.make_moons(100, noise=0.3, seed=0)
    X_val, y_val = nn.make_moons(300, noise=0.3, seed=1)
    train_set, validation = (X, y[:, None].astype(float)), (X_val, y_val[:, None].astype(float))
    print(f"{len(X)} training points, {len(X_val)} validation points, {epochs} epochs of Adam\n")

    for candidate in CANDIDATES:
        print(f"{candidate.name:<12} {candidate.architecture}")
    print()
    results = {c.name: train(c, train_set, validation, epochs) for c in CANDIDATES}
    for name, (_, h) in results.items():
        print(f"{name:<12} train loss {h.train_loss[-1]:.3f}  accuracy "
              f"{h.train_accuracy[-1]:4.0%}   validation loss {h.val_loss[-1]:.3f}  accuracy "
              f"{h.val_accuracy[-1]:4.0%}   gap {h.val_loss[-1] - h.train_loss[-1]:.3f}")

    large = results["too large"][1]
    best = int(np.argmin(large.val_loss))
    if large.val_loss[-1] > 2 * large.val_loss[best]:
        print(f"\ntoo large: validation loss lowest at epoch {best + 1} "
              f"({large.val_loss[best]:.3f}), then it rises to {large.val_loss[-1]:.3f}: "
              "overfitting")

    stopping = nn.EarlyStopping(patience=PATIENCE, restore_best=True)
    stopped_model, stopped = train(CANDIDATES[2], train_set, validation, epochs, (stopping,))
    _, accuracy = nn.evaluate(stopped_model, nn.binary_cross_entropy_with_logits, *validation,
                              task="binary_logits")
    print(f"early stopping (patience {PATIENCE}) stopped after epoch {stopped.epochs} and "
          f"restored epoch {stopped.best_epoch}: validation accuracy {accuracy:.0%} "
          f"(against {large.val_accuracy[-1]:.0%} after all {epochs} epochs)\n")

    plt = pyplot()
    fig, axes = plt.subplots(2, 3, figsize=(18, 10))
    for column, (candidate, (model, history)) in enumerate(zip(CANDIDATES, results.values(),
                                                                strict=True)):
        name = candidate.name
        is_large = name == "too large"
        plot_curves(axes[0, column], f"{name}: {candidate.architecture}", history,
                    stopped if is_large else None)
        boundaries = [model, stopped_model] if is_large else [model]
        title = (f"{name}: after {epochs} epochs (solid), early-stopped (dashed)" if is_large
                 else f"{name}: the decision boundary")
        plot_boundary(axes[1, column], boundaries, train_set, title)
    fig.tight_layout()
    save_figure(fig, "overfitting_underfitting.png", gallery=args.gallery)


if __name__ == "__main__":
    main()
