"""Perceptrons as logical operators: AND, OR and NOT, and why XOR needs two layers.

A perceptron outputs step(w · x + b): 1 when the weighted sum reaches the threshold, else 0. Its
boundary, w · x + b = 0, is a straight line, so it can compute any logical operator whose 1s can
be cut off from its 0s by one line. AND, OR and NOT can; XOR (1 when exactly one input is 1)
cannot. A network of two layers can: XOR(x) = AND(OR(x), NAND(x)), where the hidden layer's two
lines together fence off the two points whose output is 1.

What to look for:
- each gate's weights and bias, and its truth table computed by the perceptron;
- a search over tens of thousands of weight settings: no single perceptron gets more than 3 of
  XOR's 4 rows right;
- the XOR network's truth table with its hidden layer's outputs;
- examples/output/perceptron_logic_gates.png: each gate's decision region (its boundary line),
  and XOR's region between the two lines of the hidden layer.

Run: python examples/perceptron_logic_gates.py (add --quick for a coarser weight search).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np
from _common import on_grid, parse_args, pyplot, save_figure

import nn

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CHECKS = [
    r"AND +weights \(1\.0, 1\.0\) +bias -1\.5 +truth table: 0 0 -> 0, 0 1 -> 0, 1 0 -> 0, "
    r"1 1 -> 1",
    r"OR +weights \(1\.0, 1\.0\) +bias -0\.5 +truth table: 0 0 -> 0, 0 1 -> 1, 1 0 -> 1, "
    r"1 1 -> 1",
    r"NOT +weights \(-1\.0\) +bias +0\.5 +truth table: 0 -> 1, 1 -> 0",
    r"best single perceptron on XOR: 3 of 4 rows right \(\d+ weight settings tried\)",
    r"XOR network truth table: 0 0 -> 0, 0 1 -> 1, 1 0 -> 1, 1 1 -> 0",
    r"saved examples/output/perceptron_logic_gates\.png",
]

TWO_INPUTS = np.array(list(itertools.product([0, 1], repeat=2)), dtype=float)
XOR_TARGETS = np.array([0, 1, 1, 0])


def truth_table(inputs: np.ndarray, outputs: np.ndarray) -> str:
    """Rows like "0 1 -> 1", joined by commas."""
    return ", ".join(" ".join(f"{int(v)}" for v in row) + f" -> {int(out)}"
                     for row, out in zip(inputs, outputs, strict=True))


def describe_gate(name: str, gate: nn.Perceptron, inputs: np.ndarray) -> None:
    """Print the gate's weights, bias and truth table on one line."""
    weights = ", ".join(f"{w:.1f}" for w in gate.weights.data)
    print(f"{name:<4} weights {'(' + weights + ')':<11} bias {gate.bias.data:4.1f}   truth table: "
          f"{truth_table(inputs, gate.predict(inputs))}")


def best_single_perceptron_on_xor(grid_points: int) -> tuple[int, int]:
    """Try every (w1, w2, b) on a grid over [-2, 2]; return the most XOR rows any gets right,
    and how many settings were tried."""
    grid = np.linspace(-2.0, 2.0, grid_points)
    settings = np.array(list(itertools.product(grid, repeat=3)))  # rows (w1, w2, b)
    outputs = nn.step(TWO_INPUTS @ settings[:, :2].T + settings[:, 2])  # (4 rows, settings)
    correct = (outputs == XOR_TARGETS[:, None]).sum(axis=0)
    return int(correct.max()), len(settings)


ONE = "#1f78b4"  # colours of output 1 and output 0: points, and regions in lighter shades
ZERO = "#d95f02"
REGIONS = ["#f4c7a1", "#a9c9e8"]
SQUARE = (-0.5, 1.5)


