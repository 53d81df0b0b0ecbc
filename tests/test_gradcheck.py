"""gradcheck and gradgradcheck: they pass right gradients, catch wrong ones and say where.

Each common kind of wrong gradient is an Operation here, next to its correct twin: the twin must
pass where the wrong one is caught, so what is caught is the mistake and nothing else.
"""

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import GraphError, Operation, Value, grad, gradcheck, gradgradcheck, no_grad, ops
from autograd.gradcheck import ELEMENTWISE_LIMIT, GradcheckError
from autograd.testing import REAL, Domain, arrays


def plain(x: Any) -> Any:
    """The plain data of a Value (what a rule that forgets to stay differentiable uses)."""
    return x.data if isinstance(x, Value) else x


# ---------------------------------------------------------------------------------------------
# Wrong gradients of each common kind, and the right ones.

sine = Operation("sin", np.sin, lambda g, out, x: g * np.cos(x))
sine_sign_error = Operation("sin", np.sin, lambda g, out, x: -g * np.cos(x))
sine_right_at_zero_only = Operation("sin", np.sin, lambda g, out, x: g * np.cos(0.0))

square = Operation("square", lambda x: x * x, lambda g, out, x: 2 * g * x)
square_half = Operation("square", lambda x: x * x, lambda g, out, x: g * x)


def _scale_rows(x: np.ndarray, s: np.ndarray) -> np.ndarray:
    return x * s[:, None]  # row i of x times s[i]: s is broadcast along axis 1, inside the op


scale_rows = Operation(
    "scale_rows", _scale_rows,
    lambda g, out, x, s: g * s[:, None],
    lambda g, out, x, s: (g * x).sum(axis=1))
# The forgotten sum: the rule returns g * x, of x's shape (n, n), for s of shape (n,). The
# engine reads that as numpy broadcasting would, s stretched along axis 0, and sums axis 0:
# a gradient of the right shape and wrong values, which only a gradient check notices.
scale_rows_unsummed = Operation(
    "scale_rows", _scale_rows,
    lambda g, out, x, s: g * s[:, None],
    lambda g, out, x, s: g * x)

matrix_product = Operation(
    "matrix_product", np.matmul,
    lambda g, out, a, b: g @ b.T,
    lambda g, out, a, b: a.T @ g)
matrix_product_transposed = Operation(
    "matrix_product", np.matmul,
    lambda g, out, a, b: g @ b,  # b where b.T belongs: the shapes still fit for square b
    lambda g, out, a, b: a.T @ g)


def asymmetric_matrices(n: int) -> st.SearchStrategy[np.ndarray]:
    """Square matrices b with b[i, j] - b[j, i] >= 0.2 above the diagonal, by construction:
    positive numbers above the diagonal, negative ones below."""
    return st.tuples(arrays((n, n), elements=Domain(0.0, 3.0, margin=0.1)),
                     arrays((n, n), elements=Domain(-3.0, 0.0, margin=0.1)),
                     arrays((n,), elements=REAL)).map(
        lambda parts: np.triu(parts[0], 1) + np.tril(parts[1], -1) + np.diag(parts[2]))


AWAY_FROM_ZEROS_OF_COSINE = Domain(-3.0, 3.0, kinks=(-np.pi / 2, np.pi / 2), margin=0.1)
AWAY_FROM_ZERO = Domain(-3.0, 3.0, kinks=(0.0,), margin=0.1)


@dataclass(frozen=True)
class Mistake:
    right: Operation
    wrong: Operation
    inputs: st.SearchStrategy[tuple[np.ndarray, ...]]
    wrong_input: int  # the position of the input whose gradient is wrong


