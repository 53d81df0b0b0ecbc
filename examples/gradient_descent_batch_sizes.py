"""Batch, stochastic and mini-batch gradient descent, and learning-rate decay.

The same network, from the same initial weights, learns the same points three ways; only the
batch size (how many points each gradient is computed from) changes:

- batch gradient descent (batch size = all n points): one exact gradient, one update per epoch;
- stochastic gradient descent (batch size 1): a noisy gradient from a single point, n updates
  per epoch;
- mini-batch gradient descent (batch size 32): in between, and what everyone uses in practice.

Per epoch, more updates means more progress: stochastic gradient descent goes furthest and batch
gradient descent least. Per second it is a trade: an update on one point costs nearly as much
Python overhead as an update on 32, so mini-batches get most of the progress for little time.

Stochastic gradient descent's noisy steps keep its loss jumping around the minimum, the more
so the larger the learning rate. Decaying the rate gets the best of both: large steps early for
fast progress, small ones late to settle. Three stochastic runs start from the rate 0.3, too
large to settle at: one keeps it, one decays it with nn.StepLR (times gamma every few epochs),
one with nn.ExponentialLR (times gamma every epoch). `nn.GradientFlow` watches these three runs
inside the network: how much each step changes the weights (the update over the weight norm)
and how many of the tanh outputs are saturated (within 1% of their range from -1 or 1, where
little gradient passes).

What to look for:
- the table: updates per epoch (1 for batch, n / 32 rounded up for mini-batch, n for
  stochastic), the loss after training (lowest for stochastic, highest for batch) and the
  measured time per epoch (it varies from machine to machine and run to run);
- the learning rates of the two schedules epoch by epoch, how much less the loss moves from
  epoch to epoch once the rate has decayed, and that it ends lower than at the constant rate;
- the gradient flow of the three runs: at the constant rate every step still changes the
  output layer's weights by percents (the rule of thumb for a good rate is about 1e-3 of their
  size) and more and more tanh outputs saturate (over half of them by the end); decayed, the
  steps fall below 1e-3 and fewer outputs saturate;
- examples/output/gradient_flow_<run>.png: `history.plot()` of each of the three runs;
- examples/output/gradient_descent_batch_sizes.png: loss against epochs and against seconds of
  training for the three batch sizes, and the stochastic runs with and without decay, with their
  learning rates.

Run: python examples/gradient_descent_batch_sizes.py (add --quick for fewer points and epochs).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from _common import parse_args, pyplot, save_figure

import nn

CHECKS = [
    r"batch gradient descent +200 +1 +0\.\d{3} +0\.\d{3} +fell by \d+%",
    r"mini-batch gradient descent +32 +7 +0\.\d{3} +0\.\d{3} +fell by \d+%",
    r"stochastic gradient descent +1 +200 +0\.\d{3} +0\.\d{3} +fell by \d+%",
    r"loss after 10 epochs: stochastic 0\.\d{3} < mini-batch 0\.\d{3} < batch 0\.\d{3}",
    r"StepLR\(step_size=2, gamma=0\.3\): lr 0\.3 for epochs 1-2, then 0\.09, 0\.027, 0\.0081, "
    r"0\.0024",
    r"ExponentialLR\(gamma=0\.676\): lr 0\.3, 0\.203, 0\.137, .*, 0\.00887",
    r"^ +10 +0\.3 +\d\.\d{4} +0\.0024 +0\.\d{4} +0\.0089 +0\.\d{4}$",
    r"with decay the loss settles \(it moves less from epoch to epoch\) and ends lower than "
    r"with a constant rate",
    r"saved examples/output/gradient_descent_batch_sizes\.png",
    r"constant lr +output layer update / weight \d\.\de-0[12] -> \d\.\de-0[12] +saturated tanh "
    r"outputs +\d+% -> [4-9]\d%",
    r"StepLR +output layer update / weight \d\.\de-0[12] -> \d\.\de-0[45] +saturated tanh "
    r"outputs +\d+% -> [1-3]\d%",
    r"ExponentialLR +output layer update / weight \d\.\de-0[12] -> \d\.\de-0[45] +saturated "
    r"tanh outputs +\d+% -> [1-3]\d%",
    r"decayed, the steps end below the 1e-3 rule of thumb and fewer tanh outputs saturate",
    r"saved examples/output/gradient_flow_constant_lr\.png",
]

LEARNING_RATE = 0.1
DECAY_START = 0.3  # a rate too high to settle with, which decay then brings down
MINI_BATCH = 32


def make_model() -> nn.Module:
    """The network every run trains, always from the same initial weights."""
    return nn.Sequential(nn.Linear(2, 16, seed=0), nn.Tanh(), nn.Linear(16, 16, seed=1),
                         nn.Tanh(), nn.Linear(16, 2, seed=2))


@dataclass
class LossClock:
    """A fit callback: after each epoch, the loss on the whole training set and the seconds
    spent training so far (the time this measurement itself takes is left out)."""

    X: np.ndarray
    y: np.ndarray
    seconds: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)

    def on_train_begin(self, history: nn.History, model: nn.Module) -> None:
        self.start, self.measuring = time.perf_counter(), 0.0
        self.measure(model)

    def on_epoch_end(self, epoch: int, history: nn.History, model: nn.Module) -> None:
        self.measure(model)

    def measure(self, model: nn.Module) -> None:
        now = time.perf_counter()
        self.seconds.append(now - self.start - self.measuring)
        self.losses.append(nn.evaluate(model, nn.cross_entropy, self.X, self.y)[0])
        self.measuring += time.perf_counter() - now


@dataclass
class Run:
    """One training run: its name, batch size, loss clock, history and update count."""

    name: str
    batch_size: int
    clock: LossClock
    history: nn.History
    updates: int


def train(name: str, data: tuple[np.ndarray, np.ndarray], batch_size: int, epochs: int,
          lr: float = LEARNING_RATE, schedule: Callable[[nn.Optimizer], Any] | None = None,
          watch: bool = False) -> Run:
    """Train a fresh model with plain SGD; `schedule(optimizer)` makes an lr scheduler;
    `watch` records the gradient flow into the history (nn.GradientFlow)."""
    model = make_model()
    optimizer = nn.SGD(model.parameters(), lr=lr)
    clock = LossClock(*data)
    history = nn.fit(model, nn.cross_entropy, optimizer, *data, epochs=epochs,
                     batch_size=batch_size, progress=False, seed=0,
                     callbacks=[clock, nn.GradientFlow()] if watch else [clock],
                     scheduler=schedule(optimizer) if schedule else None)
    return Run(name, batch_size, clock, history, optimizer.step_count)


def compare_batch_sizes(runs: list[Run], epochs: int) -> None:
    """The table of the three batch sizes, and their order by final loss."""
    print(f"{'':<28} {'batch':>5} {'updates':>9} {'loss':>6} {'loss':>6}  {'':<12}"
          f" {'time per':>9}")
    print(f"{'method':<28} {'size':>5} {'per epoch':>9} {'start':>6} {'end':>6}  {'':<12}"
          f" {'epoch':>9}")
    for run in runs:
        start, end = run.clock.losses[0], run.clock.losses[-1]
        change = f"{'fell' if end < start else 'rose'} by {abs(end - start) / start:.0%}"
        per_epoch = run.clock.seconds[-1] / epochs
        print(f"{run.name:<28} {run.batch_size:>5} {run.updates // epochs:>9} {start:6.3f} "
              f"{end:6.3f}  {change:<12} {per_epoch * 1000:6.1f} ms")
    ranked = sorted(runs, key=lambda run: run.clock.losses[-1])
    print(f"\nloss after {epochs} epochs: " + " < ".join(
        f"{run.name.split()[0]} {run.clock.losses[-1]:.3f}" for run in ranked))


def describe_schedule(run: Run, scheduler_name: str) -> None:
    """Print a schedule's learning rates: per step for StepLR, every epoch for ExponentialLR."""
    rates = run.history.lr
    if scheduler_name.startswith("StepLR"):
        changes = [i for i in range(1, len(rates)) if rates[i] != rates[i - 1]]
        first = changes[0] if changes else len(rates)
        later = ", ".join(f"{rates[i]:.2g}" for i in changes)
        print(f"{scheduler_name}: lr {rates[0]:.2g} for epochs 1-{first}, then {later}")
    else:
        shown = ", ".join(f"{rate:.3g}" for rate in rates[:4])
        print(f"{scheduler_name}: lr {shown}, ..., {rates[-1]:.3g} (times gamma each epoch)")


