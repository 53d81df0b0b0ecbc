"""Every operation of autograd.ops, checked against numpy and against finite differences.

One registry, `CASES`, says for each operation how to draw its inputs: shapes (0-d included,
broadcasting pairs), constants such as axes and indices, and values from the operation's
domain in `DOMAINS`, a margin away from its kinks by construction (never by filtering). Each
case is then checked four ways: the forward result matches numpy; `gradcheck` (a random upstream
gradient or the whole Jacobian, in float64) passes; the same on the scalar path (Python floats)
where the operation has one; and `gradgradcheck` passes (second derivatives).

These are correct gradients that must pass without a false alarm: in the ci profile, 150
examples for each of the 74 property tests here, over eleven thousand checks per run.
"""

import builtins
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Operation, Value, grad, gradcheck, gradgradcheck, ops
from autograd.testing import NONZERO, REAL, Domain, arrays, broadcastable_arrays

# ---------------------------------------------------------------------------------------------
# Domains: where each operation's inputs are drawn from, one per differentiable input.

EXPONENT = Domain(-3.0, 3.0)
POSITIVE_BASE = Domain(0.0, 10.0, margin=1e-2)

DOMAINS: dict[str, tuple[Domain, ...]] = {
    "add": (REAL, REAL),
    "sub": (REAL, REAL),
    "mul": (REAL, REAL),
    "div": (REAL, NONZERO),
    "neg": (REAL,),
    "power": (POSITIVE_BASE, EXPONENT),
    "power (number exponent)": (POSITIVE_BASE,),
    "power (integer exponent)": (NONZERO,),  # a negative base is fine with an integer exponent
    "exp": (Domain(-20.0, 20.0),),
    "log": (Domain(0.0, 1e3),),  # the default margin keeps x >= 1e-3
    "sqrt": (Domain(0.0, 1e3),),
    "abs": (Domain(-10.0, 10.0, kinks=(0.0,)),),
    "tanh": (REAL,),
    "sigmoid": (REAL,),
    "relu": (Domain(-10.0, 10.0, kinks=(0.0,)),),
    "sum": (REAL,),
    "mean": (REAL,),
    "max": (REAL,),  # and no ties: see distinct_arrays
    "reshape": (REAL,),
    "transpose": (REAL,),
    "broadcast_to": (REAL,),
    "getitem": (REAL,),
    "scatter": (REAL,),
    "concatenate": (REAL,),
    "stack": (REAL,),
    "matmul": (REAL, REAL),
    "linear": (REAL, REAL, REAL),
    "softmax": (REAL,),
    "log_softmax": (REAL,),
    "maximum": (REAL, REAL),  # and no ties: see apart
    "minimum": (REAL, REAL),
    "where": (REAL, REAL),
    "clip": (Domain(-10.0, 10.0, kinks=(-1.0, 2.0), margin=1e-2),),  # kinks at the bounds
    "min": (REAL,),  # no ties, as max
    "var": (REAL,),
    "square": (REAL,),
    "log1p": (Domain(-1.0, 1e3),),  # the default margin keeps 1 + x >= 1e-3
    "expm1": (Domain(-20.0, 20.0),),
    "leaky_relu": (Domain(-10.0, 10.0, kinks=(0.0,)),),
    "softplus": (Domain(-30.0, 30.0),),
    "elu": (Domain(-10.0, 10.0, kinks=(0.0,)),),
    "gelu": (REAL,),
}

SHAPES = {"max_dims": 3, "max_side": 4}  # at most 64 elements: quick, and every kind of shape


# ---------------------------------------------------------------------------------------------
# Strategies for inputs with constants: each draws (arrays to differentiate, keyword constants).

Drawn = tuple[tuple[np.ndarray, ...], dict[str, Any]]


def one_array(domain: Domain, min_dims: int = 0) -> st.SearchStrategy[np.ndarray]:
    return arrays(elements=domain, min_dims=min_dims, **SHAPES)


def axis_of(ndim: int) -> st.SearchStrategy[int]:
    return st.integers(-ndim, ndim - 1)


def axes_of(ndim: int) -> st.SearchStrategy[Any]:
    """None, one axis, or a tuple of distinct axes (maybe empty), negative ones included."""
    several = st.lists(st.integers(-ndim, ndim - 1), unique_by=lambda a: a % ndim,
                       max_size=ndim).map(tuple) if ndim else st.just(())
    return st.none() | several | (axis_of(ndim) if ndim else st.nothing())


