"""The player as an animated GIF, for slides and READMEs: one frame per step, the graph on top
(laid out once by Graphviz's `dot`, so nothing moves between frames) and the step's sentence and
panel below it. Drawn with Pillow, the `gif` extra: `pip install "learngrad[gif]"`.

The graph is drawn from `dot`'s own drawing instructions (its "json" output: polygons, curves,
ellipses and texts at their places), changed per frame exactly as the page changes its SVG:
faint until computed, lit while active, each gradient field showing the scene's text. Frames of
name scopes are drawn open: folding is for the page.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image, ImageFont

    from autograd.draw.player import Player

SCALE = 0.8  # pixels per point of dot's layout
MARGIN = 6  # points of white around the graph
SUPERSAMPLE = 2  # drawn this many times larger, then reduced: smooth lines and text
WIDTH_OF_TEXT = 1000  # pixels at least, for the sentence and the panel below the graph
TEXT_LEFT, TEXT_SIZE = 12, 15  # the caption's margin and font size, in pixels
FORWARD, BACKWARD = (24, 100, 171), (217, 72, 15)
LIGHT = {"forward": (231, 245, 255), "backward": (255, 244, 230)}
RECEIVING = (255, 232, 204)
PARTIAL, DONE = (217, 72, 15), (43, 138, 62)
FAINT = 0.85  # how far a node not yet computed fades toward white
DURATION = {"forward": 900, "backward": 1800}  # milliseconds a frame shows
LAST = 4000  # the last frame stays longer, before the loop starts again
# Every frame is held until the GIF is written, at a byte a pixel: a larger animation is refused
# before anything is drawn (a 40-operation chain laid out in a row is 10,800 pixels wide).
MAX_SIDE = 8000  # pixels, wide or high
MAX_PIXELS = 300_000_000  # frames × width × height


def _pillow() -> Any:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        raise ImportError("Player.save: writing a .gif needs Pillow: "
                          "pip install \"learngrad[gif]\" (or pip install pillow)") from None
    return Image, ImageDraw, ImageFont


class _Fonts:
    """DejaVu where the system has it (it has ×, — and …), else Pillow's own font, with those
    characters written plainly."""

    def __init__(self) -> None:
        _, _, ImageFont = _pillow()
        self.cache: dict[tuple[str, int], Any] = {}  # Pillow's fonts, by kind and size
        try:
            ImageFont.truetype("DejaVuSans.ttf", 10)
            self.plain = False
        except OSError:
            self.plain = True

    def get(self, kind: str, size: float) -> ImageFont.FreeTypeFont:
        _, _, ImageFont = _pillow()
        key = (kind, round(size))
        if key not in self.cache:
            if self.plain:
                self.cache[key] = ImageFont.load_default(size=key[1])
            else:
                name = {"serif": "DejaVuSerif.ttf", "bold": "DejaVuSans-Bold.ttf",
                        "mono": "DejaVuSansMono.ttf"}.get(kind, "DejaVuSans.ttf")
                self.cache[key] = ImageFont.truetype(name, key[1])
        return self.cache[key]

    def text(self, words: str) -> str:
        words = words.replace("`", "")
        if self.plain:
            for fancy, plain in (("×", "x"), ("—", "-"), ("…", "..."), ("→", "->")):
                words = words.replace(fancy, plain)
        return words


def _rgb(color: str) -> tuple[int, int, int] | None:
    """#rrggbb(aa) or a few names, as dot writes them; None for transparent."""
    if color.startswith("#"):
        if len(color) == 9 and color[7:] == "00":
            return None
        return tuple(int(color[k:k + 2], 16) for k in (1, 3, 5))  # type: ignore[return-value]
    return {"black": (0, 0, 0), "white": (255, 255, 255), "transparent": None}.get(
        color, (0, 0, 0))


