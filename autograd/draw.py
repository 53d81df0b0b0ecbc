"""Diagrams of the computation graph: what the forward pass built, and how gradients flow back.

`draw_graph(root)` walks the graph that produced `root` and returns a `Diagram`, which is a
`graphviz.Digraph`: one box per value (a record "label | data | grad", as in micrograd's trace;
shape, dtype, a data summary and the gradient norm for a tensor), one small node per operation,
and edges in the direction of the forward pass. Building the diagram needs only the `graphviz`
Python package; rendering it needs Graphviz's `dot` program.

>>> from autograd import Value, draw_graph
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> y = (a * b).tanh()
>>> y.backward()
>>> diagram = draw_graph(y)                 # its DOT text is diagram.source
>>> diagram.export("y.svg")  # doctest: +SKIP

Options: `color_by_grad` colours the values by gradient magnitude on a log scale, with a
legend; `group_by="cluster"` or `"collapse"` groups the operations of each `name_scope` (each
`nn` module) into a frame or a single box; `max_nodes` caps the drawing and summarises the rest.
In Jupyter a Diagram shows itself inline as SVG. From the shell: `python -m autograd.draw --help`.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import graphviz
import numpy as np

from autograd.engine import GraphError
from autograd.value import Value

FORMATS = ("svg", "png", "pdf")
RANKDIRS = ("LR", "TB", "RL", "BT")
GROUPINGS = (None, "cluster", "collapse")

INSTALL_HINT = (
    "Graphviz's `dot` program is needed to render: install it with "
    "`sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS), "
    "`conda install -c conda-forge graphviz` (conda) or from https://graphviz.org/download/ "
    "(Windows: add its bin folder to PATH); the DOT source is still available as "
    "diagram.source")

# How operations are written in their node; others show their name.
SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/", "neg": "-x", "power": "**",
           "matmul": "@"}

# A viridis-like colour map (dark violet for tiny gradients, yellow for large ones), sampled at
# evenly spaced points and interpolated linearly; distinct from the grey of "no gradient" and
# from the red of non-finite gradients.
COLORMAP = ((0x44, 0x01, 0x54), (0x3B, 0x52, 0x8B), (0x21, 0x91, 0x8C), (0x5E, 0xC9, 0x62),
            (0xFD, 0xE7, 0x25))
NO_GRAD_COLOR = "#d9d9d9"
NOT_FINITE_COLOR = "#e4572e"
MAX_TICKS = 7  # legend swatches at most


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's `dot` program and it is not installed (or not on PATH)."""

    def __init__(self, message: str = INSTALL_HINT) -> None:
        RuntimeError.__init__(self, message)


@contextmanager
def _dot_required() -> Iterator[None]:
    try:
        yield
    except graphviz.ExecutableNotFound as error:
        if isinstance(error, GraphvizNotFoundError):
            raise
        raise GraphvizNotFoundError() from error


class Diagram(graphviz.Digraph):
    """A `graphviz.Digraph` of a computation graph, as returned by `draw_graph`.

    Everything of `graphviz.Digraph` works (`.source`, `.render(...)`, inline display in
    Jupyter); rendering without Graphviz's `dot` program raises `GraphvizNotFoundError`, which
    says how to install it. `export(path)` writes exactly one picture file.
    """

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_required():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> str:
        with _dot_required():
            return super().render(*args, **kwargs)

    def export(self, path: str | Path, format: str | None = None) -> Path:
        """Render to `path` as SVG, PNG or PDF (from `format`, else from the path's suffix).

        Creates missing parent folders and leaves no DOT file behind; returns the path written.

        >>> draw_graph(y).export("pictures/y.png")     # doctest: +SKIP
        PosixPath('pictures/y.png')
        """
        path = Path(path)
        suffix = path.suffix[1:].lower()
        if format is None:
            format = suffix or "svg"
            path = path if suffix else path.with_suffix(".svg")
        elif not suffix:
            path = path.with_suffix(f".{format}")
        elif suffix != format:
            raise ValueError(f"Diagram.export: the path {str(path)!r} ends in .{suffix} but "
                             f"format={format!r}; make them agree or leave format out")
        if format not in FORMATS:
            raise ValueError(f"Diagram.export: cannot save as {format!r}; choose one of "
                             f"{', '.join(FORMATS)} (by the path's suffix or format=)")
        picture = self.pipe(format=format)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(picture)
        return path