@st.composite
def distinct_arrays(draw: st.DrawFn, domain: Domain) -> np.ndarray:
    """Arrays whose elements differ pairwise by at least 0.05, so max has no ties by
    construction: a random ranking of the elements, spaced 0.1 apart around the middle of the
    domain, with a jitter under 0.05."""
    shape = draw(hnp.array_shapes(min_dims=0, **SHAPES))
    size = math.prod(shape)
    ranks = np.array(draw(st.permutations(range(size))), dtype=np.float64)
    jitter = draw(hnp.arrays(np.float64, size, elements=st.floats(0.0, 0.5)))
    middle = (domain.low + domain.high) / 2
    return (middle + (ranks + jitter - size / 2) * 0.1).reshape(shape)


@st.composite
def reduction_inputs(draw: st.DrawFn, values: st.SearchStrategy[np.ndarray]) -> Drawn:
    x = draw(values)
    return (x,), {"axis": draw(axes_of(x.ndim)), "keepdims": draw(st.booleans())}


@st.composite
def reshape_inputs(draw: st.DrawFn, domain: Domain) -> Drawn:
    """A new shape made of the old sides in another order, with 1s put in, maybe one -1."""
    x = draw(one_array(domain))
    sides = list(draw(st.permutations(x.shape)))
    for _ in range(draw(st.integers(0, 2))):
        sides.insert(draw(st.integers(0, len(sides))), 1)
    if sides and draw(st.booleans()):
        sides[draw(st.integers(0, len(sides) - 1))] = -1
    return (x,), {"shape": tuple(sides)}


@st.composite
def transpose_inputs(draw: st.DrawFn, domain: Domain) -> Drawn:
    x = draw(one_array(domain))
    permutation = draw(st.permutations(range(x.ndim)))
    negate = draw(st.lists(st.booleans(), min_size=x.ndim, max_size=x.ndim))
    axes = tuple(a - x.ndim if n else a for a, n in zip(permutation, negate, strict=True))
    return (x,), {"axes": draw(st.none() | st.just(axes))}


@st.composite
def broadcast_to_inputs(draw: st.DrawFn, domain: Domain) -> Drawn:
    """The input keeps some trailing axes of the target shape, some of them of size 1."""
    target = draw(hnp.array_shapes(min_dims=0, **SHAPES))
    kept = target[len(target) - draw(st.integers(0, len(target))):]
    shape = tuple(1 if draw(st.booleans()) else n for n in kept)
    return (draw(arrays(shape, elements=domain)),), {"shape": target}


@st.composite
def repeated_integers(draw: st.DrawFn, size: int) -> np.ndarray:
    """Indices into an axis of `size`, negative ones included, with a repeat by construction."""
    picks = draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=2 * size))
    return np.array([*picks, picks[0]])


def indices(shape: tuple[int, ...]) -> st.SearchStrategy[Any]:
    """Slices, integers, None and ... ; integer arrays (with repeats); boolean masks; and a
    slice followed by an integer array."""
    kinds = [hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True)]
    if shape:
        kinds += [
            repeated_integers(shape[0]),
            hnp.integer_array_indices(shape, result_shape=hnp.array_shapes(
                min_dims=0, max_dims=2, max_side=3)),
            hnp.arrays(np.bool_, shape),
        ]
    if len(shape) >= 2:
        kinds.append(repeated_integers(shape[1]).map(lambda index: (slice(None), index)))
    return st.one_of(kinds)


@st.composite
def getitem_inputs(draw: st.DrawFn, domain: Domain) -> Drawn:
    x = draw(one_array(domain))
    return (x,), {"index": draw(indices(x.shape))}


@st.composite
def scatter_inputs(draw: st.DrawFn, domain: Domain) -> Drawn:
    shape = draw(hnp.array_shapes(min_dims=0, **SHAPES))
    index = draw(indices(shape))
    g = draw(arrays(np.zeros(shape)[index].shape, elements=domain))
    return (g,), {"index": index, "shape": shape}


