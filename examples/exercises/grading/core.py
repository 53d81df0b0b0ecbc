"""The grading machinery every exercise shares: calling the learner's functions safely,
checking them on inputs Hypothesis draws, and explaining a failure to the learner.

A part of an exercise is one function the learner writes. Its check calls that function
through `Learner`, which turns what can go wrong into reports instead of tracebacks: a stub
that still raises NotImplementedError becomes `NotStarted`, any other exception a `Crash` (a
`Failure`) that quotes the learner's own lines, and a call still running after `CALL_SECONDS`
a `TooSlow` that shows where it was stopped. `hypothesis_property` runs a check over drawn
inputs; when one fails, Hypothesis shrinks it to the smallest failing input, which the report
shows. `output_part` builds the most common part: the learner's answer against a reference
answer, with hints that recognise typical mistakes.
"""

from __future__ import annotations

import copy
import itertools
import os
import signal
import sysconfig
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hypothesis
import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.errors import Flaky

import autograd
import nn
from autograd import Value

# Modest and reproducible: the same examples on every run, a few seconds per exercise, and
# nothing written to disk (no example database). No explain phase: its notes are not shown,
# and it would cost more than the rest of a failing check.
SETTINGS = settings(max_examples=50, derandomize=True, deadline=None, database=None,
                    report_multiple_bugs=False, verbosity=Verbosity.quiet, print_blob=False,
                    suppress_health_check=list(HealthCheck),
                    phases=[Phase.explicit, Phase.generate, Phase.target, Phase.shrink])
# Hypothesis's first example is its simplest: enough to see a stub, without drawing 49 more.
FIRST_EXAMPLE = settings(SETTINGS, max_examples=1, phases=[Phase.generate])
# Hypothesis still writes a cache (of the constants in the code it runs) into .hypothesis in
# the current directory, wherever the grader is run from: the repository's own .hypothesis,
# which git ignores, instead (unless one was chosen with HYPOTHESIS_STORAGE_DIRECTORY).
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(__file__).resolve().parents[3] / ".hypothesis")

RTOL, ATOL = 1e-6, 1e-9  # how closely the learner's numbers must match the reference's

# A call of a learner's function still running after this many seconds is stopped: every
# reference answer takes a small fraction of a second, so it is most likely a loop that never
# ends. (Unix only: elsewhere, and outside the main thread, calls run without a limit.)
CALL_SECONDS = 10.0

PASSED, FAILED, NOT_STARTED = "passed", "FAILED", "not started"


# ---------------------------------------------------------------------------------------------
# Outcomes of a check.


class NotStarted(Exception):
    """A learner's function raised NotImplementedError: it is still the stub.

    `function` is the learner's function the grader called; `missing` names the one that
    raised: the same, or another of the learner's functions that it calls.
    """

    def __init__(self, function: str, missing: str) -> None:
        super().__init__(f"{function}: {missing} raises NotImplementedError")
        self.function = function
        self.missing = missing


