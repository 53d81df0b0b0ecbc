"""The engine: construction and dtype rules, derivatives worked out by hand, the backward pass
(accumulation, release, retain_graph, deep graphs), no_grad, anomaly detection, higher-order
gradients and the errors a user can run into."""

import copy
import gc
import math
import pickle
import subprocess
import sys
import traceback
import weakref

import numpy as np
import pytest

from autograd import (
    GraphError,
    Operation,
    OperationError,
    Value,
    concatenate,
    detect_anomaly,
    grad,
    is_grad_enabled,
    linear,
    name_scope,
    no_grad,
    stack,
)
from autograd.engine import data_of, replay

# -- construction and dtypes -------------------------------------------------------------------


def test_python_numbers_become_floats_on_the_scalar_path():
    for number in (3, 3.0, True, np.float64(3.0), np.int32(3)):
        v = Value(number)
        assert type(v.data) is float
        assert v.shape == () and v.ndim == 0 and v.size == 1 and v.dtype == np.float64


def test_lists_and_integer_arrays_become_float64_and_float_arrays_keep_their_dtype():
    assert Value([[1, 2], [3, 4]]).dtype == np.float64
    assert Value(np.arange(3)).dtype == np.float64
    assert Value(np.array([True, False])).dtype == np.float64
    assert Value(np.ones(3, dtype=np.float32)).dtype == np.float32
    assert Value(np.ones(3, dtype=np.float16)).dtype == np.float16


def test_gradients_take_their_inputs_dtype_even_through_float64_constants():
    x = Value(np.ones(4, dtype=np.float32))
    y = x * np.float64(2.0) + x.mean()  # a numpy float64 scalar acts as a Python float
    assert y.dtype == np.float32
    (y * np.ones(4)).sum().backward()  # a float64 array constant promotes the product...
    assert x.grad.dtype == np.float32  # ...but the gradient keeps x's dtype


def test_linear_gives_what_x_at_weight_transposed_plus_bias_gives_in_dtype_and_shape():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    weight = Value(np.arange(12, dtype=np.float32).reshape(4, 3))  # (out, in), as PyTorch's
    for bias in (Value(np.ones(4)), Value(np.ones(4, dtype=np.float32)), 0.5,
                 Value(np.ones((2, 4), dtype=np.float32)), None):
        fused = linear(x, weight, bias)
        composed = x @ weight.T if bias is None else x @ weight.T + bias
        assert fused.dtype == composed.dtype and fused.shape == composed.shape
        np.testing.assert_array_equal(fused.data, composed.data)
    assert linear(x, weight).shape == (2, 4)  # the bias is optional, as in F.linear


def test_linear_refuses_a_weight_of_the_wrong_layout_and_a_bias_that_enlarges_the_result():
    with pytest.raises(OperationError, match=r"linear: .*shape \(2, 3\), shape \(4, 2\).*"
                                             r"x must have shape \(..., in_features\) and "
                                             r"weight \(out_features, in_features\)"):
        linear(np.ones((2, 3)), Value(np.ones((4, 2))), None)  # an (in, out) weight
    with pytest.raises(OperationError, match=r"weight must be a matrix"):
        linear(np.ones(3), Value(np.ones(3)), None)
    # the gradient rules give the product all of g: a bias may not broadcast it bigger
    with pytest.raises(OperationError, match=r"the bias \(shape \(4,\)\) would enlarge the "
                                             r"product of shape \(1,\) to \(4,\)"):
        linear(np.ones(3), Value(np.ones((1, 3))), Value(np.ones(4)))


def test_copy_false_shares_a_floating_array_and_converts_anything_else():
    array = np.ones(3, dtype=np.float32)
    shared = Value(array, requires_grad=False, copy=False)
    assert shared.data is array
    integers = np.arange(3)
    converted = Value(integers, copy=False)
    assert converted.dtype == np.float64 and not np.shares_memory(converted.data, integers)


def test_numpy_reads_a_value_as_its_data_never_as_an_object_array():
    v = Value(np.ones((300, 300)))
    array = np.asarray(v)
    assert array.dtype == np.float64 and array.shape == (300, 300) and array is v.data
    assert np.asarray(Value(2.0)).shape == () and np.asarray(Value(2.0)) == 2.0
    assert np.asarray(Value([1.0, 2.0]), dtype=np.float32).dtype == np.float32
    copied = np.array(v)  # np.array copies, as it does an array
    assert not np.shares_memory(copied, v.data)


def test_construction_copies_the_callers_array():
    array = np.ones(3)
    v = Value(array)
    array[0] = 5.0
    assert v.data[0] == 1.0


@pytest.mark.parametrize("bad", ["abc", None, object(), {"a": 1}, [1, "x"]])
def test_non_numeric_data_is_refused_with_a_clear_message(bad):
    with pytest.raises(TypeError, match="Value: .*"):
        Value(bad)


@pytest.mark.parametrize("bad", [1 + 2j, np.array([1 + 1j]), [1j, 2]])
def test_complex_data_is_refused(bad):
    with pytest.raises(TypeError, match="complex numbers are not supported"):
        Value(bad)


