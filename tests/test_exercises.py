"""The exercises and their grader (examples/exercises/).

Every reference solution passes; every untouched stub is reported as not started; each typical
wrong answer is caught, with a hint that points at the mistake; and what goes wrong in a
learner's code (a crash, a missing function, a file that does not import) becomes a report,
never a crash of the grader. Wrong answers are the reference solution with one function
replaced, graded in memory: nothing is written over the exercises.
"""

import ast
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st

from autograd import Value

EXERCISES = Path(__file__).resolve().parent.parent / "examples" / "exercises"
sys.path.insert(0, str(EXERCISES))  # the grader sits beside the exercises, as a script would
import grade  # noqa: E402
from grading import core, ex3  # noqa: E402
from grading.core import FAILED, NOT_STARTED, PASSED, Result  # noqa: E402

NUMBERS = sorted(grade.EXERCISES)


def solution(number: int) -> Any:
    """The reference solution of exercise `number`, freshly imported."""
    return grade.load(grade.exercise_path(number, solutions=True))


def graded(number: int, function: str, answer: Callable[..., Any]) -> Result:
    """The result of `function`'s part when the learner's `function` is `answer` and every
    other function is the reference solution's."""
    learner = SimpleNamespace(**{**vars(solution(number)), function: answer})
    (result,) = grade.grade(number, learner, functions=[function])
    return result


def defined_functions(path: Path) -> list[str]:
    """The functions a file defines at its top level, in order."""
    return [node.name for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.FunctionDef)]


# ---------------------------------------------------------------------------------------------
# Solutions and stubs.


@pytest.mark.parametrize("number", NUMBERS)
def test_every_reference_solution_passes(number):
    results = grade.grade(number, solutions=True)
    assert results and all(r.status == PASSED for r in results), grade.report(results)


@pytest.mark.parametrize("number", NUMBERS)
def test_every_untouched_stub_is_not_started(number):
    results = grade.grade(number)
    assert results and all(r.status == NOT_STARTED for r in results), grade.report(results)
    assert all(r.explanation == "" for r in results)


@pytest.mark.parametrize("number", NUMBERS)
def test_every_function_of_a_stub_is_graded_in_its_order(number):
    graded_functions = [part.function for part in grade.EXERCISES[number].parts]
    assert defined_functions(grade.exercise_path(number)) == graded_functions
    assert set(graded_functions) <= set(defined_functions(grade.exercise_path(number, True)))


def test_the_exercises_follow_the_course_and_say_how_to_grade_them():
    files = sorted(p.name for p in EXERCISES.glob("ex*.py"))
    assert files == [grade.EXERCISES[n].file for n in NUMBERS]
    assert files == sorted(p.name for p in (EXERCISES / "solutions").glob("ex*.py"))
    for number in NUMBERS:
        header = ast.get_docstring(ast.parse(grade.exercise_path(number).read_text()))
        assert f"bash run.sh exercises {number}\n" in header
        assert f"examples/exercises/solutions/{grade.EXERCISES[number].file}" in header


# ---------------------------------------------------------------------------------------------
# Typical wrong answers, each caught with a hint that names the mistake.


# Each is the learner's function with one typical mistake (its name says which).


def sigmoid_rule_with_sign_error(g: Any, out: Any, x: Any) -> Any:
    """Minus the right rule."""
    return -g * out * (1 - out)


def sigmoid_rule_without_g(g: Any, out: Any, x: Any) -> Any:
    """The derivative alone: right for a single number, whose only upstream gradient is 1."""
    return out * (1 - out)


def reduce_to_shape_without_sum(grad: Any, shape: tuple[int, ...]) -> Any:
    """grad as it is, in the broadcast shape."""
    return grad


def reduce_to_shape_over_the_last_axes(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sums the axes added by broadcasting at the end instead of in front."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=-1)
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True) if stretched else grad


def multiply_rule_summing_the_last_axes(g: Any, out: Any, x: Any, y: Any) -> Any:
    """The gradient for x summed back with the reduction above."""
    return reduce_to_shape_over_the_last_axes(g * y, x.shape)


