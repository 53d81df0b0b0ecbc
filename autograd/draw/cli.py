"""The command line, `python -m autograd.draw`: draw a built-in example or the Value a
function of your script returns, or write its backpropagation player, without writing code.

>>> main(["--example", "expression", "--source", "--max-nodes", "2"])  # doctest: +ELLIPSIS
// computation graph: 7 values, 2 drawn, … 5 more values not drawn (leaf 4, mul 1)
...
0
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from autograd.draw.diagram import FORMATS, GraphvizNotFoundError, draw_graph
from autograd.draw.engine_access import gradient_or_none
from autograd.draw.examples import EXAMPLES
from autograd.draw.options import RANKDIRS
from autograd.draw.player import play_backprop
from autograd.engine import GraphError
from autograd.value import Value


def load_function(script: Path, name: str) -> Callable[[], Any]:
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


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m autograd.draw",
        description="Draw the computation graph of a built-in example, or of the Value\n"
                    "returned by a function (called with no arguments) in your script.\n"
                    "A single-element result gets a backward pass first (unless the\n"
                    "function ran one), so the gradients show. With --html (or --gif),\n"
                    "write instead a player that steps through its backpropagation.",
        epilog="examples:  python -m autograd.draw --example neuron -o neuron.png\n"
               "           python -m autograd.draw --script model.py --function loss "
               "--group-by collapse --depth 2 --color-by-grad\n"
               "           python -m autograd.draw --example neuron --html neuron.html",
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
    player = parser.add_argument_group("the backpropagation player (instead of the diagram)")
    player.add_argument("--html", type=Path, help="write the player as a page to this path")
    player.add_argument("--gif", type=Path,
                        help="write the player as an animated GIF to this path (needs Pillow)")
    player.add_argument("--fold-above", type=int, default=20,
                        help="scopes with more values of their own start folded (default: 20)")
    return parser


DIAGRAM_ONLY = {"output": "-o", "format": "--format", "source": "--source",
                "color_by_grad": "--color-by-grad", "group_by": "--group-by"}


def write_player(root: Value, args: argparse.Namespace) -> int:
    """The player's half of main: --html and --gif."""
    player = play_backprop(root, rankdir=args.rankdir, depth=args.depth,
                           fold_above=args.fold_above, max_nodes=args.max_nodes)
    for path in (args.html, args.gif):
        if path is None:
            continue
        try:
            written = player.save(path)
        except GraphvizNotFoundError as error:
            print(f"autograd.draw: {error}", file=sys.stderr)
            return 1
        except OSError as error:
            return cannot_write(path, error)
        print(f"wrote {written} (backpropagation player: {len(player)} steps; "
              f"{player.layout.summary})")
    return 0


def cannot_write(path: Path, error: OSError) -> int:
    print(f"autograd.draw: cannot write {str(path)!r}: {error.strerror or error}",
          file=sys.stderr)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (see `python -m autograd.draw --help`); returns the exit status."""
    options = parser()
    args = options.parse_args(argv)
    if args.script is not None:
        if not args.function:
            options.error("--script needs --function NAME (the function returning a Value)")
        build, name = load_function(args.script, args.function), args.function
    else:
        if args.function:
            options.error("--function needs --script PATH")
        build, name = EXAMPLES[args.example], args.example
    root = build()
    if not isinstance(root, Value):
        raise SystemExit(f"autograd.draw: {name}() returned {type(root).__name__}; "
                         "it must return a Value")
    if gradient_or_none(root) is None and root.requires_grad and root.size == 1:
        root.backward(retain_graph=True)
    if args.html or args.gif:
        for option, flag in DIAGRAM_ONLY.items():
            if getattr(args, option):
                options.error(f"{flag} is for the diagram; --html and --gif write the player")
        for flag, path, suffixes in (("--html", args.html, (".html", ".htm")),
                                     ("--gif", args.gif, (".gif",))):
            if path is not None and path.suffix.lower() not in suffixes:
                options.error(f"{flag} names the file to write, ending in {suffixes[0]}: "
                              f"got {str(path)!r}")
        try:
            return write_player(root, args)
        except ValueError as error:
            options.error(str(error))
        except GraphError as error:  # what the function returned cannot be played
            print(f"autograd.draw: {name}() returned a Value whose backpropagation cannot be "
                  f"played: {error}", file=sys.stderr)
            return 1
    try:
        diagram = draw_graph(root, rankdir=args.rankdir, color_by_grad=args.color_by_grad,
                             group_by=args.group_by, depth=args.depth,
                             max_nodes=args.max_nodes)
    except ValueError as error:
        options.error(str(error))
    except GraphError as error:  # a tensor graph that the function's backward() released
        print(f"autograd.draw: {name}() returned a Value that cannot be drawn: {error}",
              file=sys.stderr)
        return 1
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
        options.error(str(error))
    except OSError as error:
        return cannot_write(output, error)
    print(f"wrote {written} ({diagram.comment})")
    return 0
