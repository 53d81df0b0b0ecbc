"""The classic first demo: a small neural network learns to separate two interleaving moons.

This is micrograd's demo, run on this library. `nn.MLP(2, [16, 16, 1])` (two hidden layers of
16 ReLU neurons and one output, 337 scalar parameters) learns to tell apart 100 points of the
two-moons data set. The loss is the max-margin (hinge) loss plus a small L2 penalty on the
weights, and the training loop is written out in full: forward pass, loss, `backward()`, and a
gradient-descent step on every parameter, with a learning rate that decays from 1.0 to 0.1.

What to look for:
- the printed loss falls and the accuracy climbs to (nearly) 100%: a line cannot separate the
  moons, but two hidden layers bend the boundary around them;
- examples/output/demo_decision_boundary.png: the learned boundary curving between the moons;
- examples/output/demo_graph.png: the computation graph of one neuron of the trained network at
  one point, as micrograd draws it: each value's data and, after `backward()`, its gradient
  (the gradient of a weight is the input it multiplies, and the other way round).

Run it with `bash run.sh demo` (a few seconds) or `python examples/demo.py --quick` (fewer
steps).
"""

import numpy as np
from _common import on_grid, padded_limits, parse_args, pyplot, save_figure, save_picture

import nn
from autograd import Value, draw_graph

CHECKS = [
    r"model: MLP\(2, \[16, 16, 1\]\) with 337 parameters",
    r"step +0 +loss +\d\.\d{4} +accuracy +\d+%",
    r"final accuracy: (9[5-9]|100)% of 100 points",
    r"saved examples/output/demo_decision_boundary\.png",
    r"saved examples/output/demo_graph\.png",
    # backward through one neuron: d out/d w0 is the input x0, d out/d x0 is the weight w0
    r"x = \((-?\d\.\d{4}), [\s\S]*d out/d w0 = x0 = \1 ",
    r"w0 = (-?\d\.\d{4}) [\s\S]*d out/d x0 = w0 = \1$",
]

L2_STRENGTH = 1e-4  # as in micrograd's demo


def moons_loss(model: nn.MLP, X: np.ndarray, targets: np.ndarray) -> tuple[Value, float]:
    """The hinge loss of the scores plus the L2 penalty, and the accuracy of their signs."""
    scores = model(X).reshape(-1)
    loss = nn.hinge_loss(scores, targets) + nn.l2_penalty(model.parameters(), L2_STRENGTH)
    accuracy = float(np.mean((scores.data > 0) == (targets > 0)))
    return loss, accuracy


def train(model: nn.MLP, X: np.ndarray, targets: np.ndarray, steps: int) -> float:
    """Full-batch gradient descent, printing the progress; returns the final accuracy."""
    report_every = max(1, steps // 10)
    for step in range(steps):
        loss, accuracy = moons_loss(model, X, targets)
        model.zero_grad()
        loss.backward()
        learning_rate = 1.0 - 0.9 * step / steps
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        if step % report_every == 0 or step == steps - 1:
            print(f"step {step:3d}   loss {loss.item():.4f}   accuracy {accuracy:4.0%}")
    return moons_loss(model, X, targets)[1]


def plot_decision_boundary(model: nn.MLP, X: np.ndarray, targets: np.ndarray,
                           gallery: bool) -> None:
    """The sign of the model's score over the plane, with the training points on top."""
    plt = pyplot()
    xx, yy, scores = on_grid(model, *padded_limits(X), steps=300)
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.contourf(xx, yy, scores > 0, levels=[-0.5, 0.5, 1.5], colors=["#f4c7a1", "#a9c9e8"])
    ax.contour(xx, yy, scores, levels=[0.0], colors="black", linewidths=1)
    for label, color in ((-1, "#d95f02"), (1, "#1f78b4")):
        points = X[targets == label]
        ax.scatter(points[:, 0], points[:, 1], c=color, edgecolors="black", s=30,
                   label=f"class {label:+d}")
    ax.set_title("MLP(2, [16, 16, 1]) on two moons: the learned decision boundary")
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.legend(loc="upper right")
    save_figure(fig, "demo_decision_boundary.png", gallery=gallery)


def save_neuron_graph(model: nn.MLP, point: np.ndarray) -> None:
    """Draw one neuron of the first layer at one point, micrograd style, after backward."""
    x = [Value(float(point[0]), label="x0"), Value(float(point[1]), label="x1")]
    index, neuron = next((i, n) for i, n in enumerate(model.layers[0].neurons)
                         if n(x).data > 0)  # an active neuron, so gradients flow through it
    out = neuron(x)
    out.label = "out"
    model.zero_grad()
    out.backward()
    (x0, x1), (w0, w1), b = (v.data for v in x), (w.data for w in neuron.w), neuron.b.data
    print(f"one neuron, number {index} of the first layer, at the point x = ({x0:.4f}, {x1:.4f}):")
    print(f"  w0 = {w0:.4f}   w1 = {w1:.4f}   b = {b:.4f}")
    print(f"  out = relu(w0*x0 + w1*x1 + b) = {out.data:.4f}")
    print(f"  backward: d out/d w0 = x0 = {neuron.w[0].grad:.4f}   "
          f"d out/d x0 = w0 = {x[0].grad:.4f}")
    save_picture(draw_graph(out), "demo_graph.png")


def main() -> None:
    args = parse_args(__doc__, steps=(100, 30))
    steps = args.steps
    X, y = nn.make_moons(100, noise=0.1, seed=1)
    targets = 2.0 * y - 1.0  # the hinge loss wants labels -1 and +1
    model = nn.MLP(2, [16, 16, 1], seed=1)
    print(f"model: MLP(2, [16, 16, 1]) with {len(model.parameters())} parameters")
    print(f"data: {len(X)} points of two moons, classes -1 and +1\n")
    accuracy = train(model, X, targets, steps)
    print(f"\nfinal accuracy: {accuracy:.0%} of {len(X)} points\n")
    plot_decision_boundary(model, X, targets, args.gallery)
    save_neuron_graph(model, X[0])
    print("\nPictures: examples/output/demo_decision_boundary.png (the boundary) and "
          "examples/output/demo_graph.png (one neuron's computation graph).")


if __name__ == "__main__":
    main()