def multiply_rule_without_sum(g: Any, out: Any, x: Any, y: Any) -> Any:
    """The gradient for y in the broadcast shape of g, not y's own."""
    return g * x


def matmul_rule_transposed(g: Any, out: Any, a: Any, b: Any) -> Any:
    """b where b.T belongs: the shapes fit only when b is square."""
    return g @ b


def matmul_rule_swapped(g: Any, out: Any, a: Any, b: Any) -> Any:
    """The transpose of the right gradient for b."""
    return g.T @ a


def softmax_without_max(scores: np.ndarray) -> np.ndarray:
    """exp of the scores as they are: inf / inf = nan at a score of 1000."""
    e = np.exp(scores)
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy_of_class_zero(scores: np.ndarray, labels: np.ndarray) -> float:
    """Every point counted with the probability of class 0, whatever its label."""
    log_p = solution(3).log_softmax(scores)
    return -float(log_p[:, 0].sum())


def binary_cross_entropy_swapped(scores: np.ndarray, labels: np.ndarray) -> float:
    """log(1 - p) for label 1 and log(p) for label 0."""
    p = 1 / (1 + np.exp(-scores))
    return -float(np.sum(labels * np.log(1 - p) + (1 - labels) * np.log(p)))


def binary_cross_entropy_clipped(scores: np.ndarray, labels: np.ndarray) -> float:
    """p kept within [1e-15, 1 - 1e-15]: finite at a score of 1000, but about 34.5, not 1000."""
    p = np.clip(1 / (1 + np.exp(-scores)), 1e-15, 1 - 1e-15)
    return -float(np.sum(labels * np.log(p) + (1 - labels) * np.log(1 - p)))


def perceptron_step_with_wrong_sign(weights: np.ndarray, bias: float, x: np.ndarray, y: int,
                                    learning_rate: float) -> tuple[np.ndarray, float]:
    """Moves the boundary away from a misclassified point."""
    error = y - (1 if weights @ x + bias >= 0 else 0)
    return weights - learning_rate * error * x, bias - learning_rate * error


def perceptron_step_on_every_point(weights: np.ndarray, bias: float, x: np.ndarray, y: int,
                                   learning_rate: float) -> tuple[np.ndarray, float]:
    """Moves the boundary towards every point, correctly classified or not."""
    towards = 1 if y == 1 else -1
    return weights + learning_rate * towards * x, bias + learning_rate * towards


def momentum_twice_in_the_step(weights: np.ndarray, velocity: np.ndarray,
                               gradient: np.ndarray, learning_rate: float,
                               momentum: float) -> tuple[np.ndarray, np.ndarray]:
    """Multiplies the new velocity by the momentum once more for the step."""
    velocity = momentum * velocity + gradient
    return weights - learning_rate * momentum * velocity, velocity


def momentum_twice_in_the_velocity(weights: np.ndarray, velocity: np.ndarray,
                                   gradient: np.ndarray, learning_rate: float,
                                   momentum: float) -> tuple[np.ndarray, np.ndarray]:
    """Decays the old velocity by the momentum twice."""
    velocity = velocity * momentum
    velocity = momentum * velocity + gradient
    return weights - learning_rate * velocity, velocity


def dropout_without_rescaling(x: np.ndarray, p: float, rng: np.random.Generator,
                              training: bool) -> np.ndarray:
    """Drops elements, but leaves the kept ones as they are."""
    return np.where(rng.random(x.shape) >= p, x, 0.0) if training else x


def dropout_keeping_with_probability_p(x: np.ndarray, p: float, rng: np.random.Generator,
                                       training: bool) -> np.ndarray:
    """Keeps each element with probability p instead of 1 - p."""
    return np.where(rng.random(x.shape) < p, x / (1 - p), 0.0) if training else x


def dropout_dividing_by_p(x: np.ndarray, p: float, rng: np.random.Generator,
                          training: bool) -> np.ndarray:
    """Drops with probability p, but scales the kept elements by 1 / p."""
    return np.where(rng.random(x.shape) >= p, x / p, 0.0) if training else x