# ---------------------------------------------------------------------------------------------
# draw_graph


def draw_graph(root: Value, *, rankdir: str = "LR", color_by_grad: bool = False,
               grad_range: tuple[float, float] | None = None, group_by: str | None = None,
               depth: int | None = None, max_nodes: int = 200) -> Diagram:
    """Draw the computation graph that produced `root`, edges pointing the way data flowed.

    A scalar value shows "label | data | grad" ("grad —" before a backward pass reaches it,
    "no grad" when it does not require one); a tensor shows its label, shape and dtype, its
    data (up to four numbers, else min/mean/max) and its gradient's norm. Plain numbers and
    arrays given to an operation appear as small plain nodes.

    - `rankdir`: "LR" (left to right, default), "TB", "RL" or "BT".
    - `color_by_grad`: fill each value by log10 of its gradient's magnitude (|grad|, or the
      norm for a tensor), with a legend; grey for no gradient, red for inf/NaN. The scale spans
      the drawn gradients, or `grad_range=(low, high)` to share one scale between diagrams
      (zero gradients and gradients below `low` take the lowest colour).
    - `group_by`: "cluster" frames the operations of each `name_scope` (nested, `depth` levels
      deep; all levels when `depth` is None); "collapse" draws each scope, cut to `depth`
      levels, as one box listing its operations. A leaf (parameter or input) joins the innermost
      scope shared by the operations that use it. `nn` modules open a scope per call, so
      `depth=2` collapses `MLP/Layer0/...` into one box per layer.
    - `max_nodes`: draw at most this many values (a collapsed box counts as one), those
      nearest to `root`; the rest become one note "... N more values not drawn" naming their
      operations, with dashed edges to where they connect.

    A tensor graph must be drawn before `backward()`, or after `backward(retain_graph=True)`:
    otherwise backward has released it (a scalar graph, of Python floats, is kept whole).

    >>> x = Value([1.0, 2.0], label="x")
    >>> loss = (x * x).sum()
    >>> loss.backward(retain_graph=True)        # keeps the graph, to draw it with gradients
    >>> print(draw_graph(loss).source)          # doctest: +ELLIPSIS
    // computation graph: 3 values, all drawn
    ...
    """
    if not isinstance(root, Value):
        raise TypeError(f"draw_graph: root must be a Value, got {type(root).__name__}")
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_graph: rankdir must be one of {', '.join(RANKDIRS)}, "
                         f"got {rankdir!r}")
    if group_by not in GROUPINGS:
        raise ValueError(f"draw_graph: group_by must be None, 'cluster' or 'collapse', "
                         f"got {group_by!r}")
    if depth is not None and (not isinstance(depth, int) or depth < 1):
        raise ValueError(f"draw_graph: depth must be a positive integer or None, got {depth!r}")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"draw_graph: max_nodes must be a positive integer, got {max_nodes!r}")
    if grad_range is not None:
        low, high = grad_range
        if not 0 < low < high < math.inf:
            raise ValueError(f"draw_graph: grad_range must be (low, high) with "
                             f"0 < low < high, got {grad_range!r}")
    if depth is not None and group_by is None:
        raise ValueError("draw_graph: depth applies to grouping; pass group_by='cluster' or "
                         "'collapse' with it")
    if grad_range is not None and not color_by_grad:
        raise ValueError("draw_graph: grad_range sets the colour scale; pass "
                         "color_by_grad=True with it")
    return _Drawing(root, rankdir, color_by_grad, grad_range, group_by, depth, max_nodes).diagram


def _walk(root: Value) -> tuple[list[Value], dict[int, list[Value]]]:
    """Every Value that led to `root`, breadth first from it (nearest first), and for each leaf
    the Values computed from it. Iterative, so any depth of graph works."""
    order = [root]
    seen = {id(root)}
    users: dict[int, list[Value]] = defaultdict(list)
    for value in order:  # the list grows while we go through it
        if value.op is not None and not value.inputs:
            raise GraphError(
                f"draw_graph: backward() released the graph behind {_describe(value)}, so "
                "there is nothing left to draw; draw it before backward(), or call "
                "backward(retain_graph=True) to keep the graph for drawing")
        for parent in value.inputs:
            if isinstance(parent, Value):
                if parent.op is None:
                    users[id(parent)].append(value)
                if id(parent) not in seen:
                    seen.add(id(parent))
                    order.append(parent)
    return order, users