WRONG_GRADIENTS = {
    "sign error": Mistake(
        sine, sine_sign_error,
        st.tuples(arrays(elements=AWAY_FROM_ZEROS_OF_COSINE)), 0),
    "factor of two": Mistake(
        square, square_half,
        st.tuples(arrays(elements=AWAY_FROM_ZERO)), 0),
    "right at one point only": Mistake(
        sine, sine_right_at_zero_only,
        st.tuples(arrays(elements=AWAY_FROM_ZERO)), 0),
    "missing sum over a broadcast axis": Mistake(
        scale_rows, scale_rows_unsummed,
        st.integers(2, 4).flatmap(lambda n: st.tuples(
            arrays((n, n), elements=AWAY_FROM_ZERO), arrays((n,), elements=REAL))), 1),
    "transposed matrix gradient": Mistake(
        matrix_product, matrix_product_transposed,
        st.integers(2, 4).flatmap(lambda n: st.tuples(
            arrays((3, n), elements=REAL), asymmetric_matrices(n))), 0),
}


@pytest.mark.parametrize("kind", WRONG_GRADIENTS)
@given(data=st.data())
def test_wrong_gradient_is_caught_and_its_input_named(kind: str, data: st.DataObject):
    mistake = WRONG_GRADIENTS[kind]
    xs = data.draw(mistake.inputs, label="inputs")
    labels = ["x", "y"][: len(xs)]
    assert gradcheck(mistake.right, [Value(x) for x in xs])
    with pytest.raises(GradcheckError) as caught:
        gradcheck(mistake.wrong, [Value(x, label=label) for x, label in zip(xs, labels,
                                                                             strict=True)])
    message = str(caught.value)
    at = mistake.wrong_input
    assert message.startswith(f"gradcheck: gradient mismatch for input {at} "
                              f"(label {labels[at]!r}, shape {xs[at].shape})")
    assert message.count("gradient mismatch") == 1  # the right input is not blamed


def test_a_gradient_right_at_one_point_passes_there():
    assert gradcheck(sine_right_at_zero_only, [Value(0.0)])
    assert gradcheck(sine_right_at_zero_only, [Value(np.zeros((2, 2)))])


def test_the_missing_sum_is_invisible_to_shapes():
    x, s = Value(np.arange(9.0).reshape(3, 3)), Value([1.0, 2.0, 3.0])
    ds = grad(scale_rows_unsummed(x, s).sum(), s)
    assert ds.shape == s.shape  # the engine made it fit ...
    np.testing.assert_allclose(ds, x.data.sum(axis=0))  # ... by summing the wrong axis
    np.testing.assert_allclose(grad(scale_rows(x, s).sum(), s), x.data.sum(axis=1))


def test_a_missing_sum_that_shapes_do_give_away_is_refused_by_the_engine():
    x, s = Value(np.ones((2, 3))), Value([1.0, 2.0])  # not square: (2, 3) cannot become (2,)
    with pytest.raises(GraphError, match=r"rule 1 of 'scale_rows' returned shape \(2, 3\) for an "
                                         r"input of shape \(2,\)"):
        gradcheck(scale_rows_unsummed, [x, s])


def test_a_rule_that_detaches_by_mistake_is_caught():
    x = Value([1.0, 2.0, 3.0])
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(lambda v: v * Value(v.data), [x])  # x * x, with one factor a constant


# ---------------------------------------------------------------------------------------------
# The failure message.


def test_message_is_a_table_of_the_worst_elements_worst_first():
    weights = np.arange(1.0, 13.0).reshape(3, 4)
    x = Value(np.ones(3), label="x")
    w = Value(weights, label="W")
    # the gradient for W is right at (0, 0) and off by 1, 2, ..., 11 at the other elements
    wrong = Operation("product", np.matmul,
                      lambda g, out, a, b: g @ b.T,
                      lambda g, out, a, b: np.outer(a, g) + np.arange(12.0).reshape(3, 4))
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda a, b: wrong(a, b).sum(), [x, w])
    lines = str(caught.value).splitlines()
    assert lines[0] == "gradcheck: gradient mismatch for input 1 (label 'W', shape (3, 4))"
    assert "Jacobian" in lines[1]
    assert lines[2].startswith("11 of 12 differ by more than atol + rtol * |numeric|")
    header = [cell.strip() for cell in lines[3].split("|")]
    assert header == ["index", "analytic", "numeric", "rel. error"]
    assert set(lines[4].strip()) <= {"-", "+"}
    rows = [[cell.strip() for cell in line.split("|")] for line in lines[5:]]
    assert len(rows) == 5
    assert [row[0] for row in rows] == ["(2, 3)", "(2, 2)", "(2, 1)", "(2, 0)", "(1, 3)"]
    assert [float(row[1]) - float(row[2]) for row in rows] == pytest.approx([11, 10, 9, 8, 7])
    assert rows[0][3] == "0.917"  # |a - n| / max(|a|, |n|) = 11 / 12, with n = 1
    assert len({len(line) for line in lines[3:]}) == 1  # aligned columns


