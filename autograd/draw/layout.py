"""What is drawn where: one node per value and per operation, clusters or collapsed boxes for
name scopes, and the node limit. The diagram and the player draw through the same Layout.

Nodes are named by their place in the walk (`walk.Walk.order`): value i is "v{i}", the operation
that made it "v{i}_op", the j-th constant it was given "v{i}_c{j}", a collapsed scope "g{k}",
the values left out "omitted", the colour legend "legend"; a cluster is "cluster_" and its
scope path ("cluster_MLP/Layer0").

>>> from autograd import Value
>>> y = Value(2.0, label="x").exp()
>>> layout = Layout(y)
>>> layout.node_name(1), sorted(layout.edges)
('v1', [('v0_op', 'v0'), ('v1', 'v0_op')])
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import graphviz

from autograd.draw import labels
from autograd.draw.colors import GradScale, is_dark
from autograd.draw.engine_access import gradient_or_none
from autograd.draw.walk import Walk, group_keys, walk
from autograd.value import Value

Gradient = Callable[[Value], Any]  # the gradient shown for a value (None: not computed)


class Layout:
    """One drawing of the graph behind `root`: decides what is drawn where, then writes it as
    `self.diagram` (a `graphviz.Digraph` of class `diagram_class`).

    `gradient` gives what each value's record says of its gradient: by default the engine's
    `.grad` (None before a backward pass reached the value); the player passes the gradients
    it replayed.
    """

    def __init__(self, root: Value, rankdir: str = "LR", color_by_grad: bool = False,
                 grad_range: tuple[float, float] | None = None, group_by: str | None = None,
                 depth: int | None = None, max_nodes: int = 200,
                 gradient: Gradient = gradient_or_none,
                 diagram_class: type[graphviz.Digraph] = graphviz.Digraph,
                 graph: Walk | None = None) -> None:
        self.graph = graph if graph is not None else walk(root)
        self.order = self.graph.order
        self.index = self.graph.index
        self.gradient = gradient
        count = len(self.order)
        self.keys = group_keys(self.graph, depth) if group_by else [()] * count
        self.collapse = group_by == "collapse"
        if self.collapse:  # a box of leaves alone would hide them: they are drawn one by one
            with_ops = {key for key, value in zip(self.keys, self.order, strict=True)
                        if value.op is not None}
            self.keys = [key if key in with_ops else () for key in self.keys]
        self.boxes: dict[tuple[str, ...], Box] = {}
        self.drawn, self.omitted = self._choose(max_nodes)
        self.clusters: dict[tuple[str, ...], graphviz.Digraph] = {}
        self.edges: Counter[tuple[str, str]] = Counter()
        self.cut: list[str] = []  # nodes with inputs that were not drawn, in order

        omitted = self.omitted
        self.summary = (f"computation graph: {labels.plural(count, 'value')}, "
                        + ("all drawn" if not omitted else
                           f"{count - sum(omitted.values())} drawn, "
                           f"{labels.omitted_text(omitted)}"))
        self.diagram = diagram_class(comment=self.summary, graph_attr={"rankdir": rankdir})
        # A record's fields run across the rank direction; braces turn them back to a row.
        self.record_braces = rankdir in ("LR", "RL")
        self.scale = None
        if color_by_grad:
            magnitudes = [box.grad_norm() for box in self.boxes.values()]
            magnitudes += [labels.magnitude(gradient(self.order[i])) for i in self.drawn
                           if not self.in_box(i)]
            self.scale = GradScale(magnitudes, grad_range)

        for i in self.drawn:
            self._draw_value(i)
        for key, box in self.boxes.items():
            self.diagram.node(box.name, graphviz.nohtml(box.label(key)), shape="box",
                              penwidth="2", **self._fill(box.grad_norm(), "rounded"))
        self._attach_clusters()
        for (tail, head), n in self.edges.items():
            self.diagram.edge(tail, head, label=f"×{n}" if n > 1 else None)
        if omitted:
            self.diagram.node("omitted",
                              graphviz.nohtml(labels.escape(labels.omitted_text(omitted))),
                              shape="note", style="dashed")
            for head in dict.fromkeys(self.cut):
                self.diagram.edge("omitted", head, style="dashed")
        if self.scale is not None:
            self.diagram.node("legend", self.scale.legend(), shape="plaintext")

    def _choose(self, max_nodes: int) -> tuple[list[int], Counter[str]]:
        """The values drawn and, by operation, the values left out. Drawn are the first
        `max_nodes` units breadth first from the root; a unit is one value, or in collapse
        mode a whole scope, whose box is filled here."""
        units: set[Any] = set()
        drawn = []
        omitted: Counter[str] = Counter()
        for i, value in enumerate(self.order):
            unit = self.keys[i] if self.in_box(i) else i
            if unit in units or len(units) < max_nodes:
                units.add(unit)
                drawn.append(i)
                if self.in_box(i):
                    key = self.keys[i]
                    if key not in self.boxes:
                        self.boxes[key] = Box(f"g{len(self.boxes)}")
                    self.boxes[key].add(value, self.gradient(value))
            else:
                omitted[value.op or "leaf"] += 1
        self.is_drawn = set(drawn)
        return drawn, omitted

    def in_box(self, i: int) -> bool:
        return self.collapse and bool(self.keys[i])

    def node_name(self, i: int) -> str:
        """The node a value is drawn as: its own, or its scope's box."""
        return self.boxes[self.keys[i]].name if self.in_box(i) else f"v{i}"

    @staticmethod
    def op_name(i: int) -> str:
        """The node of the operation that made value i."""
        return f"v{i}_op"

    @staticmethod
    def constant_name(i: int, j: int) -> str:
        """The node of the plain number or array given as input j to value i's operation."""
        return f"v{i}_c{j}"

    def nodes_of(self, i: int) -> list[str]:
        """Every node drawn for value i (not in a box): its record, its operation and the
        constants given to that operation."""
        value = self.order[i]
        if value.op is None:
            return [f"v{i}"]
        return [f"v{i}", self.op_name(i)] + [self.constant_name(i, j) for j, x in
                                             enumerate(value.inputs) if not isinstance(x, Value)]

    def _container(self, key: tuple[str, ...]) -> graphviz.Digraph:
        """The (sub)graph a node of this scope goes into: its cluster, made with its parents."""
        if not key or self.collapse:
            return self.diagram
        if key not in self.clusters:
            self._container(key[:-1])
            self.clusters[key] = graphviz.Digraph(
                name=cluster_name(key).replace("&", "&amp;"),  # Graphviz reads &lt; as <
                graph_attr={"label": graphviz.nohtml(labels.escape(key[-1])), "style": "rounded",
                            "color": "grey50"})
        return self.clusters[key]

    def _attach_clusters(self) -> None:
        # A subgraph is copied into its parent when attached, so the deepest go first.
        for key in sorted(self.clusters, key=len, reverse=True):
            parent = self.diagram if len(key) == 1 else self.clusters[key[:-1]]
            parent.subgraph(self.clusters[key])

    def _draw_value(self, i: int) -> None:
        value = self.order[i]
        if self.in_box(i):
            target = self.node_name(i)
        else:
            graph = self._container(self.keys[i])
            grad = self.gradient(value)
            graph.node(f"v{i}", graphviz.nohtml(labels.value_label(value, grad,
                                                                    self.record_braces)),
                       shape="record", **self._fill(labels.magnitude(grad)))
            if value.op is None:
                return
            target = self.op_name(i)
            graph.node(target, graphviz.nohtml(labels.op_label(value)))
            self.edges[target, f"v{i}"] += 1
        for j, parent in enumerate(value.inputs):
            if isinstance(parent, Value):
                k = self.index[id(parent)]
                if k not in self.is_drawn:
                    self.cut.append(target)
                elif self.node_name(k) != target:
                    self.edges[self.node_name(k), target] += 1
            elif not self.in_box(i):
                name = self.constant_name(i, j)
                self._container(self.keys[i]).node(
                    name, graphviz.nohtml(labels.escape(labels.constant_text(parent))),
                    shape="plaintext", fontsize="10")
                self.edges[name, target] += 1

    def _fill(self, magnitude: float | None, style: str = "") -> dict[str, str]:
        """Node attributes: `style`, and with color_by_grad the colour of `magnitude`."""
        if self.scale is None:
            return {"style": style} if style else {}
        color = self.scale.color(magnitude)
        attributes = {"style": f"{style},filled" if style else "filled", "fillcolor": color}
        if is_dark(color):
            attributes["fontcolor"] = "white"
        return attributes


