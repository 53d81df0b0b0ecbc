"""What every example shares: the command line (`--quick`, `--gallery`) and where pictures go.

Pictures are saved in examples/output/ (created when needed, ignored by git). The pictures the
README shows are kept in examples/gallery/ and are written there only by a full run with
`--gallery` (what `bash run.sh gallery` does), never by a test or an ordinary run. matplotlib
is an optional extra (`pip install learngrad[plot]`); it is imported only when an example saves
a figure.

Every example is also a notebook (examples/notebooks/, made by examples/_course.py). There the
command line is the kernel's, not the example's, so the quick run is asked for with the
environment variable LEARNGRAD_QUICK=1 (which works for a program too), and figures, diagrams
and players are also shown in the notebook.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from autograd import Player, Value, no_grad

OUTPUT = Path(__file__).resolve().parent / "output"
GALLERY = OUTPUT.parent / "gallery"  # the pictures the README shows, kept in the repository


def in_notebook() -> bool:
    """Whether the example runs in a Jupyter kernel (its notebook) rather than as a program."""
    return "ipykernel" in sys.modules


def parse_args(description: str | None,
               **extra: tuple[int, int] | tuple[int, int, int]) -> argparse.Namespace:
    """Parse the example's command line: `--quick` for a small, fast run (what CI uses), also
    given by the environment variable LEARNGRAD_QUICK=1; `--gallery` for a full run that also
    rewrites the README's pictures in examples/gallery/.

    `extra` adds options with a full run's default and a quick run's: `steps=(100, 30)` adds
    `--steps`, 100 by default and 30 under `--quick`; a number given on the command line wins.
    A number must be at least 1, or at least the third item when there is one
    (`epochs=(1000, 200, 50)`): a smaller one is refused with the usage, not run.
    In a notebook, arguments that are not the example's are ignored: sys.argv holds the
    kernel's own (`-f <connection file>`).
    """
    parser = argparse.ArgumentParser(description=(description or "").strip().split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a small, fast run (used by CI; or set LEARNGRAD_QUICK=1)")
    parser.add_argument("--gallery", action="store_true",
                        help="also write the README's pictures into examples/gallery/ "
                             "(a full run; what `bash run.sh gallery` does)")
    for name, (full, quick, *least) in extra.items():
        smallest = least[0] if least else 1
        parser.add_argument(f"--{name.replace('_', '-')}", type=_at_least(smallest),
                            help=f"default: {full} ({quick} with --quick)"
                                 + (f"; at least {smallest}" if smallest > 1 else ""))
    args = parser.parse_known_args()[0] if in_notebook() else parser.parse_args()
    if args.quick and args.gallery:
        parser.error("--gallery is for full runs: the README shows their pictures, not --quick's")
    given = [f"--{name.replace('_', '-')}" for name in extra if getattr(args, name) is not None]
    if args.gallery and given:
        parser.error(f"--gallery is for full runs with their own numbers: the README shows "
                     f"their pictures; drop {', '.join(given)}")
    # An explicit --gallery asks for a full run, whatever the environment says.
    args.quick = args.quick or (os.environ.get("LEARNGRAD_QUICK") == "1" and not args.gallery)
    for name, (full, quick, *_) in extra.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    return args


def _at_least(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number no smaller than `least`."""
    def whole_number(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if number < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}, got {number}")
        return number

    return whole_number


def gallery_path(name: str) -> Path:
    """Where the README's picture `name` is kept (examples/gallery/name); write there only
    under `--gallery`."""
    return GALLERY / name


def output_path(name: str) -> Path:
    """Where an example saves the picture `name` (examples/output/name)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return OUTPUT / name


def padded_limits(X: np.ndarray, pad: float = 0.5) -> tuple[tuple[float, float], ...]:
    """The x and y ranges of 2-D points, widened by `pad` on each side."""
    return tuple((float(column.min()) - pad, float(column.max()) + pad) for column in X.T)


def on_grid(fn: Callable[[np.ndarray], Any], xlim: tuple[float, float],
            ylim: tuple[float, float], steps: int = 200) -> tuple[np.ndarray, ...]:
    """`fn` over a grid of the plane, for contour plots of scores and decision regions.

    `fn` gets an (n, 2) array of points and returns n numbers (an array or a Value); it runs
    under `no_grad`. Returns (xx, yy, values), all of the grid's shape.
    """
    xx, yy = np.meshgrid(np.linspace(*xlim, steps), np.linspace(*ylim, steps))
    with no_grad():
        out = fn(np.column_stack([xx.ravel(), yy.ravel()]))
    values = out.data if isinstance(out, Value) else np.asarray(out)
    return xx, yy, values.reshape(xx.shape)


def pyplot() -> Any:
    """matplotlib.pyplot with a non-interactive backend (a notebook's own in a notebook), or a
    clear error if it is missing."""
    try:
        import matplotlib

        if not in_notebook():
            matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SystemExit(
            "This example draws with matplotlib: pip install 'learngrad[plot]'"
        ) from None
    return plt


def save_figure(figure: Any, name: str, gallery: bool = False) -> Path:
    """Save a matplotlib figure under examples/output/, close it and say where it went.

    With `gallery=True` (pass `args.gallery`: the examples the README shows, run with
    `--gallery`) it is also saved in examples/gallery/.
    """
    path = output_path(name)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    if gallery:
        figure.savefig(gallery_path(name), dpi=80, bbox_inches="tight")
    show(figure)
    pyplot().close(figure)
    print(f"saved {path.relative_to(OUTPUT.parent.parent)}")
    return path


def save_picture(picture: Any, name: str, gallery: bool = False, shown: bool = True) -> Path:
    """Save a diagram (`draw_graph`'s) or a backpropagation player (`play_backprop`'s) under
    examples/output/ as `name` (its suffix says the format) and say where it went.

    With `gallery=True` it is also saved in examples/gallery/. In a notebook it is also shown
    below the cell, unless `shown=False` (the same player saved twice is shown once).
    """
    destinations = [output_path(name)] + ([gallery_path(name)] if gallery else [])
    for path in destinations:
        if isinstance(picture, Player):
            picture.save(path)
        else:
            picture.export(path)
        print(f"saved {path.relative_to(OUTPUT.parent.parent)}")
    if shown:
        show(picture)
    return destinations[0]


def show(picture: Any) -> None:
    """In a notebook, show a figure, a diagram or a player below the cell; a program only
    saves them."""
    if in_notebook():
        from IPython.display import display

        display(picture)
