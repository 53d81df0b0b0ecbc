"""What a learner reaches for on a Value: numpy's own functions, the methods composed from other
operations (std, squeeze, expand_dims, flatten), the plain answers (argmax, tolist, int,
round, repr), and `help` on an operation."""

import inspect
import math
import pydoc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
import nn
from autograd import OperationError, Value, gradcheck, gradgradcheck, no_grad, ops
from autograd.testing import Domain, arrays

# -- numpy's functions on Values ---------------------------------------------------------------

UFUNCS = [  # numpy's ufunc, the same through autograd, a domain for the input(s)
    (np.exp, lambda x: x.exp(), Domain(-5.0, 5.0)),
    (np.log, lambda x: x.log(), Domain(0.0, 10.0)),
    (np.sqrt, lambda x: x.sqrt(), Domain(0.0, 10.0)),
    (np.tanh, lambda x: x.tanh(), Domain(-5.0, 5.0)),
    (np.abs, lambda x: abs(x), Domain(-5.0, 5.0, kinks=(0.0,), margin=0.1)),
    (np.square, lambda x: x.square(), Domain(-5.0, 5.0)),
    (np.log1p, lambda x: x.log1p(), Domain(-1.0, 5.0, margin=0.1)),
    (np.expm1, lambda x: x.expm1(), Domain(-5.0, 5.0)),
    (np.negative, lambda x: -x, Domain(-5.0, 5.0)),
]


@pytest.mark.parametrize("ufunc, ours, domain", UFUNCS, ids=[u[0].__name__ for u in UFUNCS])
@given(data=st.data())
def test_numpy_ufuncs_on_a_value_are_its_operations_with_their_gradients(ufunc, ours, domain,
                                                                          data):
    x = data.draw(arrays(elements=domain) | domain.floats(), label="x")
    result = ufunc(Value(x))
    assert isinstance(result, Value)
    np.testing.assert_allclose(result.data, ufunc(x), rtol=1e-12)
    assert gradcheck(lambda v: ufunc(v), [Value(x)])
    assert gradgradcheck(lambda v: ufunc(v), [Value(x)])
    np.testing.assert_allclose(ours(Value(x)).data, result.data, rtol=0)


@pytest.mark.parametrize("ufunc", [np.add, np.subtract, np.multiply, np.divide, np.power,
                                   np.maximum, np.minimum])
def test_binary_ufuncs_mix_values_arrays_and_numbers(ufunc):
    a, b = Value([[1.5, 2.0]]), np.array([[0.5], [3.25]])  # they broadcast to (2, 2)
    out = ufunc(a, b)
    np.testing.assert_allclose(out.data, ufunc(a.data, b))
    assert gradcheck(lambda v: ufunc(v, b), [a])
    assert gradcheck(lambda v: ufunc(b, v), [Value([[1.5, 2.25]])])
    assert isinstance(ufunc(np.float64(2.0), Value(3.0)).data, float)  # the scalar path stays


