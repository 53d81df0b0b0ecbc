"""autograd.testing: its strategies keep their promises, and its gradient property works.

The promises are checked here with arithmetic of their own, not with the strategies' code:
values inside the domain and at least the margin away from its ends and kinks, representable in
the dtype asked for; shapes that broadcast; Values that hold such arrays.
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Operation, Value
from autograd.gradcheck import GradcheckError
from autograd.testing import (
    NEGATIVE,
    NONZERO,
    POSITIVE,
    REAL,
    UNIT_INTERVAL,
    Domain,
    arrays,
    broadcastable_arrays,
    broadcastable_shapes,
    gradient_property,
    values,
)

READY_MADE = [REAL, POSITIVE, NEGATIVE, NONZERO, UNIT_INTERVAL]
FLOAT_DTYPES = st.sampled_from([np.float32, np.float64])


@st.composite
def domains(draw: st.DrawFn) -> Domain:
    """Random domains, kinks inside and outside included, with a margin that leaves room."""
    low = draw(st.floats(-100, 100))
    high = low + draw(st.floats(0.5, 100))
    kinks = draw(st.lists(st.floats(low - 1, high + 1), max_size=3))
    barriers = sorted({low, high, *(k for k in kinks if low < k < high)})
    widest = max(b - a for a, b in zip(barriers, barriers[1:], strict=False))
    margin = draw(st.sampled_from([0.0, 1e-3, 0.4])) * widest
    return Domain(low, high, tuple(kinks), margin)


def assert_in_domain(x: np.ndarray, domain: Domain) -> None:
    x = np.asarray(x, dtype=np.float64)
    assert np.all((domain.low < x) & (x < domain.high))
    assert np.all(x - domain.low >= domain.margin) and np.all(domain.high - x >= domain.margin)
    for kink in domain.kinks:
        assert np.all(np.abs(x - kink) >= domain.margin) and not np.any(x == kink)


@given(domain=domains(), dtype=FLOAT_DTYPES, data=st.data())
def test_floats_lie_in_the_domain_and_in_the_dtype(domain: Domain, dtype, data):
    x = data.draw(domain.floats(dtype))
    assert type(x) is float
    assert_in_domain(x, domain)
    assert float(dtype(x)) == x
    assert domain.contains(x)


@pytest.mark.parametrize("domain", READY_MADE, ids=repr)
@given(data=st.data())
def test_ready_made_domains_keep_their_promises(domain: Domain, data):
    x = data.draw(arrays(elements=domain, dtype=st.sampled_from(["float16", "float32",
                                                                  "float64"])))
    assert_in_domain(x, domain)


def test_ready_made_domains_mean_what_they_say():
    assert POSITIVE.low == 0 and NEGATIVE.high == 0 and NONZERO.kinks == (0.0,)
    assert (UNIT_INTERVAL.low, UNIT_INTERVAL.high) == (0.0, 1.0)
    assert all(domain.margin > 0 for domain in [POSITIVE, NEGATIVE, NONZERO, UNIT_INTERVAL])


@given(x=Domain(-1.0, 1.0, kinks=(0.0,), margin=0.0).floats())
def test_without_a_margin_the_ends_and_kinks_themselves_stay_out(x: float):
    assert -1.0 < x < 1.0 and x != 0.0


def test_intervals_are_what_is_left_of_the_interval():
    assert Domain(-4.0, 4.0, kinks=(0.0,), margin=0.5).intervals() == [(-3.5, -0.5), (0.5, 3.5)]
    assert Domain(0.0, 2.0, kinks=(5.0, 2.0), margin=0.5).intervals() == [(0.5, 1.5)]
    assert Domain(-1.0, 1.0, kinks=[0.1, -0.1], margin=0.2).kinks == (0.1, -0.1)


def test_contains_rejects_what_is_outside():
    assert NONZERO.contains([1.0, -2.0]) and not NONZERO.contains([1.0, 0.001])
    assert not POSITIVE.contains(-1.0) and not POSITIVE.contains(10.0)


@pytest.mark.parametrize(("arguments", "match"), [
    ((1.0, 1.0), "low must be less than high"),
    ((0.0, 1.0, (), -0.1), "margin must be >= 0"),
    ((0.0, float("inf")), "finite numbers"),
    ((0.0, 1.0, (float("nan"),)), "finite numbers"),
    ((0.0, 1.0, (0.5,), 0.5), "nothing is left"),
])
def test_bad_domains_are_refused_with_a_reason(arguments, match):
    with pytest.raises(ValueError, match=match):
        Domain(*arguments)


@given(data=st.data(), shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=3),
       dtype=FLOAT_DTYPES)
def test_arrays_have_the_shape_and_dtype_asked_for(data, shape, dtype):
    x = data.draw(arrays(shape, dtype, NONZERO))
    assert x.shape == shape and x.dtype == dtype
    assert_in_domain(x, NONZERO)


@given(x=arrays(min_dims=1, max_dims=2, min_side=2, max_side=3))
def test_random_shapes_keep_to_their_bounds(x: np.ndarray):
    assert 1 <= x.ndim <= 2 and all(2 <= n <= 3 for n in x.shape)


def test_arrays_refuse_a_dtype_that_is_not_floating():
    with pytest.raises(ValueError, match="dtype must be a floating type"):
        arrays((2,), np.int64)


@given(shapes=broadcastable_shapes(3, min_dims=1, max_dims=3, max_side=4))
def test_broadcastable_shapes_broadcast(shapes):
    assert len(shapes) == 3
    result = np.broadcast_shapes(*shapes)
    assert all(1 <= len(shape) <= 3 for shape in shapes) and len(result) <= 3
    assert all(1 <= n <= 4 for shape in shapes for n in shape)


@given(pair=broadcastable_arrays(elements=[POSITIVE, NEGATIVE]))
def test_broadcastable_arrays_broadcast_each_in_its_domain(pair):
    x, y = pair
    assert (x + y).shape == np.broadcast_shapes(x.shape, y.shape)
    assert_in_domain(x, POSITIVE)
    assert_in_domain(y, NEGATIVE)


def test_broadcastable_arrays_want_a_domain_for_each_array():
    with pytest.raises(ValueError, match="3 domains given for 2 arrays"):
        broadcastable_arrays(2, elements=[REAL, REAL, REAL])


@given(value=values((2, 3), elements=UNIT_INTERVAL), constant=values(requires_grad=False))
def test_values_hold_arrays_of_the_domain(value: Value, constant: Value):
    assert isinstance(value, Value) and value.requires_grad and value.shape == (2, 3)
    assert_in_domain(value.data, UNIT_INTERVAL)
    assert not constant.requires_grad and isinstance(constant.data, np.ndarray)


# ---------------------------------------------------------------------------------------------
# gradient_property: one line, and a complete test.

test_log_gradient = gradient_property(lambda x: x.log(), values(elements=POSITIVE))
test_division_gradient_on_the_scalar_path = gradient_property(
    lambda x, y: x / y, REAL.floats(), NONZERO.floats(), second_order=True)
test_broadcast_product_gradient = gradient_property(
    lambda x, y: (x * y).tanh(), broadcastable_arrays())


def test_gradient_property_fails_for_a_wrong_gradient():
    wrong_exp = Operation("exp", np.exp, lambda g, out, x: g * x)  # x where exp(x) belongs
    test = gradient_property(wrong_exp, arrays(elements=Domain(1.0, 3.0)))
    with pytest.raises(GradcheckError, match="gradient mismatch for input 0"):
        test()


def test_gradient_property_checks_second_derivatives_when_asked():
    # a right first derivative, computed from plain data: to a second pass it is a constant
    cube = Operation("cube", lambda x: x**3,
                     lambda g, out, x: g * 3 * (x.data if isinstance(x, Value) else x) ** 2)
    gradient_property(cube, arrays(elements=NONZERO))()
    with pytest.raises(GradcheckError, match="second-derivative mismatch"):
        gradient_property(cube, arrays(elements=NONZERO), second_order=True)()


def test_gradient_property_needs_strategies():
    with pytest.raises(ValueError, match="one strategy per argument"):
        gradient_property(lambda x: x)


def test_import_autograd_works_without_hypothesis():
    program = (
        "import sys\n"
        "sys.modules['hypothesis'] = None  # as if it were not installed\n"
        "import autograd\n"
        "assert autograd.gradcheck(autograd.exp, [autograd.Value([1.0])])\n"
        "try:\n"
        "    import autograd.testing\n"
        "except ImportError as error:\n"
        "    print(error)\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True, cwd=Path(__file__).parent.parent)
    assert 'autograd.testing needs Hypothesis' in result.stdout
    assert 'pip install "learngrad[testing]"' in result.stdout
