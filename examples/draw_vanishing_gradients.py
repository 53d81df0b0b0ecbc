"""Vanishing gradients: deep sigmoid, tanh and ReLU networks at initialisation and in training.

Each network stacks 8 `nn.Linear` layers of width 8 in an `nn.Sequential`, with a sigmoid, a
tanh or a ReLU after every hidden layer, and scores 16 random points with the mean squared
error. After one `backward()` the gradient norm of each layer's weights is printed and drawn as
a bar chart, and each graph is drawn top to bottom with every value coloured by log10 of its
gradient's norm, on one scale shared by the three pictures.

Then each network trains for 10 epochs (SGD, learning rate 0.1, batches of 16 of 256 points)
with `nn.GradientFlow` watching: per epoch and per layer, the gradient norm and how much each
step changes the weights (the update over the weight norm), the ReLUs dead for a whole epoch
and the sigmoid and tanh outputs saturated (within 1% of their range from a limit).

What to look for:
- the printed gradient norms, from the input side: in the sigmoid network they shrink layer
  after layer on the way back (the sigmoid's slope is at most 1/4), so the first layer's
  gradient is thousands of times smaller than the last one's; tanh (slope up to 1) loses much
  less; in the ReLU network (slope 1 where active) they stay within a small factor;
- examples/output/vanishing_gradients.png: the bars on a log scale, one group per layer;
- examples/output/vanishing_sigmoid.svg: the colours fade from yellow at the loss to dark
  violet at the first layer, the picture of a vanishing gradient;
- examples/output/vanishing_tanh.svg and vanishing_relu.svg: the colours stay bright much
  further toward the input;
- in training: the sigmoid network's loss hardly moves, because its first layer's steps change
  its weights by about a millionth (1e-6 at 8 layers, 1e-4 at 5), far below the 1e-3 rule of
  thumb, while its last layer's change by percents; its units are not saturated (0%): the
  gradient vanishes because the sigmoid's slope is at most 1/4 even in its middle. The tanh
  and ReLU networks learn, their layers' updates within about a factor of 10; in the
  ReLU network a few units die (zero on every point, so they pass no gradient and never
  recover);
- examples/output/vanishing_training_<network>.png: `history.plot()` of each training run.

Run it with `python examples/draw_vanishing_gradients.py` (`--quick`: 5 layers instead of 8).
"""

import math

import numpy as np
from _common import parse_args, pyplot, save_figure, save_picture

import nn
from autograd import Value, draw_graph

CHECKS = [
    r"sigmoid network, weight gradient norm by layer: (\d\.\de[-+]\d\d  ){5,}",
    r"tanh network, weight gradient norm by layer: (\d\.\de[-+]\d\d  ){5,}",
    r"relu network, weight gradient norm by layer: (\d\.\de[-+]\d\d  ){5,}",
    r"sigmoid network: first layer / last layer = \d\.\de-0[3-9]",
    r"tanh network: first layer / last layer = \d\.\de[-+]0[0-2]",
    r"relu network: first layer / last layer = \d\.\de[-+]0[01]",
    r"shared colour scale: 1e-\d+ to 1e[-+]?\d+",
    r"saved examples/output/vanishing_gradients\.png",
    r"saved examples/output/vanishing_sigmoid\.svg",
    r"saved examples/output/vanishing_tanh\.svg",
    r"saved examples/output/vanishing_relu\.svg",
    r"sigmoid network, 10 epochs: loss 0\.\d{3} -> 0\.\d{3}; gradient norm, first layer / last "
    r"= \d\.\de-0[3-9]; update / weight per step: first layer \d\.\de-0[4-9], last layer "
    r"\d\.\de-0[12]",
    r"tanh network, 10 epochs: loss 0\.\d{3} -> 0\.0\d{2}; gradient norm, first layer / last "
    r"= \d\.\de[-+]0[01]; update / weight per step: first layer \d\.\de-0[23], last layer "
    r"\d\.\de-0[1-3]",
    r"relu network, 10 epochs: loss 0\.\d{3} -> 0\.0\d{2}; gradient norm, first layer / last "
    r"= \d\.\de[-+]0[01]; update / weight per step: first layer \d\.\de-0[23], last layer "
    r"\d\.\de-0[12]",
    r"sigmoid network: saturated outputs by sigmoid module, last epoch: (0%  ){4}",
    r"relu network: units dead for the whole last epoch, by ReLU module: (\d+%  ){3,}",
    r"relu network: units dead for the whole last epoch, .*[1-9]\d?%",
    r"saved examples/output/vanishing_training_sigmoid\.png",
    r"saved examples/output/vanishing_training_relu\.png",
]

WIDTH = 8
POINTS = 16
TRAINING_POINTS, EPOCHS, BATCH, LEARNING_RATE = 256, 10, 16, 0.1
NETWORKS = (("sigmoid", nn.Sigmoid, "glorot"), ("tanh", nn.Tanh, "glorot"), ("relu", nn.ReLU, "he"))