def scatter_reference(g: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
    result = np.zeros(shape)
    np.add.at(result, index, g)
    return result


@st.composite
def concatenate_inputs(draw: st.DrawFn, domain: Domain) -> Drawn:
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))
    axis = draw(axis_of(len(shape)))
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    at = axis % len(shape)
    xs = tuple(draw(arrays((*shape[:at], n, *shape[at + 1:]), elements=domain))
               for n in sizes)
    return xs, {"axis": axis}


@st.composite
def stack_inputs(draw: st.DrawFn, domain: Domain) -> Drawn:
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    count = draw(st.integers(1, 3))
    xs = tuple(draw(arrays(shape, elements=domain)) for _ in range(count))
    return xs, {"axis": draw(st.integers(-len(shape) - 1, len(shape)))}


@st.composite
def matmul_inputs(draw: st.DrawFn, *domains: Domain) -> Drawn:
    """1-D and 2-D operands, batched ones and broadcast batches, as np.matmul's signature
    (n?,k),(k,m?)->(n?,m?) allows."""
    shapes = draw(hnp.mutually_broadcastable_shapes(signature=np.matmul.signature, max_dims=2,
                                                    max_side=3))
    return tuple(draw(arrays(shape, elements=domain))
                 for shape, domain in zip(shapes.input_shapes, domains, strict=True)), {}


@st.composite
def linear_inputs(draw: st.DrawFn, *domains: Domain) -> Drawn:
    """A batch of any leading shape (or one sample) of n features, an (m, n) weight (out
    features, in features, as PyTorch's) in row- or column-major order (nn.Linear's), and a
    bias of m, 1 or no axes."""
    batch = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    bias_shape = draw(st.sampled_from([(m,), (1,), ()]))
    shapes = ((*batch, n), (m, n), bias_shape)
    x, weight, bias = (draw(arrays(shape, elements=domain))
                       for shape, domain in zip(shapes, domains, strict=True))
    return (x, np.asarray(weight, order=draw(st.sampled_from("CF"))), bias), {}


@st.composite
def softmax_inputs(draw: st.DrawFn, domain: Domain) -> Drawn:
    x = draw(one_array(domain, min_dims=1))
    return (x,), {"axis": draw(axis_of(x.ndim))}


def numpy_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def apart(x: Any, low: float) -> Any:
    """`x` moved, element by element, into [k + low, k + low + 0.2) for its integer part k:
    with low 0.15 for one input and 0.65 for the other, no two elements are closer than 0.3,
    so maximum and minimum meet no tie."""
    whole = np.floor(x)
    moved = whole + low + 0.2 * (x - whole)
    return float(moved) if isinstance(x, float) else moved


def pairs_apart(xs: tuple[Any, Any]) -> tuple[Any, Any]:
    return apart(xs[0], 0.15), apart(xs[1], 0.65)


@st.composite
def where_inputs(draw: st.DrawFn, *domains: Domain) -> Drawn:
    """A condition, a and b, of three shapes that broadcast together."""
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3))
    condition, a_shape, b_shape = shapes.input_shapes
    xs = tuple(draw(arrays(shape, elements=domain))
               for shape, domain in zip((a_shape, b_shape), domains, strict=True))
    return xs, {"condition": draw(hnp.arrays(np.bool_, condition))}


CLIP_BOUNDS = st.sampled_from([{"low": -1.0, "high": 2.0}, {"low": None, "high": 2.0},
                               {"low": -1.0, "high": None}])


@st.composite
def var_inputs(draw: st.DrawFn, domain: Domain) -> Drawn:
    """A reduction's inputs and a ddof below the size of every reduced group."""
    (x,), constants = draw(reduction_inputs(one_array(domain)))
    axis = constants["axis"]
    axes = range(x.ndim) if axis is None else np.atleast_1d(axis)
    count = math.prod(x.shape[a] for a in axes) if x.ndim else 1
    return (x,), {**constants, "ddof": draw(st.integers(0, builtins.min(1, count - 1)))}


# ---------------------------------------------------------------------------------------------
# The registry.


NO_CONSTANTS = st.just({})


@dataclass(frozen=True)
class Case:
    name: str  # a key of DOMAINS, and the test id
    op: Operation  # the operation of autograd.ops it covers
    inputs: st.SearchStrategy[Drawn]
    apply: Callable[..., Value]  # apply(*values, **constants)
    reference: Callable[..., Any]  # the same with numpy: reference(*arrays, **constants)
    scalars: st.SearchStrategy[Drawn] | None = None  # the scalar path, if the op has one


