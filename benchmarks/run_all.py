"""Run the four benchmarks, print a summary table and record the figures.

Each benchmark runs in a process of its own (so that one workload's memory and imports do not
weigh on the next) and hands its figures back as JSON. A full run writes them, with the date and
the machine, to benchmarks/results/latest.md; --quick and --ours-only runs only print.

The references are installed into the running virtual environment when missing: micrograd
(`pip install micrograd`) and PyTorch pinned to its CPU build (`pip install torch==2.13.0`; an
unpinned install would fetch a build with CUDA libraries several GB large). They are tools of
the benchmarks alone, never dependencies of the project.

The README shows the results file's summary table, copied between two marker lines by every
full run (and by --readme, which measures nothing), so no figure there is typed by hand.

    python benchmarks/run_all.py [--quick] [--ours-only]      (or: bash run.sh bench [...])
    python benchmarks/run_all.py --readme      (copy results/latest.md's summary to README.md)
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import harness

HERE = Path(__file__).resolve().parent
SCRIPTS = ["scalar_micrograd.py", "tensor_mlp.py", "overhead_chain.py", "memory_mlp.py"]
REFERENCES = {"micrograd": "micrograd", "torch": "torch==2.13.0"}  # module: pip requirement
RESULTS = HERE / "results" / "latest.md"
README = HERE.parent / "README.md"
README_START = ("<!-- speed summary: copied from benchmarks/results/latest.md by "
                "benchmarks/run_all.py; not edited by hand -->")
README_END = "<!-- end of speed summary -->"
ENVIRONMENT_SETTINGS = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                        "OMP_NUM_THREADS", "MKL_NUM_THREADS"]


def install_missing_references() -> None:
    """pip-install each reference whose module cannot be found, into this virtual environment."""
    missing = [requirement for module, requirement in REFERENCES.items()
               if importlib.util.find_spec(module) is None]
    if not missing:
        return
    if sys.prefix == sys.base_prefix:
        raise SystemExit("run_all: the references " + ", ".join(missing) + " are missing and "
                         "this Python is not a virtual environment, so nothing was installed; "
                         "run `bash run.sh bench`, or install them yourself: pip install "
                         + " ".join(missing))
    print(f"run_all: installing the references: {' '.join(missing)}", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", *missing], check=True)


def run_benchmark(script: str, flags: list[str]) -> dict[str, Any]:
    """Run one benchmark script (its report goes to our output) and return its figures."""
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "figures.json"
        subprocess.run([sys.executable, str(HERE / script), *flags, "--json", str(figures)],
                       check=True)
        print(flush=True)
        return json.loads(figures.read_text())


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _blas() -> str:
    """numpy's BLAS as threadpoolctl sees it (when threadpoolctl is installed)."""
    if importlib.util.find_spec("threadpoolctl") is None:
        return "unknown (threadpoolctl is not installed)"
    import numpy  # noqa: F401  (loads the BLAS that threadpoolctl then inspects)
    from threadpoolctl import threadpool_info

    pools = [f"{p.get('internal_api')} {p.get('version')} ({p.get('architecture')} kernels, "
             f"{p.get('num_threads')} threads)" for p in threadpool_info()
             if p.get("user_api") == "blas"]
    return ", ".join(pools) or "none found"


def _engine_revision() -> str:
    """The commit the measured code comes from, and whether autograd/ or nn/ differed from it."""
    project = HERE.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project,
                                capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "autograd", "nn"],
                                 cwd=project, capture_output=True, text=True,
                                 check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + (" with uncommitted changes in autograd/ or nn/" if changed else "")


def machine(load_before: str) -> dict[str, str]:
    """What the figures depend on: processor, cores, versions, BLAS and threading settings, and
    how busy the machine was (`load_before`: the load averages when the run began)."""
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    settings = ", ".join(f"{name}={os.environ[name]}" for name in ENVIRONMENT_SETTINGS
                         if name in os.environ)
    return {
        "CPU": _cpu_model(),
        "cores": f"{cores} logical, {usable} usable by this process",
        "system": platform.platform(terse=True),
        "Python": platform.python_version(),
        "numpy": _version("numpy"),
        "numpy BLAS": _blas(),
        "torch": _version("torch"),
        "micrograd": _version("micrograd"),
        "environment": settings or "none of " + ", ".join(ENVIRONMENT_SETTINGS) + " set",
        "load average (1, 5, 15 min)": f"{load_before} at the start, {load_average()} at the end",
        "code measured": _engine_revision(),
    }


