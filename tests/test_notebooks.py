"""The course's notebooks: generated from the examples, up to date, and runnable.

examples/notebooks/ is made by examples/_course.py from the example programs. These tests fail
when a committed notebook differs from what its program generates (run `bash run.sh
notebooks`), and execute every notebook in a Jupyter kernel of this Python, in the examples'
quick mode, checking that it prints what its program promises (the program's CHECKS).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from test_examples import declared_checks

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
sys.path.insert(0, str(EXAMPLES))
import _course  # noqa: E402  (examples/ is not a package)

COURSE = _course.course()


def test_every_example_program_is_in_the_course_once():
    names = [example.name for example in COURSE]
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(path.stem for path in _course.programs())


def test_committed_notebooks_are_what_their_programs_generate():
    assert _course.stale_notebooks() == [], "run `bash run.sh notebooks` and commit the result"


@pytest.mark.parametrize("example", COURSE, ids=lambda example: example.name)
def test_notebook_opens_with_the_docstring_and_ends_by_calling_main(example):
    notebook = json.loads(example.notebook.read_text())
    cells = notebook["cells"]
    opening = "".join(cells[0]["source"])
    assert cells[0]["cell_type"] == "markdown"
    assert opening.startswith(_course.markdown(f"# {example.title}\n"))
    assert "What to look for" in opening
    code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    assert code[-1] == "main()"
    assert "def main(" in "\n".join(code)
    assert not any(re.search(r"^CHECKS =|^if __name__", text, re.M) for text in code)
    assert all(not cell.get("outputs") for cell in cells if cell["cell_type"] == "code")
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_code_cells_split_at_top_level_definitions():
    source = '''"""Doc."""

import numpy as np

CHECKS = [r"x"]

SIZE = 3


# a comment that introduces f
def f():
    return np.ones(SIZE)


@staticmethod
def g():
    pass
COLOURS = ["red"]


def main():
    print(f())


if __name__ == "__main__":
    main()
'''
    assert _course.code_cells(source) == [
        "import numpy as np\n\nSIZE = 3",
        "# a comment that introduces f\ndef f():\n    return np.ones(SIZE)",
        "@staticmethod\ndef g():\n    pass",
        'COLOURS = ["red"]',
        "def main():\n    print(f())",
        "main()",
    ]


def _stdout(notebook: nbformat.NotebookNode) -> str:
    return "".join(output.get("text", "") for cell in notebook.cells
                   for output in cell.get("outputs", []) if output.get("name") == "stdout")


@pytest.mark.parametrize("example", COURSE, ids=lambda example: example.name)
def test_notebook_runs_quickly_and_prints_what_its_example_shows(example, monkeypatch,
                                                                 examples_output_lock):
    checks = declared_checks(example.path)
    notebook = nbformat.read(example.notebook, as_version=4)
    monkeypatch.setenv("LEARNGRAD_QUICK", "1")
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    # the python3 kernel of this very Python (no kernel directories: no other "python3" that a
    # user or the system installed can stand in for it)
    kernel = KernelManager(kernel_name="python3",
                           kernel_spec_manager=KernelSpecManager(kernel_dirs=[]))
    client = NotebookClient(notebook, km=kernel, timeout=600,
                            resources={"metadata": {"path": str(_course.NOTEBOOKS)}})
    with examples_output_lock(example.name):  # its program writes the same files
        client.execute()
    printed = _stdout(notebook)
    for pattern in checks:
        assert re.search(pattern, printed, re.MULTILINE), (
            f"{example.notebook.name}: output does not match {pattern!r}:\n{printed}")
    # every picture it saves, but an animation, is also shown: a figure, a diagram or a player
    saved = re.findall(r"^saved examples/output/\S+$", printed, re.MULTILINE)
    shown = [output for cell in notebook.cells for output in cell.get("outputs", [])
             if output.get("output_type") == "display_data"]
    assert len(shown) == len([line for line in saved if not line.endswith(".gif")]), saved
    assert example.notebook.read_text() == _course.notebook_json(example)  # outputs not saved