def elementwise(name: str, op: Operation, apply: Callable[..., Value],
                reference: Callable[..., Any],
                constants: st.SearchStrategy[dict[str, Any]] = NO_CONSTANTS,
                prepare: Callable[[Any], Any] = lambda xs: xs) -> Case:
    """A case for an elementwise operation: broadcasting arrays, and Python floats; `prepare`
    moves the drawn inputs where the operation needs them (apart from each other, say)."""
    domains = DOMAINS[name]
    if len(domains) == 1:
        xs = one_array(domains[0]).map(lambda x: (x,))
    else:
        xs = broadcastable_arrays(len(domains), elements=domains, **SHAPES)
    floats = st.tuples(*(domain.floats() for domain in domains))
    return Case(name, op, st.tuples(xs.map(prepare), constants), apply, reference,
                scalars=st.tuples(floats.map(prepare), constants))


def shaped(name: str, op: Operation, inputs: Callable[..., st.SearchStrategy[Drawn]],
           apply: Callable[..., Value], reference: Callable[..., Any]) -> Case:
    """A case whose inputs, with their constants, are drawn by `inputs(*DOMAINS[name])`."""
    return Case(name, op, inputs(*DOMAINS[name]), apply, reference)


def numpy_sigmoid(x: Any) -> Any:
    return 1 / (1 + np.exp(-x))


def numpy_gelu(x: Any) -> Any:
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


CASES = [
    elementwise("add", ops.add, lambda a, b: a + b, np.add),
    elementwise("sub", ops.sub, lambda a, b: a - b, np.subtract),
    elementwise("mul", ops.mul, lambda a, b: a * b, np.multiply),
    elementwise("div", ops.div, lambda a, b: a / b, np.divide),
    elementwise("neg", ops.neg, lambda a: -a, np.negative),
    elementwise("power", ops.power, lambda a, b: a**b, np.power),
    elementwise("power (number exponent)", ops.power, lambda a, exponent: a**exponent,
                lambda a, exponent: np.power(a, exponent),
                st.fixed_dictionaries({"exponent": EXPONENT.floats()})),
    elementwise("power (integer exponent)", ops.power, lambda a, exponent: a**exponent,
                lambda a, exponent: np.power(a, exponent),
                st.fixed_dictionaries({"exponent": st.integers(-3, 4)})),
    elementwise("exp", ops.exp, ops.exp, np.exp),
    elementwise("log", ops.log, ops.log, np.log),
    elementwise("sqrt", ops.sqrt, ops.sqrt, np.sqrt),
    elementwise("abs", ops.absolute, abs, np.abs),
    elementwise("tanh", ops.tanh, ops.tanh, np.tanh),
    elementwise("sigmoid", ops.sigmoid, ops.sigmoid, numpy_sigmoid),
    elementwise("relu", ops.relu, ops.relu, lambda x: np.maximum(x, 0.0)),
    shaped("sum", ops.sum, lambda domain: reduction_inputs(one_array(domain)), ops.sum,
           np.sum),
    shaped("mean", ops.mean, lambda domain: reduction_inputs(one_array(domain)), ops.mean,
           np.mean),
    shaped("max", ops.max, lambda domain: reduction_inputs(distinct_arrays(domain)), ops.max,
           np.max),
    shaped("reshape", ops.reshape, reshape_inputs, ops.reshape, np.reshape),
    shaped("transpose", ops.transpose, transpose_inputs, ops.transpose, np.transpose),
    shaped("broadcast_to", ops.broadcast_to, broadcast_to_inputs, ops.broadcast_to,
           np.broadcast_to),
    shaped("getitem", ops.getitem, getitem_inputs, ops.getitem, lambda x, index: x[index]),
    shaped("scatter", ops.scatter, scatter_inputs, ops.scatter, scatter_reference),
    shaped("concatenate", ops._concatenate, concatenate_inputs,
           lambda *xs, axis: ops.concatenate(xs, axis=axis),
           lambda *xs, axis: np.concatenate(xs, axis=axis)),
    shaped("stack", ops._stack, stack_inputs, lambda *xs, axis: ops.stack(xs, axis=axis),
           lambda *xs, axis: np.stack(xs, axis=axis)),
    shaped("matmul", ops.matmul, matmul_inputs, lambda a, b: a @ b, np.matmul),
    shaped("linear", ops.linear, linear_inputs, ops.linear, lambda x, w, b: x @ w.T + b),
    shaped("softmax", ops.softmax, softmax_inputs, ops.softmax, numpy_softmax),
    shaped("log_softmax", ops.log_softmax, softmax_inputs, ops.log_softmax,
           lambda x, axis: np.log(numpy_softmax(x, axis))),
    elementwise("maximum", ops.maximum, ops.maximum, np.maximum, prepare=pairs_apart),
    elementwise("minimum", ops.minimum, ops.minimum, np.minimum, prepare=pairs_apart),
    Case("where", ops._where, where_inputs(*DOMAINS["where"]),
         lambda a, b, condition: ops.where(condition, a, b),
         lambda a, b, condition: np.where(condition, a, b),
         scalars=st.tuples(st.tuples(REAL.floats(), REAL.floats()),
                           st.fixed_dictionaries({"condition": st.booleans()}))),
    elementwise("clip", ops._clip_op, ops.clip, lambda x, low, high: np.clip(x, low, high),
                CLIP_BOUNDS),
    shaped("min", ops.min, lambda domain: reduction_inputs(distinct_arrays(domain)), ops.min,
           np.min),
    shaped("var", ops.var, var_inputs, ops.var, np.var),
    elementwise("square", ops.square, ops.square, np.square),
    elementwise("log1p", ops.log1p, ops.log1p, np.log1p),
    elementwise("expm1", ops.expm1, ops.expm1, np.expm1),
    elementwise("leaky_relu", ops.leaky_relu, ops.leaky_relu,
                lambda x, negative_slope: np.where(x > 0, x, negative_slope * x),
                st.fixed_dictionaries({"negative_slope": st.floats(0.0, 1.0)})),
    elementwise("softplus", ops.softplus, ops.softplus, lambda x: np.logaddexp(0.0, x)),
    elementwise("elu", ops.elu, ops.elu,
                lambda x, alpha: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))),
                st.fixed_dictionaries({"alpha": st.floats(0.1, 2.0)})),
    elementwise("gelu", ops.gelu, ops.gelu, numpy_gelu),
]