def plot_two_input_gate(ax: Axes, name: str, gate: nn.Module) -> None:
    """The gate's output over the square around the four corners, and its truth table."""
    xx, yy, regions = on_grid(gate.predict, SQUARE, SQUARE, steps=201)
    ax.contourf(xx, yy, regions, levels=[-0.5, 0.5, 1.5], colors=REGIONS)
    outputs = gate.predict(TWO_INPUTS)
    ax.scatter(*TWO_INPUTS.T, c=np.where(outputs == 1, ONE, ZERO), s=120, edgecolors="black",
               zorder=3)
    for point, out in zip(TWO_INPUTS, outputs, strict=True):
        ax.annotate(f"{out}", point, textcoords="offset points", xytext=(9, 9))
    ax.set(title=name, xlabel="x1", ylabel="x2", xlim=SQUARE, ylim=SQUARE)


def plot_hidden_lines(ax: Axes, xor: nn.XORNetwork) -> None:
    """The boundary lines w1 x1 + w2 x2 + b = 0 of the XOR network's two hidden perceptrons."""
    x1 = np.array(SQUARE)
    for name, hidden, style in (("OR", xor.or_gate, "--"), ("NAND", xor.nand_gate, ":")):
        (w1, w2), b = hidden.weights.data, hidden.bias.data
        ax.plot(x1, -(b + w1 * x1) / w2, style, color="black", label=f"{name} line")
    ax.legend(loc="lower left", fontsize=8)


def plot_not(ax: Axes, gate: nn.Perceptron) -> None:
    """NOT's output along its single input: the boundary is a point, not a line."""
    x = np.linspace(*SQUARE, 201)
    outputs = gate.predict(x[:, None])
    for out in (1, 0):
        ax.fill_between(x, 0, 1, where=outputs == out, color=REGIONS[out],
                        label=f"output {out}")
    ax.scatter([0, 1], [0.5, 0.5], c=[ONE, ZERO], s=120, edgecolors="black", zorder=3)
    ax.set(title="NOT (boundary: the point x = 0.5)", xlabel="x", yticks=[], xlim=SQUARE,
           ylim=(0, 1))
    ax.legend(loc="lower left", fontsize=8)


def plot_regions(gates: dict[str, nn.Perceptron], xor: nn.XORNetwork) -> None:
    """AND, OR, NOT and the XOR network side by side."""
    plt = pyplot()
    fig, axes = plt.subplots(1, 4, figsize=(16, 4.2))
    plot_two_input_gate(axes[0], "AND", gates["AND"])
    plot_two_input_gate(axes[1], "OR", gates["OR"])
    plot_not(axes[2], gates["NOT"])
    plot_two_input_gate(axes[3], "XOR network = AND(OR, NAND)", xor)
    plot_hidden_lines(axes[3], xor)
    fig.suptitle("Perceptrons as logical operators: output 1 in blue, output 0 in orange")
    fig.tight_layout()
    save_figure(fig, "perceptron_logic_gates.png")


def main() -> None:
    args = parse_args(__doc__)
    gates = {"AND": nn.and_perceptron(), "OR": nn.or_perceptron(), "NOT": nn.not_perceptron()}
    for name, gate in gates.items():
        describe_gate(name, gate, TWO_INPUTS if name != "NOT" else np.array([[0.0], [1.0]]))

    print(f"\nXOR wants:           {truth_table(TWO_INPUTS, XOR_TARGETS)}")
    best, tried = best_single_perceptron_on_xor(grid_points=21 if args.quick else 41)
    print(f"best single perceptron on XOR: {best} of 4 rows right ({tried} weight settings "
          "tried)\n  no line puts (0, 1) and (1, 0) on one side and (0, 0) and (1, 1) on the "
          "other")

    xor = nn.xor_network()
    print("\nXOR network = AND(OR(x), NAND(x)), a hidden layer of two perceptrons:")
    print("  x1 x2 | OR NAND | XOR")
    for row in TWO_INPUTS:
        hidden = [int(gate.predict(row[None])[0]) for gate in (xor.or_gate, xor.nand_gate)]
        print(f"   {row[0]:.0f}  {row[1]:.0f} |  {hidden[0]}   {hidden[1]}  |  "
              f"{xor.predict(row[None])[0]}")
    print(f"XOR network truth table: {truth_table(TWO_INPUTS, xor.predict(TWO_INPUTS))}\n")

    plot_regions(gates, xor)


if __name__ == "__main__":
    main()
