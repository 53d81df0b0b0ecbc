"""A custom operation, its gradient rule, and the check that catches a wrong one.

An `Operation` keeps a function and its gradient rule in one place; every operation of the
library is built this way. Here we define softplus(x) = log(1 + exp(x)), whose derivative is
sigmoid(x), and check the rule with `gradcheck`: it compares the gradient backpropagation
computes with central finite differences, (f(x + h) - f(x - h)) / 2h, in float64.

Then we make the classic mistake, sigmoid(x) * (1 - sigmoid(x)) for the rule (that is the
derivative of sigmoid, one derivative too far), and `gradcheck` catches it: its message names
the input and shows the worst elements, analytic against numeric.

What to look for:
- the right rule passes `gradcheck` and `gradgradcheck` (second derivatives) at every random
  point, inside a small layer too;
- the wrong rule fails at the first point, with a table of its worst elements: near 0 the
  analytic values are about half the numeric ones (sigmoid'(0) = 1/4, sigmoid(0) = 1/2);
- gradcheck passes the wrong rule at no point: the two derivatives agree nowhere.

Run: python examples/gradient_check.py [--quick] (--quick checks fewer random points).
"""

import numpy as np
from _common import parse_args

from autograd import Operation, Value, exp, gradcheck, gradgradcheck, log, sigmoid
from autograd.gradcheck import GradcheckError

CHECKS = [
    r"right rule: gradcheck and gradgradcheck passed at \d+ random points of shapes up to "
    r"\(\d+, \d+\)",
    r"and in a layer softplus\(x @ W \+ b\): passed for x, W and b",
    r"gradcheck: gradient mismatch for input 0 \(label 'x', shape \(2, 3\)\)",
    r"output \| +index \| +analytic \| +numeric \| +rel\. error",
    r"wrong rule: caught at \d+ of \d+ random points",
]


def softplus_forward(x: float | np.ndarray) -> float | np.ndarray:
    return log(1 + exp(x))  # plain numbers in, plain numbers out


softplus = Operation("softplus", softplus_forward, lambda g, out, x: g * sigmoid(x))

softplus_wrong = Operation(
    "softplus", softplus_forward,
    lambda g, out, x: g * sigmoid(x) * (1 - sigmoid(x)))  # sigmoid's derivative: a step too far


def random_points(rng: np.random.Generator, count: int, largest: int) -> list[np.ndarray]:
    """`count` arrays of random shapes up to (largest, largest), values in (-4, 4)."""
    shapes = rng.integers(1, largest + 1, size=(count, 2))
    return [rng.uniform(-4, 4, size=tuple(shape)) for shape in shapes]


def main() -> None:
    args = parse_args(__doc__)
    rng = np.random.default_rng(0)
    count, largest = (10, 4) if args.quick else (200, 8)
    points = random_points(rng, count, largest)

    for x in points:
        gradcheck(softplus, [Value(x)])
        gradgradcheck(softplus, [Value(x)])
    print(f"right rule: gradcheck and gradgradcheck passed at {count} random points of shapes "
          f"up to ({largest}, {largest})")
    x, w, b = (Value(rng.normal(size=s), label=n) for s, n in [((5, 3), "x"), ((3, 4), "W"),
                                                                ((4,), "b")])
    gradcheck(lambda x, w, b: softplus(x @ w + b), [x, w, b])
    print("and in a layer softplus(x @ W + b): passed for x, W and b\n")

    print("wrong rule, at one point:")
    try:
        gradcheck(softplus_wrong, [Value(rng.uniform(-1, 1, size=(2, 3)), label="x")])
    except GradcheckError as error:
        print(error)
    caught = sum(not gradcheck(softplus_wrong, [Value(x)], raise_exception=False)
                 for x in points)
    print(f"\nwrong rule: caught at {caught} of {count} random points")


if __name__ == "__main__":
    main()
