"""The graph walk that the diagram and the player share: which Values led to the output, in
which order, and in which name scope each is drawn.

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> y = (x * x).exp()
>>> [v.label or v.op for v in walk(y).order]     # nearest to the output first
['exp', 'mul', 'x']
>>> [v.label or v.op for v in forward_order(y)]  # each Value after everything it needs
['x', 'mul', 'exp']
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from autograd.engine import GraphError
from autograd.value import Value


@dataclass
class Walk:
    """Every Value that led to the output, breadth first from it (nearest first), with `index`
    giving each one's place (by `id`) and `users` the Values computed from each leaf."""

    order: list[Value]
    index: dict[int, int]
    users: dict[int, list[Value]]


def walk(root: Value, caller: str = "draw_graph", doing: str = "draw") -> Walk:
    """Walk the graph behind `root`, iteratively, so any depth of graph works.

    A tensor result whose graph backward() released has no inputs left: that is refused with
    `GraphError`, in the words of `caller` (what it would `doing` with the graph).
    """
    order = [root]
    seen = {id(root)}
    users: dict[int, list[Value]] = defaultdict(list)
    for value in order:  # the list grows while we go through it
        if value.op is not None and not value.inputs:
            raise GraphError(
                f"{caller}: backward() released the graph behind {describe(value)}, so "
                f"there is nothing left to {doing}; {doing} it before backward(), or call "
                f"backward(retain_graph=True) to keep the graph for {doing}ing")
        for parent in value.inputs:
            if isinstance(parent, Value):
                if parent.op is None:
                    users[id(parent)].append(value)
                if id(parent) not in seen:
                    seen.add(id(parent))
                    order.append(parent)
    return Walk(order, {id(value): i for i, value in enumerate(order)}, users)


def forward_order(root: Value) -> list[Value]:
    """The Values behind `root` in an order the forward pass could have computed them: each
    after all of its inputs (depth first, without recursion)."""
    order: list[Value] = []
    seen = {id(root)}
    stack = [(root, iter(root.inputs))]
    while stack:
        value, inputs = stack[-1]
        for parent in inputs:
            if isinstance(parent, Value) and id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(parent.inputs)))
                break
        else:
            stack.pop()
            order.append(value)
    return order


def describe(value: Value) -> str:
    label = f"{value.label!r}, " if value.label else ""
    return f"the {value.op!r} result ({label}shape {value.shape})"


def scope_parts(scope: str | None) -> tuple[str, ...]:
    return tuple(scope.split("/")) if scope else ()


def common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    prefix = paths[0]
    for path in paths[1:]:
        n = 0
        while n < min(len(prefix), len(path)) and prefix[n] == path[n]:
            n += 1
        prefix = prefix[:n]
    return prefix


def group_keys(graph: Walk, depth: int | None) -> list[tuple[str, ...]]:
    """The scope each value is drawn in, cut to `depth` levels. A leaf goes where its users
    are: a parameter made outside any scope still belongs to the module that uses it."""
    keys = []
    for value in graph.order:
        if value.op is None and graph.users.get(id(value)):
            key = common_prefix([scope_parts(user.scope) for user in graph.users[id(value)]])
        else:
            key = scope_parts(value.scope)
        keys.append(key if depth is None else key[:depth])
    return keys