def dropout_of_whole_rows(x: np.ndarray, p: float, rng: np.random.Generator,
                          training: bool) -> np.ndarray:
    """One random number per row (x's first axis), as if x were a vector."""
    if not training:
        return x
    kept = (rng.random(len(x)) >= p).reshape(-1, *[1] * (x.ndim - 1))
    return np.where(kept, x / (1 - p), 0.0)


def momentum_of_the_other_convention(weights: np.ndarray, velocity: np.ndarray,
                                     gradient: np.ndarray, learning_rate: float,
                                     momentum: float) -> tuple[np.ndarray, np.ndarray]:
    """v <- momentum v - learning_rate g, w <- w + v: right in another course."""
    velocity = momentum * velocity - learning_rate * gradient
    return weights + velocity, velocity


def early_stopping_counting_from_1(val_losses: list[float], patience: int) -> tuple[bool, int]:
    """The best epoch's number, from 1, instead of its index."""
    best = int(np.argmin(val_losses))
    return len(val_losses) - 1 - best >= patience, best + 1


def early_stopping_keeping_the_last_weights(val_losses: list[float],
                                            patience: int) -> tuple[bool, int]:
    """Stops at the right time, but keeps the last epoch."""
    best = int(np.argmin(val_losses))
    return len(val_losses) - 1 - best >= patience, len(val_losses) - 1


def tanh_rule_of_x(g: Any, out: Any, x: Any) -> Any:
    """1 - x² where 1 - tanh(x)² belongs."""
    return g * (1 - x**2)


def softmax_rule_on_plain_numbers(g: Any, out: Any, x: Any) -> Any:
    """The right formula, but on out's plain data: no second derivatives through it."""
    out = out.data if isinstance(out, Value) else out
    return out * (g - (g * out).sum(axis=-1, keepdims=True))


def or_weights_flipped() -> tuple[list[float], float]:
    """OR's boundary, with its sides swapped: NOR."""
    return [-1.0, -1.0], 0.5


def decreasing_sigmoid(x: Any) -> Any:
    """sigmoid(-x)."""
    return 1 / (1 + np.exp(x))


def gradients_without_hidden_sigmoid(x: np.ndarray, y: float, W1: np.ndarray, b1: np.ndarray,
                                     W2: np.ndarray, b2: float) -> dict[str, Any]:
    """Backpropagates through W2 but not through the hidden layer's sigmoid."""
    hidden, output = solution(6).forward(x, W1, b1, W2, b2)
    delta_out = output - y
    delta_hidden = delta_out * W2
    return {"W1": np.outer(x, delta_hidden), "b1": delta_hidden, "W2": delta_out * hidden,
            "b2": delta_out}


def perceptron_output_minus_bias(x: np.ndarray, weights: np.ndarray, bias: float) -> int:
    """The bias subtracted: at w · x = 0 and bias 1, the output 0 of the opposite output."""
    return int(np.dot(weights, x) - bias >= 0)


def error_of_label_1_only(y: Any, output: Any) -> Any:
    """-log(output) whatever the label: at y = 0, as if the logs were swapped."""
    return -(y * np.log(output) + (1 - y) * np.log(output))


def l2_penalty_of_the_mean(weights: list[np.ndarray], lam: float) -> float:
    """The mean of the squares: for 2 weights, as if there were a ½ in front."""
    return lam * sum(float(np.mean(w**2)) for w in weights)


def perceptron_step_without_the_bias(weights: np.ndarray, bias: float, x: np.ndarray, y: int,
                                     learning_rate: float) -> np.ndarray:
    """Returns the new weights alone."""
    error = y - (1 if weights @ x + bias >= 0 else 0)
    return weights + learning_rate * error * x


