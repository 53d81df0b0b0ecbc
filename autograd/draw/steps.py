"""The steps of backpropagation through a graph, as the engine takes them: the forward order
of the values, then each operation's rules running in the order of a backward pass, with the
numbers the engine's own replayed pass reports (`autograd.engine.replay`: no `.grad` is
stored, nothing is released).

>>> from autograd import Value
>>> w = Value(3.0, label="w")
>>> y = w * w + w                          # w is used three times: its parts add up
>>> played = replay_steps(y)
>>> [(s.value.op, [(h.parent.label, h.part, h.total) for h in s.handoffs]) for s in played.backward]
[('add', [('', 1.0, 1.0), ('w', 1.0, 1.0)]), ('mul', [('w', 3.0, 4.0), ('w', 3.0, 7.0)])]
>>> played.gradients[id(w)], w.grad     # d y/d w = 2w + 1 = 7; w's own .grad untouched
(7.0, 0.0)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd.draw.engine_access import local_derivative
from autograd.draw.walk import forward_order
from autograd.engine import Node, replay
from autograd.value import Value


@dataclass
class Handoff:
    """What one gradient rule handed one input."""

    position: int  # which input of the operation
    parent: Value  # that input
    local: Any  # d result / d input (None when the result has several elements)
    part: Any  # what the rule handed over: upstream x local, as the engine computed it
    total: Any  # what the input has gathered so far, this part included
    count: int = 0  # this is the input's count-th part ...
    parts: int = 0  # ... of this many in the whole pass


@dataclass
class BackwardStep:
    """One operation's rules running: its result's complete gradient goes to its inputs."""

    value: Value  # the result of the operation
    upstream: Any  # d output / d value, complete
    handoffs: list[Handoff] = field(default_factory=list)


@dataclass
class Played:
    """A whole walk through the graph behind `output`."""

    output: Value
    forward: list[Value]  # every Value, each after its inputs
    seed: Any  # d output / d output
    backward: list[BackwardStep]  # in the order the engine runs the rules
    gradients: dict[int, Any]  # by id: the complete gradient of each Value the pass reached


def _copy(x: Any) -> Any:
    # The pass may still add into an array it reported: keep what it was at that moment.
    return x.copy() if isinstance(x, np.ndarray) else x


class _Recorder:
    """The watcher of a replayed pass (see autograd.engine.Watcher)."""

    def __init__(self) -> None:
        self.seed: Any = None
        self.steps: list[BackwardStep] = []
        self.gradients: dict[int, Any] = {}

    def gathered(self, node: Node, gradient: Any) -> None:
        gradient = _copy(gradient)
        if self.seed is None:
            self.seed = gradient
        self.gradients[id(node)] = gradient
        if node.op is not None:
            assert isinstance(node, Value), "the graph of a Value is made of Values"
            self.steps.append(BackwardStep(node, gradient))

    def sent(self, node: Node, i: int, parent: Node, part: Any, total: Any) -> None:
        step = self.steps[-1]
        assert step.value is node, "the engine runs one operation's rules at a time"
        assert isinstance(parent, Value), "the graph of a Value is made of Values"
        step.handoffs.append(Handoff(i, parent, local_derivative(node, i), _copy(part),
                                     _copy(total)))


def replay_steps(output: Value) -> Played:
    """Replay backpropagation from the single-element `output` and keep every step.

    Raises `GraphError` as `autograd.engine.replay` does (a tensor graph that backward()
    released, data changed since the graph was recorded, an output that needs no gradient).
    """
    recorder = _Recorder()
    replay(output, recorder)
    counts: Counter[int] = Counter()
    for step in recorder.steps:
        for handoff in step.handoffs:
            counts[id(handoff.parent)] += 1
            handoff.count = counts[id(handoff.parent)]
    for step in recorder.steps:
        for handoff in step.handoffs:
            handoff.parts = counts[id(handoff.parent)]
    return Played(output, forward_order(output), recorder.seed, recorder.steps,
                  recorder.gradients)
