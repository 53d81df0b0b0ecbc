"""Memory workload: peak memory while training MLP 784-256-256-10, ours against numpy by hand.

The training of the tensor workload (float32, softmax cross-entropy, SGD with momentum 0.9),
on 4,096 MNIST-shaped random samples for two epochs of shuffled mini-batches, at batch sizes
128 and 1024. Three ways to train:

- numpy by hand: the forward and backward written by hand (tensor_mlp.numpy_trainer), on
  batches drawn in a shuffled order;
- ours, loop: the loop as the README writes it: `loss = nn.cross_entropy(model(xb), yb)`,
  `optimizer.zero_grad()`, `loss.backward()`, `optimizer.step()`, with `loss` kept from one
  step to the next as a loop keeps it;
- ours, fit: `nn.fit(model, nn.cross_entropy, optimizer, X, y, epochs=2, batch_size=...)`.

Each figure is the peak of the memory Python and numpy allocate (tracemalloc) while one of them
trains, from its first step to its last, in a fresh process of its own, so that no allocation
of another is counted. The weights built before count (they are still there), not what building
them took for a moment; the data is made and the library imported before, and left out (all
three read the same arrays, and importing is not training). The measurement is repeated: it
varies little, as it counts bytes, not seconds.

    python benchmarks/memory_mlp.py [--quick] [--ours-only] [--repeats N] [--processes N]
                                    [--json FILE]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from typing import Any

import harness
import numpy as np
import tensor_mlp

SAMPLES = 4096
EPOCHS = 2
BATCHES = (128, 1024)
FULL = harness.Settings(repeats=3, size=SAMPLES)
QUICK = harness.Settings(repeats=1, size=1024)
GOAL = 1.2


def numpy_by_hand(X: np.ndarray, y: np.ndarray, batch: int, begin: Callable[[], None]) -> None:
    step, restart = tensor_mlp.numpy_trainer()
    restart()
    begin()
    for epoch in range(EPOCHS):
        order = np.random.default_rng(epoch).permutation(len(X))
        for start in range(0, len(X), batch):
            rows = order[start:start + batch]
            step(X[rows], y[rows])


def _model_and_optimizer() -> tuple[Any, Any]:
    import nn

    model = nn.Sequential(nn.Linear(784, 256, dtype=np.float32), nn.ReLU(),
                          nn.Linear(256, 256, dtype=np.float32), nn.ReLU(),
                          nn.Linear(256, 10, dtype=np.float32))
    optimizer = nn.SGD(model.parameters(), lr=tensor_mlp.LEARNING_RATE,
                       momentum=tensor_mlp.MOMENTUM)
    return model, optimizer


def ours_loop(X: np.ndarray, y: np.ndarray, batch: int, begin: Callable[[], None]) -> None:
    import nn

    model, optimizer = _model_and_optimizer()
    begin()
    for epoch in range(EPOCHS):
        for xb, yb in nn.batches(X, y, batch, seed=epoch):
            loss = nn.cross_entropy(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def ours_fit(X: np.ndarray, y: np.ndarray, batch: int, begin: Callable[[], None]) -> None:
    import nn

    model, optimizer = _model_and_optimizer()
    begin()
    nn.fit(model, nn.cross_entropy, optimizer, X, y, epochs=EPOCHS, batch_size=batch,
           task="multiclass", progress=False, seed=0)


# Each way builds what it trains, calls begin() and trains: the peak is counted from begin(),
# so that building (weights drawn in float64, then cast) is not mistaken for training; what was
# built stays counted, as it is still there.
WAYS: dict[str, Callable[[np.ndarray, np.ndarray, int, Callable[[], None]], None]] = {
    "numpy by hand": numpy_by_hand, "ours, loop": ours_loop, "ours, fit": ours_fit}


def peak_bytes(way: str, batch: int, samples: int) -> int:
    """Train one way in this process and return the peak of what tracemalloc saw."""
    X, y = tensor_mlp.make_data(-(-samples // tensor_mlp.BATCH))
    X, y = X[:samples], y[:samples]
    import nn  # noqa: F401  (before measuring, in every way: importing is not training)

    tracemalloc.start()
    WAYS[way](X, y, batch, tracemalloc.reset_peak)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def in_fresh_process(way: str, batch: int, samples: int) -> Callable[[], float]:
    """A run of the harness: one measurement of `way`, in a process of its own."""

    def run() -> float:
        done = subprocess.run([sys.executable, __file__, "--measure", way, str(batch),
                               str(samples)], capture_output=True, text=True, check=True)
        return float(json.loads(done.stdout))

    return run


def main() -> None:
    if sys.argv[1:2] == ["--measure"]:  # a child process: one measurement, printed as JSON
        way, batch, samples = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        print(json.dumps(peak_bytes(way, batch, samples)))
        return
    args = harness.parse_args(__doc__, FULL, QUICK)
    if harness.pool_processes(args):
        return
    samples = args.settings.size
    candidates = [harness.Candidate(f"{way}, batch {batch}", in_fresh_process(way, batch,
                                                                               samples))
                  for batch in BATCHES for way in WAYS]
    harness.measure(candidates, args.settings.repeats, warmups=0)
    goals = [harness.Goal(f"{way}, batch {batch}", f"numpy by hand, batch {batch}", GOAL)
             for batch in BATCHES for way in WAYS if way.startswith("ours")]
    workload = harness.Workload(
        "memory", "Memory: peak while training MLP 784-256-256-10 (float32, SGD momentum)",
        "training run", [f"{samples:,} samples, {EPOCHS} epochs of shuffled mini-batches; "
                         "data made before measuring and left out; each run in a fresh "
                         "process"], goals, quantity="memory")
    # numpy by hand is measured with --ours-only too: it is not a library to install
    harness.report(workload, candidates, [(goal.ours, goal.reference) for goal in goals],
                   args)


if __name__ == "__main__":
    main()