def test_every_wrong_input_gets_a_report():
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda a, b: square_half(a) + square_half(b), [Value([2.0]), Value([3.0])])
    assert "for input 0" in str(caught.value) and "for input 1" in str(caught.value)


def test_returns_false_instead_of_raising_when_asked():
    assert gradcheck(square_half, [Value([2.0])], raise_exception=False) is False
    assert gradgradcheck(cube_flat_second, [Value([2.0])], raise_exception=False) is False


@pytest.mark.parametrize(("size", "caption"), [
    (4, "the Jacobian"),  # 4 x 4 entries: the whole Jacobian
    (40, "random upstream gradient"),  # 40 x 40 entries, too many: a vector-Jacobian product
    (ELEMENTWISE_LIMIT + 1, "random directions"),  # too many elements: projections
])
def test_each_way_of_comparing_passes_right_and_catches_wrong(size: int, caption: str):
    x = np.linspace(-1.5, 1.5, size)
    assert gradcheck(sine, [Value(x)])
    with pytest.raises(GradcheckError, match=caption):
        gradcheck(sine_sign_error, [Value(x)])


# ---------------------------------------------------------------------------------------------
# What a check does to its inputs, and the kinds of functions it takes.


def test_inputs_keep_their_data_and_grad():
    x = Value(np.array([0.5, 1.5], dtype=np.float32))
    w = Value([[1.0, 2.0], [3.0, 4.0]])
    w.grad = np.full((2, 2), 7.0)
    x_data, w_data = x.data, w.data
    with pytest.warns(UserWarning):
        gradcheck(lambda a, b: (a @ b).tanh(), [x, w])
    with pytest.raises(GradcheckError), pytest.warns(UserWarning):
        gradcheck(lambda a, b: sine_sign_error(a @ b), [x, w])
    assert x.data is x_data and x.dtype == np.float32 and w.data is w_data
    np.testing.assert_array_equal(w.grad, np.full((2, 2), 7.0))
    np.testing.assert_array_equal(x.grad, np.zeros(2))


def test_float32_inputs_are_checked_in_float64_with_a_warning():
    seen = []

    def fn(x: Value) -> Value:
        seen.append(x.dtype)
        return x.exp()

    with pytest.warns(UserWarning, match=r"input 0 \(shape \(3,\)\) is float32; it is checked "
                                         "in float64"):
        assert gradcheck(fn, [Value(np.ones(3, dtype=np.float32))])
    assert set(seen) == {np.dtype(np.float64)}


def test_float64_inputs_raise_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert gradcheck(ops.exp, [Value(np.ones(3))])


def test_scalar_inputs_stay_python_floats():
    kinds = set()

    def fn(a: Value, b: Value) -> Value:
        kinds.add(type(a.data))
        return (a * b).tanh()

    assert gradcheck(fn, [Value(0.3), Value(-1.2)])
    assert kinds == {float}


def test_constants_and_tuple_outputs_and_inputs_given_twice():
    x, y = Value([1.0, 2.0]), Value([0.5, -0.5])
    constant = Value([3.0, 4.0], requires_grad=False)
    assert gradcheck(lambda a, c, k: (a * c + k, (a * k).sum()), [x, constant, 2.0])
    assert gradcheck(lambda a, b: a * b, [x, x])
    assert x.data.tolist() == [1.0, 2.0]
    with pytest.raises(GradcheckError, match="for input 1"):
        gradcheck(lambda a, b: (a.exp(), square_half(b)), [x, y])


