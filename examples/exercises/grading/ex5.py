"""Grading exercise 5: the gradient rules of custom `Operation`s.

Each rule the learner writes goes into an `Operation` whose forward function and other rules
are right, and that operation is checked against finite differences, in float64, by
`autograd.gradcheck` (first derivatives) and `autograd.gradgradcheck` (second derivatives, for
which the rule is given Values) on inputs Hypothesis draws. A failure shows gradcheck's table.

Before the engine sees a rule's result, the grader checks that it has its input's shape: the
engine would sum a broadcast-shaped result back by itself, and so hide a forgotten sum. When a
check fails, the learner's rule is compared with the engine's own gradient for one upstream
gradient, to recognise the typical mistakes: a sign, a missing g, a transposed matrix, x where
the rule should use `out`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
from autograd import GradcheckError, Operation, Value, gradcheck, gradgradcheck
from autograd.testing import REAL, arrays
from grading.core import (
    Case,
    Crash,
    Exercise,
    Failure,
    Hint,
    Learner,
    Part,
    agrees,
    as_numbers,
    compare_answer,
    crashed_with,
    first_hint,
    gives,
    hypothesis_property,
    negated,
    show_call,
)

SHAPES = {"max_dims": 2, "max_side": 4}  # at most 16 elements: whole Jacobians, quickly

SECOND_ORDER = ("the first derivatives are right, but not their own derivatives: the rule must "
                "compute with what it is given (g, out and the inputs) using operators and "
                "autograd's functions, so that it can be differentiated again; a number taken "
                "from plain data (.data, np.asarray, float(...), numpy's functions such as "
                "np.dot) is a constant to the engine")
ON_VALUES = ("your rule works on arrays but fails on Values, which it is given when second "
             "derivatives are taken: use operators (+ - * / ** @), .T, .sum(axis=..., "
             "keepdims=...), .reshape(...) and autograd's functions (autograd.exp, "
             "autograd.sigmoid, ...), which work on both, instead of numpy's functions")


def shape_of(x: Any) -> tuple[int, ...]:
    """The shape of an array, a Value or a number."""
    return x.shape if isinstance(x, Value | np.ndarray) else np.shape(x)


@dataclass(frozen=True)
class Rules:
    """An operation whose gradient rules are exercises.

    `forward` is written with autograd's functions, so it computes on plain arrays (the
    operation's forward function) and on Values (the engine's own gradient, the reference).
    `rules` are right rules for every input, used for the inputs not being graded; the
    engine sums their broadcast-shaped results back. `inputs` draws the inputs by name, and
    `examples` are inputs tried first (see `hypothesis_property`).
    """

    name: str
    forward: Callable[..., Any]
    rules: tuple[Callable[..., Any], ...]
    inputs: st.SearchStrategy[dict[str, np.ndarray]]
    examples: tuple[dict[str, np.ndarray], ...] = ()


def engine_gradient(rules: Rules, arguments: dict[str, Any], g: Any, index: int) -> Any:
    """The engine's gradient of `rules.forward` for the upstream gradient g, with respect to
    input `index`."""
    values = [Value(x) for x in arguments.values()]
    return autograd.grad(rules.forward(*values), values, grad_output=g)[index]


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.splitlines())


def _shape_hint(name: str, gradient_shape: tuple[int, ...], input_shape: tuple[int, ...],
                output_shape: tuple[int, ...]) -> str:
    if gradient_shape == output_shape:
        return (f"forgotten sum over a broadcast axis: {name} was broadcast to the output's "
                f"shape {output_shape}, so its gradient collects the gradients of all its "
                f"copies: sum it back to {name}'s own shape (that is reduce_to_shape's job)")
    if len(input_shape) == 2 and gradient_shape == input_shape[::-1]:
        return (f"transposed matrix: the gradient for {name} has {name}'s shape; check which "
                "matrix of the product is transposed, and on which side g goes")
    return f"the gradient for an input always has that input's shape, {input_shape}"


def _checked(rule: Callable[..., Any], function: str, index: int,
             name: str) -> Callable[..., Any]:
    """The learner's rule, with its result checked before the engine sees it: numbers, of
    the input's own shape."""

    def checked_rule(g: Any, out: Any, *inputs: Any) -> Any:
        gradient = rule(g, out, *inputs)
        if not isinstance(gradient, Value):
            if as_numbers(gradient) is None:
                raise Failure(f"what {function} returns", actual=repr(gradient),
                              hint=f"return the gradient for {name}, an array (or Value) of "
                                   f"{name}'s shape")
            gradient = as_numbers(gradient)  # a list or a number, as the engine takes them
        wanted = shape_of(inputs[index])
        if shape_of(gradient) != wanted:
            raise Failure(f"the shape of the gradient {function} returns",
                          expected=f"{name}'s shape {wanted}",
                          actual=f"shape {shape_of(gradient)}",
                          hint=_shape_hint(name, shape_of(gradient), wanted, shape_of(out)))
        return gradient

    return checked_rule


