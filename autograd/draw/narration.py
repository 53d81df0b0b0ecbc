"""What the player shows at each step: a sentence, a side panel, the nodes it highlights, the
nodes that appear and the gradients that change. The page and the GIF show the same scenes.

The forward pass comes first, one operation at a time in an order the forward pass could have
taken (the leaves an operation reads appear with it); then the backward pass starts at the
output with a gradient of one, and each operation's rules run in the engine's order, handing
each input its part. Operations beyond the node limit are told in one scene per run.

>>> from autograd import Value
>>> from autograd.draw.layout import Layout
>>> from autograd.draw.steps import replay_steps
>>> x, w = Value(2.0, label="x"), Value(-3.0, label="w")
>>> y = x * w
>>> y.label = "y"
>>> played = replay_steps(y)
>>> layout = Layout(y, gradient=lambda v: played.gradients.get(id(v)))
>>> for scene in tell(played, layout):    # doctest: +NORMALIZE_WHITESPACE
...     print(scene.text, scene.active, scene.grads)
step 1 of 3: `*` computes y = -6.0000 from x = 2.0000 and w = -3.0000 ['v0_op', 'v0'] {}
step 2 of 3: the backward pass starts at y: dy/dy = 1.0000 ['v0'] {'v0': ('grad 1.0000', 'done')}
step 3 of 3: `*` hands x the gradient 1.0000 × -3.0000 = -3.0000
    and w the gradient 1.0000 × 2.0000 = 2.0000 ['v0_op', 'v0']
    {'v1': ('grad -3.0000', 'done'), 'v2': ('grad 2.0000', 'done')}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.draw import labels
from autograd.draw.layout import Layout
from autograd.draw.steps import BackwardStep, Handoff, Played
from autograd.value import Value


@dataclass
class Panel:
    """The side panel: a title, facts (name, value) and a table of the inputs."""

    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Scene:
    """One step of the player. Node names are the layout's ("v3", "v3_op", "omitted")."""

    phase: str  # "forward" or "backward"
    text: str  # "step 7 of 18: `*` hands w1 the gradient ..."; operations between backticks
    panel: Panel
    active: list[str]  # the nodes this step is about
    receiving: list[str] = field(default_factory=list)  # backward: the inputs given a part
    appear: list[str] = field(default_factory=list)  # nodes shown from this step on
    grads: dict[str, tuple[str, str]] = field(default_factory=dict)  # value node -> (its
    # gradient as its record says it, "partial" while more parts are to come, else "done")


def amount(x: Any) -> str:
    """A gradient or a derivative in a few characters: a number, or a tensor's shape and norm
    (up to four numbers are shown as they are)."""
    if isinstance(x, np.ndarray) and x.size != 1:
        if x.size <= 4:
            return f"{labels.summary(x)} (shape {x.shape})"
        return f"shape {x.shape}, norm {labels.number(labels.norm(x))}"
    return labels.number(float(np.asarray(x).item() if isinstance(x, np.ndarray) else x))


def amount_in_full(x: Any) -> str:
    """As `amount`, and for a larger tensor a few numbers too (min, mean, max)."""
    if isinstance(x, np.ndarray) and x.size > 4:
        return f"{amount(x)}; {labels.summary(x)}"
    return amount(x)


def data_text(value: Value) -> str:
    if type(value.data) is float or value.size == 1:
        return labels.number(float(value.item()))
    return amount_in_full(np.asarray(value.data)).replace("norm", "norm of the data", 1)


def name(value: Value) -> str:
    """How a sentence calls a value: its label, else what made it."""
    if value.label:
        return value.label
    return "an input" if value.op is None else f"the `{labels.symbol(value)}` result"


def listing(parts: list[str]) -> str:
    """a, b and c"""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def tell(played: Played, layout: Layout) -> list[Scene]:
    """The scenes of the whole walk, numbered."""
    scenes = _Story(played, layout).scenes
    for k, scene in enumerate(scenes, 1):
        scene.text = f"step {k} of {len(scenes)}: {scene.text}"
    return scenes


