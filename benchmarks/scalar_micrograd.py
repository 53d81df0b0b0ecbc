"""Scalar workload: micrograd's own demo, timed step by step against micrograd itself.

The demo (micrograd's demo.ipynb): 100 points of scikit-learn's moons (noise 0.1), labels -1/+1,
an MLP 2-16-16-1 of scalar Values (337 parameters), the max-margin loss plus 1e-4 L2, full batch,
plain SGD with learning rate 1.0 - 0.9 k / 100. The same source runs on micrograd's `Value` and
`MLP` and on ours (`autograd.Value`, `nn.MLP`). Both models start from micrograd's own
initialisation (`random.seed(1337)`), so they compute the same numbers: the script checks that
the losses agree.

One step is the forward pass, `zero_grad()`, `backward()` and the update. The garbage collector
stays on, as users have it; micrograd is also timed with it off, for context (its graph is a web
of reference cycles that only the collector frees).

    python benchmarks/scalar_micrograd.py [--quick] [--ours-only] [--repeats N] [--processes N]
                                        [--json FILE]
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import harness
import numpy as np
from sklearn.datasets import make_moons

LAYER_SIZES = [2, 16, 16, 1]  # MLP(2, [16, 16, 1])
FULL = harness.Settings(repeats=5, size=10)  # size: demo steps per timed run
QUICK = harness.Settings(repeats=2, size=1)
LOSS_TOLERANCE = 1e-9  # the two libraries do the same float64 arithmetic


def moons() -> tuple[np.ndarray, np.ndarray]:
    """The demo's data set, made exactly as the demo makes it."""
    np.random.seed(1337)
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1  # make y be -1 or 1
    return X, y


def micrograd_initial_weights() -> list[float]:
    """The numbers micrograd's `MLP(2, [16, 16, 1])` starts from after `random.seed(1337)`, in
    `parameters()` order: each neuron's weights drawn from U(-1, 1), then its bias 0."""
    random.seed(1337)
    weights = []
    for n_in, n_out in zip(LAYER_SIZES[:-1], LAYER_SIZES[1:], strict=True):
        for _ in range(n_out):
            weights += [random.uniform(-1, 1) for _ in range(n_in)] + [0.0]
    return weights


def demo_loss(model: Any, Value: type, X: np.ndarray, y: np.ndarray) -> tuple[Any, float]:
    """The demo's `loss()` (full batch), line for line."""
    inputs = [list(map(Value, xrow)) for xrow in X]

    # forward the model to get scores
    scores = list(map(model, inputs))

    # svm "max-margin" loss
    losses = [(1 + -yi*scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    # L2 regularization
    alpha = 1e-4
    reg_loss = alpha * sum((p*p for p in model.parameters()))  # noqa: UP034 (the demo's line)
    total_loss = data_loss + reg_loss

    # also get accuracy
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores, strict=True)]
    return total_loss, sum(accuracy) / len(accuracy)


def demo_steps(model: Any, Value: type, X: np.ndarray, y: np.ndarray, steps: int) -> float:
    """The demo's optimization loop for `steps` steps; returns the last step's loss."""
    for k in range(steps):

        # forward
        total_loss, acc = demo_loss(model, Value, X, y)

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9*k/100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    return float(total_loss.data)


class Library:
    """One library's demo: its `Value` and `MLP`, a model, and the loss each run ends on."""

    def __init__(self, Value: type, MLP: Callable[..., Any], X: np.ndarray,
                 y: np.ndarray) -> None:
        self.Value = Value
        self.model = MLP(LAYER_SIZES[0], LAYER_SIZES[1:])
        self.X, self.y = X, y
        self.final_losses: list[float] = []
        parameters = self.model.parameters()
        if len(parameters) != len(micrograd_initial_weights()):
            raise RuntimeError(f"MLP(2, [16, 16, 1]) of {MLP.__module__} has "
                               f"{len(parameters)} parameters; micrograd's demo has 337")

    def restart(self) -> None:
        """Back to micrograd's initial weights, gradients cleared."""
        for p, w in zip(self.model.parameters(), micrograd_initial_weights(), strict=True):
            p.data = w
        self.model.zero_grad()

    def first_loss(self) -> float:
        """The demo's loss at its initial weights."""
        self.restart()
        total_loss, _ = demo_loss(self.model, self.Value, self.X, self.y)
        return float(total_loss.data)

    def run(self, steps: int) -> float:
        """Seconds per step over `steps` steps of the demo from the initial weights."""
        self.restart()
        return harness.timed(lambda: self.final_losses.append(
            demo_steps(self.model, self.Value, self.X, self.y, steps)), steps,
            collect_own_garbage=True)


def main() -> None:
    args = harness.parse_args(__doc__, FULL, QUICK)
    if harness.pool_processes(args):
        return
    steps = args.settings.size
    X, y = moons()

    from autograd import Value
    from nn import MLP
    ours = Library(Value, MLP, X, y)
    candidates = [harness.Candidate("ours (gc on)", lambda: ours.run(steps))]
    notes = []
    if not args.ours_only:
        from micrograd.engine import Value as MicrogradValue
        from micrograd.nn import MLP as MicrogradMLP
        theirs = Library(MicrogradValue, MicrogradMLP, X, y)
        first_ours, first_theirs = ours.first_loss(), theirs.first_loss()
        if abs(first_ours - first_theirs) > LOSS_TOLERANCE:
            raise SystemExit(f"scalar benchmark: the first losses differ (ours {first_ours!r}, "
                             f"micrograd {first_theirs!r}), so the two would not compute the "
                             "same thing; check that nn.MLP lists parameters as micrograd does")

        def micrograd_gc_off() -> float:
            with harness.gc_disabled():
                return theirs.run(steps)

        candidates += [harness.Candidate("micrograd (gc on)", lambda: theirs.run(steps)),
                       harness.Candidate("micrograd (gc off)", micrograd_gc_off)]
    harness.measure(candidates, args.settings.repeats)
    if not args.ours_only:
        notes.append(f"same computation: loss after {steps} step(s) is ours "
                     f"{ours.final_losses[-1]:.10g}, micrograd {theirs.final_losses[-1]:.10g}")
    workload = harness.Workload(
        "scalar", "Scalar: micrograd's demo (moons 100 points, MLP 2-16-16-1, max-margin + L2)",
        "step",
        [f"{steps} demo step(s) per run, from micrograd's initial weights; garbage collector on "
         "unless said otherwise"],
        [harness.Goal("ours (gc on)", "micrograd (gc on)", 1.0)])
    harness.report(workload, candidates, [("ours (gc on)", "micrograd (gc on)")], args, notes)


if __name__ == "__main__":
    main()