def rule_part(function: str, rules: Rules, index: int, hints: Sequence[Hint],
              fallback: str) -> Part:
    """A part: the learner's `function` is the gradient rule of `rules`' input `index`."""

    def without_g(g: Any, out: Any, **inputs: Any) -> Any:
        return engine_gradient(rules, inputs, np.ones_like(g), index)

    all_hints = [
        *hints,
        Hint("sign error: your gradient is the exact negative of the right one", negated),
        Hint("the upstream gradient g is missing: by the chain rule, the rule multiplies the "
             "operation's own derivative by g", gives(without_g)),
    ]

    def check(learner: Learner) -> None:
        learned = learner.function(function)

        def one(arguments: dict[str, Any]) -> None:
            name = list(arguments)[index]
            operation = Operation(rules.name, rules.forward, *(
                _checked(learned, function, index, name) if i == index else rule
                for i, rule in enumerate(rules.rules)))
            values = [Value(x, label=label) for label, x in arguments.items()]

            def case(error: BaseException | None = None) -> Case:
                """The learner's rule against the engine's gradient, for one upstream g."""
                out = rules.forward(*arguments.values())
                g = np.random.default_rng(0).standard_normal(shape_of(out))
                inputs = {"g": g, "out": out, **arguments}
                if error is not None:
                    return Case(inputs, None, error=error)
                try:
                    actual = learned(g, out, *arguments.values())
                except Exception:  # a crash here is reported by the check that met it
                    actual = None
                return Case(inputs, engine_gradient(rules, arguments, g, index), actual)

            try:
                gradcheck(operation, values)
            except GradcheckError as error:
                raise Failure(f"gradcheck: the gradient from {function} against finite "
                              "differences, in float64", details=_indent(str(error)),
                              hint=first_hint(all_hints, case()) or fallback) from None
            except Crash as crash:
                crash.hint = first_hint(all_hints, case(crash.error)) or crash.hint
                raise
            try:
                gradgradcheck(operation, values)
            except GradcheckError as error:
                # Where gradcheck's upstream gradients happen to hide a wrong rule (a single
                # number, whose only one is 1, hides a missing g), the rule is still wrong.
                first = case()
                hint = (SECOND_ORDER if agrees(first.expected, first.actual)
                        else first_hint(all_hints, first) or fallback)
                raise Failure(f"gradgradcheck: the second derivatives through {function} "
                              "against finite differences, in float64",
                              details=_indent(str(error)), hint=hint) from None
            except Crash as crash:
                crash.hint = crash.hint or ON_VALUES
                raise

        def shown_as(arguments: dict[str, Any]) -> str:
            """The input as the operation applied to it: the rule's own arguments are g, out
            and that input."""
            names = ["g", "out", *arguments]
            return (f"the operation {show_call(rules.name, arguments)}, whose rule gets "
                    f"{', '.join(names[:-1])} and {names[-1]}")

        hypothesis_property(rules.inputs, one, function, shown_as, rules.examples)

    return Part(function, check)