def _describe(value: Value) -> str:
    label = f"{value.label!r}, " if value.label else ""
    return f"the {value.op!r} result ({label}shape {value.shape})"


def _scope_parts(scope: str | None) -> tuple[str, ...]:
    return tuple(scope.split("/")) if scope else ()


def _common_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    prefix = paths[0]
    for path in paths[1:]:
        n = 0
        while n < min(len(prefix), len(path)) and prefix[n] == path[n]:
            n += 1
        prefix = prefix[:n]
    return prefix


def _group_keys(order: list[Value], users: dict[int, list[Value]],
                depth: int | None) -> list[tuple[str, ...]]:
    """The scope each value is drawn in, cut to `depth` levels. A leaf goes where its users
    are: a parameter made outside any scope still belongs to the module that uses it."""
    keys = []
    for value in order:
        if value.op is None and users.get(id(value)):
            key = _common_prefix([_scope_parts(user.scope) for user in users[id(value)]])
        else:
            key = _scope_parts(value.scope)
        keys.append(key if depth is None else key[:depth])
    return keys


class _Drawing:
    """One call of draw_graph: decides what is drawn where, then writes the Diagram."""

    def __init__(self, root: Value, rankdir: str, color_by_grad: bool,
                 grad_range: tuple[float, float] | None, group_by: str | None,
                 depth: int | None, max_nodes: int) -> None:
        self.order, users = _walk(root)
        self.index = {id(value): i for i, value in enumerate(self.order)}
        count = len(self.order)
        self.keys = _group_keys(self.order, users, depth) if group_by else [()] * count
        self.collapse = group_by == "collapse"
        if self.collapse:  # a box of leaves alone would hide them: they are drawn one by one
            with_ops = {key for key, value in zip(self.keys, self.order, strict=True)
                        if value.op is not None}
            self.keys = [key if key in with_ops else () for key in self.keys]
        self.boxes: dict[tuple[str, ...], _Box] = {}
        self.drawn, omitted = self._choose(max_nodes)
        self.clusters: dict[tuple[str, ...], graphviz.Digraph] = {}
        self.edges: Counter[tuple[str, str]] = Counter()
        self.cut: list[str] = []  # nodes with inputs that were not drawn, in order

        summary = (f"computation graph: {count} values, "
                   + ("all drawn" if not omitted else
                      f"{count - sum(omitted.values())} drawn, {_omitted_text(omitted)}"))
        self.diagram = Diagram(comment=summary, graph_attr={"rankdir": rankdir})
        # A record's fields run across the rank direction; braces turn them back to a row.
        self.record_braces = rankdir in ("LR", "RL")
        self.scale = None
        if color_by_grad:
            magnitudes = [box.grad_norm() for box in self.boxes.values()]
            magnitudes += [_grad_magnitude(self.order[i]) for i in self.drawn
                           if not self._in_box(i)]
            self.scale = _GradScale(magnitudes, grad_range)

        for i in self.drawn:
            self._draw_value(i)
        for key, box in self.boxes.items():
            self.diagram.node(box.name, graphviz.nohtml(box.label(key)), shape="box",
                              penwidth="2", **self._fill(box.grad_norm(), "rounded"))
        self._attach_clusters()
        for (tail, head), n in self.edges.items():
            self.diagram.edge(tail, head, label=f"×{n}" if n > 1 else None)
        if omitted:
            self.diagram.node("omitted", graphviz.nohtml(_escape(_omitted_text(omitted))),
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
            unit = self.keys[i] if self._in_box(i) else i
            if unit in units or len(units) < max_nodes:
                units.add(unit)
                drawn.append(i)
                if self._in_box(i):
                    key = self.keys[i]
                    if key not in self.boxes:
                        self.boxes[key] = _Box(f"g{len(self.boxes)}")
                    self.boxes[key].add(value)
            else:
                omitted[value.op or "leaf"] += 1
        self.is_drawn = set(drawn)
        return drawn, omitted

    def _in_box(self, i: int) -> bool:
        return self.collapse and bool(self.keys[i])

    def _node_name(self, i: int) -> str:
        """The node a value is drawn as: its own, or its scope's box."""
        return self.boxes[self.keys[i]].name if self._in_box(i) else f"v{i}"

    def _container(self, key: tuple[str, ...]) -> graphviz.Digraph:
        """The (sub)graph a node of this scope goes into: its cluster, made with its parents."""
        if not key or self.collapse:
            return self.diagram
        if key not in self.clusters:
            self._container(key[:-1])
            self.clusters[key] = graphviz.Digraph(
                name=f"cluster_{'/'.join(key)}",
                graph_attr={"label": key[-1], "style": "rounded", "color": "grey50"})
        return self.clusters[key]

    def _attach_clusters(self) -> None:
        # A subgraph is copied into its parent when attached, so the deepest go first.
        for key in sorted(self.clusters, key=len, reverse=True):
            parent = self.diagram if len(key) == 1 else self.clusters[key[:-1]]
            parent.subgraph(self.clusters[key])

    def _draw_value(self, i: int) -> None:
        value = self.order[i]
        if self._in_box(i):
            target = self._node_name(i)
        else:
            graph = self._container(self.keys[i])
            graph.node(f"v{i}", graphviz.nohtml(_value_label(value, self.record_braces)),
                       shape="record", **self._fill(_grad_magnitude(value)))
            if value.op is None:
                return
            target = f"v{i}_op"
            graph.node(target, graphviz.nohtml(_op_label(value)))
            self.edges[target, f"v{i}"] += 1
        for j, parent in enumerate(value.inputs):
            if isinstance(parent, Value):
                k = self.index[id(parent)]
                if k not in self.is_drawn:
                    self.cut.append(target)
                elif self._node_name(k) != target:
                    self.edges[self._node_name(k), target] += 1
            elif not self._in_box(i):
                name = f"v{i}_c{j}"
                self._container(self.keys[i]).node(
                    name, graphviz.nohtml(_constant_label(parent)), shape="plaintext",
                    fontsize="10")
                self.edges[name, target] += 1

    def _fill(self, magnitude: float | None, style: str = "") -> dict[str, str]:
        """Node attributes: `style`, and with color_by_grad the colour of `magnitude`."""
        if self.scale is None:
            return {"style": style} if style else {}
        color = self.scale.color(magnitude)
        attributes = {"style": f"{style},filled" if style else "filled", "fillcolor": color}
        if _is_dark(color):
            attributes["fontcolor"] = "white"
        return attributes


class _Box:
    """What a collapsed scope holds: its operations by kind and its leaves' gradients."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.ops: Counter[str] = Counter()
        self.leaves = 0
        self.leaf_magnitudes: list[float] = []

    def add(self, value: Value) -> None:
        if value.op is not None:
            self.ops[value.op] += 1
            return
        self.leaves += 1
        magnitude = _grad_magnitude(value)
        if magnitude is not None:
            self.leaf_magnitudes.append(magnitude)

    def grad_norm(self) -> float | None:
        """The norm of all its leaves' gradients together (None if none has one)."""
        if not self.leaf_magnitudes:
            return None
        return math.sqrt(math.fsum(m * m for m in self.leaf_magnitudes))

    def label(self, key: tuple[str, ...]) -> str:
        lines = ["/".join(key)]
        if self.ops:
            lines.append(f"{_plural(sum(self.ops.values()), 'operation')}: "
                         f"{_counts_text(self.ops)}")
        if self.leaves:
            norm = self.grad_norm()
            grad = "grad —" if norm is None else f"grad norm {_number(norm)}"
            lines.append(f"{_plural(self.leaves, 'leaf', 'leaves')}, {grad}")
        return "\\n".join(_escape(line) for line in lines)


# ---------------------------------------------------------------------------------------------
# Labels


def _escape(text: str, record: bool = False) -> str:
    """Text as it must be written in a DOT label: backslashes doubled, newlines as \\n, and in
    a record the characters that would start a field or a port escaped."""
    text = text.replace("\\", "\\\\").replace("\n", "\\n")
    if record:
        for char in "{}|<>":
            text = text.replace(char, "\\" + char)
    return text


def _number(x: float) -> str:
    """Four decimals, as micrograd prints; scientific notation where those would hide it."""
    if x == 0:
        return "0.0000"  # also for -0.0, which says nothing more
    if not math.isfinite(x) or 1e-3 <= abs(x) < 1e5:
        return f"{x:.4f}"
    return f"{x:.3e}"


def _shorten(text: str, most: int = 24) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _counts_text(counts: Counter[str], most: int = 6) -> str:
    shown = ", ".join(f"{name} {n}" for name, n in counts.most_common(most))
    return shown + (", …" if len(counts) > most else "")


def _omitted_text(omitted: Counter[str]) -> str:
    return (f"… {_plural(sum(omitted.values()), 'more value')} not drawn "
            f"({_counts_text(omitted)})")


def _grad_of(value: Value) -> Any:
    """The gradient as data (a float or an array), or None if none has been computed."""
    grad = value._grad
    return grad.data if isinstance(grad, Value) else grad


def _grad_magnitude(value: Value) -> float | None:
    """|grad| for a scalar, the norm of grad for a tensor; None if there is no gradient."""
    grad = _grad_of(value)
    if grad is None:
        return None
    return float(np.linalg.norm(np.ravel(grad)))


def _value_label(value: Value, braces: bool) -> str:
    fields = [value.label] if value.label else []
    grad = _grad_of(value)
    if type(value.data) is float:  # the scalar path: micrograd's record
        fields.append(f"data {_number(value.data)}")
        if grad is not None:
            fields.append(f"grad {_number(float(grad))}")
    else:
        array = np.asarray(value.data)
        fields += [f"shape {array.shape} {array.dtype}", f"data {_summary(array)}"]
        if grad is not None:
            grad = np.asarray(grad)
            fields.append(f"grad {_number(float(grad.item()))}" if grad.size == 1
                          else f"grad norm {_number(_grad_magnitude(value))}")
    if grad is None:
        fields.append("grad —" if value.requires_grad else "no grad")
    row = " | ".join(_escape(field, record=True) for field in fields)
    return "{ " + row + " }" if braces else row


def _summary(array: np.ndarray) -> str:
    """Up to four numbers as they are, more as min / mean / max."""
    if array.size == 0:
        return "empty"
    if array.size == 1:
        return _number(float(array.item()))
    if array.size <= 4:
        return "[" + ", ".join(f"{float(x):.4g}" for x in array.ravel()) + "]"
    return (f"min {float(array.min()):.4g} mean {float(array.mean()):.4g} "
            f"max {float(array.max()):.4g}")


def _constant_label(constant: Any) -> str:
    if isinstance(constant, bool | int | float | np.number):
        return _escape(f"{float(constant):.4g}")
    if isinstance(constant, np.ndarray):
        return _escape(_summary(constant) if constant.size <= 4 else f"array {constant.shape}")
    return _escape(_shorten(repr(constant)))


def _op_label(value: Value) -> str:
    """The operation's symbol, and its parameters one per line (those that say something)."""
    lines = [SYMBOLS.get(value.op, value.op)]
    for name, setting in value.params.items():
        if setting is None or setting is False:
            continue
        text = _index_text(setting) if name == "index" else repr(setting)
        lines.append(f"{name}={_shorten(text)}")
    return "\\n".join(_escape(line) for line in lines)


def _index_text(index: Any) -> str:
    """An index as it was written: [0], [:, 1:3], [array (5,)]."""
    def part(item: Any) -> str:
        if isinstance(item, slice):
            ends = ("" if x is None else str(x) for x in (item.start, item.stop))
            return ":".join(ends) + ("" if item.step is None else f":{item.step}")
        if item is Ellipsis:
            return "..."
        if isinstance(item, np.ndarray):
            return f"array {item.shape}"
        return repr(item)

    parts = index if isinstance(index, tuple) else (index,)
    return "[" + ", ".join(part(item) for item in parts) + "]"


# ---------------------------------------------------------------------------------------------
# Gradient colours


def _mix(position: float) -> str:
    """The colour map at `position` in [0, 1], as #rrggbb."""
    scaled = min(max(position, 0.0), 1.0) * (len(COLORMAP) - 1)
    i = min(int(scaled), len(COLORMAP) - 2)
    t = scaled - i
    rgb = (round(a + (b - a) * t) for a, b in zip(COLORMAP[i], COLORMAP[i + 1], strict=True))
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _is_dark(color: str) -> bool:
    r, g, b = (int(color[k:k + 2], 16) for k in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 128


def _power_of_ten(exponent: float) -> str:
    if exponent == round(exponent):
        return f"1e{round(exponent)}"
    return f"{10 ** exponent:.1e}"


class _GradScale:
    """Gradient magnitude -> colour, linear in log10 between two ends.

    Without given ends it spans the finite non-zero magnitudes, widened to whole decades."""

    def __init__(self, magnitudes: Sequence[float | None],
                 grad_range: tuple[float, float] | None) -> None:
        self.has_not_finite = any(m is not None and not math.isfinite(m) for m in magnitudes)
        usable = [m for m in magnitudes if m is not None and 0 < m < math.inf]
        self.empty = all(m is None for m in magnitudes) and grad_range is None
        if grad_range is not None:
            self.low, self.high = math.log10(grad_range[0]), math.log10(grad_range[1])
        elif usable:
            self.low = math.floor(math.log10(min(usable)))
            self.high = max(math.ceil(math.log10(max(usable))), self.low + 1)
        else:
            self.low, self.high = 0.0, 1.0

    def color(self, magnitude: float | None) -> str:
        if magnitude is None:
            return NO_GRAD_COLOR
        if not math.isfinite(magnitude):
            return NOT_FINITE_COLOR
        if magnitude == 0:
            return _mix(0.0)
        return _mix((math.log10(magnitude) - self.low) / (self.high - self.low))

    def ticks(self) -> list[float]:
        """Whole decades where the ends are (a step of several when there are many), else
        evenly spaced exponents."""
        span = self.high - self.low
        if span == round(span) and self.low == round(self.low):
            step = math.ceil(span / (MAX_TICKS - 1))
            ticks = [float(e) for e in range(round(self.low), round(self.high) + 1, step)]
            return ticks if ticks[-1] == self.high else [*ticks, self.high]
        return [self.low + span * k / (MAX_TICKS - 1) for k in range(MAX_TICKS)]

    def legend(self) -> str:
        """An HTML-like table: the scale's swatches with their values, then the special
        colours."""
        if self.empty:
            return ('<<table border="0" cellborder="1" cellspacing="0" cellpadding="4"><tr><td '
                    f'bgcolor="{NO_GRAD_COLOR}">no gradients yet: call backward() first</td>'
                    "</tr></table>>")
        ticks = self.ticks()
        cells = []
        for k, exponent in enumerate(ticks):
            color = _mix((exponent - self.low) / (self.high - self.low))
            font = "white" if _is_dark(color) else "black"
            # The end colours also stand for everything beyond them (zero gradients too).
            bound = "&le;" if k == 0 else "&ge;" if k == len(ticks) - 1 else ""
            cells.append(f'<td bgcolor="{color}"><font color="{font}">'
                         f"{bound}{_power_of_ten(exponent)}</font></td>")
        span = f'colspan="{len(ticks)}"'
        rows = [f"<tr><td {span}>|grad| (norm for tensors), log scale</td></tr>",
                "<tr>" + "".join(cells) + "</tr>",
                f'<tr><td {span} bgcolor="{NO_GRAD_COLOR}">no grad</td></tr>']
        if self.has_not_finite:
            rows.append(f'<tr><td {span} bgcolor="{NOT_FINITE_COLOR}">inf or NaN</td></tr>')
        return ('<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">'
                + "".join(rows) + "</table>>")


# ---------------------------------------------------------------------------------------------
# Command line: python -m autograd.draw


def _example_expression() -> Value:
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


def _example_neuron() -> Value:
    """micrograd's neuron: o = tanh(x1*w1 + x2*w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def _example_mlp() -> Value:
    """micrograd's MLP(3, [4, 4, 1]) and its squared-error loss on four samples."""
    import nn  # nn is built on autograd; imported here, for this example only

    model = nn.MLP(3, [4, 4, 1], seed=0)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    targets = [1.0, -1.0, -1.0, 1.0]
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, targets, strict=True))
    loss.label = "loss"
    return loss


