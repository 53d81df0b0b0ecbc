"""Softmax, one-hot encoding, maximum likelihood and cross-entropy, worked out with numbers.

Four animals were observed, each a duck, a beaver or a walrus. Two models give every animal a
score per class; softmax turns the scores into probabilities (exp(score) / sum of exp(scores),
positive and summing to 1). The observed classes are written one-hot: a row with 1 at the
class and 0 elsewhere.

Which model is better? Maximum likelihood says: the one that gives the observed labels the
higher probability, where the probability of all four labels is the product of the
probabilities of each. Products of many small numbers are awkward, so we take -log of it,
which turns the product into a sum: the cross-entropy, -sum(log p(observed label)). A higher
likelihood is exactly a lower cross-entropy, and `nn.cross_entropy` (the mean over the
examples) gives the same number as the sum worked out by hand.

What to look for:
- one animal's softmax worked out step by step, and the one-hot rows of the labels;
- the table of the probability each model gives each observed label, the products
  (likelihoods) and the cross-entropies: model A has the higher likelihood and the lower
  cross-entropy;
- examples/output/softmax_cross_entropy.png: those probabilities side by side, and where each
  lands on the curve -log(p), whose sum is the cross-entropy.

Run: python examples/softmax_cross_entropy.py (the --quick run is the same: it takes a second).
"""

import math

import numpy as np
from _common import parse_args, pyplot, save_figure

import nn
from autograd import Value

CHECKS = [
    r"exp\(scores\) / sum = \[0\.659, 0\.242, 0\.099\] +nn\.softmax: \[0\.659, 0\.242, 0\.099\]",
    r"one-hot labels: \[\[1 0 0\], \[0 1 0\], \[0 0 1\], \[1 0 0\]\]",
    r"model A: +0\.659 x 0\.802 x 0\.690 x 0\.490 = likelihood 0\.1788\n +0\.417 \+ 0\.220 "
    r"\+ 0\.371 \+ 0\.714 = cross-entropy 1\.722 .*\n.*mean over the animals: 0\.430",
    r"model B: .* = likelihood 0\.0059\n.* = cross-entropy 5\.141 .*\n.*animals: 1\.285",
    r"the model with the higher likelihood \(model A: 0\.1788 > 0\.0059\)\nhas the lower "
    r"cross-entropy \(\d\.\d{3} < \d\.\d{3}\)",
    r"cross-entropy = -log\(likelihood\) = 4 x nn\.cross_entropy: yes for both models",
    r"saved examples/output/softmax_cross_entropy\.png",
]

CLASSES = ["duck", "beaver", "walrus"]
LABELS = np.array([0, 1, 2, 0])  # what the four animals were
SCORES = {  # each model's score for (duck, beaver, walrus), one row per animal
    "model A": np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [0.2, 0.4, 1.8], [1.5, 0.3, 1.2]]),
    "model B": np.array([[1.0, 1.5, 0.2], [1.2, 1.0, 0.9], [0.6, 1.4, 1.1], [0.3, 0.8, 1.5]]),
}


def numbers(values: np.ndarray, digits: int = 3) -> str:
    """A row of numbers in brackets, with `digits` decimals each."""
    return "[" + ", ".join(f"{v:.{digits}f}" for v in values) + "]"


def show_softmax(scores: np.ndarray) -> None:
    """Softmax of one row of scores, step by step, and nn.softmax of the same row."""
    exps = np.exp(scores)
    print(f"softmax of the scores {numbers(scores, 1)} (animal 1, model A):")
    print(f"  exp(scores)       = {numbers(exps)}   their sum = {exps.sum():.3f}")
    print(f"  exp(scores) / sum = {numbers(exps / exps.sum())}   "
          f"nn.softmax: {numbers(nn.softmax(scores))}")


def observed_probabilities(scores: np.ndarray) -> np.ndarray:
    """The probability the model gives each animal's observed class: softmax times one-hot."""
    return (nn.softmax(scores) * nn.one_hot(LABELS, len(CLASSES))).sum(axis=1)