SCALAR_CASES = [case for case in CASES if case.scalars is not None]


def ids(case: Case) -> str:
    return case.name


def test_registry_covers_every_operation_once_per_domain_entry():
    operations = {value.name for value in vars(ops).values() if isinstance(value, Operation)}
    assert {case.op.name for case in CASES} == operations
    assert [case.name for case in CASES] == list(DOMAINS)


# ---------------------------------------------------------------------------------------------
# The checks.


def check(case: Case, xs: tuple[Any, ...], constants: dict[str, Any]) -> list[Value]:
    """The forward result against numpy, then the gradients against finite differences."""
    domains = DOMAINS[case.name]
    for i, x in enumerate(xs):  # operations of any number of inputs share their one domain
        assert domains[min(i, len(domains) - 1)].contains(x)
    inputs = [Value(x) for x in xs]
    out = case.apply(*inputs, **constants)
    np.testing.assert_allclose(out.data, case.reference(*xs, **constants), rtol=1e-10,
                               atol=1e-12)
    assert gradcheck(lambda *values: case.apply(*values, **constants), inputs)
    return inputs


@pytest.mark.parametrize("case", CASES, ids=ids)
@given(data=st.data())
def test_gradient_matches_finite_differences(case: Case, data: st.DataObject):
    xs, constants = data.draw(case.inputs, label="inputs")
    check(case, xs, constants)


@pytest.mark.parametrize("case", SCALAR_CASES, ids=ids)
@given(data=st.data())
def test_scalar_path_gradient_matches_finite_differences(case: Case, data: st.DataObject):
    xs, constants = data.draw(case.scalars, label="inputs")
    inputs = check(case, xs, constants)
    assert type(case.apply(*inputs, **constants).data) is float  # the scalar path was taken


@pytest.mark.parametrize("case", CASES, ids=ids)
@given(data=st.data())
def test_second_derivatives_match_finite_differences(case: Case, data: st.DataObject):
    xs, constants = data.draw(case.inputs, label="inputs")
    assert gradgradcheck(lambda *values: case.apply(*values, **constants),
                         [Value(x) for x in xs])


