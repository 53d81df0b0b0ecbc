"""Dropout: the same network with and without it, and the gap between training and validation.

A network far larger than its data (2-128-128-2, about 17,000 weights, for 60 noisy points of
two moons) learns the training points by heart: its training loss goes to nearly zero while the
loss on 500 points it never saw climbs, and the gap between the two grows with every epoch.

Dropout (nn.Dropout(0.5) after each hidden layer) switches off a random half of the hidden
units at every training step, and doubles the others so the expected sum stays the same. No
unit can rely on particular other units being there, so the network cannot build the fragile,
point-by-point solution that memorising needs; it is like training many thinned networks at
once and averaging them. In evaluation mode (model.eval(), which nn.evaluate and the
validation in nn.fit use) dropout does nothing and the whole network predicts.

Both networks start from the same weights and see the same batches; both are measured in
evaluation mode on the training and the validation points after every epoch.

What to look for:
- the table: without dropout the training accuracy reaches 100% and the training loss nearly
  0, while the validation loss is several times larger: a wide gap. With dropout the training
  numbers are worse but the gap is much smaller. The validation accuracy is about the same for
  both here; what the memorising network also does is assign its wrong answers near-certain
  probabilities, which is why its validation loss is so high;
- examples/output/dropout.png: training and validation loss and accuracy per epoch, the gap
  shaded: it opens wide without dropout and stays narrow with it.

Run: python examples/dropout.py (add --quick for fewer epochs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from _common import parse_args, pyplot, save_figure

import nn

CHECKS = [
    r"without dropout +0\.\d{3} +(9\d|100)\.\d% +\d\.\d{3} +\d\d\.\d% +[1-9]\.\d{3} +\d+\.\d%",
    r"with dropout 0\.5 +0\.\d{3} +\d\d\.\d% +0\.\d{3} +\d\d\.\d% +0\.\d{3} +\d\.\d%",
    r"dropout shrinks the gap: loss gap \d\.\d{3} -> 0\.\d{3}, accuracy gap \d+\.\d% -> "
    r"\d\.\d%",
    r"saved examples/output/dropout\.png",
]

HIDDEN = 128


def make_model(dropout: float) -> nn.Sequential:
    """2-128-128-2 with ReLU, and Dropout(p) after each hidden layer if dropout > 0."""
    layers: list[nn.Module] = []
    for i, width in enumerate((2, HIDDEN)):
        layers += [nn.Linear(width, HIDDEN, seed=i), nn.ReLU()]
        if dropout:
            layers.append(nn.Dropout(dropout, seed=i))
    return nn.Sequential(*layers, nn.Linear(HIDDEN, 2, seed=2))


@dataclass
class TrainingSetMonitor:
    """A fit callback: the loss and accuracy on the training set after each epoch, measured in
    evaluation mode (fit's own training numbers are averages taken with dropout on)."""

    X: np.ndarray
    y: np.ndarray
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)

    def on_epoch_end(self, epoch: int, history: nn.History, model: nn.Module) -> None:
        loss, accuracy = nn.evaluate(model, nn.cross_entropy, self.X, self.y, task="multiclass")
        self.loss.append(loss)
        self.accuracy.append(accuracy)


@dataclass
class Result:
    """What one training run measured: on the training set and on the validation set."""

    train: TrainingSetMonitor
    history: nn.History

    def gaps(self) -> tuple[float, float]:
        """The final validation loss minus training loss, and training minus validation
        accuracy."""
        return (self.history.val_loss[-1] - self.train.loss[-1],
                self.train.accuracy[-1] - self.history.val_accuracy[-1])


def train(dropout: float, train_set: tuple, validation: tuple, epochs: int) -> Result:
    """Train the network (with dropout p = `dropout`, or none if 0) and measure both sets."""
    model = make_model(dropout)
    monitor = TrainingSetMonitor(*train_set)
    history = nn.fit(model, nn.cross_entropy, nn.Adam(model.parameters(), lr=0.005),
                     *train_set, epochs=epochs, validation=validation, callbacks=[monitor],
                     task="multiclass", progress=False, seed=0)
    return Result(monitor, history)


def report(results: dict[str, Result]) -> None:
    """The final numbers of each run, and whether dropout shrank the gaps."""
    print(f"{'':<18} {'training':>16} {'validation':>16} {'gap':>16}")
    print(f"{'':<18}" + f" {'loss':>7} {'accuracy':>8}" * 3)
    for name, result in results.items():
        loss_gap, accuracy_gap = result.gaps()
        print(f"{name:<18} {result.train.loss[-1]:7.3f} {result.train.accuracy[-1]:8.1%} "
              f"{result.history.val_loss[-1]:7.3f} {result.history.val_accuracy[-1]:8.1%} "
              f"{loss_gap:7.3f} {accuracy_gap:8.1%}")
    (loss_without, accuracy_without), (loss_with, accuracy_with) = (
        result.gaps() for result in results.values())
    shrinks = loss_with < loss_without and accuracy_with < accuracy_without
    print(f"\ndropout {'shrinks' if shrinks else 'does not shrink'} the gap: loss gap "
          f"{loss_without:.3f} -> {loss_with:.3f}, accuracy gap {accuracy_without:.1%} -> "
          f"{accuracy_with:.1%}")


def plot(results: dict[str, Result]) -> None:
    """Training and validation loss and accuracy per epoch, with the gap shaded."""
    plt = pyplot()
    fig, (ax_loss, ax_accuracy) = plt.subplots(1, 2, figsize=(13, 5))
    for (name, result), color in zip(results.items(), ("#d95f02", "#1b9e77"), strict=True):
        epochs = np.arange(1, result.history.epochs + 1)
        for ax, train_values, val_values in (
                (ax_loss, result.train.loss, result.history.val_loss),
                (ax_accuracy, result.train.accuracy, result.history.val_accuracy)):
            ax.plot(epochs, train_values, color=color, label=f"{name}: training")
            ax.plot(epochs, val_values, color=color, linestyle="--",
                    label=f"{name}: validation")
            ax.fill_between(epochs, train_values, val_values, color=color, alpha=0.15)
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss",
                title="Loss: the shaded gap between training and validation")
    ax_accuracy.set(xlabel="epoch", ylabel="accuracy", title="Accuracy")
    ax_loss.legend()
    ax_accuracy.legend(loc="lower right")
    fig.tight_layout()
    save_figure(fig, "dropout.png")


def main() -> None:
    args = parse_args(__doc__, epochs=(300, 150))
    epochs = args.epochs
    X, y = nn.make_moons(560, noise=0.35, seed=0)
    train_set, validation = (X[:60], y[:60]), (X[60:], y[60:])
    print(f"two moons: {len(train_set[0])} training and {len(validation[0])} validation points; "
          f"a 2-{HIDDEN}-{HIDDEN}-2 ReLU network, Adam, {epochs} epochs\n"
          "all numbers measured in evaluation mode after the last epoch\n")
    results = {"without dropout": train(0.0, train_set, validation, epochs),
               "with dropout 0.5": train(0.5, train_set, validation, epochs)}
    report(results)
    print()
    plot(results)


if __name__ == "__main__":
    main()
