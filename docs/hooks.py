"""MkDocs hooks: the course's pages are built from the examples each time the site is built.

- Each example gets a page, course/<name>.md, made from its docstring (what it teaches and what
  to look for), the pictures of examples/gallery/ that the docstring names, how to run it and a
  link to its notebook, and its source. The nav's "The course" section lists them in the
  course's order (examples/_course.py holds it, and the docstrings).
- course/index.md's table of examples is generated where it says `<!-- course table -->`.
- The gallery's pictures and the notebooks are copied into the site, for the pages to show and
  link; a page's links to ../examples/gallery/ are pointed at the copies. The Speed page
  includes benchmarks/results/latest.md itself (pymdownx.snippets).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
import _course  # noqa: E402  (examples/ is not a package)

COURSE_SECTION = "The course"
COURSE_TABLE = "<!-- course table -->"


def on_config(config: Any) -> Any:
    """List a page per example in the nav's course section, after its index page."""
    for item in config.nav:
        if isinstance(item, dict) and COURSE_SECTION in item:
            item[COURSE_SECTION] = ["course/index.md"] + [
                {nav_title(example): f"course/{example.name}.md"} for example in _course.course()]
            return config
    raise ValueError(f"mkdocs.yml: the nav has no section {COURSE_SECTION!r} for the course")


def on_files(files: Files, config: Any) -> Files:
    for example in _course.course():
        files.append(File.generated(config, f"course/{example.name}.md",
                                    content=course_page(example)))
        files.append(File.generated(config, f"notebooks/{example.notebook.name}",
                                    abs_src_path=str(example.notebook)))
    for picture in sorted(_course.GALLERY.iterdir()):
        files.append(File.generated(config, f"gallery/{picture.name}",
                                    abs_src_path=str(picture)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    # The pages show the gallery from examples/gallery/, so that they read right in the
    # repository too; on the site its pictures are copied to gallery/.
    depth = "../" * page.file.src_uri.count("/")
    markdown = markdown.replace(f"]({depth}../examples/gallery/", f"]({depth}gallery/")
    if page.file.src_uri == "course/index.md":
        if COURSE_TABLE not in markdown:
            raise ValueError(f"docs/course/index.md: no {COURSE_TABLE} line for the table")
        return markdown.replace(COURSE_TABLE, course_table())
    return markdown


def nav_title(example: _course.Example) -> str:
    """The title up to its colon ("Perceptrons as logical operators"), numbered if a lesson, in
    plain text (the nav shows no code font)."""
    short = example.title.split(": ")[0].replace("`", "")
    return f"{example.number}. {short}" if example.number else short


def heading(example: _course.Example) -> str:
    title = _course.markdown(example.title)
    return f"{example.number}. {title}" if example.number else title


def course_table() -> str:
    rows = ["| # | Example | Notebook |", "| --- | --- | --- |"]
    rows += [f"| {example.number or ''} | [{_course.markdown(example.title)}]({example.name}.md) "
             f"| [{example.notebook.name}](../notebooks/{example.notebook.name}) |"
             for example in _course.course()]
    return "\n".join(rows)


def course_page(example: _course.Example) -> str:
    """The example's page: its docstring, its pictures, how to run it, its source."""
    body, _, run = example.docstring.split("\n", 1)[1].strip().rpartition("\n\nRun")
    if not body:  # no closing "Run ..." paragraph
        body, run = run, ""
    parts = [f"# {heading(example)}", "", _course.markdown(body), ""]
    shown = [name for name in example.pictures if (_course.GALLERY / name).exists()]
    if shown:
        parts += ["## Pictures", ""]
        parts += [f"![{name}](../gallery/{name})\n" for name in shown]
        parts += ["These come from a full run; a quick run draws the same pictures, from less "
                  "training, into `examples/output/`.", ""]
    parts += [
        "## Run it", "",
        _course.markdown(f"Run{run}") if run else "",
        "",
        f"As a notebook: [`examples/notebooks/{example.notebook.name}`]"
        f"(../notebooks/{example.notebook.name}), the same program cut into cells (open it in "
        "Jupyter from `examples/notebooks/`, where it finds the examples' shared helpers; "
        "`LEARNGRAD_QUICK=1` in Jupyter's environment gives the quick run).",
        "",
        f'??? example "The program: `examples/{example.path.name}`"',
        "",
        "    ```python",
        *[f"    {line}".rstrip() for line in example.path.read_text().rstrip().split("\n")],
        "    ```",
        "",
    ]
    return "\n".join(parts)
