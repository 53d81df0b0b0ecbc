"""What the benchmark scripts share: the command line, interleaved timing, medians and the report.

Each script times our library and its reference in one process. Runs alternate between them
(forward order on even rounds, reverse order on odd ones) so that a slow spell of a shared
machine falls on both; after a warm-up, the median over the runs is reported per unit of work
(a step, an epoch, an operation) together with the ratio ours / reference: the median of the
ratios within each round (`paired_ratio`). Runs longer than the machine's busy spells take
turns slice by slice instead (`measure_in_slices`). A script whose figures depend on where its
arrays land in memory repeats all of this in a few fresh processes and pools their runs
(`Settings.processes`, `pool_processes`).

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
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Settings:
    """How much to measure: `repeats` timed runs, each over `size` units (steps, batches, ...),
    in each of `processes` fresh processes (see `pool_processes`)."""

    repeats: int
    size: int
    processes: int = 1


@dataclass(frozen=True)
class Goal:
    """Ours must take at most `max_ratio` times what the reference takes (time or memory)."""

    ours: str
    reference: str
    max_ratio: float

    @property
    def text(self) -> str:
        return f"{self.ours} / {self.reference} at most {self.max_ratio:g}"


@dataclass(frozen=True)
class Workload:
    """What a script measures: a key for the summary, a title, the unit of a figure, lines
    describing the setup (printed under the title and kept in the results), and the goals:
    the largest ratio ours / reference that the project accepts, each for a pair of
    candidates. `quantity` is "time" (seconds per unit) or "memory" (peak bytes per unit)."""

    key: str
    title: str
    unit: str
    setup: list[str]
    goals: list[Goal]
    quantity: str = "time"


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
    parser.add_argument("--processes", type=int, default=None, metavar="N",
                        help="repeat the runs in N fresh processes and pool them")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE",
                        help="also write the figures to FILE as JSON (run_all.py reads it)")
    args = parser.parse_args()
    settings = quick if args.quick else full
    for option in ("repeats", "processes"):
        value = getattr(args, option)
        if value is not None:
            if value < 1:
                parser.error(f"--{option} must be at least 1, got {value}")
            settings = replace(settings, **{option: value})
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


Slices = Callable[[], list[Callable[[], Any]]]  # prepares a run; returns its parts, in order


def measure_in_slices(runs: dict[str, Slices], repeats: int,
                      warmups: int = 1) -> list[Candidate]:
    """As `measure`, for runs long enough that the machine's busy spells are shorter than one:
    every candidate's run is cut into slices, and the candidates take turns slice by slice, so
    that a spell falls on all of them alike. The order is drawn anew for every slice (from a
    fixed seed): in a fixed or alternating order, a candidate would always run right after the
    same one, and a reference that leaves its threads spinning after it (PyTorch's) would slow
    its successor at every slice. `runs` maps each candidate's name to a function that prepares
    a run, untimed, and returns its slices; a run's figure is the sum of its slices' times.
    Returns the candidates, with their samples."""
    candidates = [Candidate(name, run=_no_run_of_its_own) for name in runs]
    orders = random.Random(0)
    for round_number in range(warmups + repeats):
        gc.collect()  # what earlier rounds left, collected outside the clock
        slices = [runs[c.name]() for c in candidates]
        totals = [0.0] * len(candidates)
        for part in range(max(len(s) for s in slices)):
            order = orders.sample(range(len(candidates)), len(candidates))
            for i in order:
                if part < len(slices[i]):
                    start = time.perf_counter()
                    slices[i][part]()
                    totals[i] += time.perf_counter() - start
        if round_number >= warmups:
            for candidate, total in zip(candidates, totals, strict=True):
                candidate.samples.append(total)
    return candidates


def paired_ratio(ours: Candidate, reference: Candidate) -> float:
    """The median, over the rounds of `measure`, of ours' time divided by the reference's time
    in the same round. The two ran back to back, so a slow spell of the machine, or a slower
    process among pooled ones, falls on both and cancels, as it would not in a ratio of the
    two medians taken over different rounds."""
    return statistics.median(a / b for a, b in zip(ours.samples, reference.samples,
                                                    strict=True))


def format_time(seconds: float) -> str:
    """A duration in the unit that reads best: '3.41 µs', '12.3 ms', '1.27 s'."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3g} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


@dataclass(frozen=True)
class Quantity:
    """How the reports speak of one kind of figure."""

    format: Callable[[float], str]  # a figure as text
    runs: str  # how the runs were made
    what: str  # what a figure is
    below: str  # what a ratio ours / reference below 1 says
    above: str  # and one above


QUANTITIES = {
    "time": Quantity(format_time, "timed run(s) per implementation after a warm-up, interleaved",
                     "times", "ours faster", "ours slower"),
    "memory": Quantity(lambda size: f"{size / 1e6:.3g} MB",
                       "run(s) per implementation, interleaved", "peak memory",
                       "ours uses less", "ours uses more"),
}


def report(workload: Workload, candidates: list[Candidate], ratios: list[tuple[str, str]],
           args: argparse.Namespace, notes: Sequence[str] = ()) -> None:
    """Print the medians (with every run's figure), the ratios ours / reference and whether the
    workload's goals are met, and write them to `args.json` if given. Ratios whose reference
    was not measured (--ours-only) are left out, and their goals are then not judged."""
    by_name = {c.name: c for c in candidates}
    width = max(len(c.name) for c in candidates)
    quantity = QUANTITIES[workload.quantity]
    print(f"== {workload.title}")
    for line in workload.setup:
        print(f"   {line}")
    run_count = len(candidates[0].samples)
    print(f"   {run_count} {quantity.runs}; {quantity.what} per {workload.unit}")
    for c in candidates:
        runs = " ".join(quantity.format(s) for s in c.samples)
        print(f"   {c.name:<{width}}  median {quantity.format(c.median):>9} per "
              f"{workload.unit}   (runs: {runs})")
    measured_ratios = []
    for ours, reference in ratios:
        if ours in by_name and reference in by_name:
            ratio = paired_ratio(by_name[ours], by_name[reference])
            measured_ratios.append({"ours": ours, "reference": reference, "ratio": ratio})
            verdict = quantity.below if ratio < 1 else quantity.above
            print(f"   ratio {ours} / {reference}: {ratio:.2f}  ({verdict})")
    goals = []
    for goal in workload.goals:
        ratio = met = None
        if goal.ours in by_name and goal.reference in by_name:
            ratio = paired_ratio(by_name[goal.ours], by_name[goal.reference])
            met = ratio <= goal.max_ratio
            print(f"   goal: {goal.text}: {'met' if met else 'NOT met'}")
        goals.append({"text": goal.text, "ours": goal.ours, "reference": goal.reference,
                      "max_ratio": goal.max_ratio, "ratio": ratio, "met": met})
    for note in notes:
        print(f"   note: {note}")
    result = {
        "workload": workload.key,
        "title": workload.title,
        "unit": workload.unit,
        "quantity": workload.quantity,
        "setup": workload.setup,
        "repeats": run_count,
        "quick": args.quick,
        "results": [{"name": c.name, "median": c.median, "samples": c.samples}
                    for c in candidates],
        "ratios": measured_ratios,
        "goals": goals,
        "notes": list(notes),
    }
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2))


