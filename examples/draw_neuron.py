"""Draw one neuron, o = tanh(x1*w1 + x2*w2 + b), by hand and as an `nn.Neuron`.

The hand-made neuron is micrograd's: x1 = 2, x2 = 0, w1 = -3, w2 = 1 and a bias b chosen so
that n = 0.8814 and o = tanh(n) = 0.7071. After `o.backward()` each box shows d o/d(value).

What to look for:
- examples/output/neuron.svg: tanh turns o.grad = 1 into n.grad = 1 - o^2 = 0.5, and "+" passes
  0.5 on to b and to both products; each "*" then gives a weight the input it multiplies
  (w1.grad = x1 * 0.5 = 1, w2.grad = x2 * 0.5 = 0: a zero input gets its weight no gradient);
- examples/output/neuron_grad.svg (with --gallery also examples/gallery/neuron_grad.svg, which
  the README shows): the same graph coloured by log10 |grad|; w2, whose gradient is exactly 0,
  takes the scale's darkest colour;
- examples/output/neuron_module.svg: `nn.Neuron(2)` (a ReLU neuron) called on the same inputs,
  its operations framed by the module's name scope "Neuron", its parameters w0, w1, b inside.

Run it with `python examples/draw_neuron.py` (add `--quick` for the CI run; it is fast).
"""

from _common import parse_args, save_picture

import nn
from autograd import Value, draw_graph

CHECKS = [
    r"o = tanh\(n\) = 0\.7071 +n = 0\.8814",
    r"n\.grad = 1 - o\^2 = 0\.5000",
    r"x1\.grad = w1 \* n\.grad = -1\.5000 +w1\.grad = x1 \* n\.grad = 1\.0000",
    r"x2\.grad = w2 \* n\.grad = 0\.5000 +w2\.grad = x2 \* n\.grad = 0\.0000",
    r"nn\.Neuron\(2\): scope 'Neuron', out = relu\(w\.x \+ b\) = \d+\.\d{4}",
    r"saved examples/output/neuron\.svg",
    r"saved examples/output/neuron_grad\.svg",
    r"saved examples/output/neuron_module\.svg",
]


def micrograd_neuron() -> dict[str, Value]:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    total = x1w1 + x2w2
    total.label = "x1*w1 + x2*w2"
    n = total + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "n": n, "o": o}


def main() -> None:
    args = parse_args(__doc__)
    v = micrograd_neuron()
    v["o"].backward()
    print(f"o = tanh(n) = {v['o'].data:.4f}   n = {v['n'].data:.4f}")
    print(f"n.grad = 1 - o^2 = {v['n'].grad:.4f}")
    print(f"x1.grad = w1 * n.grad = {v['x1'].grad:.4f}   w1.grad = x1 * n.grad = "
          f"{v['w1'].grad:.4f}")
    print(f"x2.grad = w2 * n.grad = {v['x2'].grad:.4f}   w2.grad = x2 * n.grad = "
          f"{v['w2'].grad:.4f}")
    save_picture(draw_graph(v["o"]), "neuron.svg")
    save_picture(draw_graph(v["o"], color_by_grad=True), "neuron_grad.svg", gallery=args.gallery)

    neuron = nn.Neuron(2, seed=0)
    inputs = [Value(2.0, label="x0"), Value(0.5, label="x1")]
    out = neuron(inputs)
    out.label = "out"
    out.backward()
    print(f"nn.Neuron(2): scope {out.scope!r}, out = relu(w.x + b) = {out.data:.4f}")
    save_picture(draw_graph(out, group_by="cluster"), "neuron_module.svg")


if __name__ == "__main__":
    main()
