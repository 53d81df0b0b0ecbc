"""Random programs of several operations, differentiated two ways and checked against finite
differences.

Hypothesis writes each program: a few inputs (Python floats on the scalar path and arrays of
broadcasting shapes), then a sequence of steps, each applying an operation to earlier results
picked at random, so results are reused (`a + a`, diamonds), shapes broadcast, single elements
are taken out as Python floats (`x[i]`), reductions keep or drop axes, and constants (numbers
and arrays) join in. Every step keeps values moderate and away from kinks by construction (a
divisor is `b * b + 1`, a logarithm's argument `a * a + 1`, ...), so finite differences are
accurate. The program's output is compared by `gradcheck` (a random upstream gradient, or
the whole Jacobian when it is small) with tight tolerances, and `backward()` with a random seed
is compared with `grad()`.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd import Value, grad, gradcheck
from autograd.testing import Domain, arrays

INPUT = Domain(-2.0, 2.0)
ARITY = {  # each step: how many earlier results it takes, and what it computes with them
    "add": (2, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b.tanh()),
    "div": (2, lambda a, b: a / (b * b + 1.0)),
    "pow": (2, lambda a, b: (a * a + 1.0) ** b.tanh()),
    "tanh": (1, lambda a: a.tanh()),
    "sigmoid": (1, lambda a: a.sigmoid()),
    "exp": (1, lambda a: a.tanh().exp()),
    "log": (1, lambda a: (a * a + 1.0).log()),
    "sqrt": (1, lambda a: (a * a + 0.5).sqrt()),
    "cube": (1, lambda a: a.tanh() ** 3),
    "neg": (1, lambda a: -a),
    "scale": (1, lambda a: 0.7 * a - 0.3),
    "rdiv": (1, lambda a: 1.0 / (a * a + 2.0)),
}
SHAPED = ("element", "slice", "sum", "mean", "constant")


@st.composite
def programs(draw: st.DrawFn) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """Inputs (floats and arrays whose shapes broadcast together) and the steps to apply."""
    count = draw(st.integers(1, 3))
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=count, min_dims=0, max_dims=3,
                                                    max_side=3)).input_shapes
    inputs: list[Any] = []
    for shape in shapes:
        if draw(st.booleans()) and shape == ():
            inputs.append(draw(INPUT.floats()))  # the scalar path
        else:
            inputs.append(draw(arrays(shape, elements=INPUT)))
    steps = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(sorted(ARITY) + list(SHAPED)))
        operands = tuple(draw(st.integers(0, 100)) for _ in range(2))
        # choices that depend on shapes known only when the step runs: taken modulo them then
        choices = tuple(draw(st.integers(0, 1000)) for _ in range(4))
        steps.append((kind, operands, choices))
    return inputs, steps


def shaped_step(kind: str, a: Value, choices: tuple[int, ...]) -> Value:
    """The steps whose result depends on the operand's shape."""
    shape = a.shape
    if kind == "element":  # a single element: a Python float from here on
        return a[tuple(c % n for c, n in zip(choices, shape, strict=False))] if shape else a
    if kind == "slice":  # one position along one axis, kept as an axis of size 1
        if not shape:
            return a + 0.0
        axis = choices[0] % len(shape)
        start = choices[1] % shape[axis]
        return a[(slice(None),) * axis + (slice(start, start + 1),)]
    if kind in ("sum", "mean"):  # over some axes, kept as size 1, or over all of them
        axes = tuple(i for i in range(len(shape)) if choices[0] >> i & 1)
        if choices[1] % 3 == 0:
            return getattr(a, kind)()
        return getattr(a, kind)(axis=axes, keepdims=True)
    # a constant of the operand's shape (or a plain number) joins in
    rng = np.random.default_rng(choices)
    constant = rng.uniform(-1, 1, shape) if shape and choices[0] % 3 else rng.uniform(-1, 1)
    return constant * a + constant


def program_of(steps: list[tuple[Any, ...]]) -> Callable[..., Value]:
    """The program as a function of its inputs."""

    def program(*inputs: Value) -> Value:
        results = list(inputs)
        for kind, operands, choices in steps:
            picked = [results[i % len(results)] for i in operands]
            if kind in ARITY:
                arity, fn = ARITY[kind]
                results.append(fn(*picked[:arity]))
            else:
                results.append(shaped_step(kind, picked[0], choices))
        # every result takes part in the output, each with a weight of its own
        return results[-1] + sum(r.sum() * ((-1) ** i * 0.3 / (i + 1))
                                 for i, r in enumerate(results[:-1]))

    return program


@given(drawn=programs(), seed=st.integers(0, 2**32 - 1))
def test_random_programs_match_finite_differences(drawn, seed):
    inputs, steps = drawn
    program = program_of(steps)
    # Tolerances far below gradcheck's defaults: in float64 the central differences of these
    # moderate functions are good to about 1e-9, so a gradient rounded to float16 (about 1e-3
    # off) or any other slip shows.
    assert gradcheck(program, [Value(x) for x in inputs], atol=1e-7, rtol=1e-6, seed=seed)


@given(drawn=programs(), seed=st.integers(0, 2**32 - 1))
def test_backward_and_grad_agree_on_random_programs_with_random_seeds(drawn, seed):
    inputs, steps = drawn
    program = program_of(steps)
    leaves = [Value(x) for x in inputs]
    out = program(*leaves)
    rng = np.random.default_rng(seed)
    upstream = rng.standard_normal(out.shape) if out.shape else float(rng.standard_normal())
    expected = grad(out, leaves, grad_output=upstream, retain_graph=True)
    out.backward(gradient=upstream)
    for leaf, want in zip(leaves, expected, strict=True):
        assert type(leaf.grad) is type(want)
        np.testing.assert_allclose(leaf.grad, want, rtol=1e-12, atol=1e-12)
    if out.shape:  # the gradient of an array output is the caller's, never written into
        assert np.all(upstream == rng.__class__(np.random.PCG64(seed)).standard_normal(
            out.shape))
