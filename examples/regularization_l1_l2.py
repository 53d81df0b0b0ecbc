"""Regularization: L1 against L2 on the same model and data.

A penalty on the size of the weights is added to the loss: L1 adds lam * sum(|w|), L2 adds
lam * sum(w²). Their gradients differ, and so do the weights they leave:

- L1 pulls every weight towards zero by the same amount (lam * sign(w)), however small the
  weight already is, so a weight the data does not need is pulled all the way to zero: L1 makes
  the model sparse, with a few large weights and the rest (nearly) zero;
- L2 pulls by an amount proportional to the weight (2 lam w), strongly on large weights and
  hardly at all on small ones, so it shrinks all of them and no weight grows large, but few
  become exactly zero: small and even.

The data makes this visible: two moons (2 useful inputs) plus 18 inputs of pure noise, with
only 200 points to learn from, so a network without a penalty also fits the noise. The same
network (20 inputs, 16 tanh units, 2 outputs), from the same initial weights, is trained
without a penalty, with L1 and with L2 (the same lam, on the weights; biases are left alone).

What to look for:
- how many of the 352 weights end up nearly zero (|w| < 0.01): a handful without a penalty,
  most of them with L1, some with L2;
- the largest weight compared with the mean one (max/mean): L1 keeps a few large weights among
  many zeros, L2 has no large weight;
- the first-layer weights leaving the useful inputs and the noise inputs: L1 all but cuts the
  noise inputs off;
- examples/output/regularization_l1_l2.png: the histograms of the weights (L1: a spike at zero
  and a few large weights; L2: one narrow bump) and the weight leaving each input.

Run: python examples/regularization_l1_l2.py (add --quick for fewer epochs).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from _common import parse_args, pyplot, save_figure

import nn
from autograd import Value

CHECKS = [
    r"^none +[0-9] of 352 \( *\d\.\d%\)",
    r"^L1 +3\d\d of 352 \((8\d|9\d)\.\d%\) +0\.0\d\d +\d\.\d\d +([4-9]\d|\d{3})\.\d ",
    r"^L2 +\d{1,2} of 352 \( *(1?\d|2\d)\.\d%\) +0\.\d{3} +0\.\d\d +\d\.\d ",
    r"L1 leaves ([3-9]|\d{2,}) times as many weights nearly zero as L2",
    r"^L1 +useful inputs +\d\.\d\d +noise inputs +0\.\d\d +\(noise ([5-9]|\d{2,}) times "
    r"smaller\)",
    r"saved examples/output/regularization_l1_l2\.png",
]

LAM = 0.01
NEARLY_ZERO = 0.01
USEFUL, NOISE = 2, 18
PENALTIES: dict[str, Callable[[list[Value], float], Value] | None] = {
    "none": None, "L1": nn.l1_penalty, "L2": nn.l2_penalty}


def make_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two moons in the first two columns, Gaussian noise in the other 18."""
    X, y = nn.make_moons(n, noise=0.15, seed=0)
    noise = np.random.default_rng(0).normal(size=(n, NOISE))
    return np.hstack([X, noise]), y


def train(penalty: Callable[[list[Value], float], Value] | None, train_set: tuple,
          epochs: int) -> nn.Sequential:
    """The network trained on the whole training set each step, with `penalty` on its weights."""
    model = nn.Sequential(nn.Linear(USEFUL + NOISE, 16, seed=0), nn.Tanh(),
                          nn.Linear(16, 2, seed=1))
    weights = [layer.weight for layer in (model[0], model[2])]

    def loss(outputs: Value, labels: np.ndarray) -> Value:
        data_loss = nn.cross_entropy(outputs, labels)
        return data_loss if penalty is None else data_loss + penalty(weights, LAM)

    optimizer = nn.SGD(model.parameters(), lr=0.1, momentum=0.9)
    nn.fit(model, loss, optimizer, *train_set, epochs=epochs, progress=False, seed=0)
    return model


def all_weights(model: nn.Sequential) -> np.ndarray:
    """Every weight of the model (not the biases) in one flat array."""
    return np.concatenate([model[0].weight.data.ravel(), model[2].weight.data.ravel()])


