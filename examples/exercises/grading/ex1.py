"""Grading exercise 1: a perceptron's output, logic gates as perceptrons, and XOR from them.

The gates have only four inputs (two for NOT), so they are checked on their whole truth table,
not on drawn inputs; the failure shows the table, with each input's score w · x + b.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn
from grading.core import (
    PASSED,
    Case,
    Exercise,
    Failure,
    Hint,
    Learner,
    Part,
    as_numbers,
    first_hint,
    gives,
    grade_part,
    output_part,
    show,
    table,
)


def score(x: Any, weights: Any, bias: float) -> float:
    """The perceptron's score w · x + b."""
    return float(np.dot(weights, x) + bias)


def perceptron(x: Any, weights: Any, bias: float) -> int:
    """The perceptron's output: step(w · x + b), which is 1 when the score is at least 0."""
    return int(nn.step(score(x, weights, bias)))


@dataclass(frozen=True)
class Gate:
    """A logic gate: its name and its truth function of `inputs` bits."""

    name: str
    inputs: int
    truth: Callable[..., int]

    def rows(self) -> list[np.ndarray]:
        """Every input of the truth table, as float arrays: (0, 0), (0, 1), (1, 0), (1, 1)."""
        return [np.array(bits, dtype=float) for bits in itertools.product([0, 1],
                                                                          repeat=self.inputs)]

    def outputs(self) -> list[int]:
        """The gate's output for each row."""
        return [int(self.truth(*row.astype(int))) for row in self.rows()]


AND = Gate("AND", 2, lambda a, b: a & b)
OR = Gate("OR", 2, lambda a, b: a | b)
NAND = Gate("NAND", 2, lambda a, b: 1 - (a & b))
NOT = Gate("NOT", 1, lambda a: 1 - a)
XOR = Gate("XOR", 2, lambda a, b: a ^ b)
# Gates a wrong XOR may turn out to be.
TWO_INPUT_GATES = [AND, OR, NAND, Gate("NOR", 2, lambda a, b: 1 - (a | b)), XOR,
                   Gate("XNOR", 2, lambda a, b: 1 - (a ^ b))]


def _bits(row: np.ndarray) -> str:
    """An input of a truth table: "1" for one input, "(0, 1)" for two."""
    return _gate_arguments(row) if len(row) == 1 else f"({_gate_arguments(row)})"


def _gate_arguments(row: np.ndarray) -> str:
    return ", ".join(f"{int(b)}" for b in row)


def truth_table_check(gate: Gate, outputs: Sequence[int], checked: str,
                      hints: Sequence[Hint], fallback: str,
                      scores: Sequence[float] | None = None) -> None:
    """Raise a `Failure` showing the truth table unless `outputs` are the gate's.

    The hints see a `Case` whose inputs are the rows (and the scores, if given), whose
    expected answer is the gate's outputs and whose actual answer is `outputs`.
    """
    rows, expected = gate.rows(), gate.outputs()
    if list(outputs) == expected:
        return
    wrong = next(i for i, (e, o) in enumerate(zip(expected, outputs, strict=True)) if e != o)
    header = ["x", gate.name, "yours"] + (["score w · x + b"] if scores is not None else [])
    lines = [[_bits(row), str(e), str(o)] + ([f"{scores[i]:g}"] if scores is not None else [])
             for i, (row, e, o) in enumerate(zip(rows, expected, outputs, strict=True))]
    case = Case({"rows": rows, "scores": scores}, expected, list(outputs))
    raise Failure(checked, given=f"x = {_bits(rows[wrong])}",
                  expected=f"{gate.name}({_gate_arguments(rows[wrong])}) = {expected[wrong]}",
                  actual=str(outputs[wrong]), details=table(header, lines),
                  hint=first_hint(hints, case) or fallback)


def _flipped(case: Case) -> bool:
    return all(a == 1 - e for e, a in zip(case.expected, case.actual, strict=True))


def _zero_score_on_a_zero_row(case: Case) -> bool:
    return any(e == 0 and s == 0 for e, s in zip(case.expected, case.inputs["scores"],
                                                 strict=True))


def weights_and_bias(answer: Any, function: str, gate: Gate) -> tuple[np.ndarray, float]:
    """The (weights, bias) a gate function returned, or a `Failure` saying what is wrong."""
    weights = bias = None
    if isinstance(answer, tuple | list) and len(answer) == 2:
        weights, bias = as_numbers(answer[0]), as_numbers(answer[1])
    if weights is None or bias is None or bias.size != 1:
        raise Failure(f"what {function} returns", actual=show(answer),
                      hint=f"return a pair (weights, bias): a list of {gate.inputs} "
                           "number(s) and a number")
    if weights.size != gate.inputs:
        raise Failure(f"the number of weights {function} returns", actual=show(answer),
                      hint=f"{gate.name} takes {gate.inputs} input(s), so its perceptron "
                           f"needs {gate.inputs} weight(s); yours has {weights.size}")
    return weights.ravel(), bias.item()