# ---------------------------------------------------------------------------------------------
# Second derivatives in closed form, and a Hessian-vector product.

SECOND_DERIVATIVES = {
    "cube": (lambda x: x**3, lambda x: 6 * x),
    "tanh": (ops.tanh, lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),
}


@pytest.mark.parametrize("name", SECOND_DERIVATIVES)
@given(x=REAL.floats() | arrays(elements=REAL, **SHAPES))
def test_second_derivative_matches_closed_form_and_finite_differences(name: str, x: Any):
    fn, second = SECOND_DERIVATIVES[name]
    value = Value(x)
    first = grad(fn(value), value, grad_output=np.ones_like(x) if np.ndim(x) else None,
                 create_graph=True)
    # fn is elementwise, so the gradient of sum(first) is the second derivative, elementwise
    np.testing.assert_allclose(grad(first.sum(), value), second(x), rtol=1e-12, atol=1e-12)
    assert gradgradcheck(fn, [Value(x)])


MIXING = np.random.default_rng(0).standard_normal((3, 4))


def smooth_loss(x: Value) -> Value:
    """A scalar function of a 4-vector whose Hessian is full: every entry mixes with the rest."""
    return ops.log_softmax(MIXING @ x)[0] + (x.tanh() * x).sum() + (x**3).mean()


def gradient_at(x: np.ndarray) -> np.ndarray:
    value = Value(x)
    return grad(smooth_loss(value), value)


@given(x=arrays((4,), elements=Domain(-2.0, 2.0)), v=arrays((4,), elements=REAL),
       w=arrays((4,), elements=REAL))
def test_hessian_vector_product_matches_finite_differences_of_the_gradient(x, v, w):
    value = Value(x)
    first = grad(smooth_loss(value), value, create_graph=True)
    hv = grad((first * v).sum(), value, retain_graph=True)
    hw = grad((first * w).sum(), value)
    h = 1e-5
    expected = (gradient_at(x + h * v) - gradient_at(x - h * v)) / (2 * h)
    np.testing.assert_allclose(hv, expected, rtol=1e-5, atol=1e-5 * (1 + np.abs(v).max()))
    assert np.dot(w, hv) == pytest.approx(np.dot(v, hw), rel=1e-9, abs=1e-9)  # H is symmetric


# ---------------------------------------------------------------------------------------------
# The conventions at the kinks, which the property tests above keep away from.


@pytest.mark.parametrize("op", [ops.relu, ops.absolute], ids=["relu", "abs"])
def test_derivative_at_zero_is_zero(op: Operation):
    scalar, array = Value(0.0), Value([0.0, 0.0])
    assert grad(op(scalar), scalar) == 0.0
    np.testing.assert_array_equal(grad(op(array).sum(), array), [0.0, 0.0])


def test_tied_maxima_share_the_gradient_equally():
    x = Value([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    np.testing.assert_allclose(grad(x.max(), x), [[0, 0.5, 0.5], [0, 0, 0]])
    np.testing.assert_allclose(grad(x.max(axis=1).sum(), x), [[0, 0.5, 0.5], [1 / 3] * 3])


def test_conventions_at_the_kinks_of_the_new_activations_follow_pytorch():
    x = Value([0.0, 0.0])
    (ops.leaky_relu(x, negative_slope=0.2) * np.array([1.0, 3.0])).sum().backward()
    np.testing.assert_allclose(x.grad, [0.2, 0.6])  # the negative slope at 0
    x = Value(0.0)
    ops.elu(x, alpha=0.5).backward()
    assert x.grad == 0.5  # alpha e^0 at 0
    x = Value([-1.0, 2.0, -3.0, 5.0])
    ops.clip(x, -1.0, 2.0).sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0, 1.0, 0.0, 0.0])  # bounds included


@pytest.mark.parametrize("op", [ops.maximum, ops.minimum], ids=["maximum", "minimum"])
def test_ties_split_the_gradient_equally_between_both_inputs(op: Operation):
    a, b = Value([1.0, 2.0, 3.0]), Value([1.0, 5.0, 0.0])  # a tie, then b larger, a larger
    (op(a, b) * np.array([2.0, 4.0, 8.0])).sum().backward()
    larger, smaller = [1.0, 0.0, 8.0], [1.0, 4.0, 0.0]  # the tie's 2 split in halves
    np.testing.assert_array_equal(a.grad, larger if op is ops.maximum else smaller)
    np.testing.assert_array_equal(b.grad, smaller if op is ops.maximum else larger)
    s, t = Value(3.0), Value(3.0)  # the scalar path
    op(s, t).backward()
    assert s.grad == t.grad == 0.5


