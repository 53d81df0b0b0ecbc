"""The course: its examples in order, their docstrings as Markdown, and their notebooks.

Each example is a program (`examples/<name>.py`) and also a Jupyter notebook
(`examples/notebooks/<name>.ipynb`) generated from it, so the program stays the one source: the
docstring becomes the opening Markdown cell, the code is cut into cells at its top-level
definitions, and the `if __name__ == "__main__": main()` guard becomes a last cell `main()`.
The documentation site's course pages are built from the same docstrings (docs/hooks.py).

    python examples/_course.py            # regenerate examples/notebooks/ (bash run.sh notebooks)
    python examples/_course.py --check    # exit 1, naming them, if any notebook is out of date

Generating needs jupytext (the dev and docs extras install it).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent
NOTEBOOKS = EXAMPLES / "notebooks"
GALLERY = EXAMPLES / "gallery"

# The course in order: micrograd's demo, the lessons of an introductory course (numbered from 1),
# then the tools: drawing graphs and checking gradients.
DEMO = ["demo"]
LESSONS = [
    "perceptron_logic_gates",
    "perceptron_algorithm",
    "step_to_sigmoid",
    "softmax_cross_entropy",
    "logistic_regression",
    "mlp_backpropagation",
    "overfitting_underfitting",
    "regularization_l1_l2",
    "dropout",
    "local_minima_momentum",
    "draw_vanishing_gradients",
    "gradient_descent_batch_sizes",
    "handwritten_digits",
]
TOOLS = ["draw_expression", "draw_neuron", "backprop_player", "draw_mlp", "gradient_check"]

# In a notebook the working folder is examples/notebooks/, and the examples import their shared
# helpers (examples/_common.py) from the folder above. A `from __future__` import must open the
# notebook (the kernel keeps it in force for the cells after it), so the program's moves here.
FUTURE = "from __future__ import annotations"
SETUP_CELL = """\
# The examples share their helpers in examples/_common.py, one folder up from this notebook.
# LEARNGRAD_QUICK=1 in the environment gives the short run that `--quick` gives a program.
import sys

sys.path.insert(0, "..")"""

PATH = re.compile(r"((?:python )?examples/[\w/.<>-]+\.\w+)")  # a file, or a command running it
PICTURE = re.compile(r"examples/(?:output|gallery)/([\w.<>-]+\.(?:png|svg))")


@dataclass(frozen=True)
class Example:
    """One program of the course: its name (the file's stem), its number if it is a lesson."""

    name: str
    number: int | None

    @property
    def path(self) -> Path:
        return EXAMPLES / f"{self.name}.py"

    @property
    def notebook(self) -> Path:
        return NOTEBOOKS / f"{self.name}.ipynb"

    @property
    def docstring(self) -> str:
        docstring = ast.get_docstring(ast.parse(self.path.read_text()))
        if not docstring:
            raise ValueError(f"{self.path.name} has no docstring to open its notebook with")
        return docstring

    @property
    def title(self) -> str:
        """The docstring's first line, without its full stop."""
        return self.docstring.split("\n", 1)[0].rstrip(".")

    @property
    def pictures(self) -> list[str]:
        """The file names of the pictures it saves in examples/output/ or examples/gallery/, as
        its docstring names them (a pattern such as `gradient_flow_<run>.png` stands for
        several)."""
        return list(dict.fromkeys(PICTURE.findall(self.docstring)))


def course() -> list[Example]:
    """Every example, in the course's order."""
    return ([Example(name, None) for name in DEMO]
            + [Example(name, number) for number, name in enumerate(LESSONS, start=1)]
            + [Example(name, None) for name in TOOLS])


def programs() -> list[Path]:
    """The example programs in examples/ (files starting with "_" are helpers)."""
    return sorted(path for path in EXAMPLES.glob("*.py") if not path.name.startswith("_"))


def markdown(docstring: str) -> str:
    """A docstring's text as Markdown: paths in code font (a name such as `<run>` would
    otherwise read as an HTML tag), a `*` as itself rather than emphasis (x1*w1), and a blank
    line before a list that follows a line of text, which Markdown needs to see the list."""
    lines: list[str] = []
    for line in docstring.split("\n"):
        parts = line.split("`")  # the odd parts are code already
        line = "`".join(part if i % 2 else re.sub(PATH, r"`\1`", part.replace("*", r"\*"))
                        for i, part in enumerate(parts))
        starts_list = line.startswith("- ")
        if starts_list and lines and lines[-1] and not lines[-1].startswith(("- ", "  ")):
            lines.append("")
        lines.append(line)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Notebooks.


def _is_checks(node: ast.stmt) -> bool:
    """`CHECKS = [...]`: the output the test suite expects, not part of the lesson."""
    return isinstance(node, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id == "CHECKS" for target in node.targets)


def _is_main_guard(node: ast.stmt) -> bool:
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__")


def code_cells(source: str) -> list[str]:
    """The program's code as cells: each top-level function or class in a cell of its own,
    with the comments above it; the statements between them (imports, constants) together;
    the main guard as a call of `main()`. The docstring and `CHECKS` are left out."""
    lines = source.split("\n")
    body = ast.parse(source).body
    cells: list[tuple[bool, str]] = []  # (is a definition, text)
    previous_end = 0
    for node in body:
        start = previous_end  # comments and blank lines since the last statement come along
        previous_end = node.end_lineno or node.lineno
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                and node is body[0]) or _is_checks(node):
            continue
        if _is_main_guard(node):
            cells.append((True, "main()"))
            continue
        text = "\n".join(lines[start:previous_end])  # the blank lines before it kept
        definition = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        if cells and not definition and not cells[-1][0]:
            cells[-1] = (False, cells[-1][1] + "\n" + text)
        else:
            cells.append((definition, text))
    return [text.strip("\n") for _, text in cells]