# ---------------------------------------------------------------------------------------------
# reduce_to_shape, graded directly: on arrays, then on a Value.


def engine_reduction(grad: Any, shape: tuple[int, ...]) -> Any:
    """The engine's own sum of `grad` back to `shape`: the gradient of broadcasting an input of
    that shape to grad's shape."""
    x = Value(np.zeros(shape))
    return autograd.grad(x + np.zeros(shape_of(grad)), x, grad_output=grad)


@st.composite
def broadcast_to(draw: st.DrawFn, count: int, max_dims: int,
                 max_side: int) -> tuple[tuple[int, ...], list[tuple[int, ...]]]:
    """A shape with sides of 2 or more, and `count` shapes that broadcast to it: each keeps
    some of its last axes (none, to all), and of those sets some to 1. Unlike Hypothesis's
    mutually broadcastable shapes, which at small sides are mostly 1s, this often gives an
    axis longer than 1 that another shape lacks, as in (4, 3) and (3,): where broadcasting's
    mistakes show."""
    full = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=2, max_side=max_side))
    shapes = []
    for _ in range(count):
        kept = full[len(full) - draw(st.integers(0, len(full))):]
        shapes.append(tuple(1 if draw(st.booleans()) else n for n in kept))
    return full, shapes


@st.composite
def reduction_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """A shape, and a gradient of a shape it broadcasts to."""
    full, (shape,) = draw(broadcast_to(1, max_dims=3, max_side=3))
    return {"grad": draw(arrays(full, elements=REAL)), "shape": shape}


@st.composite
def multiply_inputs(draw: st.DrawFn) -> dict[str, np.ndarray]:
    """Factors x and y of shapes that broadcast together."""
    _, shapes = draw(broadcast_to(2, **SHAPES))
    x, y = (draw(arrays(shape, elements=REAL)) for shape in shapes)
    return {"x": x, "y": y}


def _answer_shape(case: Case) -> tuple[int, ...] | None:
    numbers = as_numbers(case.actual)
    return None if numbers is None else numbers.shape


def _sum_of_mean(case: Case) -> bool:
    grad, shape = case.inputs["grad"], case.inputs["shape"]
    copies = grad.size // max(1, int(np.prod(shape)))
    return copies > 1 and agrees(case.expected / copies, case.actual)


def _answer_shape_is(shape_from: Callable[[tuple[int, ...], tuple[int, ...]], tuple[int, ...]]
                     ) -> Callable[[Case], bool]:
    """A hint's condition: the learner's answer has the shape shape_from(grad's shape, shape),
    which is not `shape`."""

    def applies(case: Case) -> bool:
        grad_shape, shape = shape_of(case.inputs["grad"]), tuple(case.inputs["shape"])
        wrong = shape_from(grad_shape, shape)
        return wrong != shape and _answer_shape(case) == wrong

    return applies


REDUCTION_HINTS = [
    Hint("forgotten sum over a broadcast axis: the result must have the shape `shape`, the "
         "input's own", _answer_shape_is(lambda grad, shape: grad)),
    Hint("broadcasting adds the missing axes in front (shape (3,) broadcast to (4, 3) gains the "
         "first axis): sum over grad's leading axes, not its last ones",
         _answer_shape_is(lambda grad, shape: grad[:len(shape)])),
    Hint("axes where `shape` has size 1 but grad is longer were stretched by broadcasting: sum "
         "over those too, keeping them (keepdims=True)",
         _answer_shape_is(lambda grad, shape: grad[len(grad) - len(shape):])),
    Hint("a sum, not a mean: an input broadcast to several copies gets the gradients of all "
         "of them, added up", _sum_of_mean),
    Hint("the result must have exactly the shape `shape`",
         lambda case: _answer_shape(case) != tuple(case.inputs["shape"])),
]