@pytest.mark.parametrize("reduce", [ops.max, ops.min], ids=["max", "min"])
def test_a_nan_among_the_elements_takes_the_gradient_of_max_and_min(reduce: Operation):
    x = Value([[1.0, np.nan, 3.0], [2.0, 5.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 0 / 0 inside the rule
        out = reduce(x, axis=1)
        out.sum().backward()
    assert np.isnan(out.data[0])  # numpy propagates the NaN
    expected = [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0] if reduce is ops.max else [0.0, 0.0, 1.0]]
    np.testing.assert_array_equal(x.grad, expected)  # was NaN for the whole first row
    s = Value(np.nan)  # the scalar path
    reduce(s).backward()
    assert s.grad == 1.0


def test_tied_minima_share_the_gradient_equally():
    x = Value([[3.0, 1.0, 1.0], [2.0, 2.0, 2.0]])
    np.testing.assert_allclose(grad(x.min(axis=1).sum(), x), [[0, 0.5, 0.5], [1 / 3] * 3])


# ---------------------------------------------------------------------------------------------
# clip's bounds are inputs: a bound that is a Value gets its gradient.


def test_clip_bounds_that_are_values_get_their_gradient():
    x = Value([-2.0, 0.5, 3.0, 1.5])
    low, high = Value(0.0), Value([1.0, 1.0, 2.0, 1.0])
    ops.clip(x, low, high).sum().backward()
    assert low.grad == 1.0  # the result is low at x = -2
    np.testing.assert_array_equal(high.grad, [0.0, 0.0, 1.0, 1.0])
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0, 0.0])
    # low above high gives high (as np.clip), so high gets the gradient there, not low
    bounds = [Value([-2.0, 0.5, 3.0]), Value([0.0, 3.0, -1.0]), Value([1.0, 1.0, 2.0])]
    assert gradcheck(lambda v, lo, hi: ops.clip(v, lo, hi), bounds)
    assert gradgradcheck(lambda v, lo, hi: ops.clip(v * v, lo * lo, hi), bounds)
    assert gradcheck(lambda v, lo: np.clip(v, lo, None), bounds[:2])
    assert gradcheck(lambda v, hi: v.clip(None, hi), [bounds[0], bounds[2]])


def test_clip_with_a_value_bound_keeps_the_scalar_path():
    x, low = Value(-0.5), Value(0.0)
    out = ops.clip(x, low, 1.0)
    assert type(out.data) is float and out.data == 0.0
    out.backward()
    assert (x.grad, low.grad) == (0.0, 1.0)
    assert gradcheck(lambda v, lo, hi: v.clip(lo, hi), [Value(0.3), Value(0.5), Value(2.0)])
    y = (x * 2.0).clip(None, 1.0)  # one bound: a scalar graph stays whole after backward
    y.backward()
    assert y.inputs[0].inputs[0] is x


# ---------------------------------------------------------------------------------------------
# var and std where numpy divides by n - ddof <= 0.


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy's, on dividing by n - ddof
@pytest.mark.parametrize("ddof", [2, 3], ids=["ddof=n", "ddof>n"])
def test_var_with_ddof_not_below_the_count_has_a_nan_gradient(ddof: int):
    x = Value([1.0, 2.0])
    out = x.var(ddof=ddof)
    assert out.data == np.var([1.0, 2.0], ddof=ddof)  # inf, as numpy says
    out.backward()  # was a ZeroDivisionError for ddof=n, a finite [1, -1] for ddof>n
    assert np.isnan(x.grad).all()
    s = Value(3.0)  # the scalar path: one element, ddof=1
    s.std(ddof=1).backward()
    assert type(s.grad) is float and math.isnan(s.grad)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # numpy's, on the mean of no element
def test_var_along_an_axis_of_an_empty_array_backpropagates():
    x = Value(np.zeros((0, 3)))
    x.var(axis=0).sum().backward()  # NaN variances, as numpy's, of no element
    assert x.grad.shape == (0, 3)