class Failure(Exception):
    """A part failed: what was checked, on which input, the expected and the actual answer
    (or `details`, such as a gradient check's table or a traceback), and a hint.

    `shrunk` says that `given` is the smallest failing input Hypothesis found, rather than a
    fixed input of the check.
    """

    def __init__(self, checked: str, *, given: str | None = None, expected: str | None = None,
                 actual: str | None = None, details: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(checked)
        self.checked = checked
        self.given = given
        self.shrunk = False
        self.expected = expected
        self.actual = actual
        self.details = details
        self.hint = hint

    def explain(self) -> str:
        """The failure for the learner, one labelled line (or block) per known fact."""
        lines = [f"checked:  {self.checked}"]
        if self.given is not None:
            note = "   (the smallest failing input found)" if self.shrunk else ""
            lines.append(f"input:    {self.given}{note}")
        if self.expected is not None:
            lines.append(f"expected: {self.expected}")
        if self.actual is not None:
            lines.append(f"yours:    {self.actual}")
        if self.details:
            lines.append(self.details)
        if self.hint:
            lines.append(f"hint:     {self.hint}")
        return "\n".join(lines)


class Crash(Failure):
    """The learner's code raised an exception (other than NotImplementedError) while the
    grader was doing what `checked` says. Two kinds come with their hint already: a call of
    exit(), and a call the learner's function does not accept (see `_crash_hint`)."""

    def __init__(self, checked: str, error: BaseException) -> None:
        super().__init__(checked,
                         details=f"error:    {type(error).__name__}: {error}\n"
                                 f"{learner_traceback(error)}".rstrip(),
                         hint=_crash_hint(error))
        self.error = error


def _crash_hint(error: BaseException) -> str | None:
    """The hint for a crash whatever the function: exit() called, or a TypeError raised in
    none of the learner's lines, by the call itself (its parameters are not the stub's)."""
    if isinstance(error, SystemExit):
        return ("your code calls exit() or sys.exit(), which ends the whole program, the "
                "grader with it: a function gives its answer with `return`")
    if isinstance(error, TypeError) and "argument" in str(error) and not _learners_frames(error):
        return ("the grader calls your function with the parameters of the stub: keep them, "
                "with their names and in their order")
    return None


class TooSlow(Failure):
    """The learner's code was stopped after running for `seconds` (see `time_limit`) while the
    grader was doing what `checked` says; the report shows where it was."""

    def __init__(self, checked: str, error: BaseException, seconds: float, hint: str) -> None:
        super().__init__(checked, details=f"stopped:  after {seconds:g} s, here:\n"
                                          f"{learner_traceback(error)}".rstrip(), hint=hint)


# ---------------------------------------------------------------------------------------------
# The learner's functions.


class OutOfTime(BaseException):
    """Raised inside the learner's code when `time_limit` runs out. Not an Exception, so that
    an `except Exception:` in the learner's code does not catch it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `OutOfTime` in the code running in the block once `seconds` have passed, and again
    every second after that (should that code catch it). Without effect where a timer signal
    cannot be used: outside Unix or the main thread, or inside another `time_limit`."""
    if (not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise OutOfTime

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)


# Frames of these files and folders are not the learner's: the grader's, and the libraries'.
_NOT_LEARNERS = [Path(root).resolve() for root in (
    Path(__file__).parent, Path(__file__).parent.parent / "grade.py",
    sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"],
    sysconfig.get_paths()["platlib"], Path(np.__file__).parent,
    Path(hypothesis.__file__).parent, Path(autograd.__file__).parent,
    Path(nn.__file__).parent)]


def _is_learners(filename: str) -> bool:
    """Whether a traceback frame's file is the learner's (not the grader's or a library's)."""
    path = str(Path(filename).resolve())
    return not any(path == str(root) or path.startswith(str(root) + os.sep)
                   for root in _NOT_LEARNERS)


def _learners_frames(error: BaseException) -> list[traceback.FrameSummary]:
    """The frames of the learner's own files in the error's traceback (none when the error
    came from the grader calling the learner's function, or from the grader itself)."""
    return [frame for frame in traceback.extract_tb(error.__traceback__)
            if _is_learners(frame.filename)]


SHOWN_FRAMES = 12  # a longer traceback shows its first and last halves of these


def learner_traceback(error: BaseException) -> str:
    """The learner's frames of the error's traceback, by file name only, each with its line of
    code, and a line repeated in a row (a recursion) shown once; for a syntax error, the
    place in the file where Python stopped reading. Empty if no frame is the learner's."""
    indent = " " * 10
    if isinstance(error, SyntaxError) and error.filename:
        return (f"{indent}{Path(error.filename).name}, line {error.lineno}: "
                f"{(error.text or '').strip()}")
    lines = []
    for line, same in itertools.groupby(
            f"{indent}{Path(frame.filename).name}, line {frame.lineno}, in {frame.name}: "
            f"{(frame.line or '').strip()}" for frame in _learners_frames(error)):
        lines.append(line)
        repeats = len(list(same)) - 1
        if repeats:
            lines.append(f"{indent}(the line above repeated {repeats} more times)")
    if len(lines) > SHOWN_FRAMES:
        half = SHOWN_FRAMES // 2
        lines[half:-half] = [f"{indent}({len(lines) - SHOWN_FRAMES} more lines)"]
    return "\n".join(lines)


def _raised_by(error: BaseException, function: Callable[..., Any], name: str) -> str | None:
    """Which of the learner's functions raised `error` itself: `name` if it was `function`,
    else the raising function's own name; None if a library raised it."""
    last = error.__traceback__
    while last is not None and last.tb_next is not None:
        last = last.tb_next
    if last is None or not _is_learners(last.tb_frame.f_code.co_filename):
        return None
    code = last.tb_frame.f_code
    return name if code is getattr(function, "__code__", None) else code.co_name


class Learner:
    """The functions a learner wrote for one exercise: a module, or any object holding them
    as attributes (the stubs, the solutions, or a test's wrong answers)."""

    def __init__(self, source: Any) -> None:
        self.source = source

    def function(self, name: str) -> Callable[..., Any]:
        """The learner's function `name`, wrapped so that whatever goes wrong in it becomes a
        `NotStarted`, a `Crash` or, after `CALL_SECONDS`, a `TooSlow`. Numpy's floating-point
        warnings are silenced: the inf or nan in a result is judged, not the warning."""
        found = getattr(self.source, name, None)
        if not callable(found):
            raise Failure(f"looking for the function {name}",
                          hint=f"there is no function called {name}: was it renamed or "
                               "deleted? The grader calls it by that name")

        def call(*args: Any, **kwargs: Any) -> Any:
            seconds = CALL_SECONDS
            try:
                with np.errstate(all="ignore"), time_limit(seconds):
                    return found(*args, **kwargs)
            except OutOfTime as error:
                raise TooSlow(f"calling {name}", error, seconds,
                              hint=f"{name} was still running after {seconds:g} s, where a "
                                   "fraction of a second is enough: does a loop never end? "
                                   "Check that a while loop's condition can become false, and "
                                   "that the loop updates what its condition tests") from None
            except (NotStarted, Failure):
                raise  # the grader's own verdict, from deeper down (a checked gradient rule)
            except NotImplementedError as error:
                missing = _raised_by(error, found, name)
                if missing is None:
                    raise Crash(f"calling {name}", error) from None
                raise NotStarted(name, missing) from None
            except (Exception, SystemExit) as error:  # SystemExit: exit() would end the grader
                raise Crash(f"calling {name}", error) from None

        return call


# ---------------------------------------------------------------------------------------------
# Showing values.


def show(value: Any, digits: int = 7) -> str:
    """A value for a report: arrays and numbers to `digits` significant digits."""
    if isinstance(value, Value):
        return f"{show(value.data, digits)} (a Value)"
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=digits - 1, threshold=40, floatmode="maxprec"):
            return " ".join(repr(value).split())  # on one line, rows one after the other
    if isinstance(value, float | np.floating):
        text = repr(float(value)) if digits >= 17 else f"{float(value):.{digits}g}"
        return text if any(c in text for c in ".eni") else text + ".0"  # 1.0, not 1: a float
    if isinstance(value, list):
        return "[" + ", ".join(show(v, digits) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(show(v, digits) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {show(v, digits)}" for k, v in value.items()) + "}"
    if isinstance(value, np.random.Generator):  # as the learner would make it again
        return f"np.random.default_rng({value.bit_generator.seed_seq.entropy})"
    return repr(value)


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Right-aligned columns separated by " | ", with a rule under the header, indented to
    sit under a report's labels."""
    cells = [list(header), *(list(row) for row in rows)]
    widths = [max(len(row[c]) for row in cells) for c in range(len(header))]
    lines = [" | ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True))
             for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(" " * 10 + line for line in lines)


def show_call(function: str, arguments: dict[str, Any]) -> str:
    """A call of the learner's function with these arguments, exact to the last digit."""
    return f"{function}(" + ", ".join(f"{name}={show(value, 17)}"
                                      for name, value in arguments.items()) + ")"


# ---------------------------------------------------------------------------------------------
# Comparing answers.


def as_numbers(value: Any) -> np.ndarray | None:
    """A learner's answer as a float array, or None if it is not made of real numbers (text
    such as "1" and complex numbers are not, though numpy would convert them)."""
    if value is None:
        return None
    if isinstance(value, Value):
        value = value.data
    try:
        numbers = np.asarray(value)
        if numbers.dtype.kind in "USc":  # str, bytes, complex
            return None
        return np.asarray(numbers, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def agrees(expected: Any, actual: Any, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """Whether `actual` has the structure, shapes and (to the tolerances) numbers of
    `expected`. Tuples and lists are compared item by item, dicts key by key."""
    if isinstance(expected, dict):
        return (isinstance(actual, dict) and actual.keys() == expected.keys()
                and all(agrees(expected[k], actual[k], rtol, atol) for k in expected))
    if isinstance(expected, tuple | list):
        return (isinstance(actual, tuple | list) and len(actual) == len(expected)
                and all(agrees(e, a, rtol, atol) for e, a in zip(expected, actual, strict=True)))
    numbers = as_numbers(actual)
    wanted = np.asarray(expected, dtype=np.float64)
    return (numbers is not None and numbers.shape == wanted.shape
            and bool(np.allclose(numbers, wanted, rtol=rtol, atol=atol)))


def is_finite(value: Any) -> bool:
    """Whether every number in a (possibly nested) answer is finite; False for non-numbers."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, tuple | list):
        return all(is_finite(v) for v in value)
    numbers = as_numbers(value)
    return numbers is not None and bool(np.all(np.isfinite(numbers)))


# ---------------------------------------------------------------------------------------------
# Hints: recognising typical mistakes from what the learner's function returned.


@dataclass(frozen=True)
class Case:
    """One failing call: its inputs, the expected answer, and the learner's answer or the
    exception the learner's function raised. `call` is the learner's function, for hints
    that try it on other inputs to tell similar mistakes apart (see `answer_to`)."""

    inputs: dict[str, Any]
    expected: Any
    actual: Any = None
    error: BaseException | None = None
    call: Callable[..., Any] | None = None


def answer_to(case: Case, **inputs: Any) -> Any:
    """The learner's answer for other inputs than the failing ones, or None if there is none
    (the function fails there, or the case has no function)."""
    if case.call is None:
        return None
    try:
        return case.call(**copy.deepcopy(inputs))
    except (Failure, NotStarted):
        return None


@dataclass(frozen=True)
class Hint:
    """Advice for the learner, given when `applies` recognises the mistake in a failing case."""

    text: str
    applies: Callable[[Case], bool]


def gives(wrong: Callable[..., Any],
          probes: Sequence[dict[str, Any]] = ()) -> Callable[[Case], bool]:
    """A hint's condition: the learner's answer equals what the mistaken formula `wrong`
    computes from the same inputs (and differs from the expected answer).

    A small failing input may fit several mistakes; `probes`, inputs where the mistakes
    differ, tell them apart: the learner's function must agree with `wrong` on each of them
    too.
    """

    def mistaken(inputs: dict[str, Any]) -> Any:
        try:
            with np.errstate(all="ignore"):
                return wrong(**inputs)
        except (ArithmeticError, ValueError, IndexError, TypeError):
            return None  # this mistake is impossible at these inputs

    def applies(case: Case) -> bool:
        answer = mistaken(case.inputs)
        return (answer is not None and agrees(answer, case.actual)
                and not agrees(answer, case.expected)
                and all(agrees(mistaken(probe), answer_to(case, **probe)) for probe in probes))

    return applies


def negated(case: Case) -> bool:
    """A hint's condition: the learner's answer is the expected one with the opposite sign."""
    numbers = as_numbers(case.expected)
    return (numbers is not None and bool(np.any(numbers != 0))
            and agrees(-numbers, case.actual))


def crashed_with(*kinds: type[BaseException], saying: str = "",
                 on_a_line_with: str = "") -> Callable[[Case], bool]:
    """A hint's condition: the learner's function raised one of `kinds`, with `saying` in its
    message, on a line of the learner's code containing `on_a_line_with`."""
    return lambda case: (isinstance(case.error, kinds) and saying in str(case.error)
                         and (not on_a_line_with
                              or any(on_a_line_with in (frame.line or "")
                                     for frame in _learners_frames(case.error))))


def first_hint(hints: Iterable[Hint], case: Case) -> str | None:
    """The text of the first hint that recognises the case."""
    return next((hint.text for hint in hints if hint.applies(case)), None)


def _right_numbers_wrong_shape(case: Case) -> bool:
    numbers, wanted = as_numbers(case.actual), as_numbers(case.expected)
    return (numbers is not None and wanted is not None and numbers.shape != wanted.shape
            and numbers.size == wanted.size
            and bool(np.allclose(numbers.ravel(), wanted.ravel(), rtol=RTOL, atol=ATOL)))


def _not_numbers(case: Case) -> bool:
    return (case.error is None and case.actual is not None and as_numbers(case.actual) is None
            and as_numbers(case.expected) is not None)


# Mistakes any function can make, checked after a part's own hints.
GENERAL_HINTS = (
    Hint("your function returned None: is a `return` missing?",
         lambda case: case.actual is None and case.error is None),
    Hint("your answer is not made of real numbers (text, complex numbers, or some other kind "
         "of object): return a number or an array of numbers", _not_numbers),
    Hint("the numbers are right but the shape is not: compare the shapes of expected and yours",
         _right_numbers_wrong_shape),
    Hint("your answer contains inf or nan where the expected one is finite: look for an "
         "overflow, a division by zero or the log of 0",
         lambda case: case.error is None and is_finite(case.expected)
         and not is_finite(case.actual)),
    Hint("math's functions (math.exp, math.log, ...) take single numbers only; numpy's "
         "(np.exp, np.log, ...) take arrays too",
         crashed_with(TypeError, saying="converted to Python scalars", on_a_line_with="math.")),
)


# ---------------------------------------------------------------------------------------------
# Running checks.


def hypothesis_property(inputs: st.SearchStrategy[dict[str, Any]],
                        check: Callable[[dict[str, Any]], None], function: str,
                        shown_as: Callable[[dict[str, Any]], str] | None = None,
                        examples: Sequence[dict[str, Any]] = ()) -> None:
    """Run `check` on `examples`, then on arguments drawn by `inputs` (dicts of the learner's
    function's keyword arguments). A `Failure` is raised for the first example that fails, else
    for the smallest failing input Hypothesis finds, with that input shown as a call of
    `function` (or as `shown_as` shows it, for inputs that are not the function's). A stub is
    seen on the first, simplest input; a function too slow (`TooSlow`) on the first input
    where it is.

    Examples are for mistakes that the smallest failing input would hide: where a wrong answer
    also fails at a special input (a score of 1000, say), Hypothesis may report that one, and
    the mistake shows better on an ordinary input.
    """
    stopped: list[NotStarted | TooSlow] = []

    def show_input(arguments: dict[str, Any]) -> str:
        return show_call(function, arguments) if shown_as is None else shown_as(arguments)

    def run(arguments: dict[str, Any]) -> None:
        if stopped:
            return  # nothing more to learn; let Hypothesis finish quickly
        try:
            check(arguments)
        except NotStarted as not_started:
            stopped.append(not_started)  # not raised: Hypothesis would try to shrink it
        except TooSlow as too_slow:  # not raised either: each try to shrink it would take as long
            too_slow.given = show_input(arguments)
            stopped.append(too_slow)
        except Failure as failure:
            if failure.given is None:
                failure.given = show_input(arguments)
                failure.shrunk = not any(arguments is example for example in examples)
            raise

    def test(run_settings: settings) -> Callable[[], None]:
        with_examples = given(inputs)(run)
        for example in examples:  # Hypothesis runs them first, as they are (the same objects)
            with_examples = hypothesis.example(example)(with_examples)
        return run_settings(with_examples)
    for run_settings in (FIRST_EXAMPLE, SETTINGS):
        try:
            test(run_settings)()
        except Flaky:
            raise Failure(f"calling {function} twice with the same input",
                          hint="it gave different answers for the same input: does it depend "
                               "on something besides its arguments, such as a global variable "
                               "or an unseeded random generator?") from None
        if stopped:
            raise stopped[0]


def compare_answer(call: Callable[..., Any], arguments: dict[str, Any], expected: Any, *,
                   checked: str, hints: Sequence[Hint], fallback: str) -> Any:
    """Call the learner's function on a copy of `arguments` (it may change its inputs) and
    return its answer, or raise a `Failure` if that answer does not agree with `expected`.

    The failure's hint is the first of `hints`, then of `GENERAL_HINTS`, that recognises the
    mistake, else `fallback`; a crash gets a hint only when one of them recognises it (or
    when it came with one).
    """
    try:
        actual = call(**copy.deepcopy(arguments))
    except Crash as crash:
        case = Case(arguments, expected, error=crash.error, call=call)
        crash.hint = first_hint([*hints, *GENERAL_HINTS], case) or crash.hint
        raise
    if not agrees(expected, actual):
        case = Case(arguments, expected, actual, call=call)
        raise Failure(checked, expected=show(expected), actual=show(actual),
                      hint=first_hint([*hints, *GENERAL_HINTS], case) or fallback)
    return actual


@dataclass(frozen=True)
class Part:
    """One function of an exercise and the check that grades it."""

    function: str
    check: Callable[[Learner], None]


def output_part(function: str, inputs: st.SearchStrategy[dict[str, Any]],
                reference: Callable[..., Any], *, checked: str, hints: Sequence[Hint] = (),
                fallback: str, examples: Sequence[dict[str, Any]] = ()) -> Part:
    """A part whose answer must agree with `reference`'s on every drawn input, and on
    `examples` first (see `hypothesis_property`).

    `checked` says what is compared, for the report; `hints` and `fallback` are as for
    `compare_answer`.
    """

    def check(learner: Learner) -> None:
        call = learner.function(function)

        def one(arguments: dict[str, Any]) -> None:
            with np.errstate(all="ignore"):
                expected = reference(**arguments)
            compare_answer(call, arguments, expected, checked=checked, hints=hints,
                           fallback=fallback)

        hypothesis_property(inputs, one, function, examples=examples)

    return Part(function, check)


@dataclass(frozen=True)
class Exercise:
    """An exercise: its number, its file (the same name among the stubs and the solutions),
    and its parts in the order of the file."""

    number: int
    file: str
    parts: tuple[Part, ...]


# ---------------------------------------------------------------------------------------------
# Grading.


@dataclass(frozen=True)
class Result:
    """The outcome of one part: passed, FAILED or not started, and for a failure why."""

    exercise: int
    function: str
    status: str
    explanation: str = ""


def grade_part(exercise: int, part: Part, learner: Learner) -> Result:
    """Run one part's check and turn its outcome into a `Result`."""
    try:
        part.check(learner)
    except NotStarted as stub:
        if stub.missing == stub.function == part.function:
            return Result(exercise, part.function, NOT_STARTED)
        return Result(exercise, part.function, FAILED, Failure(
            f"calling {part.function}",
            hint=f"{stub.function} calls {stub.missing}, which is not written yet (it still "
                 f"raises NotImplementedError): write {stub.missing} first").explain())
    except Failure as failure:
        return Result(exercise, part.function, FAILED, failure.explain())
    except Exception as error:  # an answer so unexpected that the check itself tripped on it
        crash = Crash(f"grading {part.function}", error)
        crash.hint = (f"the grader could not make sense of what {part.function} returned: "
                      "compare its type and shape with what the docstring asks for")
        return Result(exercise, part.function, FAILED, crash.explain())
    return Result(exercise, part.function, PASSED)