def deep_network(depth: int, activation: type[nn.Module], init: str) -> nn.Sequential:
    """`depth` Linear layers of width 8 (2 inputs, 1 output), `activation` between them."""
    sizes = [2] + [WIDTH] * (depth - 1) + [1]
    modules: list[nn.Module] = []
    for i in range(depth):
        modules.append(nn.Linear(sizes[i], sizes[i + 1], seed=i, init=init))
        if i < depth - 1:
            modules.append(activation())
    return nn.Sequential(*modules)


def weight_gradient_norms(model: nn.Sequential) -> list[float]:
    return [float(np.linalg.norm(layer.weight.grad)) for layer in model.layers
            if isinstance(layer, nn.Linear)]


def plot_norms(norms: dict[str, list[float]], gallery: bool) -> None:
    """Bars of each layer's weight gradient norm, one colour per activation, on a log scale."""
    plt = pyplot()
    figure, ax = plt.subplots(figsize=(8, 4))
    layers = np.arange(1, len(next(iter(norms.values()))) + 1)
    width = 0.8 / len(norms)
    for i, (name, by_layer) in enumerate(norms.items()):
        ax.bar(layers + (i - 1) * width, by_layer, width, label=name)
    ax.set_yscale("log")
    ax.set_xticks(layers)
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel("norm of the weight gradient")
    ax.set_title("Gradient norm per layer at initialisation")
    ax.legend()
    save_figure(figure, "vanishing_gradients.png", gallery=gallery)


def train_watching_the_gradient_flow(name: str, activation: type[nn.Module], init: str,
                                     depth: int) -> nn.History:
    """Train a fresh network of the kind with nn.GradientFlow watching; print what it saw."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(TRAINING_POINTS, 2))
    y = np.sin(X.sum(axis=1))  # one target per point: fit pairs it with the (N, 1) output
    model = deep_network(depth, activation, init)
    history = nn.fit(model, nn.mse_loss, nn.SGD(model.parameters(), lr=LEARNING_RATE), X, y,
                     epochs=EPOCHS, batch_size=BATCH, progress=False, seed=0,
                     callbacks=[nn.GradientFlow()])
    norms = [np.mean(by_epoch) for by_epoch in history.gradient_norm.values()]
    ratios = [np.mean(by_epoch) for by_epoch in history.update_ratio.values()]
    print(f"{name} network, {history.epochs} epochs: loss {history.train_loss[0]:.3f} -> "
          f"{history.train_loss[-1]:.3f}; gradient norm, first layer / last = "
          f"{norms[0] / norms[-1]:.1e}; update / weight per step: first layer {ratios[0]:.1e}, "
          f"last layer {ratios[-1]:.1e}")
    if history.dead_fraction:
        print(f"{name} network: units dead for the whole last epoch, by ReLU module: "
              + "".join(f"{by_epoch[-1]:.0%}  " for by_epoch in history.dead_fraction.values()))
    else:
        print(f"{name} network: saturated outputs by {name} module, last epoch: "
              + "".join(f"{by_epoch[-1]:.0%}  "
                        for by_epoch in history.saturated_fraction.values()))
    return history


def main() -> None:
    args = parse_args(__doc__)
    depth = 5 if args.quick else 8
    rng = np.random.default_rng(0)
    X = rng.normal(size=(POINTS, 2))
    y = np.sin(X.sum(axis=1, keepdims=True))
    losses: dict[str, Value] = {}
    norms: dict[str, list[float]] = {}
    for name, activation, init in NETWORKS:
        model = deep_network(depth, activation, init)
        loss = nn.mse_loss(model(X), y)
        loss.label = "loss"
        loss.backward(retain_graph=True)  # keeps the graph, which is drawn below
        losses[name] = loss
        by_layer = norms[name] = weight_gradient_norms(model)
        print(f"{name} network, weight gradient norm by layer: "
              + "".join(f"{norm:.1e}  " for norm in by_layer))
        print(f"{name} network: first layer / last layer = {by_layer[0] / by_layer[-1]:.1e}")

    plot_norms(norms, args.gallery)
    # One scale for all pictures, in whole decades, reaching the loss's own gradient of 1.
    every_norm = [norm for by_layer in norms.values() for norm in by_layer]
    low = 10.0 ** math.floor(math.log10(min(every_norm)))
    high = 10.0 ** math.ceil(math.log10(max(*every_norm, 1.0)))
    print(f"shared colour scale: 1e{round(math.log10(low))} to 1e{round(math.log10(high))}")
    for name, loss in losses.items():
        diagram = draw_graph(loss, rankdir="TB", color_by_grad=True, grad_range=(low, high))
        save_picture(diagram, f"vanishing_{name}.svg")

    print(f"\ntraining each network on {TRAINING_POINTS} points, watched by nn.GradientFlow:")
    for name, activation, init in NETWORKS:
        history = train_watching_the_gradient_flow(name, activation, init, depth)
        figure = history.plot()
        figure.suptitle(f"{depth}-layer {name} network in training", y=1.02)
        save_figure(figure, f"vanishing_training_{name}.png")


if __name__ == "__main__":
    main()