def percent_text(example: Example) -> str:
    """The notebook in jupytext's percent format: the docstring as Markdown, then the code."""
    text = markdown(f"# {example.title}\n\n" + example.docstring.split("\n", 1)[1].strip())
    docstring = "\n".join(f"# {line}".rstrip() for line in text.split("\n"))
    source = example.path.read_text()
    code = code_cells(source)
    setup = SETUP_CELL
    if code and code[0].startswith(FUTURE):
        code[0] = code[0].removeprefix(FUTURE).lstrip("\n")
        setup = f"{FUTURE}\n\n{setup}"
    if "__file__" in source:  # a notebook has no file of its own: the program's stands in
        setup += (f"\n\n# The program's own path, which it reads as __file__\n"
                  f"__file__ = \"../{example.path.name}\"")
    cells = [f"# %% [markdown]\n{docstring}", f"# %%\n{setup}"]
    cells += [f"# %%\n{cell}" for cell in code]
    return "\n\n".join(cells) + "\n"


def notebook_json(example: Example) -> str:
    """The notebook file's text: no outputs, and ids and metadata that do not change from one
    generation to the next, so that a notebook is rewritten only when its source changes."""
    import jupytext

    notebook = jupytext.reads(percent_text(example), fmt="py:percent")
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index}"
        cell.metadata = {}
    return jupytext.writes(notebook, fmt="ipynb")


def stale_notebooks() -> list[str]:
    """What `write_notebooks` would change: notebooks missing, out of date or left over."""
    wanted = {example.notebook: notebook_json(example) for example in course()}
    stale = [path.name for path, text in wanted.items()
             if not path.exists() or path.read_text() != text]
    stale += [path.name for path in sorted(NOTEBOOKS.glob("*.ipynb")) if path not in wanted]
    return stale


def write_notebooks() -> list[str]:
    """Regenerate examples/notebooks/ from the programs; returns the names of the files changed
    (written, or removed when no program is left for them)."""
    NOTEBOOKS.mkdir(exist_ok=True)
    changed = []
    for example in course():
        text = notebook_json(example)
        if not example.notebook.exists() or example.notebook.read_text() != text:
            example.notebook.write_text(text)
            changed.append(example.notebook.name)
    names = {example.notebook.name for example in course()}
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        if path.name not in names:
            path.unlink()
            changed.append(path.name)
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a notebook is out of date")
    args = parser.parse_args()
    missing = sorted({path.stem for path in programs()} - {e.name for e in course()})
    if missing:
        sys.exit(f"_course.py: add {', '.join(missing)} to the course's order (DEMO, LESSONS or "
                 "TOOLS) first")
    if args.check:
        stale = stale_notebooks()
        if stale:
            sys.exit(f"out of date in examples/notebooks/: {', '.join(stale)}; run "
                     "`bash run.sh notebooks`")
        print("every notebook is up to date")
        return
    changed = write_notebooks()
    print(f"rewrote {', '.join(changed)}" if changed else "every notebook was up to date")


if __name__ == "__main__":
    main()
