"""The backpropagation player: `play_backprop(output)` returns a `Player`, which steps through
the forward pass and then the backward pass of the graph behind `output`, one operation at a
time, with the numbers the engine's own replayed pass computed. Save it as one self-contained
HTML page (`player.save("backprop.html")`) or as an animated GIF (`"backprop.gif"`, needs
Pillow); in Jupyter it shows itself inline.

>>> from autograd import Value, play_backprop
>>> w = Value(3.0, label="w")
>>> y = w * w                             # w is used twice: its two parts add up
>>> y.label = "y"
>>> player = play_backprop(y)
>>> for step in player.steps:             # doctest: +NORMALIZE_WHITESPACE
...     print(step)
step 1 of 3: `*` computes y = 9.0000 from w = 3.0000 and w = 3.0000
step 2 of 3: the backward pass starts at y: dy/dy = 1.0000
step 3 of 3: `*` hands w the gradient 1.0000 × 3.0000 = 3.0000 (the 1st of its 2 parts)
    and w the gradient 1.0000 × 3.0000 = 3.0000 (its 2nd of 2 parts: 6.0000 so far)
>>> w.grad                                # left as it was: no backward() was called
0.0
>>> player.save("backprop.html")          # doctest: +SKIP
PosixPath('backprop.html')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograd.draw import labels
from autograd.draw.diagram import Diagram
from autograd.draw.layout import Layout, cluster_name
from autograd.draw.narration import Scene, tell
from autograd.draw.options import check_positive, check_rankdir, check_root
from autograd.draw.steps import Played, replay_steps
from autograd.draw.walk import walk
from autograd.engine import GraphError
from autograd.value import Value

SAVE_FORMATS = ("html", "gif")


def play_backprop(output: Value, *, rankdir: str = "LR", depth: int | None = None,
                  fold_above: int | None = 20, max_nodes: int = 200) -> Player:
    """A step-by-step player of backpropagation through the graph that produced `output`.

    `output` must hold a single element (a loss); scalar and tensor graphs both work. The
    steps: the forward pass, each operation with the data it computed, then the backward pass
    from `output`'s gradient of one, each operation handing every input its part (upstream
    gradient × local derivative) and each input's parts adding up. The numbers are those of
    the engine's own backward pass, replayed without storing anything: every `.grad` is left
    as it was.

    - `rankdir`: the direction of the forward pass, as in `draw_graph`.
    - Name scopes (every `nn` module opens one) are framed, `depth` levels deep (all when
      None); in the page a click on a frame folds or unfolds it, and a scope with more than
      `fold_above` values of its own (not counting its sub-scopes) starts folded (None: none
      does).
    - `max_nodes`: at most this many values are drawn, those nearest to `output`, the rest
      summarised in one note, as in `draw_graph`; their steps are told in one step per run.

    A tensor graph must be played before `backward()` or after `backward(retain_graph=True)`.
    """
    check_root("play_backprop", output, "output")
    check_rankdir("play_backprop", rankdir)
    check_positive("play_backprop", "depth", depth, none_ok=True)
    check_positive("play_backprop", "fold_above", fold_above, none_ok=True)
    check_positive("play_backprop", "max_nodes", max_nodes)
    if output.size != 1:
        raise GraphError(f"play_backprop: the output has shape {output.shape}; backpropagation "
                         "starts from a single-element output (a loss): reduce it first, e.g. "
                         "with .sum() or .mean()")
    graph = walk(output, "play_backprop", "play")
    try:
        played = replay_steps(output)
    except GraphError as error:  # the engine speaks as `replay` or `backward`: say who was called
        message = str(error)
        for engine_caller in ("replay: ", "backward: "):
            message = message.removeprefix(engine_caller)
        raise GraphError(f"play_backprop: {message}") from None
    layout = Layout(output, rankdir, group_by="cluster", depth=depth, max_nodes=max_nodes,
                    gradient=lambda value: played.gradients.get(id(value)),
                    diagram_class=Diagram, graph=graph)
    return Player(played, layout, fold_above)


@dataclass
class Fold:
    """A name scope's frame, which the page folds and unfolds."""

    label: str  # the scope's own name, as its frame shows it
    members: list[str]  # every node and inner frame inside it
    size: int  # the values of its own, not counting those of inner scopes
    values: int  # the values inside it, those of inner scopes included
    folded: bool  # whether it starts folded


class Player:
    """The steps of backpropagation through one graph, ready to be shown (see play_backprop).

    `steps` are the sentences, one per step; `scenes` hold everything each step shows.
    `save(path)` writes a page (.html) or an animated GIF (.gif); `html()` gives the page.
    """

    def __init__(self, played: Played, layout: Layout, fold_above: int | None) -> None:
        self.output = played.output
        self.layout = layout
        self.scenes: list[Scene] = tell(played, layout)
        self.folds = _folds(layout, fold_above)
        # What each drawn value's record says of its gradient before the pass reaches it.
        self.no_gradient_yet = {f"v{i}": labels.grad_field(layout.order[i], None)
                                for i in layout.drawn}
        self.title = f"Backpropagation through {self.output.label or 'the output'}"

    @property
    def steps(self) -> list[str]:
        return [scene.text for scene in self.scenes]

    def __len__(self) -> int:
        return len(self.scenes)

    def __repr__(self) -> str:
        return f"<Player: {len(self)} steps, {self.layout.summary}>"

    def html(self) -> str:
        """The player as one self-contained HTML page: the graph as SVG, the steps as data, and
        an inline script and style. It makes no request: it works offline, from disk."""
        from autograd.draw import page

        return page.standalone(self)

    def _repr_html_(self) -> str:
        """Jupyter shows the player inline; its keys work while it has the focus."""
        from autograd.draw import page

        return page.fragment(self, keys_on_document=False)

    def save(self, path: str | Path) -> Path:
        """Write the player to `path`: a page for .html, an animated GIF for .gif (with
        Pillow, the gif extra). Creates missing parent folders; returns the path written.

        A GIF is for a small graph: one of more than 8000 pixels a side, or 300 million pixels
        over all its frames, is refused with its size (ValueError); the page has no limit."""
        path = Path(path)
        suffix = path.suffix[1:].lower()
        if suffix in ("html", "htm"):
            text = self.html()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif suffix == "gif":
            from autograd.draw import gif

            frames = gif.animation(self)
            path.parent.mkdir(parents=True, exist_ok=True)
            gif.write(frames, path)
        else:
            raise ValueError(f"Player.save: cannot save as {suffix or 'a file without suffix'!r}"
                             f"; name a .html page or a .gif animation")
        return path


def _folds(layout: Layout, fold_above: int | None) -> dict[str, Fold]:
    """Each cluster of the layout, with the nodes inside it and whether it starts folded."""
    folds: dict[str, Fold] = {}
    for key in sorted(layout.clusters, key=len):
        folds[cluster_name(key)] = Fold(key[-1], [], 0, 0, False)
    for i in layout.drawn:
        key = layout.keys[i]
        if not key:
            continue
        folds[cluster_name(key)].size += 1
        for n in range(1, len(key) + 1):
            folds[cluster_name(key[:n])].members += layout.nodes_of(i)
            folds[cluster_name(key[:n])].values += 1
    for key in layout.clusters:
        for n in range(1, len(key)):
            folds[cluster_name(key[:n])].members.append(cluster_name(key))
    for fold in folds.values():
        fold.folded = fold_above is not None and fold.size > fold_above
    return folds
