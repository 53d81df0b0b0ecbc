"""The graphs `python -m autograd.draw --example NAME` draws, built with the engine alone.

>>> round(neuron().data, 4)                    # micrograd's neuron: tanh(0.8814)
0.7071
>>> loss = mlp()                     # loss = ... + (out - y) ** 2, out made in a neuron's scope
>>> round(loss.data, 4), loss.inputs[1].inputs[0].inputs[0].scope
(6.6181, 'MLP/Layer2/Neuron0')
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograd.engine import name_scope
from autograd.value import Value


def expression() -> Value:
    """micrograd's first expression: L = (a*b + c) * f."""
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c, f = Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    loss = d * f
    loss.label = "L"
    return loss


def neuron() -> Value:
    """micrograd's neuron: o = tanh(x1*w1 + x2*w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def mlp() -> Value:
    """micrograd's MLP(3, [4, 4, 1]) and its squared-error loss on four samples.

    Written out with the engine as `nn.MLP(3, [4, 4, 1], seed=0)` computes it (ReLU hidden
    layers, a linear output, weights uniform in [-1, 1], biases 0), each neuron inside the
    name scopes "MLP/Layer{i}/Neuron{j}" that the module would open, so that the drawing can
    group the operations the same way.
    """
    rng = np.random.default_rng(0)
    sizes = [3, 4, 4, 1]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append([([Value(float(w), label=f"w{k}")
                         for k, w in enumerate(rng.uniform(-1.0, 1.0, sizes[i]))],
                        Value(0.0, label="b")) for _ in range(sizes[i + 1])])

    def forward(x: list[float]) -> Value:
        out: list = list(x)
        with name_scope("MLP"):
            for i, layer in enumerate(layers):
                with name_scope(f"Layer{i}"):
                    outs = []
                    for j, (weights, bias) in enumerate(layer):
                        with name_scope(f"Neuron{j}"):
                            act = sum((w * xi for w, xi in zip(weights, out, strict=True)),
                                      bias)
                            outs.append(act.relu() if i < len(layers) - 1 else act)
                    out = outs
        return out[0]

    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    targets = [1.0, -1.0, -1.0, 1.0]
    loss = sum((forward(x) - y) ** 2 for x, y in zip(xs, targets, strict=True))
    assert isinstance(loss, Value)  # 0 + Values: a Value (and the very graph nn.MLP's gives)
    loss.label = "loss"
    return loss


EXAMPLES: dict[str, Callable[[], Value]] = {
    "expression": expression,
    "neuron": neuron,
    "mlp": mlp,
}