def test_a_closure_over_parameters_is_checked_through_them():
    w, b = Value(np.array([[0.5, -1.0], [2.0, 0.1]]), label="W"), Value([0.1, 0.2])
    inputs = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])

    def loss(*_: Value) -> Value:  # reads the parameters themselves, as a model does
        return ((inputs @ w + b).tanh() ** 2).mean()

    assert gradcheck(loss, [w, b])


def test_intermediate_values_are_checked_as_inputs():
    # The check moves an input's data; for an intermediate Value that used to make the walk
    # into what it was computed from refuse the pass (its data "changed" since).
    x = Value(np.array([0.3, -0.2]))
    hidden = x * 2.0
    assert gradcheck(lambda h: h.tanh() * h, [hidden])
    assert gradgradcheck(lambda h: h.tanh() * h, [hidden])
    assert gradcheck(lambda h: h.exp(), [Value(0.3) * 2.0])  # and on the scalar path


def test_outputs_that_do_not_depend_on_an_input_pass():
    assert gradcheck(lambda a, b: a * 2.0, [Value([1.0]), Value([5.0])])


@pytest.mark.parametrize(("fn", "inputs", "error", "match"), [
    (ops.exp, [np.ones(2)], ValueError, "none of the 1 inputs is a Value that requires"),
    (ops.exp, [Value(1.0, requires_grad=False)], ValueError, "nothing to check"),
    (ops.exp, np.ones(2), TypeError, "inputs must be a Value or a list"),
    (lambda x: x.data, [Value(1.0)], TypeError, "fn must return a Value"),
    (lambda x: [], [Value(1.0)], TypeError, "non-empty tuple of Values"),
    (ops.log, [Value(-1.0)], ValueError, "non-finite values"),
    (lambda x: x[: 1 if x.data[0] == 1.5 else 2], [Value([1.5, 2.0])], ValueError,
     "outputs changed size"),
])
def test_bad_arguments_are_explained(fn, inputs, error, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # log(-1)
        with pytest.raises(error, match=match):
            gradcheck(fn, inputs)


def test_refuses_to_run_inside_no_grad():
    with no_grad(), pytest.raises(RuntimeError, match="inside no_grad"):
        gradcheck(ops.exp, [Value(1.0)])


# ---------------------------------------------------------------------------------------------
# Second derivatives and custom operations.

# Its first derivative is right, but computed from plain data, so it is a constant to a second
# backward pass: the second derivative comes out 0.
cube_flat_second = Operation("cube", lambda x: x**3, lambda g, out, x: g * 3 * plain(x) ** 2)
cube = Operation("cube", lambda x: x**3, lambda g, out, x: g * 3 * x**2)


def test_gradgradcheck_catches_a_second_derivative_that_gradcheck_cannot_see():
    x = Value([0.5, -1.0, 2.0], label="x")
    assert gradcheck(cube_flat_second, [x])
    assert gradgradcheck(cube, [x])
    with pytest.raises(GradcheckError) as caught:
        gradgradcheck(cube_flat_second, [x])
    message = str(caught.value)
    assert message.startswith("gradgradcheck: second-derivative mismatch for input 0 "
                              "(label 'x', shape (3,))")
    assert "gradient of input 0[1]" in message  # the Hessian's row: d(dy/dx[1]) / dx[index]


# its rule is written with an operation, so it has second derivatives too
softplus = Operation("softplus", lambda x: np.logaddexp(0.0, x),
                     lambda g, out, x: g * ops.sigmoid(x))


@given(x=arrays(elements=REAL), y=arrays(elements=REAL))
def test_a_custom_operation_is_verified_to_second_order(x, y):
    assert gradcheck(lambda a, b: softplus(a) * b.sum(), [Value(x), Value(y)])
    assert gradgradcheck(softplus, [Value(x)])
