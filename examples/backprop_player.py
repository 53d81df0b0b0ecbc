"""Watch backpropagation happen: a step-through player of a neuron and of a small MLP.

`autograd.play_backprop(output)` returns a player of the graph behind `output`: the forward
pass one operation at a time, then the backward pass from the output's gradient of 1, each
operation handing every input its part (upstream gradient × local derivative). Its numbers are
the engine's own: a replayed backward pass that stores nothing, so every `.grad` is left alone.
Open the pages in a browser (from disk, offline): next/previous, play/pause, the slider and
the keys ← → space Home End step through it.

What to look for:
- examples/output/neuron_backprop.html (and .gif): micrograd's neuron, o = tanh(x1*w1 + x2*w2
  + b). tanh turns do/do = 1 into 1 - o² = 0.5, both "+" pass 0.5 on unchanged, and each "*"
  hands a weight the upstream 0.5 times the input it multiplies: w1 gets 0.5 × 2 = 1, w2 gets
  0.5 × 0 = 0;
- examples/output/mlp_backprop.html: `nn.MLP(2, [2, 1])` on two samples, squared error. Every
  weight is used once per sample, so it receives two parts, one from each sample's path, and
  its gradient is their sum ("its 2nd of 2 parts: ... so far"): the sum the course's
  backpropagation section adds by hand. Each neuron is a frame (its name scope); click a frame
  to fold it.

Run it with `python examples/backprop_player.py` (`--quick` for the CI run; `--gallery` also
rewrites the README's examples/gallery/neuron_backprop.gif).
"""

from _common import parse_args, save_picture

import nn
from autograd import Value, grad, play_backprop

CHECKS = [
    r"neuron: 11 steps \(5 forward, 6 backward\), o = 0\.7071",
    r"step 7 of 11: `tanh` hands n the gradient 1\.0000 × 0\.5000 = 0\.5000",
    r"step 11 of 11: `\*` hands x1 the gradient 0\.5000 × -3\.0000 = -1\.5000 and w1 the "
    r"gradient 0\.5000 × 2\.0000 = 1\.0000",
    r"after the player: w1\.grad = 0\.0000 \(untouched\); after backward\(\): w1\.grad = 1\.0000",
    r"saved examples/output/neuron_backprop\.html",
    r"saved examples/output/neuron_backprop\.gif",
    r"MLP: \d+ steps; each of its 9 parameters receives 2 parts",
    r"the first neuron's first weight \(\w+\): parts (-?\d+\.\d{4}) \+ (-?\d+\.\d{4}) = "
    r"(-?\d+\.\d{4}); "
    r"backward\(\) gives \3",
    r"player: .*its 2nd of 2 parts: -?\d+\.\d{4} so far",
    r"saved examples/output/mlp_backprop\.html",
]


def micrograd_neuron() -> dict[str, Value]:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n, "o": o}


def neuron_player(gallery: bool) -> None:
    v = micrograd_neuron()
    player = play_backprop(v["o"])
    forward = sum(scene.phase == "forward" for scene in player.scenes)
    print(f"neuron: {len(player)} steps ({forward} forward, {len(player) - forward} backward), "
          f"o = {v['o'].data:.4f}")
    for step in player.steps[forward:]:
        print(step)
    before = v["w1"].grad
    v["o"].backward()
    print(f"after the player: w1.grad = {before:.4f} (untouched); after backward(): "
          f"w1.grad = {v['w1'].grad:.4f}")
    save_picture(player, "neuron_backprop.html")
    save_picture(player, "neuron_backprop.gif", gallery=gallery, shown=False)


def mlp_player() -> None:
    model = nn.MLP(2, [2, 1], seed=4)
    samples = [([2.0, -1.0], 1.0), ([0.5, 1.5], -1.0)]
    errors = [(model(x) - y) ** 2 for x, y in samples]
    loss = errors[0] + errors[1]
    loss.label = "loss"
    player = play_backprop(loss)
    parameters = model.parameters()
    print(f"MLP: {len(player)} steps; each of its {len(parameters)} parameters receives "
          f"{len(samples)} parts, one from each sample")
    weight = parameters[0]  # the first neuron's first weight
    # what each sample's path gives it (grad stores nothing; the graph is kept for backward)
    parts = [grad(error, [weight], retain_graph=True)[0] for error in errors]
    loss.backward()
    print(f"the first neuron's first weight ({weight.label}): parts {parts[0]:.4f} + "
          f"{parts[1]:.4f} = "
          f"{parts[0] + parts[1]:.4f}; backward() gives {weight.grad:.4f}")
    second = [step for step in player.steps if "its 2nd of 2 parts" in step]
    print(f"player: {second[-1]}")
    save_picture(player, "mlp_backprop.html")


def main() -> None:
    args = parse_args(__doc__)
    neuron_player(args.gallery)
    mlp_player()


if __name__ == "__main__":
    main()
