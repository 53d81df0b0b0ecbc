"""Local minima: plain gradient descent gets stuck, momentum and random restarts get out.

f(x) = x⁴ - 4x² + x has two valleys: a shallow one on the right (a local minimum) and a deeper
one on the left (the global minimum), with a bump between them. Gradient descent only ever
walks downhill, so started on the right it settles in the right valley and stays there: at the
bottom the gradient is zero and nothing pushes it further.

Two ways out:
- momentum (nn.SGD(momentum=0.9)): each step adds the new gradient to a running velocity, so
  the point rolls like a heavy ball; the speed it gathers on the steep slope carries it up and
  over the bump, and friction (the 0.9) lets it come to rest in the deeper valley;
- random restarts (nn.random_restarts): run plain gradient descent from several random starting
  points and keep the best end; the starts that fall on the left of the bump find the global
  minimum.

What to look for:
- the table: plain gradient descent ends in the local minimum, momentum from the same start in
  the global one, and the best of the random restarts in the global one too;
- examples/output/local_minima_momentum.png: the curve with both paths (plain descent stops in
  the right valley; momentum crosses the bump, overshoots and settles in the left one) and x
  against the step, where the momentum path crosses the bump.

Run: python examples/local_minima_momentum.py (add --quick for fewer restarts).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _common import parse_args, pyplot, save_figure

import nn
from autograd import Value

CHECKS = [
    r"local minimum +x = +1\.347 +f\(x\) = -2\.619",
    r"global minimum +x = -1\.473 +f\(x\) = -5\.444",
    r"plain gradient descent +2\.500 +1\.347 +-2\.619 +local minimum",
    r"momentum 0\.9 +2\.500 +-1\.473 +-5\.444 +global minimum",
    r"restart \d +-?\d\.\d{3} +1\.347 +-2\.619 +local minimum",
    r"restart \d +-?\d\.\d{3} +-1\.473 +-5\.444 +global minimum",
    r"best of 4 restarts +-?\d\.\d{3} +-1\.473 +-5\.444 +global minimum",
    r"saved examples/output/local_minima_momentum\.png",
]

START = 2.5
LEARNING_RATE = 0.01
MOMENTUM = 0.9
STEPS = 200
RANGE = (-2.3, 2.7)  # where the picture shows f and the restarts start


def f(x: Any) -> Any:
    """The function to minimise: a Value in, a Value out (or an array in, an array out)."""
    return x**4 - 4 * x**2 + x


class Point(nn.Module):
    """The one parameter being optimised, x, as a module whose output is f(x)."""

    def __init__(self, start: float) -> None:
        self.start = start
        self.x = Value(start, label="x")

    def forward(self) -> Value:
        return f(self.x)


def descend(point: Point, momentum: float) -> list[float]:
    """Run STEPS steps of gradient descent (with momentum if > 0) on f; return x at each."""
    optimizer = nn.SGD(point.parameters(), lr=LEARNING_RATE, momentum=momentum)
    path = [point.x.data]
    for _ in range(STEPS):
        optimizer.zero_grad()
        point().backward()
        optimizer.step()
        path.append(point.x.data)
    return path


def find_minima() -> dict[str, float]:
    """The two minima and the bump of f, read off a fine grid (exact to 1e-4)."""
    x = np.linspace(*RANGE, 50001)
    y = f(x)
    inner = np.arange(1, len(x) - 1)
    lows = inner[(y[inner] < y[inner - 1]) & (y[inner] < y[inner + 1])]
    highs = inner[(y[inner] > y[inner - 1]) & (y[inner] > y[inner + 1])]
    deepest = lows[np.argmin(y[lows])]
    shallow = lows[lows != deepest][0]
    return {"global minimum": x[deepest], "local minimum": x[shallow], "bump": x[highs[0]]}


def where(x: float, minima: dict[str, float]) -> str:
    """Which minimum x is at (within 0.01), or 'neither'."""
    for name in ("global minimum", "local minimum"):
        if abs(x - minima[name]) < 0.01:
            return name
    return "neither"


def restarts(count: int, minima: dict[str, float]) -> list[list[float]]:
    """Plain gradient descent from `count` random starts, keeping the best end (lowest f);
    print every run and the best; return the paths."""
    paths = []

    def make_point(seed: int) -> Point:
        return Point(float(np.random.default_rng(seed).uniform(*RANGE)))

    def train(point: Point) -> float:
        paths.append(descend(point, momentum=0.0))
        return point().item()

    best, _, _ = nn.random_restarts(make_point, train, n=count, seed=0)
    for i, path in enumerate(paths, start=1):
        row(f"  restart {i}", path[0], path[-1], minima)
    row(f"best of {count} restarts", best.start, best.x.data, minima)
    return paths


def row(name: str, start: float, end: float, minima: dict[str, float]) -> None:
    """One line of the table: where a run started and ended, and which minimum that is."""
    print(f"{name:<28} {start:7.3f} {end:7.3f} {f(end):9.3f}   {where(end, minima)}")


def plot(plain: list[float], heavy: list[float], restart_paths: list[list[float]],
         minima: dict[str, float], gallery: bool) -> None:
    """The curve with both paths on it, and x against the step for every run."""
    plt = pyplot()
    fig, (ax_curve, ax_steps) = plt.subplots(1, 2, figsize=(13, 5))
    grid = np.linspace(*RANGE, 400)
    ax_curve.plot(grid, f(grid), color="black", linewidth=1.5, label="f(x) = x⁴ - 4x² + x")
    for path, color, name in ((plain, "#1f78b4", "plain gradient descent"),
                              (heavy, "#d95f02", f"momentum {MOMENTUM}")):
        xs = np.array(path)
        ax_curve.plot(xs, f(xs), "o-", color=color, markersize=3, linewidth=0.8, alpha=0.7,
                      label=f"{name}: ends at x = {xs[-1]:.2f}")
        ax_curve.plot(xs[-1], f(xs[-1]), "*", color=color, markersize=16,
                      markeredgecolor="black")
    ax_curve.plot(START, f(START), "s", color="grey", markersize=9, label=f"start x = {START}")
    ax_curve.set(xlabel="x", ylabel="f(x)", title="Both paths on the curve")
    ax_curve.legend(loc="upper center")
    for path in restart_paths:
        ax_steps.plot(path, color="grey", linewidth=0.8, alpha=0.6)
    ax_steps.plot([], [], color="grey", label="random restarts (plain descent)")
    ax_steps.plot(plain, color="#1f78b4", linewidth=2, label="plain gradient descent")
    ax_steps.plot(heavy, color="#d95f02", linewidth=2, label=f"momentum {MOMENTUM}")
    for name, style in (("global minimum", ":"), ("local minimum", ":"), ("bump", "--")):
        ax_steps.axhline(minima[name], color="black", linestyle=style, linewidth=0.8)
        ax_steps.annotate(name, (STEPS, minima[name]), xytext=(-4, 3),
                          textcoords="offset points", ha="right", fontsize=9)
    ax_steps.set(xlabel="step", ylabel="x", ylim=(RANGE[0] - 0.2, RANGE[1] + 1.0),
                 title="x at each step: momentum crosses the bump")
    ax_steps.legend(loc="upper right")
    fig.tight_layout()
    save_figure(fig, "local_minima_momentum.png", gallery=gallery)


def main() -> None:
    args = parse_args(__doc__, restarts=(8, 4))
    count = args.restarts
    minima = find_minima()
    print("f(x) = x^4 - 4x^2 + x")
    for name in ("global minimum", "local minimum", "bump"):
        print(f"  {name:<15} x = {minima[name]:6.3f}   f(x) = {f(minima[name]):6.3f}")
    print()
    print(f"{STEPS} steps, learning rate {LEARNING_RATE}")
    print(f"{'run':<28} {'start x':>7} {'end x':>7} {'f(end x)':>9}   ends in")
    plain = descend(Point(START), momentum=0.0)
    row("plain gradient descent", START, plain[-1], minima)
    heavy = descend(Point(START), momentum=MOMENTUM)
    row(f"momentum {MOMENTUM}", START, heavy[-1], minima)
    print(f"random restarts from x in [{RANGE[0]}, {RANGE[1]}], plain gradient descent:")
    restart_paths = restarts(count, minima)
    print()
    plot(plain, heavy, restart_paths, minima, args.gallery)


if __name__ == "__main__":
    main()
