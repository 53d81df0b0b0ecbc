"""Non-linear data: a multi-layer perceptron separates two circles, walked through layer by layer.

The points of one class lie on a circle inside the other's, so no straight line separates them:
a linear model (logistic regression) stays at chance. A network with two hidden layers of 8 tanh
units learns a closed boundary around the inner circle.

Then one point goes through the trained network by hand: each layer's output (the forward
pass), the probability and the loss, and then `backward()`, which sends the gradient of the
loss back through the same layers: d loss/d logit = p - y at the top, and each layer's gradient
comes from the one after it (the chain rule). `autograd.gradcheck` confirms the result: it
moves every weight a tiny step up and down and compares the change of the loss (central finite
differences) with the backpropagated gradient.

What to look for:
- the linear model's accuracy near 50% against the network's near 100%, on held-out points;
- the walk-through: the output of every layer, then the gradients from the loss back to the
  input, and the gradient check passing for every weight, bias and input;
- examples/output/mlp_backpropagation.png: the linear model's boundary against the network's
  closed boundary, with the walked-through point marked.

Run: python examples/mlp_backpropagation.py (add --quick for fewer epochs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from _common import on_grid, parse_args, pyplot, save_figure

import nn
from autograd import Value, gradcheck, no_grad

if TYPE_CHECKING:
    from matplotlib.axes import Axes

CHECKS = [
    r"linear model \(logistic regression\): +held-out accuracy [3-6]\d\.\d%",
    r"MLP 2-8-8-1 with tanh: +held-out accuracy (9[5-9]|100)\.\d%",
    r"^ +Linear +z1 = \[.*\]\n +Tanh +h1 = \[.*\]\n +Linear +z2 = \[.*\]\n +Tanh +h2 = \[.*\]\n"
    r" +Linear +logit = -?\d+\.\d{4}",
    r"d loss/d logit = (-?\d\.\d{4}) += p - y = \1",
    r"d loss/d x += \[ *-?\d+\.\d{4}, +-?\d+\.\d{4}\]",
    r"through Tanh, d in = d out \* \(1 - out\^2\): yes; through Linear, d in = d out @ "
    r"weight: yes",
    r"gradient check \(autograd\.gradcheck\): the backpropagated gradients of all 105 weights "
    r"and biases and of the 2 inputs agree with central finite differences",
    r"saved examples/output/mlp_backpropagation\.png",
]

LAYER_NAMES = ["z1", "h1", "z2", "h2", "logit"]  # the outputs of the model's five modules


def make_mlp() -> nn.Sequential:
    """2 inputs, two hidden layers of 8 tanh units, 1 output (the logit of class 1)."""
    return nn.Sequential(nn.Linear(2, 8, seed=0, init="glorot"), nn.Tanh(),
                         nn.Linear(8, 8, seed=1, init="glorot"), nn.Tanh(),
                         nn.Linear(8, 1, seed=2, init="glorot"))


def train(model: nn.Module, train_set: tuple[np.ndarray, np.ndarray],
          test_set: tuple[np.ndarray, np.ndarray], epochs: int) -> float:
    """Adam on the binary cross-entropy of the logits; returns the held-out accuracy."""
    history = nn.fit(model, nn.binary_cross_entropy_with_logits,
                     nn.Adam(model.parameters(), lr=0.05), *train_set, epochs=epochs,
                     validation=test_set, task="binary_logits", progress=False, seed=0)
    return history.val_accuracy[-1]


def numbers(values: np.ndarray) -> str:
    """A row of numbers in brackets, four decimals each."""
    return "[" + ", ".join(f"{v:7.4f}" for v in np.ravel(values)) + "]"


def point_loss(model: nn.Sequential, x: Value, label: float) -> tuple[Value, list[Value]]:
    """The loss of one point, and the output of each of the model's modules on the way."""
    outputs = [x]
    for module in model:
        outputs.append(module(outputs[-1]))
    return nn.binary_cross_entropy_with_logits(outputs[-1], [[label]]), outputs[1:]


def show_forward(model: nn.Sequential, x: Value, label: int,
                 outputs: list[Value], loss: Value) -> float:
    """Print each module's output, the probability and the loss; return the probability."""
    print(f"\nforward pass for the point x = {numbers(x.data)}, class {label}:")
    for module, name, out in zip(model, LAYER_NAMES, outputs, strict=True):
        shown = f"{out.item():.4f}" if out.size == 1 else numbers(out.data)
        print(f"  {type(module).__name__:<8} {name:>5} = {shown}")
    p = nn.sigmoid(outputs[-1].item())
    print(f"  sigmoid      p = {p:.4f}   (the probability of class 1)")
    print(f"  loss = -[y log p + (1 - y) log(1 - p)] = {loss.item():.4f}")
    return p


