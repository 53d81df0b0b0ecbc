"""Overhead workload: a chain of 4,000 small operations, forward and backward, ours against PyTorch.

The data is tiny (16 float64 numbers), so the time is what each library spends around the
arithmetic: making results, recording the graph, walking it back. The chain repeats four
operations, `x * 1.0001`, `x + 0.001`, `x.tanh()`, `x - 0.001`, from a leaf that requires a
gradient; backward is seeded with ones. The figure is the time per operation (forward and
backward together). For context, the same chain on one Python number (our scalar path) is timed
against the same chain on a 0-d tensor.

    python benchmarks/overhead_chain.py [--quick] [--ours-only] [--repeats N] [--processes N]
                                      [--json FILE]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import harness
import numpy as np

ELEMENTS = 16
FULL = harness.Settings(repeats=7, size=4000)  # size: operations per chain
QUICK = harness.Settings(repeats=2, size=400)
CHAINS_PER_RUN = 5


def chain(x: Any, n_ops: int) -> Any:
    """`n_ops` operations applied one after the other, cycling through four kinds."""
    for _ in range(n_ops // 4):
        x = x * 1.0001
        x = x + 0.001
        x = x.tanh()
        x = x - 0.001
    return x


def run_chains(make_leaf: Callable[[], Any], seed: Any, n_ops: int) -> float:
    """Seconds per operation over CHAINS_PER_RUN chains, each built and backpropagated."""
    leaves = [make_leaf() for _ in range(CHAINS_PER_RUN)]

    def work() -> None:
        for leaf in leaves:
            chain(leaf, n_ops).backward(seed)

    return harness.timed(work, CHAINS_PER_RUN * n_ops)


def main() -> None:
    args = harness.parse_args(__doc__, FULL, QUICK)
    if harness.pool_processes(args):
        return
    n_ops = args.settings.size - args.settings.size % 4
    start = np.linspace(-1, 1, ELEMENTS)

    from autograd import Value
    ours = harness.Candidate("ours", lambda: run_chains(
        lambda: Value(start), np.ones(ELEMENTS), n_ops))
    ours_scalar = harness.Candidate("ours, scalar", lambda: run_chains(
        lambda: Value(0.5), 1.0, n_ops))
    candidates = [ours, ours_scalar]
    ratios = []
    if not args.ours_only:
        import torch

        torch_seed = torch.ones(ELEMENTS, dtype=torch.float64)
        scalar_seed = torch.tensor(1.0, dtype=torch.float64)
        candidates = [
            ours,
            harness.Candidate("PyTorch", lambda: run_chains(
                lambda: torch.tensor(start, requires_grad=True), torch_seed, n_ops)),
            ours_scalar,
            harness.Candidate("PyTorch, 0-d tensor", lambda: run_chains(
                lambda: torch.tensor(0.5, dtype=torch.float64, requires_grad=True),
                scalar_seed, n_ops)),
        ]
        ratios = [("ours", "PyTorch"), ("ours, scalar", "PyTorch, 0-d tensor")]
    harness.measure(candidates, args.settings.repeats)
    workload = harness.Workload(
        "overhead", f"Overhead: a chain of {n_ops:,} small operations, forward and backward",
        "op", [f"{ELEMENTS} float64 elements (scalar rows: one number); {CHAINS_PER_RUN} chains "
               "per run; time per operation, forward and backward together"],
        [harness.Goal("ours", "PyTorch", 1.0)])
    harness.report(workload, candidates, ratios, args)


if __name__ == "__main__":
    main()
