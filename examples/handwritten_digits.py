"""A real data set: handwritten digits, against scikit-learn's MLPClassifier.

scikit-learn ships 1,797 handwritten digits (8x8 grey images, pixel values 0 to 16; no download
needed). Both models learn from the same 75% of them and are tested on the same other 25%:

- scikit-learn's MLPClassifier: one hidden layer of 64 ReLU units, its default Adam solver and
  L2 penalty, trained until it converges;
- an nn network: 64 inputs, 256 ReLU units with Dropout(0.3), 10 outputs (one score per
  digit), cross-entropy loss, nn.Adam, mini-batches of 32.

What to look for:
- the two test accuracies side by side, and whether the nn network matches scikit-learn's
  (in the full run; the quick run trains for a few epochs only and says so);
- examples/output/handwritten_digits.png: both confusion matrices (rows: the true digit,
  columns: the prediction; everything off the diagonal is a mistake), and the test digits
  either model got wrong, with both predictions.

Run: python examples/handwritten_digits.py (add --quick for a few epochs; needs scikit-learn,
pip install 'learngrad[examples]').
"""

from __future__ import annotations

import warnings

import numpy as np
from _common import parse_args, pyplot, save_figure

import nn
from autograd import Value, no_grad

try:
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.metrics import confusion_matrix
    from sklearn.neural_network import MLPClassifier
except ImportError:
    raise SystemExit("This example needs scikit-learn: pip install 'learngrad[examples]'") from None

CHECKS = [
    r"1797 digits: 1348 for training, 449 for testing",
    r"test accuracy +9[5-9]\.\d% \(4\d\d of 449\) +9[5-9]\.\d% \(4\d\d of 449\)",
    r"quick run: 15 epochs",
    r"saved examples/output/handwritten_digits\.png",
]

SEED = 0


def load() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The digits split into a training and a test set, each (pixels scaled to [0, 1], digit)."""
    digits = load_digits()
    X, y = digits.data / 16.0, digits.target
    train_set, _, test_set = nn.train_val_test_split(X, y, val=0.0, test=0.25, seed=SEED)
    return train_set, test_set


def train_sklearn(train_set: tuple[np.ndarray, np.ndarray]) -> MLPClassifier:
    """scikit-learn's MLPClassifier, (64,) hidden units, trained until it converges."""
    classifier = MLPClassifier(hidden_layer_sizes=(64,), max_iter=1000, random_state=SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # it must converge, not stop early
        return classifier.fit(*train_set)


def train_nn(train_set: tuple[np.ndarray, np.ndarray], epochs: int) -> nn.Sequential:
    """The nn network, trained with Adam on mini-batches of 32 for `epochs` epochs."""
    model = nn.Sequential(nn.Linear(64, 256, seed=SEED), nn.ReLU(), nn.Dropout(0.3, seed=SEED),
                          nn.Linear(256, 10, seed=SEED + 1))
    nn.fit(model, nn.cross_entropy, nn.Adam(model.parameters(), lr=1e-3), *train_set,
           epochs=epochs, batch_size=32, task="multiclass", progress=False, seed=SEED)
    return model


def predict(model: nn.Module, X: np.ndarray) -> np.ndarray:
    """The digit with the highest score for each row of X, in evaluation mode."""
    model.eval()
    with no_grad():
        return model(Value(X, requires_grad=False)).data.argmax(axis=1)


def compare(y_test: np.ndarray, predictions: dict[str, np.ndarray], iterations: int,
            epochs: int, quick: bool) -> None:
    """The two models side by side, then whether nn matched scikit-learn."""
    correct = {name: int(np.sum(p == y_test)) for name, p in predictions.items()}
    rows = [("hidden layer", "64 ReLU units", "256 ReLU units, dropout 0.3"),
            ("training", f"Adam, {iterations} iterations", f"nn.Adam, {epochs} epochs"),
            ("test accuracy", *(f"{correct[name] / len(y_test):.1%} ({correct[name]} of "
                                f"{len(y_test)})" for name in predictions))]
    print(f"{'':<14} {'scikit-learn MLPClassifier':<28} nn network")
    for row in rows:
        print(f"{row[0]:<14} {row[1]:<28} {row[2]}")
    sklearn_correct, nn_correct = correct.values()
    if quick:
        print(f"\nquick run: {epochs} epochs, not enough to compare; run without --quick")
    elif nn_correct >= sklearn_correct:
        print(f"\nthe nn network matches or beats scikit-learn: {nn_correct} correct against "
              f"{sklearn_correct}")
    else:
        print(f"\nthe nn network falls short of scikit-learn: {nn_correct} correct against "
              f"{sklearn_correct}")


def plot(X_test: np.ndarray, y_test: np.ndarray, predictions: dict[str, np.ndarray]) -> None:
    """Both confusion matrices side by side; below them, the digits either model got wrong."""
    plt = pyplot()
    fig = plt.figure(figsize=(13, 10))
    grid = fig.add_gridspec(2, 12, height_ratios=[5, 1], hspace=0.15)
    matrices = grid[0, :].subgridspec(1, 2, wspace=0.2)
    matrix_axes = [fig.add_subplot(matrices[0, 0]), fig.add_subplot(matrices[0, 1])]
    for ax, (name, predicted) in zip(matrix_axes, predictions.items(), strict=True):
        matrix = confusion_matrix(y_test, predicted, labels=range(10))
        ax.imshow(matrix, cmap="Blues")
        for (true, guess), count in np.ndenumerate(matrix):
            if count:
                ax.text(guess, true, count, ha="center", va="center", fontsize=8,
                        color="white" if count > matrix.max() / 2 else "black")
        accuracy = np.mean(predicted == y_test)
        ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit",
               ylabel="true digit", title=f"{name}: {accuracy:.1%} of {len(y_test)} correct")
    wrong = np.flatnonzero(np.any([p != y_test for p in predictions.values()], axis=0))[:12]
    sklearn_predicted, nn_predicted = predictions.values()
    for column, i in enumerate(wrong):
        ax = fig.add_subplot(grid[1, column])
        ax.imshow(X_test[i].reshape(8, 8), cmap="gray_r")
        ax.set_title(f"true {y_test[i]}\nsklearn {sklearn_predicted[i]}\nnn {nn_predicted[i]}",
                     fontsize=9)
        ax.axis("off")
    fig.text(0.5, 0.26, "Test digits either model got wrong", ha="center", fontsize=11)
    save_figure(fig, "handwritten_digits.png")


def main() -> None:
    args = parse_args(__doc__, epochs=(100, 15))
    epochs = args.epochs
    (X_train, y_train), (X_test, y_test) = load()
    print(f"{len(X_train) + len(X_test)} digits: {len(X_train)} for training, {len(X_test)} "
          "for testing (8x8 pixels, scaled to [0, 1])\n")
    classifier = train_sklearn((X_train, y_train))
    model = train_nn((X_train, y_train), epochs)
    predictions = {"scikit-learn MLPClassifier": classifier.predict(X_test),
                   "nn network": predict(model, X_test)}
    compare(y_test, predictions, classifier.n_iter_, epochs, args.quick)
    print()
    plot(X_test, y_test, predictions)


if __name__ == "__main__":
    main()
