"""The checks of the options that draw_graph and play_backprop share, each refusal saying what
would be valid in the words of the function that was called.

>>> check_rankdir("draw_graph", "UP")
Traceback (most recent call last):
ValueError: draw_graph: rankdir must be one of LR, TB, RL, BT, got 'UP'
"""

from __future__ import annotations

import math
from typing import Any

from autograd.value import Value

RANKDIRS = ("LR", "TB", "RL", "BT")
GROUPINGS = (None, "cluster", "collapse")


def check_root(caller: str, root: Any, parameter: str = "root") -> None:
    if not isinstance(root, Value):
        raise TypeError(f"{caller}: {parameter} must be a Value, got {type(root).__name__}")


def check_rankdir(caller: str, rankdir: Any) -> None:
    if rankdir not in RANKDIRS:
        raise ValueError(f"{caller}: rankdir must be one of {', '.join(RANKDIRS)}, "
                         f"got {rankdir!r}")


def check_positive(caller: str, name: str, number: Any, none_ok: bool = False) -> None:
    """`number` must be a positive integer (or None, where `none_ok`)."""
    if none_ok and number is None:
        return
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise ValueError(f"{caller}: {name} must be a positive integer"
                         f"{' or None' if none_ok else ''}, got {number!r}")


def check_drawing(caller: str, root: Any, rankdir: Any, group_by: Any, depth: Any,
                  max_nodes: Any) -> None:
    """The options of the graph's layout: direction, grouping and the node limit."""
    check_root(caller, root)
    check_rankdir(caller, rankdir)
    if group_by not in GROUPINGS:
        raise ValueError(f"{caller}: group_by must be None, 'cluster' or 'collapse', "
                         f"got {group_by!r}")
    check_positive(caller, "depth", depth, none_ok=True)
    check_positive(caller, "max_nodes", max_nodes)
    if depth is not None and group_by is None:
        raise ValueError(f"{caller}: depth applies to grouping; pass group_by='cluster' or "
                         "'collapse' with it")


def check_colors(caller: str, color_by_grad: bool, grad_range: Any) -> None:
    if grad_range is None:
        return
    low, high = grad_range
    if not 0 < low < high < math.inf:
        raise ValueError(f"{caller}: grad_range must be (low, high) with "
                         f"0 < low < high, got {grad_range!r}")
    if not color_by_grad:
        raise ValueError(f"{caller}: grad_range sets the colour scale; pass "
                         "color_by_grad=True with it")
