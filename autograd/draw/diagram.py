"""The static picture: `draw_graph(root)` returns a `Diagram`, which is a `graphviz.Digraph`
that knows how to save itself and says how to install Graphviz when `dot` is missing.

>>> from autograd import Value
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> y = (a * b).tanh()
>>> y.backward()
>>> diagram = draw_graph(y)                 # its DOT text is diagram.source
>>> diagram.export("y.svg")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import graphviz

from autograd.draw.layout import Layout
from autograd.draw.options import check_colors, check_drawing
from autograd.value import Value

FORMATS = ("svg", "png", "pdf")

INSTALL_HINT = (
    "Graphviz's `dot` program is needed to render: install it with "
    "`sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS), "
    "`conda install -c conda-forge graphviz` (conda) or from https://graphviz.org/download/ "
    "(Windows: add its bin folder to PATH); the DOT source is still available as "
    "diagram.source")


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's `dot` program and it is not installed (or not on PATH)."""

    def __init__(self, message: str = INSTALL_HINT) -> None:
        RuntimeError.__init__(self, message)


@contextmanager
def dot_required() -> Iterator[None]:
    """Turn graphviz's own error for a missing `dot` into one that says how to install it."""
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
        with dot_required():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> str:
        with dot_required():
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
    check_drawing("draw_graph", root, rankdir, group_by, depth, max_nodes)
    check_colors("draw_graph", color_by_grad, grad_range)
    return Layout(root, rankdir, color_by_grad, grad_range, group_by, depth, max_nodes,
                  diagram_class=Diagram).diagram
