"""The benchmark scripts keep working: each runs in --quick mode on our library alone and prints
its medians, and run_all.py turns their figures into the results file. Nothing here is timed:
the figures of a quick run mean nothing, only their presence and form are checked."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPTS = {"scalar": "scalar_micrograd.py", "tensor": "tensor_mlp.py",
           "overhead": "overhead_chain.py", "memory": "memory_mlp.py"}
MEDIAN_LINE = re.compile(r"^\s+((?:ours|numpy)[^\n]*?)\s+median\s+\d[\d.]*\s+(µs|ms|s|MB) per "
                         r"\w+", re.M)


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, dict]]:
    """Each script's output and figures from one quick run against our library only."""
    folder = tmp_path_factory.mktemp("figures")
    runs = {}
    for key, script in SCRIPTS.items():
        figures = folder / f"{key}.json"
        done = subprocess.run(
            [sys.executable, str(BENCHMARKS / script), "--quick", "--ours-only",
             "--json", str(figures)],
            capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
        runs[key] = done.stdout, json.loads(figures.read_text())
    return runs


@pytest.fixture
def run_all(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import run_all

    return run_all


@pytest.mark.parametrize("key", SCRIPTS)
def test_script_prints_a_median_for_each_of_our_implementations(quick_runs, key):
    output, figures = quick_runs[key]
    printed = {name.strip() for name, _ in MEDIAN_LINE.findall(output)}
    measured = {result["name"] for result in figures["results"]}
    assert printed, f"no median line in:\n{output}"
    assert printed == measured
    # --ours-only: no reference library (numpy written by hand needs no installing)
    assert all(name.startswith(("ours", "numpy by hand")) for name in measured)


@pytest.mark.parametrize("key", SCRIPTS)
def test_figures_hold_one_positive_figure_per_run(quick_runs, key):
    _, figures = quick_runs[key]
    assert figures["workload"] == key and figures["quick"] is True
    for result in figures["results"]:
        assert len(result["samples"]) == figures["repeats"]
        assert all(figure > 0 for figure in result["samples"])
        assert min(result["samples"]) <= result["median"] <= max(result["samples"])
    if key != "memory":  # without the reference library there is no ratio, no verdict
        assert figures["ratios"] == [] and figures["goals"][0]["met"] is None


def test_the_memory_workload_judges_the_loop_and_fit_at_both_batch_sizes(quick_runs):
    _, figures = quick_runs["memory"]
    assert figures["quantity"] == "memory"
    judged = {(goal["ours"], goal["reference"]) for goal in figures["goals"]}
    assert judged == {(f"ours, {way}, batch {batch}", f"numpy by hand, batch {batch}")
                      for way in ("loop", "fit") for batch in (128, 1024)}
    assert all(goal["max_ratio"] == 1.2 and goal["met"] is not None
               for goal in figures["goals"])
    for result in figures["results"]:  # peaks in bytes: more than the weights' megabyte
        assert result["median"] > 1e6


def test_results_file_lists_every_workload_and_the_machine(quick_runs, run_all):
    all_figures = [figures for _, figures in quick_runs.values()]
    when = datetime.datetime(2030, 1, 2, 3, 4, tzinfo=datetime.UTC)
    text = run_all.results_markdown(all_figures, when, run_all.machine("0.50, 0.40, 0.30"))
    assert "2030-01-02 03:04 UTC" in text
    for figures in all_figures:
        assert f"## {figures['title']}" in text
        for result in figures["results"]:
            assert f"| {result['name']} |" in text
    machine = text.split("## Machine", 1)[1]
    for fact in ("CPU", "cores", "Python", "numpy", "torch", "micrograd", "environment"):
        assert f"- {fact}: " in machine
    assert "0.50, 0.40, 0.30 at the start" in machine


def test_summary_has_a_row_per_workload_with_its_goal(quick_runs, run_all):
    rows = run_all.summary_rows([figures for _, figures in quick_runs.values()])
    assert rows[0] == ["workload", "ours", "reference", "ratio", "goal", "met"]
    assert [row[0].split()[0] for row in rows[1:]] == [*list(SCRIPTS)[:3], *["memory"] * 4]
    assert [row[4] for row in rows[1:]] == ["<= 1", "<= 1.15", "<= 1", *["<= 1.2"] * 4]
    assert all(row[2].startswith("-") and row[5] == "-" for row in rows[1:4])  # no reference
    assert all(row[2].endswith("MB (numpy by hand, batch 128)") or
               row[2].endswith("MB (numpy by hand, batch 1024)") for row in rows[4:])


def test_references_are_never_installed_outside_a_virtual_environment(run_all, monkeypatch):
    monkeypatch.setattr(run_all, "REFERENCES", {"no_such_module_for_a_test": "no-such-thing"})
    monkeypatch.setattr(sys, "prefix", sys.base_prefix)
    with pytest.raises(SystemExit, match="not a virtual environment.*pip install no-such-thing"):
        run_all.install_missing_references()


@pytest.mark.parametrize("key", SCRIPTS)
def test_runs_pooled_from_several_processes(tmp_path, key):
    figures_file = tmp_path / "pooled.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / SCRIPTS[key]), "--quick", "--ours-only",
         "--repeats", "1", "--processes", "2", "--json", str(figures_file)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    figures = json.loads(figures_file.read_text())
    assert figures["repeats"] == 2  # one run in each of two processes
    assert all(len(result["samples"]) == 2 for result in figures["results"])
    assert "runs pooled from 2 processes of 1 run(s) each" in figures["setup"]
    assert re.search(r"2 (timed )?run\(s\) per implementation", done.stdout)


def test_ratio_pairs_the_runs_of_each_round(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import harness

    # the third round ran in a slow spell that hit the reference: round by round, ours took
    # 1.1 times as long twice; the medians alone would give 1.1 / 2 = 0.55
    ours = harness.Candidate("ours", run=lambda: 0.0, samples=[1.1, 2.2, 0.5])
    reference = harness.Candidate("reference", run=lambda: 0.0, samples=[1.0, 2.0, 10.0])
    assert harness.paired_ratio(ours, reference) == pytest.approx(1.1)


def test_readme_shows_the_summary_of_the_results_file(run_all):
    readme, results = run_all.README.read_text(), run_all.RESULTS.read_text()
    assert readme == run_all.readme_with_summary(readme, results), (
        "README.md's speed summary differs from benchmarks/results/latest.md: run "
        "`.venv/bin/python benchmarks/run_all.py --readme`")
    assert run_all.readme_summary(results) in readme


def test_readme_summary_replaces_what_is_between_its_markers(run_all):
    readme = f"intro\n{run_all.README_START}\nan old table\n{run_all.README_END}\nmore\n"
    results = ("# Benchmark results\n\nMeasured 2030-01-02 03:04 UTC by `bash run.sh bench`.\n\n"
               "| workload | ratio |\n|---|---|\n| scalar | 0.5 |\n\n## Machine\n\n"
               "- CPU: Some Processor\n- cores: 4 logical, 4 usable by this process\n")
    updated = run_all.readme_with_summary(readme, results)
    assert "an old table" not in updated
    assert updated.startswith(f"intro\n{run_all.README_START}\n")
    assert updated.endswith(f"{run_all.README_END}\nmore\n")
    assert "Measured 2030-01-02 03:04 UTC on Some Processor (4 cores)" in updated
    assert "| workload | ratio |\n|---|---|\n| scalar | 0.5 |\n" in updated
    assert run_all.readme_with_summary(updated, results) == updated
    with pytest.raises(ValueError, match="marker"):
        run_all.readme_with_summary("no markers here", results)