def test_ragged_lists_are_refused():
    with pytest.raises(TypeError, match="cannot make an array"):
        Value([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("make", [
    lambda a, b, w: [a, b] * w,                        # a list read as numbers: a constant
    lambda a, b, w: w + (a, a),
    lambda a, b, w: w * [[1.0, 2.0], [b, 3.0]][1],
    lambda a, b, w: w - [[a, 1.0]],                     # nested
    lambda a, b, w: Value(2.0).exp() * [(1.0, (a,))][0][1],
], ids=["list times Value", "Value plus tuple", "row of a list", "nested", "deeper"])
def test_a_list_holding_values_is_refused_rather_than_read_as_constants(make):
    """numpy turns a list of Values into an array of their numbers: their gradients would be
    silently lost (they used to be 0)."""
    a, b, w = Value(1.0), Value(2.0), Value([3.0, 4.0])
    with pytest.raises(TypeError, match=r"input \d is a (list|tuple) holding Values.*stack"):
        make(a, b, w)


def test_lists_of_numbers_are_read_as_arrays_and_stack_gives_the_gradients_a_list_would_lose():
    a, b, w = Value(1.0), Value(2.0), Value([3.0, 4.0])
    y = ([5.0, 6.0] * w + (1.0, 2.0)).sum()
    y.backward()
    assert np.array_equal(w.grad, [5.0, 6.0])
    weight = Value([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    for x in ([[1.0, -2.0]], [1, -2]):  # matmul's and linear's rules once failed on a list
        for product in (lambda x: x @ weight.T, lambda x: linear(x, weight)):
            weight.zero_grad()
            product(x).sum().backward()
            weight_grad = weight.grad
            weight.zero_grad()
            (np.array(x, dtype=float) @ weight.T).sum().backward()
            assert np.array_equal(weight_grad, weight.grad)
    with pytest.raises(OperationError, match=r"mul: input 1 cannot be made an array"):
        w * [[1.0], [1.0, 2.0]]
    w.zero_grad()
    (stack([a, b]) * w).sum().backward()
    assert (a.grad, b.grad) == (3.0, 4.0) and np.array_equal(w.grad, [1.0, 2.0])


def test_float32_stays_float32_through_operations_and_gradients():
    rng = np.random.default_rng(0)
    x = Value(rng.standard_normal((4, 3)).astype(np.float32))
    w = Value(rng.standard_normal((3, 2)).astype(np.float32))
    y = ((x @ w).tanh() * 2.0 + 1).sigmoid().log_softmax(axis=1)
    loss = (y[np.arange(4), [0, 1, 0, 1]]).mean() + x.abs().max() + (w**2).sum()
    assert y.dtype == np.float32 and loss.dtype == np.float32
    loss.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_accessors():
    v = Value(np.arange(6.0).reshape(2, 3), label="v")
    assert v.shape == (2, 3) and v.ndim == 2 and v.size == 6 and len(v) == 2
    assert v.label == "v" and "label='v'" in repr(v) and "shape=(2, 3)" in repr(v)
    copy = v.numpy()
    copy[0, 0] = 100.0
    assert v.data[0, 0] == 0.0
    assert Value(2.5).item() == 2.5 and float(Value([[4.0]])) == 4.0
    assert repr(Value(2.0)) == "Value(data=2.0)"
    with pytest.raises(ValueError, match="only a Value with one element"):
        v.item()
    with pytest.raises(TypeError, match="len"):
        len(Value(1.0))


def test_iteration_and_formatting():
    rows = list(Value(np.arange(6.0).reshape(3, 2)))
    assert len(rows) == 3 and all(isinstance(r, Value) and r.shape == (2,) for r in rows)
    sum(rows).sum().backward()
    assert f"{Value(2.0):.2f}" == "2.00" and f"{Value(np.array(0.5)):.1f}" == "0.5"


def test_grad_reads_zero_until_a_backward_pass_reaches_it():
    s, t = Value(2.0), Value(np.ones((2, 2), dtype=np.float32))
    assert s.grad == 0.0 and type(s.grad) is float
    assert t.grad.shape == (2, 2) and t.grad.dtype == np.float32 and not t.grad.any()


# -- derivatives worked out by hand ------------------------------------------------------------


def test_micrograd_expression_matches_hand_derivatives():
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    e = (c - d).relu() + (d / a).tanh()
    e.backward()
    # c - d = -2 < 0, so relu passes nothing; d / a = 0, so tanh' = 1 and
    # de/da = -d/a^2 + b/a = -0.5, de/db = (a + 3 b^2) / a = -2.
    assert e.data == 0.0
    assert a.grad == pytest.approx(-0.5)
    assert b.grad == pytest.approx(-2.0)


def test_micrograd_sanity_check_expression():
    # The longer expression from micrograd's tests; derivatives from PyTorch.
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert g.data == pytest.approx(24.70408163265306)
    assert a.grad == pytest.approx(138.83381924198252)
    assert b.grad == pytest.approx(645.5772594752186)


def test_each_scalar_rule_by_hand():
    x = Value(0.5)
    cases = [
        (lambda v: v.exp(), math.exp(0.5)),
        (lambda v: v.log(), 2.0),
        (lambda v: v.sqrt(), 0.5 / math.sqrt(0.5)),
        (lambda v: v.tanh(), 1 - math.tanh(0.5) ** 2),
        (lambda v: v.sigmoid(), math.exp(-0.5) / (1 + math.exp(-0.5)) ** 2),
        (lambda v: v.relu(), 1.0),
        (lambda v: -v.abs(), -1.0),
        (lambda v: 3 / v, -12.0),
        (lambda v: 2**v, math.log(2) * 2**0.5),
        (lambda v: v**v, 0.5**0.5 * (math.log(0.5) + 1)),
        (lambda v: 1 - v, -1.0),
    ]
    for fn, expected in cases:
        x.zero_grad()
        fn(x).backward()
        assert x.grad == pytest.approx(expected), fn


def test_conventions_at_kinks():
    for fn in (lambda v: v.relu(), lambda v: v.abs()):
        x = Value(0.0)
        fn(x).backward()
        assert x.grad == 0.0
    x = Value([1.0, 3.0, 3.0, 2.0])
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.5, 0.5, 0.0])  # tied maxima share


def test_power_of_zero_has_a_finite_exponent_gradient():
    base, exponent = Value(0.0), Value(2.0)
    (base**exponent).backward()
    assert base.grad == 0.0 and exponent.grad == 0.0


@pytest.mark.parametrize("make", [lambda x: x, lambda x: np.full((2, 3), x)],
                         ids=["scalar", "array"])
def test_the_zeroth_power_has_derivative_zero_at_zero_as_in_pytorch(make):
    # x ** 0 is 1 everywhere; the rule b * x ** (b - 1) would give 0 * inf = NaN at x = 0
    for exponent in (0, 0.0, Value(0.0), Value(make(0.0))):
        x = Value(make(0.0))
        (x**exponent).sum().backward()
        np.testing.assert_array_equal(x.grad, make(0.0))
    base, exponent = Value(make(0.0)), Value(make(0.0))
    (base**exponent).sum().backward()  # 0 ** y at y = 0: both derivatives 0, as PyTorch's
    np.testing.assert_array_equal(base.grad, make(0.0))
    np.testing.assert_array_equal(exponent.grad, make(0.0))
    x = Value(make(0.0))
    (d1,) = grad((x**0).sum(), [x], create_graph=True)  # and its second derivative
    np.testing.assert_array_equal(grad(d1.sum(), [x])[0], make(0.0))
    x = Value(make(0.0))
    (x**2).sum().backward()  # unchanged where the rule was right: 2 x = 0
    np.testing.assert_array_equal(x.grad, make(0.0))


@pytest.mark.parametrize("factor", [0.123456789, 1e-9, 1e6])
def test_single_element_indexing_keeps_full_precision_on_the_scalar_path(factor):
    # The element is a Python float, so the gradient arriving at the index is one too: it
    # must come back as float64, not be rounded to float16 (which would give 0.1235, 0, inf).
    x = Value(np.array([1.0, 2.0, 3.0]))
    (x[0] * factor).backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad, [factor, 0.0, 0.0])
    total = sum(v * factor for v in Value(np.array([1.0, 2.0]), label="v"))
    total.backward()
    s = Value(2.0)
    (s.max() * factor).backward()
    assert s.grad == factor
    y = Value(np.array([1.0, 2.0], dtype=np.float32))
    (y[1] * factor).backward()
    assert y.grad.dtype == np.float32 and y.grad[1] == np.float32(factor)


def test_tensor_example_from_the_readme():
    rng = np.random.default_rng(0)
    X = Value(rng.standard_normal((64, 3)), requires_grad=False)
    W = Value(rng.standard_normal((3, 4)))
    bias = Value(np.zeros(4))
    loss = (X @ W + bias).relu().mean()
    loss.backward()
    assert W.grad.shape == (3, 4) and bias.grad.shape == (4,)
    active = (X.data @ W.data + bias.data) > 0
    np.testing.assert_allclose(bias.grad, active.sum(axis=0) / active.size)
    np.testing.assert_allclose(W.grad, X.data.T @ active / active.size)
    assert X._grad is None  # a constant gets no gradient


def test_broadcast_gradients_are_summed_back_to_each_input_shape():
    a = Value(np.ones((2, 1, 3)))
    b = Value(np.full(4, 2.0).reshape(4, 1))
    c = Value(5.0)
    (a * b * c).sum().backward()
    np.testing.assert_array_equal(a.grad, np.full((2, 1, 3), 40.0))
    np.testing.assert_array_equal(b.grad, np.full((4, 1), 30.0))
    assert type(c.grad) is float and c.grad == 48.0


def test_plain_arrays_and_numbers_on_either_side_are_constants():
    v = Value(np.array([1.0, 2.0]))
    m = np.array([[1.0, 2.0], [3.0, 4.0]])
    for result in (m @ v, v @ m, m + v, 1 - v, 2 / v, m * v, 2**v):
        assert isinstance(result, Value)
    (m @ v).sum().backward()
    np.testing.assert_array_equal(v.grad, m.sum(axis=0))


def test_repeated_indices_accumulate():
    x = Value(np.arange(4.0))
    x[np.array([0, 2, 2, 2])].sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 0.0, 3.0, 0.0])
    y = Value(np.arange(4.0))
    y[[1, 1]].sum().backward()  # a list index is an integer array, as in numpy
    np.testing.assert_array_equal(y.grad, [0.0, 2.0, 0.0, 0.0])