def plot(probabilities: dict[str, np.ndarray], likelihoods: dict[str, float],
         cross_entropies: dict[str, float]) -> None:
    """Bars of the observed labels' probabilities, and their -log on the -log(p) curve."""
    plt = pyplot()
    fig, (ax_bars, ax_curve) = plt.subplots(1, 2, figsize=(13, 5))
    colors = {"model A": "#1b9e77", "model B": "#d95f02"}
    positions = np.arange(len(LABELS))
    for offset, (name, p) in zip((-0.2, 0.2), probabilities.items(), strict=True):
        ax_bars.bar(positions + offset, p, width=0.4, color=colors[name],
                    label=f"{name}: likelihood {likelihoods[name]:.4f}")
    ax_bars.set_xticks(positions, [f"animal {i + 1}\n({CLASSES[k]})"
                                   for i, k in enumerate(LABELS)])
    ax_bars.set(ylim=(0, 1), ylabel="probability of the observed class",
                title="What each model gives the observed labels\n"
                      "(likelihood = the product of the bars)")
    ax_bars.legend()
    p = np.linspace(0.02, 1, 200)
    ax_curve.plot(p, -np.log(p), color="grey", label="-log(p)")
    for name, observed in probabilities.items():
        ax_curve.scatter(observed, -np.log(observed), s=70, color=colors[name],
                         edgecolors="black", zorder=3,
                         label=f"{name}: sum = cross-entropy {cross_entropies[name]:.3f}")
    ax_curve.set(xlabel="probability of the observed class", ylabel="-log(probability)",
                 title="Each label's share of the cross-entropy")
    ax_curve.legend()
    fig.tight_layout()
    save_figure(fig, "softmax_cross_entropy.png")


def main() -> None:
    parse_args(__doc__)
    print(f"classes: {', '.join(CLASSES)}; observed: "
          f"{', '.join(CLASSES[k] for k in LABELS)}\n")
    show_softmax(SCORES["model A"][0])
    one_hot = nn.one_hot(LABELS, len(CLASSES)).astype(int)
    print(f"\none-hot labels: [{', '.join(str(row) for row in one_hot)}]\n")

    probabilities = {name: observed_probabilities(s) for name, s in SCORES.items()}
    likelihoods = {name: float(np.prod(p)) for name, p in probabilities.items()}
    cross_entropies = {name: float(-np.log(p).sum()) for name, p in probabilities.items()}
    mean_losses = {name: nn.cross_entropy(Value(s), LABELS).item() for name, s in SCORES.items()}
    print("the probability each model gives the observed classes, animal by animal:")
    for name, p in probabilities.items():
        print(f"  {name}:  {' x '.join(f'{v:.3f}' for v in p)} = likelihood "
              f"{likelihoods[name]:.4f}")
        print(f"  {' ' * len(name)}   {' + '.join(f'{v:.3f}' for v in -np.log(p))} = "
              f"cross-entropy {cross_entropies[name]:.3f}   (-log of each)")
        print(f"  {' ' * len(name)}   nn.cross_entropy, the mean over the animals: "
              f"{mean_losses[name]:.3f}")

    best = max(likelihoods, key=likelihoods.get)
    other = min(likelihoods, key=likelihoods.get)
    if cross_entropies[best] < cross_entropies[other]:
        print(f"\nthe model with the higher likelihood ({best}: {likelihoods[best]:.4f} > "
              f"{likelihoods[other]:.4f})\nhas the lower cross-entropy "
              f"({cross_entropies[best]:.3f} < {cross_entropies[other]:.3f})")
    agree = all(math.isclose(cross_entropies[n], -math.log(likelihoods[n]))
                and math.isclose(cross_entropies[n], len(LABELS) * mean_losses[n])
                for n in SCORES)
    print(f"cross-entropy = -log(likelihood) = {len(LABELS)} x nn.cross_entropy: "
          f"{'yes' if agree else 'NO'} for both models\n")
    plot(probabilities, likelihoods, cross_entropies)


if __name__ == "__main__":
    main()
