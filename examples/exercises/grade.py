"""Grade the exercises: each function you wrote is checked and reported as passed, FAILED
(with what was checked, the smallest failing input, the expected and your answer, and a hint)
or not started (it still raises NotImplementedError).

    bash run.sh exercises             # every exercise
    bash run.sh exercises 3           # exercise 3 only (several numbers may be given)
    bash run.sh exercises 3 --solutions   # the reference solutions instead of your files
    bash run.sh exercises 3 --file my_ex3.py  # your own copy of exercise 3's file

(or `python examples/exercises/grade.py ...` in the project's environment). It runs offline in
a few seconds. The exit code is 0 when every part graded passed, and 1 otherwise: a part not
started counts as not passed.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from grading import core, ex1, ex2, ex3, ex4, ex5, ex6, ex7
from grading.core import (
    FAILED,
    NOT_STARTED,
    PASSED,
    Crash,
    Exercise,
    Failure,
    Learner,
    OutOfTime,
    Result,
    TooSlow,
    grade_part,
    time_limit,
)

HERE = Path(__file__).resolve().parent
SOLUTIONS = HERE / "solutions"
EXERCISES: dict[int, Exercise] = {module.EXERCISE.number: module.EXERCISE
                                  for module in (ex1, ex2, ex3, ex4, ex5, ex6, ex7)}


def exercise_path(number: int, solutions: bool = False) -> Path:
    """The file of exercise `number`: the stub, or the reference solution."""
    return (SOLUTIONS if solutions else HERE) / EXERCISES[number].file


def load(path: Path) -> ModuleType:
    """Run the Python file at `path` as a fresh module. Compiled from its source every time,
    with no bytecode cache: a cache is told stale by the file's time and size, which a quick
    edit of the same length can leave unchanged. Whatever goes wrong becomes a `Failure`: an
    exception (a `Crash`), or code that still runs after `CALL_SECONDS`."""
    module = ModuleType(path.stem)
    module.__file__ = str(path)
    seconds = core.CALL_SECONDS
    try:
        with time_limit(seconds):
            exec(compile(path.read_bytes(), str(path), "exec"), module.__dict__)
    except OutOfTime as error:
        raise TooSlow(f"importing {path.name}", error, seconds,
                      hint="importing the file should only define its functions, but it was "
                           f"still running after {seconds:g} s: put code that tries your "
                           "functions under `if __name__ == \"__main__\":`, where it runs only "
                           "when you run the file itself") from None
    except (Exception, SystemExit) as error:  # a syntax error, a bad import, exit(), ...
        raise Crash(f"importing {path.name}", error) from None
    return module


def grade(number: int, source: Any = None, solutions: bool = False,
          functions: Sequence[str] | None = None) -> list[Result]:
    """Grade the parts of exercise `number`: every one, or those of the named `functions`.

    `source` holds the functions to grade: a module, any object with them as attributes, or
    the path of a file; by default the exercise's file (the reference solution's with
    `solutions`). A file that cannot be imported fails every part, with the reason.
    """
    exercise = EXERCISES[number]
    parts = [part for part in exercise.parts if functions is None or part.function in functions]
    if source is None:
        source = exercise_path(number, solutions)
    if isinstance(source, Path):
        try:
            source = load(source)
        except Failure as failure:
            return [Result(number, part.function, FAILED, failure.explain()) for part in parts]
    learner = Learner(source)
    return [grade_part(number, part, learner) for part in parts]


def report(results: Sequence[Result], file: str | None = None) -> str:
    """One line per part, failures explained below their line, and a summary that names the
    next file to write: the first exercise's with a part not started, or `file`."""
    lines = []
    for result in results:
        label = f"ex{result.exercise} {result.function} "
        lines.append(f"{label:.<34} {result.status}")
        lines.extend("      " + line for line in result.explanation.splitlines())
    counts = Counter(result.status for result in results)
    lines.append(f"{counts[PASSED]} passed, {counts[FAILED]} failed, {counts[NOT_STARTED]} not "
                 f"started, of {len(results)} parts")
    if counts[NOT_STARTED]:
        first = min(r.exercise for r in results if r.status == NOT_STARTED)
        next_file = file or f"examples/exercises/{EXERCISES[first].file}"
        lines.append("Not started: the function still raises NotImplementedError. Next to "
                     f"write: {next_file}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: grade, print the report, and return the exit code."""
    parser = argparse.ArgumentParser(
        description="Grade the exercises: each function is reported as passed, FAILED (with "
                    "what was checked, the failing input, the expected and your answer, and a "
                    "hint) or not started.")
    parser.add_argument("exercises", nargs="*", type=int, metavar="N",
                        help=f"the exercises to grade, {min(EXERCISES)} to {max(EXERCISES)} "
                             "(default: all)")
    parser.add_argument("--solutions", action="store_true",
                        help="grade the reference solutions instead of the exercises")
    parser.add_argument("--file", type=Path, metavar="PATH",
                        help="grade this file instead of exercise N's in examples/exercises: "
                             "your own copy of it, kept anywhere (give one N)")
    args = parser.parse_args(argv)
    numbers = list(dict.fromkeys(args.exercises))  # each once, in the order given
    unknown = sorted(set(numbers) - set(EXERCISES))
    if unknown:  # checked here: argparse's `choices` refuses an empty list of them
        parser.error(f"no exercise {', '.join(map(str, unknown))}; the exercises are "
                     f"{min(EXERCISES)} to {max(EXERCISES)}")
    if args.file is not None:
        if len(numbers) != 1 or args.solutions:
            parser.error("--file grades one exercise's file: give its number, as in "
                         "`exercises 3 --file my_ex3.py`, and no --solutions")
        if not args.file.is_file():
            parser.error(f"--file: there is no file {args.file}")
        results = grade(numbers[0], args.file)
    else:
        results = [result for number in numbers or sorted(EXERCISES)
                   for result in grade(number, solutions=args.solutions)]
    print(report(results, file=None if args.file is None else str(args.file)))
    return 0 if all(result.status == PASSED for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