def test_concatenate_and_stack_route_gradients_to_their_inputs():
    a, b = Value(np.ones((2, 2))), Value(np.ones((1, 2)))
    (concatenate([a, b]) * np.arange(3.0)[:, None]).sum().backward()
    np.testing.assert_array_equal(a.grad, [[0, 0], [1, 1]])
    np.testing.assert_array_equal(b.grad, [[2, 2]])
    c, d = Value([1.0, 2.0]), Value([3.0, 4.0])
    (stack([c, d], axis=1) * np.array([1.0, 10.0])).sum().backward()
    np.testing.assert_array_equal(c.grad, [1, 1])
    np.testing.assert_array_equal(d.grad, [10, 10])


def test_comparisons_return_plain_booleans():
    v = Value(np.array([1.0, -2.0, 3.0]))
    result = v > 0
    assert type(result) is np.ndarray and result.dtype == bool
    np.testing.assert_array_equal(result, [True, False, True])
    np.testing.assert_array_equal(v == Value([1.0, 0.0, 3.0]), [True, False, True])
    assert (Value(1.0) < 2) is True


def test_softmax_and_log_softmax_are_stable_for_large_inputs():
    x = Value(np.array([[1000.0, 1001.0, 1002.0], [-3000.0, 0.0, 3000.0]]))
    probs = x.softmax(axis=1)
    log_probs = x.log_softmax(axis=1)
    assert np.isfinite(probs.data).all() and np.isfinite(log_probs.data).all()
    expected = np.exp([0.0, 1.0, 2.0]) / np.exp([0.0, 1.0, 2.0]).sum()
    np.testing.assert_allclose(probs.data[0], expected)
    np.testing.assert_allclose(log_probs.data[0], np.log(expected))
    log_probs[:, 0].sum().backward()
    assert np.isfinite(x.grad).all()