def test_numpy_functions_on_values_are_operations():
    x = Value([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
    cases = {
        "sum": (lambda v: np.sum(v, axis=1, keepdims=True), lambda d: d.sum(1, keepdims=True)),
        "mean": (lambda v: np.mean(v, axis=0), lambda d: d.mean(0)),
        "max": (lambda v: np.max(v, axis=1), lambda d: d.max(1)),
        "min": (lambda v: np.min(v), lambda d: d.min()),
        "var": (lambda v: np.var(v, axis=1, ddof=1), lambda d: d.var(1, ddof=1)),
        "std": (lambda v: np.std(v), lambda d: d.std()),
        "dot": (lambda v: np.dot(v, np.ones(3)), lambda d: d @ np.ones(3)),
        "matmul": (lambda v: np.matmul(v, np.ones((3, 2))), lambda d: d @ np.ones((3, 2))),
        "where": (lambda v: np.where(v.data > 0, v, 0.5 * v),
                  lambda d: np.where(d > 0, d, 0.5 * d)),
        "clip": (lambda v: np.clip(v, -1.0, 4.5), lambda d: np.clip(d, -1.0, 4.5)),
        "concatenate": (lambda v: np.concatenate([v, np.zeros((1, 3))]),
                        lambda d: np.concatenate([d, np.zeros((1, 3))])),
        "stack": (lambda v: np.stack([v, v], axis=1), lambda d: np.stack([d, d], axis=1)),
        "reshape": (lambda v: np.reshape(v, (3, 2)), lambda d: d.reshape(3, 2)),
        "transpose": (lambda v: np.transpose(v), lambda d: d.T),
        "squeeze": (lambda v: np.squeeze(v[None]), lambda d: d),
        "expand_dims": (lambda v: np.expand_dims(v, 1), lambda d: d[:, None]),
        "ravel": (lambda v: np.ravel(v), lambda d: d.ravel()),
    }
    for name, (ours, reference) in cases.items():
        result = ours(x)
        assert isinstance(result, Value), name
        np.testing.assert_allclose(result.data, reference(x.data), rtol=1e-12, err_msg=name)
        assert gradcheck(ours, [Value(x.data)]), name


def test_functions_that_only_look_at_the_numbers_answer_from_the_data():
    x = Value([[1.0, 5.0], [3.0, 2.0]])
    assert np.shape(x) == (2, 2) and np.ndim(x) == 2 and np.size(x) == 4
    assert np.argmax(x) == 1 and list(np.argmin(x, axis=1)) == [0, 1]
    assert np.allclose(x, x.data) and np.isclose(x, 5.0).sum() == 1
    assert np.array_equal(np.greater(x, 2.0), x.data > 2.0)
    assert not np.isnan(x).any()


def test_numpys_own_helpers_and_the_like_functions_answer_from_the_data():
    x = Value([[1.0, 5.0], [3.0, 2.0]])
    np.testing.assert_almost_equal(Value(1.0), 1.0)  # asks np.iscomplexobj: was refused
    np.testing.assert_array_almost_equal(x, x.data)
    assert not np.iscomplexobj(x) and np.isrealobj(x) and np.result_type(x) == np.float64
    for like in (np.zeros_like(x), np.ones_like(x), np.full_like(x, 7.0)):
        assert type(like) is np.ndarray and like.shape == (2, 2)
    assert np.zeros_like(Value(np.ones(3, np.float32))).dtype == np.float32


def test_other_numpy_functions_are_refused_naming_them_and_what_to_use():
    x = Value([1.0, 2.0])
    for call, name in [(lambda: np.sin(x), "np.sin"), (lambda: np.cumsum(x), "np.cumsum"),
                       (lambda: np.add.reduce(x), "np.add.reduce"),
                       (lambda: np.sort(x), "np.sort"),
                       (lambda: np.linalg.norm(x), "np.linalg.norm")]:  # was "np.norm"
        with pytest.raises(TypeError, match=rf"{name} is not an operation of autograd.*x\.data"):
            call()


def test_out_arguments_are_refused():
    x = Value([1.0, 2.0])
    with pytest.raises(TypeError, match=r"np.exp: out= cannot write"):
        np.exp(x, out=np.zeros(2))
    total = np.zeros(2)
    with pytest.raises(TypeError, match=r"total = total \+ x rather than total \+= x"):
        total += x
    with pytest.raises(TypeError, match=r"np.sum: out= cannot write"):
        np.sum(x, out=np.zeros(()))
    with pytest.raises(TypeError, match=r"np.sum on a Value: .*dtype"):
        np.sum(x, dtype=np.float32)


def test_numpy_functions_take_their_arguments_in_numpys_order():
    data = np.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
    x = Value(data)
    # (a, axis, dtype, out, keepdims) for sum and mean; (a, axis, dtype, out, ddof, keepdims)
    # for var and std: the adapters once took the fourth argument as keepdims, the fifth as
    # ddof=None, and np.sum(x, 0, np.float32) ignored the dtype
    for function in (np.sum, np.mean):
        np.testing.assert_array_equal(function(x, 0, None, None, True).data,
                                      function(data, 0, None, None, True))
    for function in (np.var, np.std):
        np.testing.assert_array_equal(function(x, 0, None, None, 1).data,
                                      function(data, 0, None, None, 1))
        np.testing.assert_array_equal(function(x, 0, correction=1).data,
                                      function(data, 0, ddof=1))
    np.testing.assert_array_equal(np.max(x, 1, None, True).data, np.max(data, 1, None, True))
    for call in [lambda: np.sum(x, 0, np.float32), lambda: np.mean(x, None, np.float32)]:
        with pytest.raises(TypeError, match=r"on a Value: dtype=float32 is not supported"):
            call()
    for call in [lambda: np.sum(x, 0, None, np.zeros(3)), lambda: np.max(x, 0, np.zeros(3)),
                 lambda: np.dot(x, np.ones(3), np.zeros(2)),
                 lambda: np.clip(x, 0.0, 1.0, np.zeros((2, 3))),
                 lambda: np.concatenate([x, x], 0, np.zeros((4, 3)))]:
        with pytest.raises(TypeError, match=r"on a Value: out= cannot write"):
            call()
    with pytest.raises(TypeError, match=r"np.max on a Value: the options \['initial'\] are not "
                                        r"supported on Values"):
        np.max(x, initial=10.0)


def test_concatenate_with_axis_none_flattens_and_backpropagates():
    a, b = Value([[1.0, 2.0], [3.0, 4.0]]), Value([5.0])
    out = np.concatenate([a, b, np.zeros((1, 2))], axis=None)  # numpy flattens each first
    np.testing.assert_array_equal(out.data, [1.0, 2.0, 3.0, 4.0, 5.0, 0.0, 0.0])
    out.backward(np.arange(7.0))  # was a TypeError inside the gradient rule
    np.testing.assert_array_equal(a.grad, [[0.0, 1.0], [2.0, 3.0]])
    assert b.grad.tolist() == [4.0]
    assert gradcheck(lambda u, v: autograd.concatenate([u, v], axis=None), [a, b])


def test_asarray_gives_the_data_as_a_constant():
    x = Value([1.0, 2.0])
    y = np.asarray(x) * 3  # a plain array: nothing is recorded
    assert type(y) is np.ndarray and x._grad is None


# -- methods composed of other operations ----------------------------------------------------

COMPOSED = {
    "std": (lambda v: v.std(axis=-1, ddof=1), lambda d: np.std(d, axis=-1, ddof=1)),
    "squeeze": (lambda v: v[:, None].squeeze(axis=1), lambda d: d),
    "expand_dims": (lambda v: v.expand_dims(-1), lambda d: d[..., None]),
    "flatten": (lambda v: v.flatten(), lambda d: d.ravel()),
    "Flatten": (lambda v: nn.Flatten()(v), lambda d: d.reshape(len(d), -1)),
}


@pytest.mark.parametrize("name", COMPOSED)
@given(x=arrays(elements=Domain(-5.0, 5.0), min_dims=2, min_side=2))
def test_composed_methods_match_numpy_and_finite_differences(name, x):
    ours, reference = COMPOSED[name]
    if name == "std":  # away from a zero variance, where the square root has no derivative:
        x = x + 11.0 * np.arange(x.shape[-1])  # each row rises by more than the domain's width
    np.testing.assert_allclose(ours(Value(x)).data, reference(x), rtol=1e-12, atol=1e-12)
    assert gradcheck(ours, [Value(x)])
    assert gradgradcheck(ours, [Value(x)])


@pytest.mark.parametrize("change", [
    lambda v: v.squeeze(), lambda v: v.reshape(()), lambda v: v.T, lambda v: v.transpose(),
    lambda v: np.squeeze(v), lambda v: np.reshape(v, ()), lambda v: np.transpose(v),
], ids=["squeeze", "reshape", "T", "transpose", "np.squeeze", "np.reshape", "np.transpose"])
def test_shape_methods_keep_a_scalar_on_the_scalar_path(change):
    x = Value(2.0)
    out = change(x)
    assert type(out.data) is float and out.data == 2.0  # was a 0-d array
    (out * out).backward()
    assert type(x.grad) is float and x.grad == 4.0
    assert gradgradcheck(lambda v: change(v) ** 3, [Value(1.5)])


def test_shape_methods_refuse_impossible_axes_naming_the_method():
    with pytest.raises(OperationError, match=r"squeeze: cannot apply to shape \(2, 3\)"):
        Value(np.zeros((2, 3))).squeeze(axis=0)
    with pytest.raises(OperationError, match=r"expand_dims: cannot apply to shape \(2,\)"):
        Value([1.0, 2.0]).expand_dims(5)
    with pytest.raises(ValueError, match=r"Flatten: cannot merge axes 1 to -1 of an input of "
                                         r"shape \(3,\)"):
        nn.Flatten()(np.zeros(3))
    with pytest.raises(ValueError, match="clip: give low, high or both"):
        Value(1.0).clip()


def test_the_new_activation_modules_are_their_operations():
    x = np.linspace(-3, 3, 7)
    for module, op in [(nn.LeakyReLU(0.2), lambda v: v.leaky_relu(0.2)),
                       (nn.Softplus(), lambda v: v.softplus()), (nn.ELU(0.5), lambda v: v.elu(0.5)),
                       (nn.GELU(), lambda v: v.gelu())]:
        np.testing.assert_array_equal(module(Value(x)).data, op(Value(x)).data)
    with pytest.raises(ValueError, match="only approximate='tanh'"):
        nn.GELU("none")


@pytest.mark.parametrize("make, error, message", [
    (lambda: nn.LeakyReLU("0.1"), TypeError, "LeakyReLU: negative_slope must be a number, got str"),
    (lambda: nn.LeakyReLU(math.nan), ValueError,
     "LeakyReLU: negative_slope must be a finite number, got nan"),
    (lambda: nn.ELU(None), TypeError, "ELU: alpha must be a number, got NoneType"),
    (lambda: nn.Flatten(1.5), ValueError, "Flatten: start_dim must be a whole number"),
    (lambda: nn.Flatten(0, True), ValueError, "Flatten: end_dim must be a whole number"),
])
def test_the_new_activation_modules_check_their_settings_when_made(make, error, message):
    # they were taken as given: an error from numpy at the first call, or NaN outputs
    with pytest.raises(error, match=message):
        make()
    assert nn.ELU(np.float64(0.5)).alpha == 0.5 and type(nn.ELU(np.float64(0.5)).alpha) is float


def test_a_value_given_as_a_setting_is_named_as_such():
    # "its forward function returned Value" alone named no setting
    for call in [lambda: Value([-1.0, 2.0]).leaky_relu(Value(0.1)),
                 lambda: autograd.elu(Value([-1.0, 2.0]), alpha=Value(2.0))]:
        with pytest.raises(OperationError, match=r"returned Value for shape \(2,\); .*\(a "
                                                 r"setting given as a Value, such as "
                                                 r"negative_slope=Value\(0.1\), leads here: "
                                                 r"settings are constants"):
            call()


# -- plain answers ------------------------------------------------------------------------------


def test_plain_answers_are_numpys_and_pythons():
    x = Value([[1.0, 7.0], [3.0, 2.0]])
    assert x.argmax() == 1 and list(x.argmax(axis=0)) == [1, 0] and x.argmin() == 0
    assert x.argmax(axis=1, keepdims=True).tolist() == [[1], [0]]  # numpy's keepdims too
    assert x.argmin(axis=0, keepdims=True).tolist() == [[0, 1]]
    assert x.tolist() == [[1.0, 7.0], [3.0, 2.0]] and Value(2.5).tolist() == 2.5
    assert int(Value(2.7)) == 2 and int(Value(np.array(-3.9))) == -3
    assert round(Value(2.756), 2) == 2.76 and round(Value(2.5)) == 2
    assert repr(Value(27.0)) == "Value(data=27.0)"
    assert repr(Value(1e20)) == "Value(data=1e+20)" and repr(Value(math.inf)) == "Value(data=inf)"
    s = Value(3.0)
    (s * s).backward()
    assert repr(s) == "Value(data=3.0, grad=6.0)"


def test_a_scalar_is_not_iterable_and_a_vector_iterates_over_its_elements():
    assert not np.iterable(Value(2.0)) and not np.iterable(Value(np.array(2.0)))
    with pytest.raises(TypeError, match=r"iteration over a 0-d Value \(a scalar\)"):
        iter(Value(2.0))  # refused at once, as for a 0-d array, not at the first next()
    x = Value([1.0, 2.0])
    assert np.iterable(x) and [item.data for item in x] == [1.0, 2.0]
    sum(x).backward()
    assert x.grad.tolist() == [1.0, 1.0]


def test_no_grad_works_as_a_decorator_without_parentheses():
    @no_grad
    def predict(x: Value) -> Value:
        return x * 2

    assert not predict(Value(1.0)).requires_grad
    assert predict.__name__ == "predict"
    with pytest.raises(TypeError, match="no_grad: takes no arguments"):
        no_grad(3)


def test_help_on_an_operation_shows_its_own_call_form_and_doc():
    text = pydoc.render_doc(autograd.maximum, renderer=pydoc.plaintext)
    assert "maximum(a, b)" in text and "split equally" in text
    assert str(inspect.signature(ops.leaky_relu)) == "(x, negative_slope=0.01)"
    assert str(inspect.signature(autograd.matmul)) == "(a, b)"


def test_the_version_is_the_distributions():
    from importlib.metadata import version

    assert autograd.__version__ == version("learngrad")
