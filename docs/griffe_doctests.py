"""A griffe extension for the API reference: docstrings as `help()` shows them.

- The docstrings are prose with doctest examples (`>>> ...` lines and the output after them),
  which the test suite runs. Markdown would read a `>>>` line as a nested quotation, so each
  run of such lines, with the output lines that follow it, is fenced as a `pycon` block (an
  interactive Python session).
- An operation of autograd.ops is an `Operation` instance whose docstring is given as
  `doc="..."` (it becomes the instance's `__doc__`); reading the source, griffe sees an
  assignment without one, so the `doc` argument is taken as its docstring.
"""

from __future__ import annotations

import ast
import inspect
from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    """The docstring with each doctest example (prompts and output, up to a blank line) fenced."""
    lines, fenced, inside = text.split("\n"), [], False
    for line in lines:
        prompt = line.lstrip().startswith(">>>")
        if prompt and not inside:
            indent = line[: len(line) - len(line.lstrip())]
            fenced += ["", f"{indent}```pycon"]
            inside = True
        elif inside and not line.strip():
            fenced += [f"{indent}```", ""]
            inside = False
        fenced.append(line)
    if inside:
        fenced.append(f"{indent}```")
    return "\n".join(fenced)


def _doc_argument(node: Any) -> str | None:
    """The `doc="..."` argument of the call an assignment makes, if any."""
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
        for keyword in node.value.keywords:
            if keyword.arg == "doc" and isinstance(keyword.value, ast.Constant):
                return inspect.cleandoc(keyword.value.value)
    return None


class DoctestBlocks(griffe.Extension):
    """Fence the doctest examples of every docstring griffe loads; find the operations'."""

    def on_instance(self, *, node: Any, obj: griffe.Object, agent: Any, **kwargs: Any) -> None:
        if obj.docstring is None and isinstance(obj, griffe.Attribute):
            doc = _doc_argument(node)
            if doc is not None:
                obj.docstring = griffe.Docstring(doc, parent=obj)
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)
