"""Every example runs in its quick mode and prints what it promises.

Each program in examples/ declares, at module level, `CHECKS`: a list of regular expressions
that its `--quick` output must match (the numbers it demonstrates, not just "done"). This test
reads them without importing the example, runs it in a subprocess and checks each one, so no
example can rot unnoticed.
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
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


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_example_runs_quickly_and_prints_what_it_shows(program, tmp_path):
    checks = declared_checks(program)
    assert checks, f"{program.name}: CHECKS is empty"
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
    result = subprocess.run(
        [sys.executable, str(program), "--quick"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, f"{program.name} failed:\n{result.stdout}\n{result.stderr}"
    for pattern in checks:
        assert re.search(pattern, result.stdout, re.MULTILINE), (
            f"{program.name}: output does not match {pattern!r}:\n{result.stdout}"
        )