def input_weights(model: nn.Sequential) -> np.ndarray:
    """For each input, the summed size of the 16 first-layer weights leaving it (a column of
    the weight, whose rows are the units)."""
    return np.abs(model[0].weight.data).sum(axis=0)


def report(models: dict[str, nn.Sequential], train_set: tuple, validation: tuple) -> None:
    """The weight statistics and accuracies of each model, then the weights per input."""
    print(f"{'penalty':<8} {'weights |w| < 0.01':>20} {'mean |w|':>9} {'max |w|':>8} "
          f"{'max/mean':>13} {'train acc':>10} {'val acc':>8}")
    nearly_zero = {}
    for name, model in models.items():
        w = np.abs(all_weights(model))
        nearly_zero[name] = int(np.sum(w < NEARLY_ZERO))
        accuracies = [nn.evaluate(model, nn.cross_entropy, *data, task="multiclass")[1]
                      for data in (train_set, validation)]
        print(f"{name:<8} {nearly_zero[name]:>5} of {w.size} ({nearly_zero[name] / w.size:5.1%})"
              f" {w.mean():9.3f} {w.max():8.2f} {w.max() / w.mean():13.1f} "
              f"{accuracies[0]:10.1%} {accuracies[1]:8.1%}")
    ratio = nearly_zero["L1"] / max(nearly_zero["L2"], 1)
    print(f"\nL1 leaves {ratio:.0f} times as many weights nearly zero as L2")
    print("\nsummed |w| of the 16 first-layer weights leaving an input (average per input):")
    for name, model in models.items():
        per_input = input_weights(model)
        useful, noise = per_input[:USEFUL].mean(), per_input[USEFUL:].mean()
        print(f"{name:<8} useful inputs {useful:5.2f}   noise inputs {noise:5.2f}   "
              f"(noise {useful / noise:.0f} times smaller)")


def plot(models: dict[str, nn.Sequential]) -> None:
    """Histograms of each model's weights, and the weight leaving each input."""
    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    colors = {"none": "#7570b3", "L1": "#d95f02", "L2": "#1b9e77"}
    largest = max(np.abs(all_weights(model)).max() for model in models.values())
    bins = np.linspace(-largest, largest, 49)
    for ax, (name, model) in zip(axes.flat, models.items(), strict=False):
        w = all_weights(model)
        ax.hist(w, bins=bins, color=colors[name], edgecolor="black", linewidth=0.5)
        zero = int(np.sum(np.abs(w) < NEARLY_ZERO))
        title = "no penalty" if name == "none" else f"{name} penalty, lam = {LAM}"
        ax.set(xlabel="weight", ylabel="number of weights",
               title=f"{title}\n{zero} of {w.size} weights nearly zero, "
                     f"the largest |w| = {np.abs(w).max():.2f}")
    ax_inputs = axes.flat[3]
    inputs = np.arange(USEFUL + NOISE)
    width = 0.27
    for i, (name, model) in enumerate(models.items()):
        ax_inputs.bar(inputs + (i - 1) * width, input_weights(model), width,
                      color=colors[name], label=name)
    ax_inputs.axvspan(-0.5, USEFUL - 0.5, color="gold", alpha=0.3, zorder=0,
                      label="useful inputs")
    ax_inputs.set(xlabel="input (0 and 1: the moons; 2 to 19: noise)",
                  ylabel="summed |w| of the weights leaving it", xticks=inputs,
                  title="First-layer weights leaving each input")
    ax_inputs.legend()
    fig.tight_layout()
    save_figure(fig, "regularization_l1_l2.png")


def main() -> None:
    args = parse_args(__doc__, epochs=(2000, 300))
    epochs = args.epochs
    X, y = make_data(400)
    train_set, validation = (X[:200], y[:200]), (X[200:], y[200:])
    print(f"two moons plus {NOISE} noise inputs: {len(train_set[0])} training and "
          f"{len(validation[0])} validation points")
    print(f"a 20-16-2 tanh network, SGD with momentum, {epochs} epochs; penalty lam = {LAM} "
          "on the weights\n")
    models = {name: train(penalty, train_set, epochs) for name, penalty in PENALTIES.items()}
    report(models, train_set, validation)
    print()
    plot(models)


if __name__ == "__main__":
    main()