def load_average() -> str:
    """The system's load averages over 1, 5 and 15 minutes: above the core count, other
    programs were competing for the processor."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def _median(figures: dict[str, Any], name: str) -> float | None:
    return next((r["median"] for r in figures["results"] if r["name"] == name), None)


def _figure(figures: dict[str, Any], value: float | None) -> str:
    return "-" if value is None else harness.QUANTITIES[figures["quantity"]].format(value)


def summary_rows(all_figures: list[dict[str, Any]]) -> list[list[str]]:
    """One row per goal of each workload: the goal pair's medians, their ratio, the goal and
    its verdict."""
    rows = [["workload", "ours", "reference", "ratio", "goal", "met"]]
    for figures in all_figures:
        for goal in figures["goals"]:
            ratio = goal["ratio"]
            rows.append([
                f"{figures['workload']} (per {figures['unit']})",
                f"{_figure(figures, _median(figures, goal['ours']))} ({goal['ours']})",
                f"{_figure(figures, _median(figures, goal['reference']))} "
                f"({goal['reference']})",
                "-" if ratio is None else f"{ratio:.2f}",
                f"<= {goal['max_ratio']:g}",
                {True: "yes", False: "NO", None: "-"}[goal["met"]],
            ])
    return rows


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def plain_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                     for row in rows)


def results_markdown(all_figures: list[dict[str, Any]], when: datetime.datetime,
                     machine_facts: dict[str, str]) -> str:
    """The results file: summary, machine, then every workload's medians, runs and notes."""
    parts = [
        "# Benchmark results",
        "",
        f"Measured {when:%Y-%m-%d %H:%M} UTC by `bash run.sh bench` (benchmarks/run_all.py). "
        "Medians over the runs (timed runs each after a warm-up); a ratio is the median over "
        "rounds of ours' figure over the reference's in the same round, below 1 when ours is "
        "faster or uses less memory. The machine is shared, so times vary: every run's figure "
        "is listed.",
        "",
        markdown_table(summary_rows(all_figures)),
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in machine_facts.items()],
    ]
    for figures in all_figures:
        parts += ["", f"## {figures['title']}", ""]
        parts += [f"- {line}" for line in figures["setup"]]
        quantity = harness.QUANTITIES[figures["quantity"]]
        parts += [f"- {figures['repeats']} {quantity.runs}; {quantity.what} per "
                  f"{figures['unit']}", ""]
        rows = [["implementation", "median", "runs"]]
        rows += [[r["name"], quantity.format(r["median"]),
                  ", ".join(quantity.format(s) for s in r["samples"])]
                 for r in figures["results"]]
        parts.append(markdown_table(rows))
        parts.append("")
        parts += [f"- ratio {r['ours']} / {r['reference']}: {r['ratio']:.2f}"
                  for r in figures["ratios"]]
        parts += [f"- goal: {goal['text']}" for goal in figures["goals"]]
        parts += [f"- {note}" for note in figures["notes"]]
    return "\n".join(parts) + "\n"


def readme_summary(results: str) -> str:
    """What the README shows of a results file: when it was measured, on what processor, and
    the summary table."""
    when = re.search(r"^Measured (\S+ \S+ UTC)", results, re.M)
    cpu = re.search(r"^- CPU: (.+)$", results, re.M)
    cores = re.search(r"^- cores: (\d+) logical", results, re.M)
    table = re.search(r"^\|.*\|\n(?:^\|.*\|\n?)+", results, re.M)
    if not (when and cpu and cores and table):
        raise ValueError(f"{RESULTS}: no date, CPU, cores or summary table found")
    return (f"Measured {when[1]} on {cpu[1]} ({cores[1]} cores), from "
            f"[`benchmarks/results/latest.md`](benchmarks/results/latest.md), where every run's "
            f"figure and the machine are:\n\n{table[0].rstrip()}")


def readme_with_summary(readme: str, results: str) -> str:
    """The README with the text between its speed markers replaced by `readme_summary`."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md: the speed summary's marker lines are missing: "
                         f"{README_START} ... {README_END}")
    head = readme[:start + len(README_START)]
    return f"{head}\n\n{readme_summary(results)}\n\n{readme[end:]}"


def update_readme() -> None:
    README.write_text(readme_with_summary(README.read_text(), RESULTS.read_text()))
    print(f"copied the summary of {RESULTS.relative_to(HERE.parent)} into README.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="fewer and shorter runs (the results file is not written)")
    parser.add_argument("--ours-only", action="store_true",
                        help="measure only this library; installs nothing, writes no results")
    parser.add_argument("--readme", action="store_true",
                        help="measure nothing: copy the summary of results/latest.md into the "
                        "README")
    args = parser.parse_args()
    if args.readme:
        update_readme()
        return
    flags = [flag for flag, on in [("--quick", args.quick), ("--ours-only", args.ours_only)]
             if on]
    if not args.ours_only:
        install_missing_references()
    when, load_before = datetime.datetime.now(datetime.UTC), load_average()
    all_figures = [run_benchmark(script, flags) for script in SCRIPTS]
    print("Summary (medians; ratio = ours / reference, below 1 means ours is faster or uses "
          "less memory)")
    print(plain_table(summary_rows(all_figures)))
    if args.quick or args.ours_only:
        print(f"\n(not written to {RESULTS.relative_to(HERE.parent)}: only a full run with the "
              "references is recorded)")
        return
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(results_markdown(all_figures, when, machine(load_before)))
    print(f"\nwritten to {RESULTS.relative_to(HERE.parent)}")
    update_readme()


if __name__ == "__main__":
    main()