def jitter(losses: list[float]) -> float:
    """How much the loss moves from epoch to epoch over the second half of training."""
    half = np.array(losses[len(losses) // 2:])
    return float(np.mean(np.abs(np.diff(half))))


def compare_decay(runs: dict[str, Run]) -> None:
    """Epoch by epoch: each run's learning rate and loss; then how much each loss still moves.
    The first run is the one with a constant learning rate."""
    print(f"\n{'epoch':>5} " + " ".join(f"{name:>18}" for name in runs))
    print(f"{'':>5} " + " ".join(f"{'lr':>9} {'loss':>8}" for _ in runs))
    epochs = next(iter(runs.values())).history.epochs
    for epoch in [*range(0, epochs - 1, max(1, epochs // 10)), epochs - 1]:
        print(f"{epoch + 1:>5} " + " ".join(
            f"{run.history.lr[epoch]:>9.2g} {run.clock.losses[epoch + 1]:>8.4f}"
            for run in runs.values()))
    moves = [jitter(run.clock.losses) for run in runs.values()]
    print("\nmean change of the loss from one epoch to the next, second half of training:\n  "
          + ", ".join(f"{name} {move:.4f}" for name, move in zip(runs, moves, strict=True)))
    constant, *decayed = runs.values()
    settle = all(move < moves[0] for move in moves[1:])
    lower = all(run.clock.losses[-1] < constant.clock.losses[-1] for run in decayed)
    print(f"with decay the loss {'settles' if settle else 'does not settle'} (it moves "
          f"{'less' if settle else 'as much or more'} from epoch to epoch) and ends "
          f"{'lower' if lower else 'no lower'} than with a constant rate")


def compare_gradient_flow(runs: dict[str, Run]) -> None:
    """What nn.GradientFlow saw in each run, first epoch and last: the output layer's update
    over its weight norm, and the saturated share of all tanh outputs. The first run is the one
    with a constant learning rate."""
    print("\ngradient flow (nn.GradientFlow), first epoch -> last:")
    ends = {}
    for name, run in runs.items():
        history = run.history
        ratio = list(history.update_ratio.values())[-1]  # the output layer's
        # both tanh modules have 16 units: the mean of their fractions is that of all outputs
        saturated = np.mean(list(history.saturated_fraction.values()), axis=0)
        ends[name] = ratio[-1], saturated[-1]
        print(f"  {name:<15} output layer update / weight {ratio[0]:.1e} -> {ratio[-1]:.1e}   "
              f"saturated tanh outputs {saturated[0]:4.0%} -> {saturated[-1]:.0%}")
    (constant_ratio, constant_saturated), *decayed = ends.values()
    small = all(ratio < 1e-3 <= constant_ratio for ratio, _ in decayed)
    fewer = all(saturated < constant_saturated for _, saturated in decayed)
    print(f"decayed, the steps end {'below' if small else 'not below'} the 1e-3 rule of thumb "
          f"and {'fewer' if fewer else 'no fewer'} tanh outputs saturate; at the constant rate "
          f"each step still changes the output layer by {constant_ratio:.0e} of its size")


def plot(runs: list[Run], decay_runs: dict[str, Run]) -> None:
    """Loss against epochs and against seconds; stochastic runs with decay and their rates."""
    plt = pyplot()
    fig, axes = plt.subplots(2, 2, figsize=(13, 9))
    (ax_epochs, ax_seconds), (ax_decay, ax_rates) = axes
    for run in runs:
        epochs = np.arange(len(run.clock.losses))
        ax_epochs.plot(epochs, run.clock.losses, marker=".", label=run.name)
        # from the end of the first epoch: a log axis has no room for the start at 0 seconds
        ax_seconds.plot(run.clock.seconds[1:], run.clock.losses[1:], marker=".", label=run.name)
    ax_epochs.set(xlabel="epoch", ylabel="training loss", title="Loss against epochs")
    ax_seconds.set(xlabel="seconds of training (measured; log scale)", ylabel="training loss",
                   xscale="log", title="Loss against wall time")
    for name, run in decay_runs.items():
        ax_decay.plot(run.clock.losses, marker=".", label=name)
        ax_rates.plot(np.arange(1, run.history.epochs + 1), run.history.lr, marker=".",
                      label=name)
    ax_decay.set(xlabel="epoch", ylabel="training loss (log scale)", yscale="log",
                 title=f"Stochastic gradient descent from lr {DECAY_START}, with and without decay")
    ax_rates.set(xlabel="epoch", ylabel="learning rate", yscale="log",
                 title="The learning rate each epoch used")
    for ax in axes.flat:
        ax.legend()
    fig.tight_layout()
    save_figure(fig, "gradient_descent_batch_sizes.png")


def main() -> None:
    args = parse_args(__doc__, points=(400, 200, 2), epochs=(40, 10))  # two moons: 2 points
    points, epochs = args.points, args.epochs
    data = nn.make_moons(points, noise=0.2, seed=0)
    print(f"{points} points of two moons, a 2-16-16-2 tanh network (the same initial weights "
          f"for every run),\nplain SGD with learning rate {LEARNING_RATE}, {epochs} epochs; "
          "loss = cross-entropy on all the points\n")
    runs = [train("batch gradient descent", data, points, epochs),
            train("mini-batch gradient descent", data, MINI_BATCH, epochs),
            train("stochastic gradient descent", data, 1, epochs)]
    compare_batch_sizes(runs, epochs)

    step_size, gamma = max(1, epochs // 4), 0.02 ** (1 / epochs)  # rate ends about 50x lower
    schedules = {f"StepLR(step_size={step_size}, gamma=0.3)":
                 lambda optimizer: nn.StepLR(optimizer, step_size=step_size, gamma=0.3),
                 f"ExponentialLR(gamma={gamma:.3f})":
                 lambda optimizer: nn.ExponentialLR(optimizer, gamma=gamma)}
    print(f"\nstochastic gradient descent (batch size 1) from the higher learning rate "
          f"{DECAY_START}, constant and decayed:")
    decay_runs = {"constant lr": train("constant lr", data, 1, epochs, DECAY_START, watch=True)}
    for name, schedule in schedules.items():
        run = train(name, data, 1, epochs, DECAY_START, schedule, watch=True)
        describe_schedule(run, name)
        decay_runs[name.split("(")[0]] = run
    compare_decay(decay_runs)
    compare_gradient_flow(decay_runs)
    print()
    plot(runs, decay_runs)
    for name, run in decay_runs.items():
        figure = run.history.plot()
        figure.suptitle(f"Stochastic gradient descent from lr {DECAY_START}: {name}", y=1.02)
        save_figure(figure, f"gradient_flow_{name.lower().replace(' ', '_')}.png")


if __name__ == "__main__":
    main()
