"""Every example runs in its quick mode and prints what it promises.

Each program in examples/ declares, at module level, `CHECKS`: a list of regular expressions
that its `--quick` output must match (the numbers it demonstrates, not just "done"). This test
reads them without importing the example, runs it in a subprocess and checks each one, so no
example can rot unnoticed. Running an example changes no file of the repository: the README's
pictures in examples/gallery/ are rewritten only by `bash run.sh gallery`.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PROGRAMS = sorted(p for p in EXAMPLES.glob("*.py") if not p.name.startswith("_"))


def declared_checks(program: Path) -> list[str]:
    """The example's CHECKS list, read from its source."""
    for node in ast.parse(program.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "CHECKS" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{program.name} declares no CHECKS list of expected output")


def test_there_are_examples():
    assert PROGRAMS, f"no examples found in {EXAMPLES}"


def repository_state() -> tuple[str, dict[str, int]]:
    """What git sees changed in the repository, and when each gallery picture was written."""
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True, cwd=ROOT, check=True).stdout
    written = {p.name: p.stat().st_mtime_ns for p in (EXAMPLES / "gallery").iterdir()}
    return status, written


def run_example(program: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
    return subprocess.run([sys.executable, str(program), *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=600)


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_example_runs_quickly_and_prints_what_it_shows(program, tmp_path, examples_output_lock):
    checks = declared_checks(program)
    assert checks, f"{program.name}: CHECKS is empty"
    before = repository_state()
    with examples_output_lock(program.stem):  # its notebook writes the same files
        result = run_example(program, "--quick", cwd=tmp_path)
    assert repository_state() == before, f"{program.name} --quick changed the repository"
    assert result.returncode == 0, f"{program.name} failed:\n{result.stdout}\n{result.stderr}"
    for pattern in checks:
        assert re.search(pattern, result.stdout, re.MULTILINE), (
            f"{program.name}: output does not match {pattern!r}:\n{result.stdout}"
        )


def test_the_gallery_is_written_only_by_a_full_run():
    result = run_example(EXAMPLES / "draw_neuron.py", "--quick", "--gallery", cwd=ROOT)
    assert result.returncode == 2
    assert "--gallery is for full runs" in result.stderr


@pytest.fixture
def parse(monkeypatch):
    """`parse(argv, environment)`: an example's arguments, parsed as `_common.parse_args` does
    for an example with `--steps` (100, 30 with --quick) and `--epochs` (1000, 200, at least 50),
    with LEARNGRAD_QUICK set to `environment` (None: unset)."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    import _common

    def parsed(argv, environment=None):
        monkeypatch.setattr(sys, "argv", ["example.py", *argv])
        if environment is None:
            monkeypatch.delenv("LEARNGRAD_QUICK", raising=False)
        else:
            monkeypatch.setenv("LEARNGRAD_QUICK", environment)
        return _common.parse_args("An example.", steps=(100, 30), epochs=(1000, 200, 50))

    return parsed


@pytest.mark.parametrize(("argv", "environment", "expected"), [
    ([], None, (False, 100)),
    (["--quick"], None, (True, 30)),
    ([], "1", (True, 30)),
    (["--quick", "--steps", "40"], None, (True, 40)),  # a number given wins over --quick's
    (["--steps", "7"], None, (False, 7)),
    (["--gallery"], "1", (False, 100)),  # --gallery asks for a full run, whatever the variable
])
def test_the_command_line_sets_quick_and_the_numbers(argv, environment, expected, parse):
    args = parse(argv, environment)
    assert (args.quick, args.steps) == expected


@pytest.mark.parametrize(("argv", "message"), [
    (["--steps", "0"], "argument --steps: must be at least 1, got 0"),
    (["--steps", "-3"], "argument --steps: must be at least 1, got -3"),
    (["--steps", "1.5"], "argument --steps: not a whole number: '1.5'"),
    (["--epochs", "49"], "argument --epochs: must be at least 50, got 49"),
    # the gallery holds the README's pictures: full runs only, with their own numbers
    (["--gallery", "--steps", "2"], "--gallery is for full runs with their own numbers"),
])
def test_a_number_refused_stops_with_the_usage(argv, message, parse, capsys):
    with pytest.raises(SystemExit) as stopped:
        parse(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_the_smallest_numbers_allowed_still_run(tmp_path, examples_output_lock):
    # logistic_regression's figure needs 50 epochs; two moons need 2 points
    for program, *argv in [("logistic_regression", "--epochs", "50"),
                           ("gradient_descent_batch_sizes", "--points", "2", "--epochs", "1")]:
        with examples_output_lock(program):  # its test and notebook write the same files
            result = run_example(EXAMPLES / f"{program}.py", *argv, cwd=tmp_path)
        assert result.returncode == 0, f"{program} {argv}:\n{result.stderr}"