# -- the backward pass -------------------------------------------------------------------------


def test_gradients_accumulate_across_backward_calls_and_zero_grad_resets():
    x = Value(3.0)
    (x * x).backward()
    (x * x).backward()
    assert x.grad == 12.0
    x.zero_grad()
    (x * 5).backward()
    assert x.grad == 5.0


def test_reused_values_collect_every_path():
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0
    a = Value(np.array([1.0, 2.0]))
    b = a * a
    c = b + b
    c.sum().backward()
    np.testing.assert_array_equal(a.grad, 4 * a.data)


def test_diamond_graph():
    x = Value(2.0)
    left, right = x * 3, x.exp()
    (left * right).backward()
    assert x.grad == pytest.approx(3 * math.exp(2) + 6 * math.exp(2))


def test_leaf_gradients_never_alias_each_other_or_the_seed():
    a, b = Value(np.ones(3)), Value(np.ones(3))
    seed = np.full(3, 2.0)
    (a + b).backward(gradient=seed)
    assert not np.shares_memory(a.grad, b.grad)
    assert not np.shares_memory(a.grad, seed)
    a.grad[0] = 100.0
    assert b.grad[0] == 2.0 and seed[0] == 2.0


def test_a_rule_that_returns_an_array_of_its_own_is_never_written_into():
    const = np.ones(3)  # say, a cached Jacobian the rule hands out each time
    op = Operation("c", lambda x: x * 1.0, lambda g, out, x: const)
    a = Value(np.zeros(3))
    (op(a) + op(a)).sum().backward()
    np.testing.assert_array_equal(const, [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(a.grad, [2.0, 2.0, 2.0])
    b = Value(np.zeros(3))
    op(b).sum().backward()
    assert not np.shares_memory(b.grad, const)
    b.grad += 1.0
    np.testing.assert_array_equal(const, [1.0, 1.0, 1.0])


def test_a_rule_that_fills_one_buffer_on_every_call_gives_right_gradients():
    # Without fresh_gradients, a rule may hand out an array it keeps: here one buffer, filled
    # anew by each call. The first call's result used to wait in the pass by reference until
    # the second call overwrote it: x.grad came out 2 + 2 instead of 6 + 2.
    buffer = np.empty(3)
    double = Operation("double", lambda x: 2.0 * x,
                       lambda g, out, x: np.multiply(g, 2.0, out=buffer))
    x = Value(np.ones(3))
    (double(x) * 1.0 + double(x) * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [8.0, 8.0, 8.0])
    a, b = Value(np.ones(3)), Value(np.ones(3))
    y = double(a) * 1.0
    (y + double(b) * 3.0 + y * 0.0).sum().backward()
    np.testing.assert_array_equal(a.grad, [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(b.grad, [6.0, 6.0, 6.0])


def test_no_two_gradients_share_memory_intermediate_ones_included():
    w = Value(np.ones(3), label="w")
    a = w + 1
    b = a + 1
    c = b.reshape(3, 1).transpose().reshape(3)
    d = c * 2.0
    d.backward(gradient=np.array([1.0, 2.0, 3.0]), retain_graph=True)
    grads = [v.grad for v in (w, a, b, c, d)]
    for i, first in enumerate(grads):
        assert first.flags.writeable
        for second in grads[i + 1:]:
            assert not np.shares_memory(first, second)
    a.grad[0] = 100.0
    np.testing.assert_array_equal(b.grad, [2.0, 4.0, 6.0])
    x, y = Value(np.ones(2)), Value(np.ones(2))
    gx, gy = grad(x + y, [x, y], grad_output=np.ones(2))
    assert not np.shares_memory(gx, gy)
    first, again = grad((x * 2.0).sum(), [x, x])  # one input asked for twice
    assert not np.shares_memory(first, again)
    np.testing.assert_array_equal(first, again)


def test_a_rule_that_returns_an_input_array_is_never_added_into_or_aliased():
    # d(a * b)/da written (lazily) as the input b itself, correct only for g = 1
    lazy_mul = Operation("lazy_mul", lambda a, b: a * b, lambda g, out, a, b: b,
                         lambda g, out, a, b: a)
    a, b = Value(np.ones(3)), Value(np.array([1.0, 2.0, 3.0]))
    total = lazy_mul(a, b) + lazy_mul(a, b) + lazy_mul(a, b)
    total.backward(gradient=np.ones(3))
    np.testing.assert_array_equal(b.data, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(a.grad, [3.0, 6.0, 9.0])
    assert not np.shares_memory(a.grad, b.data) and not np.shares_memory(b.grad, a.data)


def test_plain_array_and_value_gradients_add_up_in_either_order():
    # Under create_graph, a rule written with numpy (fresh, or summed back over a broadcast
    # axis) gives a plain array, which the engine used to add a Value into in place (a
    # TypeError); in a plain pass, a rule returning a Value did the same.
    numpy_sin = Operation("sin", np.sin, lambda g, out, x: data_of(g) * np.cos(data_of(x)),
                          fresh_gradients=True)
    c = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    numpy_scale = Operation("scale", lambda x: x * c, lambda g, out, x: data_of(g) * c)
    x = Value(np.array([0.3, 0.7]))
    for y in ((x * x + numpy_sin(x)).sum(), (numpy_sin(x) + x * x).sum()):
        (dx,) = grad(y, [x], create_graph=True)
        np.testing.assert_allclose(data_of(dx), np.cos(x.data) + 2 * x.data, rtol=1e-12)
    w = Value(np.ones((1, 3)))
    for y in ((w * w + numpy_scale(w)).sum(), (numpy_scale(w) + w * w).sum()):
        (dw,) = grad(y, [w], create_graph=True)
        np.testing.assert_array_equal(data_of(dw), [[9.0, 11.0, 13.0]])  # w * w is used twice
    as_value = Operation("wrap", lambda x: 2.0 * x, lambda g, out, x: Value(2.0 * g))
    twice = Operation("twice", lambda x: 2.0 * x, lambda g, out, x: 2.0 * g,
                      fresh_gradients=True)
    for make in (lambda v: twice(v) + as_value(v), lambda v: as_value(v) + twice(v)):
        v = Value(np.ones(3))
        make(v).sum().backward()
        assert type(v.grad) is np.ndarray  # a plain pass gives plain gradients
        np.testing.assert_array_equal(v.grad, [4.0, 4.0, 4.0])
    kept = Value(np.ones(3), requires_grad=False)
    borrow = Operation("borrow", lambda x: x * 1.0, lambda g, out, x: kept)
    v = Value(np.zeros(3))
    (borrow(v) + borrow(v)).sum().backward()
    np.testing.assert_array_equal(kept.data, [1.0, 1.0, 1.0])  # its array is never added into
    np.testing.assert_array_equal(v.grad, [2.0, 2.0, 2.0])


def test_backward_does_not_mutate_inputs():
    data = np.array([[1.0, -2.0], [3.0, 4.0]])
    x = Value(data)
    before = x.data.copy()
    y = (x * x + x).relu().sum(axis=0)
    y.backward(gradient=np.ones(2))
    np.testing.assert_array_equal(x.data, before)


def test_a_million_deep_chain_backpropagates_without_recursion():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0 and y.data == 1_000_001.0


def test_the_graph_holds_no_reference_cycles():
    gc.disable()
    try:
        x = Value(np.ones(3))
        hidden = x * 2
        probe = weakref.ref(hidden)
        out = hidden.tanh().sum()
        del hidden
        out.backward(retain_graph=True)
        assert probe() is not None  # the graph is kept...
        del out
        assert probe() is None  # ...until its output goes: freed by reference counting alone
    finally:
        gc.enable()


def test_backward_frees_intermediate_tensors_nobody_holds_and_keeps_those_held():
    gc.disable()
    try:
        x = Value(np.ones(3))
        hidden, held = x * 2, x * 3
        probe = weakref.ref(hidden)
        out = (hidden.tanh() + held).sum()
        del hidden
        out.backward()
        assert probe() is None  # freed during the pass, though `out` is still here
        np.testing.assert_array_equal(held.grad, np.ones(3))  # a Value held keeps its grad
        assert held.op == "mul" and held.released and held.inputs == ()
        assert out.item() == pytest.approx(3 * (math.tanh(2.0) + 3.0))
    finally:
        gc.enable()


def test_second_backward_through_a_released_graph_raises():
    x = Value(2.0)
    y = (x * x).exp()
    y.backward()
    with pytest.raises(GraphError, match="already released.*retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = Value(2.0)
    y = x * x * x
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad == 24.0


def test_graph_structure_survives_release_for_drawing():
    x = Value(2.0, label="x")
    y = (x * 3).tanh()
    y.backward()
    assert y.op == "tanh" and y.inputs[0].op == "mul" and y.inputs[0].inputs[0] is x


def test_a_scalar_graph_with_numpy_number_constants_survives_release_too():
    # numpy's float64 and integers act as Python numbers (an element X[i] of a data array)
    x = Value(2.0, label="x")
    data = np.array([3.0, 4.0])
    y = (x * data[0] + np.int64(1)).tanh()
    y.backward()
    assert y.inputs[0].op == "add" and y.inputs[0].inputs[0].inputs == (x, data[0])


def test_non_scalar_output_needs_a_gradient():
    y = Value(np.ones(3)) * 2
    with pytest.raises(GraphError, match=r"shape \(3,\).*gradient="):
        y.backward()
    with pytest.raises(GraphError, match=r"gradient has shape \(2,\) but the output has"):
        y.backward(gradient=np.ones(2))
    y.backward(gradient=np.array([1.0, 2.0, 3.0]))


def test_backward_of_a_constant_is_refused():
    with pytest.raises(GraphError, match="does not require a gradient"):
        (Value(1.0, requires_grad=False) * 2).backward()


def test_no_grad_records_nothing_and_restores_itself():
    x = Value(2.0)
    with no_grad():
        assert not is_grad_enabled()
        y = x * x
    assert is_grad_enabled()
    assert not y.requires_grad and y.op is None and y.inputs == ()

    @no_grad()
    def f(v):
        return v * 3

    assert not f(x).requires_grad and is_grad_enabled()


def test_switches_nest_and_one_object_may_be_entered_twice():
    inference = no_grad()
    with name_scope("a"), inference, detect_anomaly(), inference:
        assert not is_grad_enabled() and (Value(1.0) * 2).scope == "a"
    assert is_grad_enabled() and (Value(1.0) * 2).scope is None
    with pytest.raises(RuntimeError, match="no_grad: left without being entered"):
        inference.__exit__(None, None, None)
    with name_scope("outer"):  # leaving a switch never entered undoes nothing else
        with pytest.raises(RuntimeError, match="no_grad: left without being entered"):
            inference.__exit__(None, None, None)
        assert (Value(1.0) * 2).scope == "outer"
    assert is_grad_enabled()

def test_name_scope_tags_results():
    x = Value(1.0)
    with name_scope("mlp"), name_scope("layer0"):
        y = x * 2
    z = y + 1
    assert y.scope == "mlp/layer0" and z.scope is None
    with name_scope("mlp/layer0"):
        assert (x * 2).scope == "mlp/layer0"


@pytest.mark.parametrize("name", ["", "a//b", "/a", "a/"])
def test_name_scope_refuses_a_name_without_levels(name):
    with pytest.raises(ValueError, match=r"name_scope: the name must be a non-empty string"):
        name_scope(name)


@pytest.mark.parametrize(("name", "kind"), [(3, "int"), (None, "NoneType")])
def test_name_scope_refuses_a_name_that_is_not_a_string(name, kind):
    with pytest.raises(TypeError, match=rf"name_scope: the name must be a string, got {kind}"):
        name_scope(name)


# -- copies and pickles -------------------------------------------------------------------------

UPDATE_AND_PICKLE = """
import pickle, sys
from autograd import Value
w = Value([1.0, 2.0])
for _ in range(1000):  # as training does: each assignment is counted, by this process's counter
    w.data -= 0.001
sys.stdout.buffer.write(pickle.dumps(w))
"""


def test_a_leaf_pickled_in_another_process_is_differentiated_here():
    pickled = subprocess.run([sys.executable, "-c", UPDATE_AND_PICKLE], check=True,
                             capture_output=True).stdout
    w = pickle.loads(pickled)
    (w * w).sum().backward()  # its count of assignments came from elsewhere: not used here
    assert w.grad == pytest.approx(2 * w.data)


@pytest.mark.parametrize("copier", [pickle.dumps, copy.deepcopy, copy.copy])
def test_a_recorded_result_is_neither_pickled_nor_copied_but_a_leaf_is(copier):
    w = Value([1.0, 2.0], label="w")
    (w * w).sum().backward()
    with pytest.raises(GraphError, match=r"cannot pickle or copy the 'mul' result \(shape "
                                         r"\(2,\)\).*v\.detach\(\)"):
        copier(w * w)
    copied = copier(w)
    copied = pickle.loads(copied) if isinstance(copied, bytes) else copied
    assert copied.label == "w" and copied.data.tolist() == [1.0, 2.0]
    assert copied.grad.tolist() == [2.0, 4.0]


def test_a_graph_whose_recording_order_is_inconsistent_is_refused():
    x = Value(1.0)
    y = x * 2
    z = y * 3
    y._stamp = z._stamp + 1  # impossible in one process; the pass must not trust the order
    with pytest.raises(GraphError, match="'mul' result was recorded before one of its inputs"):
        z.backward()
    assert is_grad_enabled() and gc.isenabled()  # the refused pass changed nothing
    y = x * 2
    b = y * 4
    a = y * 3
    y._stamp = (a._stamp + b._stamp) // 2  # reached first through a (fine), then through b
    with pytest.raises(GraphError, match="'mul' result was recorded before one of its inputs"):
        (a + b).backward()


# -- errors ----------------------------------------------------------------------------------


def test_shape_errors_name_the_operation_and_both_shapes():
    with pytest.raises(OperationError, match=r"add: .*shape \(3,\), shape \(4,\).*broadcast"):
        Value(np.ones(3)) + Value(np.ones(4))
    with pytest.raises(OperationError, match=r"matmul: .*shape \(3, 4\), shape \(5, 2\)"):
        Value(np.ones((3, 4))) @ Value(np.ones((5, 2)))
    with pytest.raises(OperationError, match=r"reshape: .*shape=\(4,\).*same number"):
        Value(np.ones(3)).reshape(4)
    with pytest.raises(OperationError, match=r"sum: .*axis=2"):
        Value(np.ones((2, 2))).sum(axis=2)
    with pytest.raises(OperationError, match=r"getitem: .*index=5"):
        Value(np.ones(3))[5]
    with pytest.raises(OperationError, match=r"concatenate: "):
        concatenate([Value(np.ones((2, 2))), Value(np.ones(3))])


def test_an_error_inside_a_custom_forward_keeps_the_users_traceback():
    def broken_forward(x):
        return x[5]  # a bug: x has two elements

    op = Operation("broken", broken_forward, lambda g, out, x: g)
    with pytest.raises(OperationError, match="broken: cannot apply") as caught:
        op(Value(np.ones(2)))
    cause = caught.value.__cause__
    assert isinstance(cause, IndexError)
    frames = [frame.name for frame in traceback.extract_tb(cause.__traceback__)]
    assert "broken_forward" in frames


@pytest.mark.parametrize("returned, message", [
    (lambda x: [x], "returned list"), (lambda x: None, "returned NoneType"),
    (lambda x: 1j, "returned complex"), (lambda x: Value(1.0), "returned Value"),
    (lambda x: np.asarray(x).astype(complex), "returned an array of complex128"),
])
def test_a_custom_forward_returning_what_no_value_holds_is_named(returned, message):
    op = Operation("odd", returned, lambda g, out, x: g)
    with pytest.raises(OperationError, match=rf"odd: its forward function {message}"):
        op(Value(np.array([2.0])))


def test_a_custom_forward_returning_whole_numbers_gives_floats_and_float_gradients():
    rounded = Operation("rounded", lambda x: np.round(x).astype(int), lambda g, out, x: g * 0.5)
    x = Value(np.array([1.4, 2.6]))
    y = rounded(x)
    assert y.dtype == np.float64
    (y * np.array([0.3, 0.7])).sum().backward()
    np.testing.assert_allclose(x.grad, [0.15, 0.35])  # not rounded to integers
    assert Operation("count", lambda x: 3, lambda g, out, x: g)(Value(1.0)).data == 3.0


def test_mistakes_in_a_custom_operations_rules_are_named():
    two_inputs_one_rule = Operation("scale", lambda a, b: a * b, lambda g, out, a, b: g * b)
    with pytest.raises(GraphError, match=r"'scale' was given 2 inputs but has 1 gradient rule"):
        two_inputs_one_rule(Value(2.0), Value(3.0)).backward()
    micrograd_style = Operation("double", lambda x: 2 * x, lambda g, x: 2 * g)
    with pytest.raises(TypeError, match=r"rule 0 of 'double' failed: .*rule\(g, out, \*inputs"):
        micrograd_style(Value(1.0)).backward()
    returns_none = Operation("forgot", lambda x: 2 * x, lambda g, out, x: None)
    with pytest.raises(GraphError, match=r"rule 0 of 'forgot' returned NoneType"):
        returns_none(Value(np.ones(2))).sum().backward()
    with pytest.raises(TypeError, match=r"gradient rule 0 must be a function"):
        Operation("bad", lambda x: x, "not a rule")


@pytest.mark.parametrize("wrong", [
    lambda g: g.T,  # (3, 2) for (2, 3): of the right size, so reshaping it would "work"
    lambda g: g.ravel(),  # (6,)
    lambda g: np.ones((4, 3, 2)),  # an axis added in front of a wrong shape
    lambda g: g[:, :1],  # (2, 1): smaller than the input
    lambda g: 0.0,  # a number for an array
], ids=["transposed", "flattened", "lead axis", "smaller", "number"])
def test_a_rule_returning_a_shape_that_is_not_its_input_broadcast_is_named(wrong):
    op = Operation("slip", lambda x: x * 2.0, lambda g, out, x: wrong(g * 2.0))
    x = Value(np.arange(6.0).reshape(2, 3))
    with pytest.raises(GraphError, match=r"rule 0 of 'slip' returned shape .* for an input of "
                                         r"shape \(2, 3\)"):
        (op(x) * np.arange(6.0).reshape(2, 3)).sum().backward()


def test_a_rule_returning_the_input_broadcast_is_summed_back():
    op = Operation("spread", lambda x: x * np.ones((4, 2, 3)), lambda g, out, x: g)
    x = Value(np.ones((2, 1)))
    op(x).sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((2, 1), 12.0))


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_anomaly_detection_names_the_operation_that_made_nan():
    x = Value(-1.0)
    with detect_anomaly(), pytest.raises(FloatingPointError, match="log produced NaN"):
        x.log()
    with detect_anomaly(), pytest.raises(FloatingPointError, match="sqrt produced NaN"):
        Value(np.array([4.0, -4.0])).sqrt()
    assert math.isnan(x.log().data)  # off by default


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning",
                            "ignore:invalid value:RuntimeWarning")
def test_anomaly_detection_in_the_backward_pass():
    x = Value(0.0)
    y = x.sqrt() * 0.0  # forward is fine (0); d sqrt/dx at 0 is inf, times 0 is NaN
    with detect_anomaly(), pytest.raises(FloatingPointError, match="backward"):
        y.backward()


def test_scalar_path_follows_numpy_at_the_edges_of_domains():
    with np.errstate(all="ignore"):
        assert Value(0.0).log().data == -math.inf
        assert math.isnan(Value(-1.0).sqrt().data)
        assert Value(1.0).__truediv__(0.0).data == math.inf
        assert Value(1000.0).exp().data == math.inf
        assert math.isnan((Value(-8.0) ** 0.5).data)
    assert Value(-1000.0).sigmoid().data == pytest.approx(0.0)
    assert Value(1000.0).sigmoid().data == 1.0


# -- higher-order gradients --------------------------------------------------------------------


def test_second_derivative_of_cube():
    x = Value(1.5)
    (dy,) = grad(x**3, [x], create_graph=True)
    assert dy.item() == pytest.approx(3 * 1.5**2)
    (d2y,) = grad(dy, [x])
    assert d2y == pytest.approx(6 * 1.5)
    assert x._grad is None  # grad() leaves .grad alone


def test_second_derivative_of_tanh_against_finite_differences():
    def first(v: float) -> float:
        x = Value(v)
        return grad(x.tanh(), x)

    x = Value(0.7)
    (dy,) = grad(x.tanh(), [x], create_graph=True)
    (d2y,) = grad(dy, [x])
    h = 1e-5
    numeric = (first(0.7 + h) - first(0.7 - h)) / (2 * h)
    assert d2y == pytest.approx(numeric, rel=1e-7)
    t = math.tanh(0.7)
    assert d2y == pytest.approx(-2 * t * (1 - t * t))


def test_hessian_vector_product_against_finite_differences():
    rng = np.random.default_rng(1)
    A = rng.standard_normal((3, 3))
    v = rng.standard_normal(3)

    def f(x):
        return ((A @ x).tanh() ** 2).sum() + (x * x * x).sum()

    def gradient(point):
        x = Value(point)
        return grad(f(x), x)

    point = rng.standard_normal(3)
    x = Value(point)
    g = grad(f(x), x, create_graph=True)
    hvp = grad((g * v).sum(), x)
    h = 1e-6
    numeric = (gradient(point + h * v) - gradient(point - h * v)) / (2 * h)
    np.testing.assert_allclose(hvp, numeric, rtol=1e-6, atol=1e-8)


def test_backward_with_create_graph_makes_grad_a_value():
    x = Value(2.0)
    (x**3).backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.item() == 12.0
    x_grad = x.grad
    x.zero_grad()
    x_grad.backward()
    assert x.grad == 12.0  # d(3x^2)/dx


def test_grad_leaves_what_its_inputs_were_computed_from_alone():
    x = Value(np.array([0.5, -1.0]))
    hidden = x * 3.0
    out = (hidden.tanh() * hidden).sum()
    x.data = np.zeros(2)  # what hidden was computed from has changed; hidden has not
    (dh,) = grad(out, [hidden])
    t = np.tanh([1.5, -3.0])
    np.testing.assert_allclose(dh, t + np.array([1.5, -3.0]) * (1 - t * t), rtol=1e-12)
    assert not hidden.released and hidden.inputs[0] is x  # neither walked nor released
    assert out.released
    assert x._grad is None
    y = Value(2.0)
    z = y * y
    w = z * y  # y is wanted, and z, made from y, is on the way to it
    dz, dy = grad(w, [z, y])
    assert dz == 2.0 and dy == 12.0


def test_grad_of_an_unused_input_is_zero():
    x, unused = Value(1.0), Value(np.ones(2))
    dx, du = grad(x * 2, [x, unused])
    assert dx == 2.0
    np.testing.assert_array_equal(du, np.zeros(2))


class Recorder:
    """Records what a replayed pass reports."""

    def __init__(self) -> None:
        self.steps: list[tuple] = []

    def gathered(self, node, gradient):
        self.steps.append(("gathered", node, np.array(gradient)))

    def sent(self, node, i, parent, part, total):
        self.steps.append(("sent", node, i, parent, np.array(part), np.array(total)))


def test_replay_reports_the_engines_own_numbers_and_changes_nothing():
    w = Value(np.array([1.0, -2.0]), label="w")
    x = Value(np.array([3.0, 4.0]), label="x")
    h = w * x
    y = (h + w).sum()
    recorder = Recorder()
    replay(y, recorder)
    assert w._grad is None and x._grad is None and not y.released  # nothing stored or released
    sent_to_w = [step for step in recorder.steps if step[0] == "sent" and step[3] is w]
    assert len(sent_to_w) == 2  # w is used twice: its total adds up, part by part
    np.testing.assert_array_equal(sent_to_w[-1][5], sent_to_w[0][4] + sent_to_w[1][4])
    y.backward()
    np.testing.assert_array_equal(w.grad, sent_to_w[-1][5])  # what backward gives
    gathered = [id(step[1]) for step in recorder.steps if step[0] == "gathered"]
    assert gathered[0] == id(y) and gathered.index(id(h)) < gathered.index(id(w))  # backwards


def test_replay_of_a_released_graph():
    a = Value(2.0)
    y = (a * a).tanh()
    y.backward()
    recorder = Recorder()
    replay(y, recorder)  # a scalar graph keeps its structure: it can be replayed
    assert a.grad == pytest.approx(4 * (1 - math.tanh(4.0) ** 2))
    assert [s[0] for s in recorder.steps] == ["gathered", "sent", "gathered", "sent", "sent",
                                              "gathered"]
    t = Value(np.ones(2))
    z = (t * t).sum()
    z.backward()
    with pytest.raises(GraphError, match=r"replay: backward\(\) released the graph behind "
                                         r"the 'sum' result.*retain_graph=True"):
        replay(z, Recorder())
