"""Pictures of the computation graph: what the forward pass built, and how gradients flow back.

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

`play_backprop(root)` returns a `Player` that steps through the forward and the backward pass
of the same graph, one operation at a time, with the engine's own numbers: saved as a page
(`player.save("backprop.html")`, self-contained) or a GIF, or shown inline in Jupyter.

The package, one concern per module:

- `walk`: the graph walk (nearest first, forward order, name scopes);
- `labels`: every text shown (numbers, records, operations, constants);
- `colors`: the gradient colour scale and its legend;
- `layout`: what is drawn where (clusters, collapsed boxes, the node limit);
- `diagram`: `draw_graph` and `Diagram` (saving, the error when `dot` is missing);
- `options`: the checks of the options;
- `engine_access`: what drawing reads from the engine's internals, in one place;
- `steps`: the replayed backward pass, step by step; `narration`: what each step says;
- `player`: `play_backprop` and `Player`; `page` (with player.js and player.css): the HTML;
  `gif`: the animated GIF;
- `examples` and `cli`: the command line and its built-in graphs.
"""

from autograd.draw.colors import COLORMAP, NO_GRAD_COLOR, NOT_FINITE_COLOR
from autograd.draw.diagram import Diagram, GraphvizNotFoundError, draw_graph
from autograd.draw.player import Player, play_backprop

__all__ = [
    "COLORMAP",
    "NO_GRAD_COLOR",
    "NOT_FINITE_COLOR",
    "Diagram",
    "GraphvizNotFoundError",
    "Player",
    "draw_graph",
    "play_backprop",
]