# The docstring's own examples, tried first: a leading axis added, and an axis stretched.
REDUCTION_EXAMPLES = [{"grad": np.arange(12.0).reshape(4, 3), "shape": (3,)},
                      {"grad": np.arange(12.0).reshape(4, 3), "shape": (4, 1)}]


def check_reduction(learner: Learner) -> None:
    """reduce_to_shape against the engine's own reduction, on arrays and then on a Value."""
    call = learner.function("reduce_to_shape")

    def one(arguments: dict[str, Any]) -> None:
        expected = engine_reduction(**arguments)
        compare_answer(call, arguments, expected,
                       checked="reduce_to_shape(grad, shape) against grad summed over the "
                               "axes broadcasting added or stretched",
                       hints=REDUCTION_HINTS,
                       fallback="sum grad over its leading axes that `shape` does not have, "
                                "and over the axes where `shape` has size 1, keeping those")
        compare_answer(call, {**arguments, "grad": Value(arguments["grad"])}, expected,
                       checked="reduce_to_shape(grad, shape) with grad a Value, as in second "
                               "derivatives", hints=[Hint(ON_VALUES, crashed_with(Exception))],
                       fallback=ON_VALUES)

    hypothesis_property(reduction_inputs(), one, "reduce_to_shape", examples=REDUCTION_EXAMPLES)


# ---------------------------------------------------------------------------------------------
# The operations.


def one_input(min_dims: int = 0) -> st.SearchStrategy[dict[str, np.ndarray]]:
    """The input x of a one-input operation: up to 2 axes (at least `min_dims`) of 1 to 4."""
    return st.fixed_dictionaries({"x": arrays(elements=REAL, min_dims=min_dims, **SHAPES)})


@st.composite
def matmul_inputs(draw: st.DrawFn) -> dict[str, np.ndarray]:
    """Matrices a (n, k) and b (k, m), sides 1 to 4."""
    n, k, m = (draw(st.integers(1, 4)) for _ in range(3))
    return {"a": draw(arrays((n, k), elements=REAL)), "b": draw(arrays((k, m), elements=REAL))}


SIGMOID = Rules("sigmoid", autograd.sigmoid, (lambda g, out, x: g * out * (1 - out),),
                one_input())
TANH = Rules("tanh", autograd.tanh, (lambda g, out, x: g * (1 - out**2),), one_input())
SOFTPLUS = Rules("softplus", lambda x: autograd.log(1 + autograd.exp(x)),
                 (lambda g, out, x: g * autograd.sigmoid(x),), one_input())
MULTIPLY = Rules("multiply", lambda x, y: x * y,
                 (lambda g, out, x, y: g * y, lambda g, out, x, y: g * x), multiply_inputs(),
                 examples=({"x": np.array([1.0, -2.0, 0.5]), "y": np.arange(6.0).reshape(2, 3)},
                           {"x": np.arange(6.0).reshape(2, 3), "y": np.array([1.0, -2.0, 0.5])},
                           {"x": np.array([[1.0], [-2.0]]), "y": np.arange(6.0).reshape(2, 3)},
                           {"x": np.arange(6.0).reshape(2, 3), "y": np.array([[1.0], [-2.0]])}))
MATMUL = Rules("matmul", lambda a, b: a @ b,
               (lambda g, out, a, b: g @ b.T, lambda g, out, a, b: a.T @ g), matmul_inputs())
SOFTMAX = Rules("softmax", lambda x: autograd.softmax(x),
                (lambda g, out, x: out * (g - (g * out).sum(axis=-1, keepdims=True)),),
                one_input(min_dims=1))


def _uses_x_for_out(derivative: Callable[[Any], Any]) -> Hint:
    """A hint for a rule that evaluates the derivative, written in terms of the output, at x."""
    return Hint("you used x where the operation's value belongs: this derivative is written in "
                "terms of the output, which the rule receives as `out`",
                gives(lambda g, out, x: g * derivative(x)))


