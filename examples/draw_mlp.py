"""Draw the loss graph of micrograd's MLP: too big to read value by value, clear layer by layer.

`nn.MLP(3, [4, 4, 1])` (41 scalar parameters) on micrograd's four samples, with the squared
error summed over them, records a few hundred scalar operations. Every `nn` module runs inside
a name scope ("MLP/Layer0/Neuron3"), so the drawing can group its operations.

What to look for:
- examples/output/mlp_layers.svg: the whole loss graph with each layer collapsed into one box
  (`group_by="collapse", depth=2`) listing its operations and the gradient norm of its
  parameters, coloured by that norm; the loss's own operations (-, **, +) drawn one by one.
  The edge labels count the values passed from layer to layer (4 samples x 4 outputs = 16).
- examples/output/mlp_clusters.svg: the network's output for one sample, in full, with the
  gradients of that output: every neuron's operations framed, inside its layer's frame
  (`group_by="cluster"`). A neuron whose relu input is negative passes no gradient back.
- examples/output/mlp_full.svg: the loss graph drawn plainly, cut at the default limit of
  200 values: a note says how many values were left out and which operations they are.

Run it with `python examples/draw_mlp.py` (`--quick` uses three samples instead of four).
"""

import numpy as np
from _common import parse_args, save_picture

import nn
from autograd import Value, draw_graph

CHECKS = [
    r"MLP\(3, \[4, 4, 1\]\): 41 parameters",
    r"loss over [34] samples = \d+\.\d{4}",
    r"Layer0: 16 parameters, gradient norm \d+\.\d{4}",
    r"Layer2: 5 parameters, gradient norm \d+\.\d{4}",
    r"mlp_layers\.svg: computation graph: \d+ values, all drawn",
    r"saved examples/output/mlp_layers\.svg",
    r"mlp_clusters\.svg: computation graph: \d+ values, all drawn",
    r"mlp_full\.svg: computation graph: \d+ values, 200 drawn, … \d+ more values not drawn \(",
    r"saved examples/output/mlp_full\.svg",
]

SAMPLES = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
TARGETS = [1.0, -1.0, -1.0, 1.0]


def squared_error(model: nn.MLP, samples: list[list[float]], targets: list[float]) -> Value:
    """micrograd's loss: the squared errors of the samples, summed one by one."""
    loss = sum((model(x) - y) ** 2 for x, y in zip(samples, targets, strict=True))
    loss.label = "loss"
    return loss


def main() -> None:
    args = parse_args(__doc__)
    count = 3 if args.quick else 4
    model = nn.MLP(3, [4, 4, 1], seed=0)
    print(f"MLP(3, [4, 4, 1]): {len(model.parameters())} parameters")
    loss = squared_error(model, SAMPLES[:count], TARGETS[:count])
    loss.backward()
    print(f"loss over {count} samples = {loss.data:.4f}")
    for i, layer in enumerate(model.layers):
        grads = [p.grad for p in layer.parameters()]
        print(f"Layer{i}: {len(grads)} parameters, gradient norm {np.linalg.norm(grads):.4f}")

    one_sample = model(SAMPLES[0])
    one_sample.label = "output"
    model.zero_grad()
    one_sample.backward()
    pictures = {
        "mlp_layers.svg": draw_graph(loss, group_by="collapse", depth=2, color_by_grad=True),
        "mlp_clusters.svg": draw_graph(one_sample, group_by="cluster"),
        "mlp_full.svg": draw_graph(loss),
    }
    for name, diagram in pictures.items():
        print(f"{name}: {diagram.comment}")
        save_picture(diagram, name)


if __name__ == "__main__":
    main()