def pool_processes(args: argparse.Namespace) -> bool:
    """Measure in `args.settings.processes` fresh processes and report their runs pooled.

    With more than one process, the calling script runs again that many times, one after the
    other, each with `--processes 1` and its figures handed back as JSON; their runs are pooled
    per implementation, reported (with each process's ratio for the goal, to show the spread),
    and True is returned. With one process, nothing happens and False is returned: the caller
    measures in this process.

    Why: numpy's speed on a workload of large arrays moves by several percent with where the
    arrays land in memory relative to one another, the same in every run of one process but
    different from one process to the next, for the references as much as for ours. Runs from
    several processes average over that, as pyperf's worker processes do.
    """
    processes = args.settings.processes
    if processes == 1:
        return False
    flags = ["--repeats", str(args.settings.repeats), "--processes", "1"]
    flags += [flag for flag, on in [("--quick", args.quick), ("--ours-only", args.ours_only)]
              if on]
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(processes):
            output = Path(folder) / f"{i}.json"
            subprocess.run([sys.executable, sys.argv[0], *flags, "--json", str(output)],
                           check=True, stdout=subprocess.DEVNULL)
            figures.append(json.loads(output.read_text()))
    first = figures[0]
    workload = Workload(
        first["workload"], first["title"], first["unit"],
        [*first["setup"], f"runs pooled from {processes} processes of "
                          f"{args.settings.repeats} run(s) each"],
        [Goal(g["ours"], g["reference"], g["max_ratio"]) for g in first["goals"]],
        first["quantity"])
    pooled: dict[str, list[float]] = {}  # implementation: its runs in every process, in order
    for process in figures:
        for result in process["results"]:
            pooled.setdefault(result["name"], []).extend(result["samples"])
    candidates = [Candidate(name, run=_no_run_of_its_own, samples=runs)
                  for name, runs in pooled.items()]
    ratios = [(r["ours"], r["reference"]) for r in first["ratios"]]
    notes = list(first["notes"])
    for i, goal in enumerate(first["goals"]):
        if goal["ratio"] is not None:
            spread = ", ".join(f"{process['goals'][i]['ratio']:.2f}" for process in figures)
            notes.append(f"ratio {goal['ours']} / {goal['reference']} in each process: "
                         f"{spread}")
    report(workload, candidates, ratios, args, notes)
    return True


def _no_run_of_its_own() -> float:
    raise RuntimeError("this candidate's figures were collected for it (pooled from other "
                       "processes, or measured in slices): it has no run of its own")