EXAMPLES: dict[str, Callable[[], Value]] = {
    "expression": _example_expression,
    "neuron": _example_neuron,
    "mlp": _example_mlp,
}


def _load_function(script: Path, name: str) -> Callable[[], Any]:
    """Import a script by its path (its folder first on sys.path, as when it is run) and
    return its function `name`."""
    if not script.is_file():
        raise SystemExit(f"autograd.draw: no script at {str(script)!r}")
    spec = importlib.util.spec_from_file_location(f"_drawn_{script.stem}", script)
    if spec is None or spec.loader is None:
        raise SystemExit(f"autograd.draw: cannot import {str(script)!r} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(script.resolve().parent))
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    function = getattr(module, name, None)
    if not callable(function):
        found = sorted(k for k, v in vars(module).items()
                       if callable(v) and getattr(v, "__module__", None) == spec.name)
        raise SystemExit(f"autograd.draw: {str(script)!r} has no function {name!r}; "
                         f"its functions: {', '.join(found) or 'none'}")
    return function


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m autograd.draw",
        description="Draw the computation graph of a built-in example, or of the Value\n"
                    "returned by a function (called with no arguments) in your script.\n"
                    "A single-element result gets a backward pass first (unless the\n"
                    "function ran one), so the gradients show.",
        epilog="examples:  python -m autograd.draw --example neuron -o neuron.png\n"
               "           python -m autograd.draw --script model.py --function loss "
               "--group-by collapse --depth 2 --color-by-grad",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--example", choices=sorted(EXAMPLES), default="expression",
                        help="a built-in graph (default: expression)")
    source.add_argument("--script", type=Path, help="a Python file defining --function")
    parser.add_argument("--function", help="the function in --script that returns a Value")
    parser.add_argument("-o", "--output", type=Path,
                        help="the picture to write (default: <example or function>.<format>)")
    parser.add_argument("--format", choices=FORMATS,
                        help="svg, png or pdf (default: from --output's suffix, else svg)")
    parser.add_argument("--source", action="store_true",
                        help="print the DOT source instead of rendering (needs no Graphviz)")
    parser.add_argument("--color-by-grad", action="store_true",
                        help="colour values by gradient magnitude (log scale)")
    parser.add_argument("--group-by", choices=["cluster", "collapse"],
                        help="frame or collapse the operations of each name scope / nn module")
    parser.add_argument("--depth", type=int, help="scope levels used by --group-by")
    parser.add_argument("--max-nodes", type=int, default=200,
                        help="draw at most this many values (default: 200)")
    parser.add_argument("--rankdir", choices=RANKDIRS, default="LR",
                        help="direction of the forward pass (default: LR)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (see `python -m autograd.draw --help`); returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.script is not None:
        if not args.function:
            parser.error("--script needs --function NAME (the function returning a Value)")
        build, name = _load_function(args.script, args.function), args.function
    else:
        if args.function:
            parser.error("--function needs --script PATH")
        build, name = EXAMPLES[args.example], args.example
    root = build()
    if not isinstance(root, Value):
        raise SystemExit(f"autograd.draw: {name}() returned {type(root).__name__}; "
                         "it must return a Value")
    if root._grad is None and root.requires_grad and root.size == 1:
        root.backward(retain_graph=True)
    try:
        diagram = draw_graph(root, rankdir=args.rankdir, color_by_grad=args.color_by_grad,
                             group_by=args.group_by, depth=args.depth,
                             max_nodes=args.max_nodes)
    except ValueError as error:
        parser.error(str(error))
    if args.source:
        print(diagram.source)
        return 0
    output = args.output or Path(f"{name}.{args.format or 'svg'}")
    try:
        written = diagram.export(output, args.format)
    except GraphvizNotFoundError as error:
        print(f"autograd.draw: {error}; --source prints it here", file=sys.stderr)
        return 1
    except ValueError as error:
        parser.error(str(error))
    print(f"wrote {written} ({diagram.comment})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