def _bounds(layout: dict[str, Any]) -> tuple[float, ...]:
    """dot's bounding box of the graph: left, bottom, right, top, in points."""
    return tuple(float(v) for v in layout["bb"].split(","))


def _drawn_size(layout: dict[str, Any], zoom: float) -> tuple[int, int]:
    """The graph's size in pixels, margins included, at `zoom` pixels per point."""
    x0, y0, x1, y1 = _bounds(layout)
    return round((x1 - x0 + 2 * MARGIN) * zoom), round((y1 - y0 + 2 * MARGIN) * zoom)


def _fade(color: tuple[int, int, int] | None, amount: float) -> tuple[int, int, int] | None:
    if color is None:
        return None
    return tuple(round(c + (255 - c) * amount) for c in color)  # type: ignore[return-value]


def _bezier(points: list[list[float]], steps: int = 12) -> list[tuple[float, float]]:
    """The cubic Bézier pieces dot gives (1 + 3n points), as a polyline."""
    line = [tuple(points[0])]
    for k in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[k:k + 4]
        for s in range(1, steps + 1):
            t = s / steps
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
            line.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                         a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return line  # type: ignore[return-value]


def _dashed(draw: Any, line: list[tuple[float, float]], fill: Any, width: int,
            dash: float) -> None:
    """A polyline drawn as dashes `dash` long (Pillow draws only solid lines)."""
    on, left = True, dash
    for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False):
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        start = 0.0
        while length - start > 1e-9:
            step = min(left, length - start)
            if on:
                a, b = start / length, (start + step) / length
                draw.line([(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                           (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)], fill=fill, width=width)
            start += step
            left -= step
            if left <= 1e-9:
                on, left = not on, dash


class _Canvas:
    """dot's drawing instructions, replayed with Pillow on one frame."""

    def __init__(self, layout: dict[str, Any], fonts: _Fonts) -> None:
        Image, ImageDraw, _ = _pillow()
        x0, _, _, y1 = _bounds(layout)
        self.left, self.top = x0 - MARGIN, y1 + MARGIN
        self.zoom = SCALE * SUPERSAMPLE
        self.size = _drawn_size(layout, self.zoom)
        self.image = Image.new("RGB", self.size, "white")
        self.draw = ImageDraw.Draw(self.image)
        self.fonts = fonts

    def point(self, p: list[float]) -> tuple[float, float]:
        return (p[0] - self.left) * self.zoom, (self.top - p[1]) * self.zoom  # dot's y is up

    def run(self, ops: list[dict[str, Any]], fade: float = 0.0, stroke: Any = None,
            fill: Any = None, width: float = 1.0,
            texts: dict[int, tuple[str, Any]] | None = None) -> None:
        """Draw `ops`; `stroke` and `fill` replace dot's colours where given, `texts` the k-th
        text and its colour, and everything fades toward white by `fade`."""
        pen: tuple[int, int, int] | None = (0, 0, 0)
        brush: tuple[int, int, int] | None = None
        dashed, font_size, font_kind = False, 14.0, "sans"
        pixels = max(1, round(width * SUPERSAMPLE))
        n_text = 0
        for op in ops:
            kind = op["op"]
            if kind == "c":
                pen = _rgb(op["color"])
            elif kind == "C":
                brush = _rgb(op["color"])
            elif kind == "S":
                dashed = op["style"] == "dashed"
            elif kind == "F":
                font_size = op["size"]
                font_kind = "serif" if "Times" in op["face"] else "sans"
            elif kind in "pPLbB":
                line = _bezier(op["points"]) if kind in "bB" else [tuple(p) for p in
                                                                     op["points"]]
                line = [self.point(p) for p in line]  # type: ignore[arg-type]
                color = _fade(stroke or pen, fade)
                if kind in "PB" or (kind == "p" and fill is not None):
                    self.draw.polygon(line, fill=_fade(fill or brush, fade))
                if kind in "pP" and color is not None:
                    self.draw.line([*line, line[0]], fill=color, width=pixels, joint="curve")
                elif color is not None:
                    if dashed:
                        _dashed(self.draw, line, color, pixels, 5 * self.zoom)
                    else:
                        self.draw.line(line, fill=color, width=pixels, joint="curve")
            elif kind in "eE":
                cx, cy, rx, ry = op["rect"]
                (left, top), (right, bottom) = (self.point([cx - rx, cy + ry]),
                                                self.point([cx + rx, cy - ry]))
                inside = _fade(fill or (brush if kind == "E" else None), fade)
                self.draw.ellipse([left, top, right, bottom], fill=inside,
                                  outline=_fade(stroke or pen, fade), width=pixels)
            elif kind == "T":
                words, color = (texts or {}).get(n_text, (op["text"], None))
                n_text += 1
                anchor = {"l": "ls", "r": "rs"}.get(op["align"], "ms")
                color = _fade(color or pen, fade)
                if color is not None:  # dot's serif, as the page shows it
                    self.draw.text(self.point(op["pt"]), self.fonts.text(words), fill=color,
                                   font=self.fonts.get(font_kind, font_size * self.zoom),
                                   anchor=anchor)


def _state(player: Player, k: int) -> tuple[set[str], dict[str, tuple[str, str]]]:
    """What is on stage after scenes 0..k, and each value's gradient text: as the page does."""
    seen: set[str] = set()
    grads: dict[str, tuple[str, str]] = {}
    for scene in player.scenes[:k + 1]:
        seen.update(scene.appear)
        grads.update(scene.grads)
    return seen, grads


def animation(player: Player) -> list[tuple[Image.Image, int]]:
    """The frames of the GIF, each with how long it shows (milliseconds), in 128 colours."""
    Image, ImageDraw, _ = _pillow()
    layout = json.loads(player.layout.diagram.pipe(format="json"))
    objects = {item["_gvid"]: item for item in layout.get("objects", [])}
    fonts = _Fonts()
    graph_width, graph_height = (side // SUPERSAMPLE
                                 for side in _drawn_size(layout, SCALE * SUPERSAMPLE))
    width = max(graph_width, WIDTH_OF_TEXT)
    captions = [_caption(player, k, width, fonts) for k in range(len(player.scenes))]
    # the sentence is wrapped, a panel's table is not: the frame is as wide as its widest line
    width = max(width, *(TEXT_LEFT * 2 + round(fonts.get(_font_kind(style), TEXT_SIZE)
                                               .getlength(words))
                         for lines in captions for style, words in lines))
    height = graph_height + max(len(lines) for lines in captions) * 22 + 24
    _check_size(len(captions), width, height)
    frames = []
    for k, lines in enumerate(captions):
        picture = _graph_frame(player, layout, objects, fonts, k)
        frame = Image.new("RGB", (width, height), "white")
        frame.paste(picture, ((width - picture.width) // 2, 0))
        draw = ImageDraw.Draw(frame)
        y = picture.height + 12
        for style, words in lines:
            color = (BACKWARD if player.scenes[k].phase == "backward" else FORWARD) \
                if style == "step" else (33, 37, 41)
            draw.text((TEXT_LEFT, y), words, fill=color,
                      font=fonts.get(_font_kind(style), TEXT_SIZE))
            y += 22
        last = k == len(player.scenes) - 1
        frames.append((frame.quantize(colors=128, method=Image.Quantize.MEDIANCUT,
                                      dither=Image.Dither.NONE),
                       LAST if last else DURATION[player.scenes[k].phase]))
    return frames


def _font_kind(style: str) -> str:
    """The font of a caption line of `style` ("step", "title", "sans" or "mono")."""
    return {"step": "bold", "title": "bold"}.get(style, style)


def _check_size(count: int, width: int, height: int) -> None:
    if max(width, height) > MAX_SIDE or count * width * height > MAX_PIXELS:
        raise ValueError(
            f"Player.save: a GIF of this graph would be {count} frames of {width} × {height} "
            f"pixels (about {count * width * height / 1e6:,.0f} MB to hold while writing); "
            f"a GIF is for a small graph, at most {MAX_SIDE} pixels a side and "
            f"{MAX_PIXELS // 1_000_000} million pixels in all. Save the player as .html, which "
            "shows a graph of any size, or play less of it (play_backprop(..., max_nodes=...))")


def _graph_frame(player: Player, layout: dict[str, Any], objects: dict[int, Any],
                 fonts: _Fonts, k: int) -> Image.Image:
    Image, _, _ = _pillow()
    scene = player.scenes[k]
    seen, grads = _state(player, k)
    phase = scene.phase
    lit = FORWARD if phase == "forward" else BACKWARD
    canvas = _Canvas(layout, fonts)
    for item in layout.get("objects", []):
        if "nodes" in item and "_draw_" in item:  # a frame (cluster) first, under its nodes
            canvas.run(item["_draw_"])
            canvas.run(item.get("_ldraw_", []))
    active, receiving = set(scene.active), set(scene.receiving)
    flowing = active | receiving
    for edge in layout.get("edges", []):
        tail, head = objects[edge["tail"]]["name"], objects[edge["head"]]["name"]
        on = head in active and (tail in flowing or phase == "forward")
        fade = 0.0 if tail in seen and head in seen else FAINT
        for part in ("_draw_", "_hdraw_"):
            canvas.run(edge.get(part, []), fade, stroke=lit if on else None,
                       fill=lit if on and part == "_hdraw_" else None, width=2.5 if on else 1)
    for item in layout.get("objects", []):
        if "nodes" in item:
            continue
        name = item["name"]
        fade = 0.0 if name in seen else FAINT
        style: dict[str, Any]
        if name in active:
            style = {"stroke": lit, "fill": LIGHT[phase], "width": 3.0}
        elif name in receiving:
            style = {"stroke": BACKWARD, "fill": RECEIVING, "width": 2.0}
        else:
            style = {}
        canvas.run(item.get("_draw_", []), fade, **style)
        texts = {}
        if name in player.no_gradient_yet:
            words, state = grads.get(name, (player.no_gradient_yet[name], "none"))
            color = {"partial": PARTIAL, "done": DONE}.get(state)
            fields = sum(op["op"] == "T" for op in item.get("_ldraw_", []))
            texts = {fields - 1: (words, color)}  # a value's record ends with its gradient
        canvas.run(item.get("_ldraw_", []), fade, texts=texts)
    small = canvas.image.resize((canvas.size[0] // SUPERSAMPLE, canvas.size[1] // SUPERSAMPLE),
                                Image.Resampling.LANCZOS)
    return small


def _caption(player: Player, k: int, width: int, fonts: _Fonts) -> list[tuple[str, str]]:
    """The lines under the graph: the step's sentence, then its panel."""
    scene = player.scenes[k]
    columns = max(40, width // 8)
    lines = [("step", line) for line in textwrap.wrap(fonts.text(scene.text), columns)]
    panel = scene.panel
    lines.append(("title", fonts.text(panel.title)))
    for name, value in panel.facts:
        lines.append(("sans", fonts.text(f"{name}: {value}")))
    if panel.rows:
        table = [panel.head, *panel.rows]
        widths = [max(len(fonts.text(row[c])) for row in table) for c in range(len(panel.head))]
        for row in table:
            cells = (fonts.text(cell).ljust(w) for cell, w in zip(row, widths, strict=True))
            lines.append(("mono", "   ".join(cells).rstrip()))
    return lines


def write(frames: list[tuple[Image.Image, int]], path: Path) -> None:
    """Save the frames as a GIF that loops."""
    pictures = [frame for frame, _ in frames]
    pictures[0].save(path, save_all=True, append_images=pictures[1:],
                     duration=[duration for _, duration in frames], loop=0, optimize=True)
