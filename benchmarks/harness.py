"""What the benchmark scripts share: the command line, interleaved timing, medians and the report.

Each script times our library and its reference in one process. Runs alternate between them
(forward order on even rounds, reverse order on odd ones) so that a slow spell of a shared
machine falls on both; after a warm-up, the median over the runs is reported per unit of work
(a step, an epoch, an operation) together with the ratio ours / reference.

    args = parse_args(__doc__, full=Settings(repeats=5, size=10), quick=Settings(2, 1))
    candidates = measure([Candidate("ours", run_ours), Candidate("micrograd", run_theirs)],
                         args.settings.repeats)
    workload = Workload("scalar", "micrograd's demo", "step", [], Goal("ours", "micrograd", 1))
    report(workload, candidates, [("ours", "micrograd")], args)
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    """How much to measure: `repeats` timed runs, each over `size` units (steps, batches, ...)."""

    repeats: int
    size: int


@dataclass(frozen=True)
class Goal:
    """Ours must take at most `max_ratio` times the reference's time."""

    ours: str
    reference: str
    max_ratio: float


@dataclass(frozen=True)
class Workload:
    """What a script measures: a key for the summary, a title, the unit of a figure, lines
    describing the setup (printed under the title and kept in the results), and the goal: the
    largest ratio ours / reference that the project accepts, for one pair of candidates."""

    key: str
    title: str
    unit: str
    setup: list[str]
    goal: Goal


@dataclass
class Candidate:
    """One implementation under test. `run()` performs one timed run and returns the seconds
    per unit; it times itself (see `timed`), so that building inputs stays out of the figure."""

    name: str
    run: Callable[[], float]
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def parse_args(doc: str | None, full: Settings, quick: Settings) -> argparse.Namespace:
    """The command line every script accepts; `args.settings` is `full` or, with --quick,
    `quick`, with --repeats overriding the number of runs."""
    parser = argparse.ArgumentParser(description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="fewer and shorter runs: checks that the script works, "
                             "the figures mean little")
    parser.add_argument("--ours-only", action="store_true",
                        help="measure only this library (the references need not be installed)")
    parser.add_argument("--repeats", type=int, default=None,
                        help="number of timed runs per implementation (after one warm-up run)")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="also write the figures to FILE as JSON (run_all.py reads it)")
    args = parser.parse_args()
    settings = quick if args.quick else full
    if args.repeats is not None:
        if args.repeats < 1:
            parser.error(f"--repeats must be at least 1, got {args.repeats}")
        settings = Settings(args.repeats, settings.size)
    args.settings = settings
    return args


def timed(work: Callable[[], Any], units: int, collect_own_garbage: bool = False) -> float:
    """Seconds per unit for `work()`, which does `units` units.

    Garbage left by earlier runs is collected before the clock starts, so that no run pays for
    another's. With `collect_own_garbage` (and the collector enabled), the run also pays for
    collecting the reference cycles it left before the clock stops, as a long loop would a few
    steps later; that full collection walks every object alive, so it is kept for workloads
    whose garbage is cycles.
    """
    gc.collect()
    start = time.perf_counter()
    work()
    if collect_own_garbage and gc.isenabled():
        gc.collect()
    return (time.perf_counter() - start) / units


@contextmanager
def gc_disabled() -> Iterator[None]:
    """Turn Python's cyclic garbage collector off inside; what piled up is collected after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


def measure(candidates: list[Candidate], repeats: int, warmups: int = 1) -> list[Candidate]:
    """Warm each candidate up, then time `repeats` rounds, alternating the order every round;
    the samples are stored on the candidates, which are returned."""
    for candidate in candidates:
        for _ in range(warmups):
            candidate.run()
    for round_number in range(repeats):
        order = candidates if round_number % 2 == 0 else candidates[::-1]
        for candidate in order:
            candidate.samples.append(candidate.run())
    return candidates


def format_time(seconds: float) -> str:
    """A duration in the unit that reads best: '3.41 µs', '12.3 ms', '1.27 s'."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3g} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


def report(workload: Workload, candidates: list[Candidate], ratios: list[tuple[str, str]],
           args: argparse.Namespace, notes: Sequence[str] = ()) -> None:
    """Print the medians (with every run's figure), the ratios ours / reference and whether the
    workload's goal is met, and write them to `args.json` if given. Ratios whose reference was
    not measured (--ours-only) are left out, and the goal is then not judged."""
    by_name = {c.name: c for c in candidates}
    width = max(len(c.name) for c in candidates)
    settings = args.settings
    print(f"== {workload.title}")
    for line in workload.setup:
        print(f"   {line}")
    print(f"   {settings.repeats} timed run(s) per implementation after a warm-up, interleaved;"
          f" times per {workload.unit}")
    for c in candidates:
        runs = " ".join(format_time(s) for s in c.samples)
        print(f"   {c.name:<{width}}  median {format_time(c.median):>9} per "
              f"{workload.unit}   (runs: {runs})")
    measured_ratios = []
    for ours, reference in ratios:
        if ours in by_name and reference in by_name:
            ratio = by_name[ours].median / by_name[reference].median
            measured_ratios.append({"ours": ours, "reference": reference, "ratio": ratio})
            print(f"   ratio {ours} / {reference}: {ratio:.2f}"
                  f"  ({'ours faster' if ratio < 1 else 'ours slower'})")
    goal = workload.goal
    goal_text = f"{goal.ours} / {goal.reference} at most {goal.max_ratio:g}"
    goal_ratio = goal_met = None
    if goal.ours in by_name and goal.reference in by_name:
        goal_ratio = by_name[goal.ours].median / by_name[goal.reference].median
        goal_met = goal_ratio <= goal.max_ratio
        print(f"   goal: {goal_text}: {'met' if goal_met else 'NOT met'}")
    for note in notes:
        print(f"   note: {note}")
    result = {
        "workload": workload.key,
        "title": workload.title,
        "unit": workload.unit,
        "setup": workload.setup,
        "repeats": settings.repeats,
        "quick": args.quick,
        "results": [{"name": c.name, "median_s": c.median, "samples_s": c.samples}
                    for c in candidates],
        "ratios": measured_ratios,
        "goal": {"text": goal_text, "ours": goal.ours, "reference": goal.reference,
                 "max_ratio": goal.max_ratio, "ratio": goal_ratio, "met": goal_met},
        "notes": list(notes),
    }
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2))