def train_perceptron_of_a_bias_array(X: np.ndarray, y: np.ndarray, learning_rate: float = 1.0,
                                     epochs: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """A bias per feature, as if it were a weight."""
    return np.zeros(X.shape[1]), np.zeros(X.shape[1])


def gradients_with_the_bias_summed(x: np.ndarray, y: float, W1: np.ndarray, b1: np.ndarray,
                                   W2: np.ndarray, b2: float) -> dict[str, Any]:
    """b1's gradient summed over the hidden units: a number where b1 has h of them."""
    right = solution(6).gradients(x, y, W1, b1, W2, b2)
    return {**right, "b1": float(np.sum(right["b1"]))}


@dataclass(frozen=True)
class Wrong:
    number: int
    function: str
    answer: Callable[..., Any]
    hint: list[str]  # words the hint must contain


WRONG_ANSWERS = {
    "sign error in a gradient": Wrong(5, "sigmoid_vjp", sigmoid_rule_with_sign_error,
                                      ["sign error", "negative"]),
    "a rule without the upstream gradient": Wrong(5, "sigmoid_vjp", sigmoid_rule_without_g,
                                                  ["upstream gradient g is missing"]),
    "forgotten sum over a broadcast axis": Wrong(5, "reduce_to_shape",
                                                 reduce_to_shape_without_sum,
                                                 ["forgotten sum over a broadcast axis"]),
    "a sum over the last axes for the added ones": Wrong(5, "reduce_to_shape",
                                                         reduce_to_shape_over_the_last_axes,
                                                         ["leading axes", "in front"]),
    "a broadcasting rule summing the last axes": Wrong(5, "multiply_vjp_x",
                                                       multiply_rule_summing_the_last_axes,
                                                       ["that input's shape"]),
    "forgotten sum in a broadcasting rule": Wrong(5, "multiply_vjp_y",
                                                  multiply_rule_without_sum,
                                                  ["forgotten sum over a broadcast axis",
                                                   "reduce_to_shape"]),
    "transposed matrix in matmul's gradient": Wrong(5, "matmul_vjp_a", matmul_rule_transposed,
                                                    ["transposed matrix"]),
    "transposed result of matmul's gradient": Wrong(5, "matmul_vjp_b", matmul_rule_swapped,
                                                    ["transposed matrix"]),
    "softmax without subtracting the maximum": Wrong(3, "softmax", softmax_without_max,
                                                     ["overflow", "1000", "subtracted"]),
    "cross-entropy of the wrong class": Wrong(3, "cross_entropy", cross_entropy_of_class_zero,
                                              ["another class", "labels[i]"]),
    "binary cross-entropy of the wrong class": Wrong(3, "binary_cross_entropy",
                                                     binary_cross_entropy_swapped,
                                                     ["other class", "probability of class 1"]),
    "binary cross-entropy of a clipped probability": Wrong(3, "binary_cross_entropy",
                                                           binary_cross_entropy_clipped,
                                                           ["clipped", "logaddexp"]),
    "perceptron update with the wrong sign": Wrong(2, "perceptron_step",
                                                   perceptron_step_with_wrong_sign,
                                                   ["wrong way", "sign of y - ŷ"]),
    "perceptron update on correct points": Wrong(2, "perceptron_step",
                                                 perceptron_step_on_every_point,
                                                 ["correctly classified", "only"]),
    "momentum applied twice in the step": Wrong(7, "momentum_step", momentum_twice_in_the_step,
                                                ["momentum applied twice"]),
    "momentum applied twice to the velocity": Wrong(7, "momentum_step",
                                                    momentum_twice_in_the_velocity,
                                                    ["momentum applied twice"]),
    "dropout without rescaling": Wrong(7, "dropout", dropout_without_rescaling,
                                       ["not rescaled", "1 - p"]),
    "dropout keeping with probability p": Wrong(7, "dropout",
                                                dropout_keeping_with_probability_p,
                                                ["probability of dropping"]),
    "dropout dividing by p": Wrong(7, "dropout", dropout_dividing_by_p, ["not by p"]),
    "dropout of whole rows": Wrong(7, "dropout", dropout_of_whole_rows, ["independently"]),
    "momentum of the other convention": Wrong(7, "momentum_step",
                                              momentum_of_the_other_convention,
                                              ["other convention", "nn.SGD"]),
    "early stopping counting epochs from 1": Wrong(7, "early_stopping",
                                                   early_stopping_counting_from_1,
                                                   ["counting from 0"]),
    "early stopping keeping the last weights": Wrong(
        7, "early_stopping", early_stopping_keeping_the_last_weights,
        ["weights of the last epoch", "best epoch"]),
    "x where the rule should use out": Wrong(5, "tanh_vjp", tanh_rule_of_x,
                                             ["you used x", "`out`"]),
    "a rule that cannot be differentiated again": Wrong(5, "softmax_vjp",
                                                        softmax_rule_on_plain_numbers,
                                                        ["own derivatives", "constant"]),
    "a gate with its outputs flipped": Wrong(1, "or_weights", or_weights_flipped,
                                             ["opposite of OR's"]),
    "a decreasing sigmoid": Wrong(4, "sigmoid", decreasing_sigmoid, ["decreases"]),
    "backpropagation without the hidden sigmoid": Wrong(6, "gradients",
                                                        gradients_without_hidden_sigmoid,
                                                        ["hidden layer", "hidden_delta"]),
    "perceptron step without the bias": Wrong(2, "perceptron_step",
                                              perceptron_step_without_the_bias,
                                              ["return a pair (new_weights, new_bias)"]),
    "training that returns a bias per feature": Wrong(2, "train_perceptron",
                                                      train_perceptron_of_a_bias_array,
                                                      ["one weight per feature", "single"]),
    "backpropagation with a bias's gradient summed": Wrong(6, "gradients",
                                                           gradients_with_the_bias_summed,
                                                           ["each gradient has its weight's "
                                                            "shape"]),
    # Mistakes that agree with another at the smallest failing input: told apart by probes.
    "perceptron output with the bias subtracted": Wrong(1, "perceptron_output",
                                                        perceptron_output_minus_bias,
                                                        ["compute the score w · x + b"]),
    "error with the log of label 1 for both labels": Wrong(4, "error_formula",
                                                           error_of_label_1_only,
                                                           ["elementwise for arrays"]),
    "L2 penalty of the mean square": Wrong(7, "l2_penalty", l2_penalty_of_the_mean,
                                           ["not their mean"]),
}


def solution_code(number: int, function: str) -> list[str]:
    """The expressions of the reference solution's `function`, as source text, except those
    the exercise's own text already gives (formulas of the course)."""
    module = ast.parse(grade.exercise_path(number, solutions=True).read_text())
    (definition,) = [node for node in module.body
                     if isinstance(node, ast.FunctionDef) and node.name == function]
    given = grade.exercise_path(number).read_text()
    return [code for statement in definition.body[1:]  # after the docstring
            for node in ast.walk(statement) if isinstance(node, ast.BinOp | ast.Call)
            if (code := ast.unparse(node)) not in given]


@pytest.mark.parametrize("mistake", WRONG_ANSWERS)
def test_a_typical_wrong_answer_is_caught_with_a_pointed_hint(mistake):
    wrong = WRONG_ANSWERS[mistake]
    result = graded(wrong.number, wrong.function, wrong.answer)
    assert result.status == FAILED, mistake
    hint = next(line for line in result.explanation.splitlines() if line.startswith("hint:"))
    for words in wrong.hint:
        assert words in hint, f"{mistake}: {words!r} not in\n{result.explanation}"
    for code in solution_code(wrong.number, wrong.function):  # the hint is not the solution
        assert code not in result.explanation, f"{mistake}: {code!r} in\n{result.explanation}"


def test_a_failure_says_what_was_checked_on_the_smallest_input_expected_and_actual():
    result = graded(3, "softmax", softmax_without_max)
    assert result.explanation.splitlines()[:4] == [
        "checked:  softmax(scores) against exp(scores) / (sum of exp(scores) along each row)",
        "input:    softmax(scores=array([1000.]))   (the smallest failing input found)",
        "expected: array([1.])",
        "yours:    array([nan])",
    ]


def test_examples_are_tried_first_and_shown_as_they_are():
    def check(arguments):
        if arguments["n"] == 7:
            raise core.Failure("n is not 7")

    with pytest.raises(core.Failure) as failure:
        core.hypothesis_property(st.fixed_dictionaries({"n": st.integers(0, 3)}), check, "f",
                                 examples=[{"n": 1}, {"n": 7}])
    assert failure.value.given == "f(n=7)"
    assert "smallest" not in failure.value.explain()


def test_the_stability_hint_is_for_a_cross_entropy_right_at_ordinary_scores():
    hints = ex3.cross_entropy_hints(ex3.binary_log_probabilities, stability="unstable",
                                    other_class="other class",
                                    probes=ex3.ORDINARY_BINARY_POINTS)
    at_1000 = {"scores": np.array([1000.0]), "labels": np.array([0])}
    for answer, hint in [(binary_cross_entropy_clipped, "unstable"),
                         (binary_cross_entropy_swapped, None)]:  # wrong at ordinary scores too
        with np.errstate(all="ignore"):
            case = core.Case(at_1000, 1000.0, answer(**at_1000), call=answer)
        assert core.first_hint(hints, case) == hint, answer


def test_a_wrong_gradient_rule_shows_the_gradcheck_table():
    result = graded(5, "sigmoid_vjp", sigmoid_rule_with_sign_error)
    assert "gradcheck: gradient mismatch for input 0 (label 'x'" in result.explanation
    assert "analytic | numeric" in result.explanation
    # The input is the operation's: the rule itself is called with g, out and x.
    assert "input:    the operation sigmoid(x=" in result.explanation
    assert "whose rule gets g, out and x" in result.explanation
    assert "sigmoid_vjp(x=" not in result.explanation


def test_a_wrong_truth_table_is_shown_whole():
    explanation = graded(1, "or_weights", or_weights_flipped).explanation
    assert "input:    x = (0, 0)" in explanation
    assert "expected: OR(0, 0) = 0" in explanation
    assert "(1, 1) |  1 |     0 |            -1.5" in explanation


# ---------------------------------------------------------------------------------------------
# What goes wrong in the learner's code becomes a report.


def softmax_with_a_typo(scores: np.ndarray) -> np.ndarray:
    """A misspelt method: an AttributeError in the learner's own line."""
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.summ(axis=-1, keepdims=True)


def test_a_crash_is_reported_with_its_error_and_the_learners_line():
    result = graded(3, "softmax", softmax_with_a_typo)
    assert result.status == FAILED
    assert "checked:  calling softmax" in result.explanation
    assert "AttributeError: 'numpy.ndarray' object has no attribute 'summ'" in result.explanation
    assert ("test_exercises.py, line" in result.explanation
            and "in softmax_with_a_typo: return e / e.summ(axis=-1, keepdims=True)"
            in result.explanation)
    assert "core.py" not in result.explanation  # the grader's own frames are left out


def test_a_recursion_shows_its_line_once():
    def sigmoid_of_itself(x):
        return sigmoid_of_itself(x)

    explanation = graded(4, "sigmoid", sigmoid_of_itself).explanation
    assert "RecursionError" in explanation
    assert explanation.count("in sigmoid_of_itself: return sigmoid_of_itself(x)") == 1
    assert "(the line above repeated" in explanation
    assert len(explanation.splitlines()) < 10


def test_a_function_whose_parameters_were_renamed_is_told_to_keep_the_stubs():
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    explanation = graded(4, "sigmoid", sigmoid).explanation
    assert "TypeError: " in explanation and "unexpected keyword argument 'x'" in explanation
    assert "keep them, with their names" in explanation
    assert "core.py" not in explanation  # no frame of the grader's passed off as the learner's


def xor_still_a_stub(x: np.ndarray) -> int:
    """A stub under another name than the function it stands for."""
    raise NotImplementedError


def test_a_function_that_calls_an_unwritten_one_says_which():
    stub = grade.load(grade.exercise_path(1))
    learner = SimpleNamespace(**{**vars(stub), "xor_output": lambda x: stub.perceptron_output(
        x, *stub.and_weights())})  # both still stubs: and_weights raises first
    (result,) = grade.grade(1, learner, functions=["xor_output"])
    assert result.status == FAILED
    assert "calls and_weights, which is not written yet" in result.explanation


def test_a_stub_is_not_started_whatever_its_arguments():
    assert graded(1, "xor_output", xor_still_a_stub).status == NOT_STARTED


def test_a_missing_return_and_a_missing_function_are_named():
    assert "is a `return` missing?" in graded(4, "sigmoid", lambda x: None).explanation
    learner = SimpleNamespace(**{k: v for k, v in vars(solution(4)).items() if k != "sigmoid"})
    (result,) = grade.grade(4, learner, functions=["sigmoid"])
    assert result.status == FAILED and "no function called sigmoid" in result.explanation


@pytest.mark.parametrize("kind", [str, complex])
def test_text_and_complex_numbers_are_not_numbers(kind, recwarn):
    def perceptron_output(x, weights, bias):  # the right output, as "1" or (1+0j)
        return kind(int(np.dot(weights, x) + bias >= 0))

    result = graded(1, "perceptron_output", perceptron_output)
    assert result.status == FAILED
    assert "not made of real numbers" in result.explanation
    assert not recwarn.list  # numpy's ComplexWarning, once per call, is not shown either


def test_an_answer_that_changes_from_call_to_call_is_reported():
    calls = []

    def sigmoid_that_drifts(x):  # wrong at its first call only
        calls.append(x)
        return 1 / (1 + np.exp(-x)) + (1e-3 if len(calls) == 1 else 0.0)

    result = graded(4, "sigmoid", sigmoid_that_drifts)
    assert result.status == FAILED
    assert "different answers for the same input" in result.explanation


def test_a_call_of_exit_is_reported_not_obeyed(tmp_path):
    def sigmoid_that_exits(x):
        sys.exit(3)

    result = graded(4, "sigmoid", sigmoid_that_exits)
    assert result.status == FAILED
    assert "SystemExit: 3" in result.explanation and "exit()" in result.explanation
    leaving = tmp_path / "ex1_perceptron_gates.py"
    leaving.write_text("import sys\nsys.exit()\n")
    results = grade.grade(1, leaving)
    assert all(r.status == FAILED and "SystemExit" in r.explanation for r in results)


def train_perceptron_forever(X: np.ndarray, y: np.ndarray, learning_rate: float = 1.0,
                             epochs: int = 1000) -> tuple[np.ndarray, float]:
    """Loops until an epoch without a mistake, but never moves the weights."""
    weights, bias = np.zeros(X.shape[1]), 0.0
    while True:
        mistakes = sum((weights @ point + bias >= 0) != label
                       for point, label in zip(X, y, strict=True))
        if mistakes == 0:
            return weights, bias


def test_a_function_that_never_returns_is_stopped_and_reported(monkeypatch, tmp_path):
    monkeypatch.setattr(core, "CALL_SECONDS", 0.2)
    result = graded(2, "train_perceptron", train_perceptron_forever)
    assert result.status == FAILED
    assert "stopped:  after 0.2 s, here:" in result.explanation
    assert "in train_perceptron_forever:" in result.explanation
    assert "does a loop never end?" in result.explanation
    endless = tmp_path / "ex1_perceptron_gates.py"
    endless.write_text("while True:\n    pass\n")
    results = grade.grade(1, endless)
    assert all(r.status == FAILED for r in results)
    assert "ex1_perceptron_gates.py, line" in results[0].explanation
    assert "in <module>" in results[0].explanation
    assert 'if __name__ == "__main__":' in results[0].explanation


def test_a_file_that_does_not_import_fails_every_part_with_the_error(tmp_path):
    broken = tmp_path / "ex1_perceptron_gates.py"
    broken.write_text("def perceptron_output(x, weights, bias)\n    return 1\n")
    results = grade.grade(1, broken)
    assert [r.function for r in results] == [p.function for p in grade.EXERCISES[1].parts]
    assert all(r.status == FAILED for r in results)
    assert "SyntaxError: expected ':'" in results[0].explanation
    assert "ex1_perceptron_gates.py, line 1: def perceptron_output(x, weights, bias)" in (
        results[0].explanation)


# ---------------------------------------------------------------------------------------------
# The command line.


def run_grader(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The grading command, run as a learner would (from `cwd`), with its output."""
    return subprocess.run([sys.executable, str(EXERCISES / "grade.py"), *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


def test_a_learner_writes_a_function_and_sees_it_pass(tmp_path):
    copy = tmp_path / "exercises"  # a copy of the folder stands for the learner's clone
    shutil.copytree(EXERCISES, copy, ignore=shutil.ignore_patterns("__pycache__"))
    first = copy / "ex1_perceptron_gates.py"
    first.write_text(first.read_text().replace(  # the body of the first function
        "\n    raise NotImplementedError", "\n    return int(np.dot(weights, x) + bias >= 0)", 1))
    result = subprocess.run([sys.executable, str(copy / "grade.py"), "1"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "ex1 perceptron_output ............ passed" in result.stdout
    assert "1 passed, 0 failed, 5 not started, of 6 parts" in result.stdout


def test_the_command_reports_stubs_as_not_started_and_exits_1():
    result = run_grader("1")
    assert result.returncode == 1, result.stderr
    assert "ex1 perceptron_output ............ not started" in result.stdout
    assert "0 passed, 0 failed, 6 not started, of 6 parts" in result.stdout
    assert "examples/exercises/ex1_perceptron_gates.py" in result.stdout


def test_the_command_exits_0_when_every_part_passes(capsys):
    assert grade.main(["1", "2", "1", "--solutions"]) == 0  # each exercise graded once
    assert capsys.readouterr().out.splitlines()[-1] == (
        "8 passed, 0 failed, 0 not started, of 8 parts")


def test_the_command_grades_a_copy_kept_elsewhere(tmp_path, monkeypatch, capsys):
    shutil.copy(grade.exercise_path(1, solutions=True), tmp_path / "mine.py")
    shutil.copy(grade.exercise_path(2), tmp_path / "stub.py")
    monkeypatch.chdir(tmp_path)  # the file is found from where the command is run
    assert grade.main(["1", "--file", "mine.py"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "6 passed, 0 failed, 0 not started, of 6 parts")
    assert grade.main(["2", "--file", "stub.py"]) == 1
    assert capsys.readouterr().out.splitlines()[-1].endswith("Next to write: stub.py")
    for wrong in (["--file", "mine.py"], ["1", "2", "--file", "mine.py"], ["1", "--file", "no.py"],
                  ["1", "--solutions", "--file", "mine.py"]):
        with pytest.raises(SystemExit) as exit_:
            grade.main(wrong)
        assert exit_.value.code == 2, wrong
        assert "--file" in capsys.readouterr().err


def test_run_sh_grades_a_copy_given_from_another_directory(tmp_path):
    """run.sh works from the repository's root; a file is still found from the caller's."""
    venv = tmp_path / "venv"  # run.sh's environment, set up already: the tests' interpreter
    (venv / "bin").mkdir(parents=True)
    for name, script in (("python", f'exec "{sys.executable}" "$@"'), ("pip", "exit 1")):
        (venv / "bin" / name).write_text(f"#!/bin/sh\n{script}\n")
        (venv / "bin" / name).chmod(0o755)
    pyproject = (EXERCISES.parent.parent / "pyproject.toml").read_bytes()
    (venv / ".learngrad-stamp").write_text(hashlib.sha256(pyproject).hexdigest() + "\n")
    shutil.copy(grade.exercise_path(1, solutions=True), tmp_path / "mine.py")
    result = subprocess.run(
        ["bash", str(EXERCISES.parent.parent / "run.sh"), "exercises", "1", "--file", "mine.py"],
        cwd=tmp_path, env={**os.environ, "VENV": str(venv), "PYTHON": sys.executable},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 passed, 0 failed" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.py", "venv"]  # no .hypothesis


def test_the_command_refuses_an_unknown_exercise(capsys):
    with pytest.raises(SystemExit) as exit_:
        grade.main(["8"])
    assert exit_.value.code == 2
    assert "no exercise 8; the exercises are 1 to 7" in capsys.readouterr().err


def test_the_report_puts_explanations_under_their_part():
    results = [Result(3, "softmax", PASSED), Result(3, "cross_entropy", FAILED, "checked:  x"),
               Result(3, "binary_cross_entropy", NOT_STARTED)]
    assert grade.report(results).splitlines()[:4] == [
        "ex3 softmax ...................... passed",
        "ex3 cross_entropy ................ FAILED",
        "      checked:  x",
        "ex3 binary_cross_entropy ......... not started",
    ]