def _transposed(other: str) -> Callable[[Case], bool]:
    """A hint's condition: the learner's answer is a product of g and the other matrix in
    another arrangement (either of them, or the result, transposed; the factors swapped)."""

    def applies(case: Case) -> bool:
        g, m = case.inputs["g"], case.inputs[other]
        for left, right in itertools.permutations([g, m]):
            for first, second in itertools.product([left, left.T], [right, right.T]):
                if first.shape[1] == second.shape[0]:
                    product = first @ second
                    if any(agrees(p, case.actual) and not agrees(p, case.expected)
                           for p in (product, product.T)):
                        return True
        return False

    return applies


def _matmul_hints(other: str) -> list[Hint]:
    text = ("transposed matrix: the gradient is a product of g and the other matrix, "
            f"{other}; check which of them is transposed, and on which side each goes (the "
            "shapes must fit)")
    return [Hint(text, _transposed(other)),
            Hint(text, crashed_with(ValueError, saying="matmul"))]


def _other_factor(name: str) -> Hint:
    """A hint for a multiply rule that uses its own input where the other factor belongs."""
    return Hint("the derivative of x * y with respect to one factor is the other factor",
                gives(lambda g, out, x, y: engine_reduction(
                    g * {"x": x, "y": y}[name], shape_of({"x": x, "y": y}[name]))))


EXERCISE = Exercise(5, "ex5_gradient_rules.py", (
    rule_part("sigmoid_vjp", SIGMOID, 0, [_uses_x_for_out(lambda x: x * (1 - x))],
              "the rule returns g times sigmoid's derivative at x, written with `out`, "
              "which is sigmoid(x)"),
    rule_part("tanh_vjp", TANH, 0, [
        _uses_x_for_out(lambda x: 1 - x**2),
        Hint("check the power of out in tanh's derivative",
             gives(lambda g, out, x: g * (1 - out))),
    ], "the rule returns g times tanh's derivative at x, written with `out`, which is "
       "tanh(x)"),
    rule_part("softplus_vjp", SOFTPLUS, 0, [
        Hint("that is the derivative of the sigmoid, one derivative too far: softplus's "
             "derivative comes a step before it", gives(
                 lambda g, out, x: g * autograd.sigmoid(x) * (1 - autograd.sigmoid(x)))),
        Hint("the chain rule through the log: the derivative of log(u) is u' / u, so divide by "
             "1 + e^x", gives(lambda g, out, x: g * np.exp(x))),
    ], "softplus(x) = log(1 + e^x): differentiate the log, then the inside (the chain "
       "rule), and multiply by g"),
    Part("reduce_to_shape", check_reduction),
    rule_part("multiply_vjp_x", MULTIPLY, 0, [_other_factor("x")],
              "the gradient for x is g times the other factor, summed back to x's shape "
              "(reduce_to_shape)"),
    rule_part("multiply_vjp_y", MULTIPLY, 1, [_other_factor("y")],
              "the gradient for y is g times the other factor, summed back to y's shape "
              "(reduce_to_shape)"),
    rule_part("matmul_vjp_a", MATMUL, 0, _matmul_hints("b"),
              "out[i, j] = sum over k of a[i, k] b[k, j]: which entries of g and b does "
              "a[i, k] meet?"),
    rule_part("matmul_vjp_b", MATMUL, 1, _matmul_hints("a"),
              "out[i, j] = sum over k of a[i, k] b[k, j]: which entries of a and g does "
              "b[k, j] meet?"),
    rule_part("softmax_vjp", SOFTMAX, 0, [
        Hint("softmax's outputs each depend on every score of their row, so the gradient for "
             "one score collects a term from every output of the row, not only its own (the "
             "Jacobian is not diagonal)", gives(lambda g, out, x: g * out * (1 - out))),
        Hint("the sum runs along each row (the last axis, keepdims=True), not over the whole "
             "array", gives(lambda g, out, x: out * (g - (g * out).sum()))),
    ], "within a row, d out[i] / d x[j] is out[i] (1 - out[j]) for i = j and -out[i] out[j] "
       "otherwise; the gradient for x[j] adds up g[i] times these over i"),
))
