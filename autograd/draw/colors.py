"""The gradient colour scale: a value's fill from log10 of its gradient's magnitude, and the
legend that reads it.

>>> scale = GradScale([1e-3, 1.0], None)     # spans the magnitudes given: 1e-3 to 1
>>> scale.color(1e-3) == mix(0.0), scale.color(None) == NO_GRAD_COLOR
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

# A viridis-like colour map (dark violet for tiny gradients, yellow for large ones), sampled at
# evenly spaced points and interpolated linearly; distinct from the grey of "no gradient" and
# from the red of non-finite gradients.
COLORMAP = ((0x44, 0x01, 0x54), (0x3B, 0x52, 0x8B), (0x21, 0x91, 0x8C), (0x5E, 0xC9, 0x62),
            (0xFD, 0xE7, 0x25))
NO_GRAD_COLOR = "#d9d9d9"
NOT_FINITE_COLOR = "#e4572e"
MAX_TICKS = 7  # legend swatches at most


def mix(position: float) -> str:
    """The colour map at `position` in [0, 1], as #rrggbb."""
    scaled = min(max(position, 0.0), 1.0) * (len(COLORMAP) - 1)
    i = min(int(scaled), len(COLORMAP) - 2)
    t = scaled - i
    rgb = (round(a + (b - a) * t) for a, b in zip(COLORMAP[i], COLORMAP[i + 1], strict=True))
    return "#" + "".join(f"{c:02x}" for c in rgb)


def is_dark(color: str) -> bool:
    r, g, b = (int(color[k:k + 2], 16) for k in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b < 128


def power_of_ten(exponent: float) -> str:
    if exponent == round(exponent):
        return f"1e{round(exponent)}"
    return f"{10 ** exponent:.1e}"


class GradScale:
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
            return mix(0.0)
        return mix((math.log10(magnitude) - self.low) / (self.high - self.low))

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
            color = mix((exponent - self.low) / (self.high - self.low))
            font = "white" if is_dark(color) else "black"
            # The end colours also stand for everything beyond them (zero gradients too).
            bound = "&le;" if k == 0 else "&ge;" if k == len(ticks) - 1 else ""
            cells.append(f'<td bgcolor="{color}"><font color="{font}">'
                         f"{bound}{power_of_ten(exponent)}</font></td>")
        span = f'colspan="{len(ticks)}"'
        rows = [f"<tr><td {span}>|grad| (norm for tensors), log scale</td></tr>",
                "<tr>" + "".join(cells) + "</tr>",
                f'<tr><td {span} bgcolor="{NO_GRAD_COLOR}">no grad</td></tr>']
        if self.has_not_finite:
            rows.append(f'<tr><td {span} bgcolor="{NOT_FINITE_COLOR}">inf or NaN</td></tr>')
        return ('<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">'
                + "".join(rows) + "</table>>")