def show_backward(model: nn.Sequential, x: Value, outputs: list[Value]) -> None:
    """Print the gradient of the loss at each module's output, from the top down, and check
    each step of the chain rule by hand."""
    for name, out in zip(LAYER_NAMES[-2::-1], outputs[-2::-1], strict=True):
        print(f"  d loss/d {name:<5} = {numbers(out.grad)}")
    print(f"  d loss/d x     = {numbers(x.grad)}")
    steps = list(zip(model, [x, *outputs[:-1]], outputs, strict=True))  # (module, in, out)
    through_tanh = all(np.allclose(i.grad, o.grad * (1 - o.data**2))
                       for m, i, o in steps if isinstance(m, nn.Tanh))
    through_linear = all(np.allclose(i.grad, o.grad @ m.weight.data)  # out = in @ weight.T
                         for m, i, o in steps if isinstance(m, nn.Linear))
    print("  each step is the chain rule, checked by hand:\n"
          f"    through Tanh, d in = d out * (1 - out^2): {'yes' if through_tanh else 'NO'}; "
          f"through Linear, d in = d out @ weight: {'yes' if through_linear else 'NO'}")
    print("  gradient norms of the parameters:")
    for name, parameter in model.named_parameters():
        print(f"    {name:<16} shape {str(parameter.shape):<7} |gradient| = "
              f"{np.linalg.norm(parameter.grad):.4f}")


def walk_through(model: nn.Sequential, point: np.ndarray, label: int) -> None:
    """Forward and backward through the network for one point, printed layer by layer, and
    the backpropagated gradients checked against finite differences."""
    x = Value(point[None, :], label="x")  # a batch of one point; x requires a gradient too
    loss, outputs = point_loss(model, x, float(label))
    p = show_forward(model, x, label, outputs, loss)
    model.zero_grad()
    loss.backward()
    print("\nbackward pass, from the loss back to the input (the chain rule, layer by layer):")
    print(f"  d loss/d logit = {outputs[-1].grad.item():.4f}   = p - y = {p - label:.4f}")
    show_backward(model, x, outputs)

    parameters = model.parameters()
    # gradcheck moves x and every parameter in place; the loss reads the parameters from model
    gradcheck(lambda x, *parameters: point_loss(model, x, float(label))[0], [x, *parameters])
    print(f"\ngradient check (autograd.gradcheck): the backpropagated gradients of all "
          f"{sum(p.size for p in parameters)} weights and biases and of the {x.size} inputs "
          "agree with central finite differences")


def plot_boundary(ax: Axes, model: nn.Module, X: np.ndarray, y: np.ndarray, title: str,
                  point: np.ndarray) -> None:
    """The model's probability of class 1 over the plane, its boundary, the points."""
    xx, yy, logits = on_grid(model, (-1.6, 1.6), (-1.6, 1.6), steps=241)
    ax.contourf(xx, yy, nn.sigmoid(logits), levels=np.linspace(0, 1, 11), cmap="RdBu",
                alpha=0.6)
    ax.contour(xx, yy, logits, levels=[0.0], colors="black", linewidths=1.5)
    for label, color in ((0, "#d95f02"), (1, "#1f78b4")):
        ax.scatter(*X[y == label].T, c=color, edgecolors="black", s=20, label=f"class {label}")
    ax.scatter(*point, marker="*", s=300, c="yellow", edgecolors="black", zorder=3,
               label="the walked-through point")
    ax.set(xlabel="x1", ylabel="x2", title=title, aspect="equal")
    ax.legend(loc="upper right", fontsize=8)


def main() -> None:
    args = parse_args(__doc__, epochs=(300, 100))
    epochs = args.epochs
    X, y = nn.make_circles(200, noise=0.1, factor=0.5, seed=0)
    X_test, y_test = nn.make_circles(200, noise=0.1, factor=0.5, seed=1)
    train_set, test_set = (X, y[:, None].astype(float)), (X_test, y_test[:, None].astype(float))
    print(f"{len(X)} training points on two circles (class 1 inside), {len(X_test)} held out; "
          f"{epochs} epochs of Adam\n")

    linear, mlp = nn.Linear(2, 1, seed=0), make_mlp()
    print(f"linear model (logistic regression):  held-out accuracy "
          f"{train(linear, train_set, test_set, epochs):.1%}")
    print(f"MLP 2-8-8-1 with tanh:               held-out accuracy "
          f"{train(mlp, train_set, test_set, epochs):.1%}")

    with no_grad():
        margins = mlp(X).data.ravel() * (2 * y - 1)
    hardest = int(np.argmin(margins))  # the training point the network is least sure of
    walk_through(mlp, X[hardest], int(y[hardest]))

    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(13, 6))
    plot_boundary(axes[0], linear, X, y, "Linear model: one straight line, no good",
                  X[hardest])
    plot_boundary(axes[1], mlp, X, y, "MLP 2-8-8-1: a closed boundary", X[hardest])
    fig.tight_layout()
    save_figure(fig, "mlp_backpropagation.png")


if __name__ == "__main__":
    main()
