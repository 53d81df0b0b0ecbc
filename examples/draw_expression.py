"""Draw micrograd's first expression and read the chain rule off the picture.

L = (a*b + c) * f with a = 2, b = -3, c = 10 and f = -2. In the picture every box is a value
("label | data | grad") and every ellipse the operation that made the value it points to; the
arrows follow the forward pass. After `L.backward()` each grad is dL/d(value).

What to look for in examples/output/expression.svg:
- L's grad is 1 (dL/dL); "*" hands each input the other input times that: d.grad = f = -2 and
  f.grad = d = 4;
- "+" passes its gradient through unchanged: e.grad = c.grad = d.grad = -2;
- at the first "*" again: a.grad = b * e.grad = 6 and b.grad = a * e.grad = -4.
examples/output/expression_grad.svg is the same graph coloured by log10 |grad|, with a legend.

Run it with `python examples/draw_expression.py` (add `--quick` for the CI run; it is fast).
"""

from _common import parse_args, save_picture

from autograd import Value, draw_graph

CHECKS = [
    r"L = \(a\*b \+ c\) \* f = -8\.0000",
    r"dL/dd = f = -2\.0000 +dL/df = d = 4\.0000",
    r"dL/de = -2\.0000 +dL/dc = -2\.0000",
    r"dL/da = b \* dL/de = 6\.0000 +dL/db = a \* dL/de = -4\.0000",
    r"saved examples/output/expression\.svg",
    r"saved examples/output/expression_grad\.svg",
]


def build() -> dict[str, Value]:
    """The expression, every intermediate value labelled as in micrograd's lecture."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c, f = Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    loss = d * f
    loss.label = "L"
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "L": loss}


def main() -> None:
    parse_args(__doc__)
    v = build()
    v["L"].backward()
    print(f"L = (a*b + c) * f = {v['L'].data:.4f}")
    print(f"dL/dd = f = {v['d'].grad:.4f}   dL/df = d = {v['f'].grad:.4f}")
    print(f"dL/de = {v['e'].grad:.4f}   dL/dc = {v['c'].grad:.4f}   (+ passes dL/dd on)")
    print(f"dL/da = b * dL/de = {v['a'].grad:.4f}   dL/db = a * dL/de = {v['b'].grad:.4f}")
    for name, options in (("expression.svg", {}), ("expression_grad.svg",
                                                   {"color_by_grad": True})):
        save_picture(draw_graph(v["L"], **options), name)


if __name__ == "__main__":
    main()