def gate_part(function: str, gate: Gate) -> Part:
    """A part: `function` returns the weights and bias of a perceptron computing `gate`."""
    hints = [
        Hint(f"every output is the opposite of {gate.name}'s: your boundary is in the right "
             "place, but its positive side (w · x + b >= 0) holds the inputs where "
             f"{gate.name} is 0", _flipped),
        Hint("the score is exactly 0 on an input where the output must be 0; step(0) is 1, so "
             "inputs on the boundary count as 1: the boundary must pass strictly between the "
             "inputs", _zero_score_on_a_zero_row),
    ]
    fallback = (f"draw the inputs and look for a boundary with the inputs where {gate.name} is "
                "1 on its positive side (w · x + b >= 0) and the others strictly on its "
                "negative side")

    def check(learner: Learner) -> None:
        weights, bias = weights_and_bias(learner.function(function)(), function, gate)
        truth_table_check(
            gate, [perceptron(x, weights, bias) for x in gate.rows()],
            f"a perceptron with your weights {show(weights)} and bias {show(bias)} on every "
            f"input of {gate.name}'s truth table", hints, fallback,
            scores=[score(x, weights, bias) for x in gate.rows()])

    return Part(function, check)


GATE_PARTS = [gate_part("and_weights", AND), gate_part("or_weights", OR),
              gate_part("not_weights", NOT), gate_part("nand_weights", NAND)]


def _as_output(answer: Any, row: np.ndarray) -> int:
    """A 0/1 answer of xor_output as an int, or a `Failure` saying what is wrong."""
    number = as_numbers(answer)
    if number is None or number.size != 1 or number.item() not in (0.0, 1.0):
        raise Failure("what xor_output returns", given=f"x = {_bits(row)}", actual=show(answer),
                      hint="return the output 0 or 1")
    return int(number.item())


def _learners_gates_that_fail(learner: Learner) -> list[str]:
    return [part.function for part in [PERCEPTRON_OUTPUT, *GATE_PARTS]
            if grade_part(1, part, learner).status != PASSED]


def check_xor(learner: Learner) -> None:
    """xor_output on XOR's truth table; a failure names the learner's gates it may build on
    that do not pass yet, or the gate its outputs are those of."""
    call = learner.function("xor_output")
    outputs = [_as_output(call(x.copy()), x) for x in XOR.rows()]
    if outputs == XOR.outputs():
        return
    broken = _learners_gates_that_fail(learner)
    hints = [Hint(f"xor_output builds on your other functions, and these do not pass yet: "
                  f"{', '.join(broken)}; make them pass first", lambda case: bool(broken))]
    hints += [Hint(f"your outputs are those of {gate.name}: XOR is 1 exactly when one input "
                   "is 1", lambda case, gate=gate: case.actual == gate.outputs())
              for gate in TWO_INPUT_GATES if gate is not XOR]
    truth_table_check(XOR, outputs, "xor_output on every input of XOR's truth table", hints,
                      "no single perceptron computes XOR: which two of your gates, fed into "
                      "which third one, give 1 exactly when one input is 1?")


SMALL = st.integers(-3, 3).map(float)  # whole numbers, so that scores of exactly 0 come up


@st.composite
def perceptron_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """x, weights and bias for perceptron_output: 1 to 3 inputs."""
    vector = hnp.arrays(np.float64, draw(st.integers(1, 3)), elements=SMALL)
    return {"x": draw(vector), "weights": draw(vector), "bias": draw(SMALL)}


# Scores 0, 1 and -0.5 from inputs whose every weight counts, and a bias: where the mistakes
# below differ from one another and from other mistakes (a bias subtracted, a weight left out).
OUTPUT_PROBES = [{"x": np.array([1.0, 2.0]), "weights": np.array([1.0, 1.0]), "bias": -3.0},
                 {"x": np.array([1.0, 2.0]), "weights": np.array([2.0, -1.0]), "bias": 1.0},
                 {"x": np.array([1.0, 1.0]), "weights": np.array([1.0, -2.0]), "bias": 0.5}]

PERCEPTRON_OUTPUT = output_part(
    "perceptron_output", perceptron_inputs(), perceptron,
    checked="perceptron_output(x, weights, bias) against step(w · x + b)",
    hints=[
        Hint("on the boundary, where w · x + b is exactly 0, the output is 1 (step(0) = 1)",
             gives(lambda x, weights, bias: int(score(x, weights, bias) > 0), OUTPUT_PROBES)),
        Hint("the output is the opposite: 1 is on the side where the score is at least 0",
             gives(lambda x, weights, bias: 1 - perceptron(x, weights, bias), OUTPUT_PROBES)),
        Hint("the bias is missing from the score",
             gives(lambda x, weights, bias: perceptron(x, weights, 0.0), OUTPUT_PROBES)),
        Hint("return the output, 0 or 1, not the score w · x + b", gives(score, OUTPUT_PROBES)),
    ],
    fallback="compute the score w · x + b, and output 1 when it is at least 0, else 0")

EXERCISE = Exercise(1, "ex1_perceptron_gates.py", (
    PERCEPTRON_OUTPUT, *GATE_PARTS, Part("xor_output", check_xor)))
