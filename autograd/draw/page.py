"""The player as HTML: the graph as SVG (laid out by Graphviz's `dot` now), the scenes as JSON,
and the script and style of player.js and player.css, all inline. The page asks for nothing
else: no server, no network, no external script or font.

The SVG is `dot`'s, with each node, edge and frame given a `data-name` (its name in the layout,
which is what the scenes speak of) and the gradient field of each value a class "grad", the
text the script rewrites at each step.
"""

from __future__ import annotations

import html
import json
import uuid
import xml.etree.ElementTree as ET
from dataclasses import asdict
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograd.draw.player import Player

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def asset(name: str) -> str:
    """player.js or player.css, shipped beside this module."""
    return resources.files("autograd.draw").joinpath(name).read_text(encoding="utf-8")


def svg(player: Player) -> str:
    """The graph as inline SVG, marked for the script."""
    root = ET.fromstring(player.layout.diagram.pipe(format="svg"))
    for group in root.iter(f"{{{SVG}}}g"):
        kind = group.get("class")
        title = group.find(f"{{{SVG}}}title")
        if kind not in ("node", "edge", "cluster") or title is None:
            continue
        name = title.text or ""
        group.set("data-name", name)
        group.remove(title)  # a tooltip "v3" would tell a reader nothing
        group.attrib.pop("id", None)  # ids would clash between two players in one notebook
        texts = group.findall(f"{{{SVG}}}text")
        if name in player.no_gradient_yet and texts:
            texts[-1].set("class", "grad")  # a value's record ends with its gradient
    root.set("role", "group")
    root.set("aria-label", "the computation graph")
    root.attrib.pop("id", None)
    graph = root.find(f"{{{SVG}}}g")
    title = None if graph is None else graph.find(f"{{{SVG}}}title")
    if graph is not None and title is not None:
        graph.remove(title)
    return ET.tostring(root, encoding="unicode")


def data(player: Player) -> str:
    """The scenes and the frames as JSON, safe inside a <script> element: every `<`, `>` and
    `&` is written as a JSON escape, so no label can close the element ("</script>") or, with
    "<!--" and "<script", keep the HTML parser from seeing where it ends."""
    content = {
        "scenes": [asdict(scene) for scene in player.scenes],
        "noGradientYet": player.no_gradient_yet,
        "folds": {name: asdict(fold) for name, fold in player.folds.items()},
    }
    text = json.dumps(content, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def fragment(player: Player, keys_on_document: bool) -> str:
    """The player as a piece of a page (what Jupyter shows inline)."""
    ident = f"backprop-player-{uuid.uuid4().hex[:8]}"
    steps = len(player.scenes)
    options = json.dumps({"keysOnDocument": keys_on_document})
    picture = svg(player)
    # A graph much wider than tall (the forward pass left to right) keeps the whole width, and
    # the panel goes below it; otherwise the panel stands beside it.
    width, height = (float(x) for x in ET.fromstring(picture).get("viewBox", "0 0 1 1").split()[2:])
    shape = "wide" if width > 2.5 * height else "tall"
    return f"""<div class="backprop-player {shape}" id="{ident}" tabindex="0"
     aria-label="{html.escape(player.title)}: a step-by-step player">
<style>{asset("player.css")}</style>
<p class="step-text" role="status" aria-live="polite"></p>
<div class="controls" role="group" aria-label="step controls">
  <button type="button" data-action="first" aria-label="first step">« first</button>
  <button type="button" data-action="previous" aria-label="previous step">◀ previous</button>
  <button type="button" data-action="play" aria-label="play">▶ play</button>
  <button type="button" data-action="next" aria-label="next step">next ▶</button>
  <button type="button" data-action="last" aria-label="last step">last »</button>
  <label>step <input type="range" min="1" max="{steps}" value="1" step="1"
    aria-label="step"></label>
  <label>speed <select aria-label="speed of play">
    <option value="2000">slow (2 s a step)</option>
    <option value="1000" selected>normal (1 s)</option>
    <option value="500">fast (0.5 s)</option>
    <option value="150">fastest</option>
  </select></label>
  <label><input type="checkbox" class="fit" checked> fit the graph to the width</label>
</div>
<div class="stage">
  <figure class="graph">{picture}</figure>
  <aside class="panel" aria-label="what this step computes">
    <h2></h2>
    <dl></dl>
    <table><thead></thead><tbody></tbody></table>
  </aside>
</div>
<p class="help">Keys: ← and → step, space plays and pauses, Home and End go to the first and
the last step. Click a frame (a name scope) to fold or unfold it. The numbers are those of the
engine's own backward pass.</p>
<script type="application/json" class="player-data">{data(player)}</script>
<script>
(function () {{
{asset("player.js")}
startPlayer(document.getElementById("{ident}"), {options});
}})();
</script>
</div>"""


def standalone(player: Player) -> str:
    """The player as a page of its own (what `save("....html")` writes)."""
    title = html.escape(player.title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<title>{title}, step by step</title>
</head>
<body>
<main>
<h1>{title}, step by step</h1>
{fragment(player, keys_on_document=True)}
</main>
</body>
</html>
"""