class _Story:
    def __init__(self, played: Played, layout: Layout) -> None:
        self.layout = layout
        self.output = played.output
        self.output_name = played.output.label or "the output"
        self.scenes: list[Scene] = []
        self.shown: set[int] = set()  # the indices of the values already on stage
        run: list[Value] = []
        for value in played.forward:
            if value.op is None:
                continue  # a leaf appears with the first drawn operation that reads it
            if self.drawn(value):
                self.flush_forward(run)
                self.forward(value)
            else:
                run.append(value)
        self.flush_forward(run)
        if not self.shown:  # the output is a leaf: there is no operation to show
            self.scenes.append(Scene("forward", f"{name(self.output)} is an input: "
                                     f"{data_text(self.output)}", Panel("Forward"), ["v0"],
                                     appear=["v0"]))
        self.seed(played.seed)
        steps: list[BackwardStep] = []
        for step in played.backward:
            if self.drawn(step.value):
                self.flush_backward(steps)
                self.backward(step)
            else:
                steps.append(step)
        self.flush_backward(steps)

    # -- the forward pass ----------------------------------------------------------------------
    def index(self, value: Value) -> int:
        return self.layout.index[id(value)]

    def drawn(self, value: Value) -> bool:
        return self.index(value) in self.layout.is_drawn

    def node(self, value: Value) -> str:
        return self.layout.node_name(self.index(value))

    def forward(self, value: Value) -> None:
        i = self.index(value)
        appear = self.layout.nodes_of(i)
        self.shown.add(i)
        inputs, rows = [], []
        for x in value.inputs:
            if isinstance(x, Value):
                inputs.append(f"{name(x)} = {data_text(x)}" if type(x.data) is float or
                              x.size == 1 else name(x))
                rows.append([name(x), data_text(x)])
                if self.drawn(x) and self.index(x) not in self.shown:
                    self.shown.add(self.index(x))
                    appear.append(self.node(x))
            else:
                inputs.append(f"the constant {labels.constant_text(x)}")
                rows.append(["a constant", labels.constant_text(x)])
        result = (f"{value.label} = {data_text(value)}" if value.label else data_text(value)) \
            if value.size == 1 else f"{name(value)}, {data_text(value)},"
        symbol = labels.symbol(value)
        facts = [("result", data_text(value))]
        settings = labels.op_lines(value)[1:]
        if settings:
            facts.append(("settings", ", ".join(settings)))
        panel = Panel(f"Forward: `{symbol}`" + (f" in {value.scope}" if value.scope else ""),
                      facts, ["input", "data"], rows)
        self.scenes.append(Scene("forward", f"`{symbol}` computes {result} from "
                                 f"{listing(inputs)}", panel,
                                 [self.layout.op_name(i), f"v{i}"], appear=appear))

    def flush_forward(self, run: list[Value]) -> None:
        if not run:
            return
        ops = Counter(value.op or "leaf" for value in run)  # as draw_graph counts them
        count = labels.plural(len(run), "value")
        self.scenes.append(Scene(
            "forward", f"… {count} not drawn {'is' if len(run) == 1 else 'are'} computed "
            f"({labels.counts_text(ops)})",
            Panel("Forward: the values not drawn", [("operations", labels.counts_text(ops))]),
            ["omitted"], appear=["omitted"]))
        run.clear()

    # -- the backward pass ---------------------------------------------------------------------
    def seed(self, seed: Any) -> None:
        out = self.output_name
        derivative = f"d{out}/d{out}" if self.output.label else "d output/d output"
        root = self.node(self.output)
        self.scenes.append(Scene(
            "backward", f"the backward pass starts at {out}: {derivative} = {amount(seed)}",
            Panel("Backward: the start", [("gradient of the output with respect to itself",
                                           amount(seed))]),
            [root], grads={root: (labels.grad_field(self.output, seed), "done")}))

    def handed(self, handoff: Handoff, upstream: Any) -> str:
        """What a sentence says of one handoff."""
        parent = name(handoff.parent)
        # one number times one number: the product is the part (a rule is linear in upstream)
        if handoff.local is not None and np.size(handoff.local) == 1 == np.size(upstream):
            words = (f"{parent} the gradient {amount(upstream)} × {amount(handoff.local)} = "
                     f"{amount(handoff.part)}")
        else:
            words = f"{parent} a gradient of {amount(handoff.part)}"
        if handoff.parts > 1:
            if handoff.count == 1:
                words += f" (the 1st of its {handoff.parts} parts)"
            else:
                words += (f" (its {ordinal(handoff.count)} of {handoff.parts} parts: "
                          f"{amount(handoff.total)} so far)")
        return words

    def changes(self, handoffs: list[Handoff]) -> tuple[dict[str, tuple[str, str]], list[str]]:
        """The gradients these parts change, by node, and the drawn inputs that receive."""
        grads = {}
        for handoff in handoffs:
            if self.drawn(handoff.parent):
                state = "done" if handoff.count == handoff.parts else "partial"
                grads[self.node(handoff.parent)] = (
                    labels.grad_field(handoff.parent, handoff.total), state)
        return grads, list(grads)

    def backward(self, step: BackwardStep) -> None:
        value = step.value
        i = self.index(value)
        symbol = labels.symbol(value)
        by_position = {handoff.position: handoff for handoff in step.handoffs}
        rows = []
        for j, x in enumerate(value.inputs):
            if not isinstance(x, Value):
                continue
            handoff = by_position.get(j)
            if handoff is None:
                rows.append([name(x), "—", "none: it needs no gradient", "—"])
                continue
            if handoff.local is None:
                local = (f"Jacobian {value.shape} × {x.shape}, applied by the rule without "
                         "being formed")
            else:
                local = amount_in_full(handoff.local)
            total = amount_in_full(handoff.total)
            if handoff.parts > 1:
                total += f" ({handoff.count} of {handoff.parts} parts)"
            if not self.drawn(x):
                total += " (not drawn)"
            rows.append([name(x), local, amount_in_full(handoff.part), total])
        grads, receiving = self.changes(step.handoffs)
        about = "upstream"
        if self.output.label:
            about = f"d{self.output_name}/d" + (value.label or f"({name(value)})")
        panel = Panel(f"Backward: `{symbol}`" + (f" in {value.scope}" if value.scope else ""),
                      [("upstream gradient", f"{about} = {amount_in_full(step.upstream)}")],
                      ["input", "local derivative", "handed over (upstream × local)",
                       "total so far"], rows)
        if step.handoffs:
            handed = listing([self.handed(h, step.upstream) for h in step.handoffs])
            text = f"`{symbol}` hands {handed}"
        else:
            text = f"`{symbol}` has no input that needs a gradient"
        self.scenes.append(Scene("backward", text, panel, [self.layout.op_name(i), f"v{i}"],
                                 receiving, grads=grads))

    def flush_backward(self, steps: list[BackwardStep]) -> None:
        if not steps:
            return
        ops = Counter(step.value.op or "leaf" for step in steps)
        handoffs = [handoff for step in steps for handoff in step.handoffs]
        grads, receiving = self.changes(handoffs)
        count = labels.plural(len(steps), "operation")
        text = f"… {count} not drawn hand on their gradients ({labels.counts_text(ops)})"
        reached = [h for h in handoffs if self.drawn(h.parent)]
        if reached:
            text += "; " + listing([f"{name(h.parent)} gets {amount(h.part)}" for h in reached])
        self.scenes.append(Scene(
            "backward", text, Panel("Backward: the operations not drawn",
                                    [("operations", labels.counts_text(ops))]),
            ["omitted"], receiving, grads=grads))
        steps.clear()