def cluster_name(key: tuple[str, ...]) -> str:
    """The name of the cluster of a scope path (graphviz frames subgraphs named cluster_*)."""
    return f"cluster_{'/'.join(key)}"


class Box:
    """What a collapsed scope holds: its operations by kind and its leaves' gradients."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.ops: Counter[str] = Counter()
        self.leaves = 0
        self.leaf_magnitudes: list[float] = []

    def add(self, value: Value, grad: Any) -> None:
        if value.op is not None:
            self.ops[value.op] += 1
            return
        self.leaves += 1
        if grad is not None:
            self.leaf_magnitudes.append(labels.norm(grad))

    def grad_norm(self) -> float | None:
        """The norm of all its leaves' gradients together (None if none has one)."""
        if not self.leaf_magnitudes:
            return None
        return math.sqrt(math.fsum(m * m for m in self.leaf_magnitudes))

    def label(self, key: tuple[str, ...]) -> str:
        lines = ["/".join(key)]
        if self.ops:
            lines.append(f"{labels.plural(sum(self.ops.values()), 'operation')}: "
                         f"{labels.counts_text(self.ops)}")
        if self.leaves:
            norm = self.grad_norm()
            grad = "grad —" if norm is None else f"grad norm {labels.number(norm)}"
            lines.append(f"{labels.plural(self.leaves, 'leaf', 'leaves')}, {grad}")
        return "\\n".join(labels.escape(line) for line in lines)
