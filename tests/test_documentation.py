"""Every Python block of the README and of the documentation site runs, and prints what it says.

The convention, for README.md and docs/**/*.md:

- Each ```python block is a complete program: it runs alone in a fresh interpreter (imports
  included), in a temporary folder, so whatever it writes lands there.
- A `print(...)` statement with a comment at the end of it states what it prints: the comment
  is exactly the printed text, or starts with it followed by a colon and an explanation
  (`print(a.grad, b.grad)  # -0.5 -2.0: de/da and de/db`). Each such print runs once.
- A block whose first line is a comment naming a test file (`# test_softplus.py`) is saved
  under that name and run by pytest, which must pass.
- Code that cannot run here (it needs PyTorch, or it is a shell command) goes in a block of
  another language (```text, ```bash): a ```python block is never skipped.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import textwrap
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<language>[^\s`]*)[^\n]*\n"
                   r"(?P<code>.*?)^(?P=indent)```[ \t]*$",
                   re.MULTILINE | re.DOTALL)
# what the block's fences may say; anything else (`py`, `python3`, ...) could hide a Python
# block from this test
LANGUAGES = {"python", "bash", "text", "toml", "yaml", "console"}
TEST_FILE = re.compile(r"# (test_\w+\.py)\n")

# Runs a block and records, for each print called from the block's own code, the line of the
# call and the text printed (joined as print joins it).
RUNNER = """
import builtins, json, runpy, sys

block, record = sys.argv[1], sys.argv[2]
printed = []
real_print = builtins.print

def recording_print(*args, sep=" ", end="\\n", file=None, flush=False):
    caller = sys._getframe(1)
    if file is None and caller.f_code.co_filename == block:
        printed.append([caller.f_lineno, (" " if sep is None else sep).join(map(str, args))])
    real_print(*args, sep=sep, end=end, file=file, flush=flush)

builtins.print = recording_print
sys.argv = [block]
try:
    runpy.run_path(block, run_name="__main__")
finally:
    with open(record, "w") as out:
        json.dump(printed, out)
"""


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # of the opening fence, counted from 1
    language: str
    code: str

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    text = page.read_text()
    return [Block(page, text.count("\n", 0, match.start()) + 1, match["language"],
                  textwrap.dedent(match["code"]))
            for match in FENCE.finditer(text)]


ALL_BLOCKS = [block for page in PAGES for block in blocks(page)]
PYTHON_BLOCKS = [block for block in ALL_BLOCKS if block.language == "python"]


@dataclass(frozen=True)
class Claim:
    first_line: int
    last_line: int
    comment: str


def claims(code: str) -> list[Claim]:
    """Each print statement with a comment after it: the lines it spans and the comment."""
    comments = {token.start[0]: token.string.lstrip("#").strip()
                for token in tokenize.generate_tokens(io.StringIO(code).readline)
                if token.type == tokenize.COMMENT}
    found = []
    for node in ast.walk(ast.parse(code)):
        if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name) and node.value.func.id == "print"
                and node.end_lineno in comments):
            found.append(Claim(node.lineno, node.end_lineno, comments[node.end_lineno]))
    return found


def states(comment: str, printed: str) -> bool:
    """Whether a comment states what was printed: all of it, or it followed by a colon."""
    return comment == printed or comment.startswith(printed + ":")


def test_pages_are_found_and_hold_python_blocks():
    assert ROOT / "README.md" in PAGES and len(PAGES) > 10
    assert len(PYTHON_BLOCKS) > 20


@pytest.mark.parametrize("block", ALL_BLOCKS, ids=lambda block: block.name)
def test_every_block_names_a_language_of_the_convention(block):
    assert block.language in LANGUAGES, (
        f"{block.name}: a ```{block.language} block; Python is ```python (it is run) or, if it "
        "cannot run alone, ```text")


def test_a_comment_states_the_printed_text_or_that_and_a_colon():
    assert states("-0.5 -2.0: de/da and de/db", "-0.5 -2.0")
    assert states("74 epochs, best 54: val_loss 0.166", "74 epochs, best 54: val_loss 0.166")
    assert not states("-0.5 -2.0", "-0.5 -2.00")
    assert not states("(3, 4) (4,)", "(3, 4)")
    code = "x = 1\nprint(x)  # 1: one\nprint(x,\n      x)  # 1 1\nprint(2)\n# 2\n"
    assert claims(code) == [Claim(2, 2, "1: one"), Claim(3, 4, "1 1")]


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=lambda block: block.name)
def test_python_block_runs_alone_and_prints_what_its_comments_say(block, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0")
    test_file = TEST_FILE.match(block.code)
    if test_file:  # a test file: pytest must pass it
        (tmp_path / test_file[1]).write_text(block.code)
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "-n", "0", test_file[1]], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{block.name}: pytest failed:\n{done.stdout}{done.stderr}"
        return
    program, record = tmp_path / "block.py", tmp_path / "printed.json"
    program.write_text(block.code)
    done = subprocess.run([sys.executable, "-c", RUNNER, str(program), str(record)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{block.name} failed:\n{done.stdout}\n{done.stderr}"
    printed = json.loads(record.read_text())
    for claim in claims(block.code):
        texts = [text for line, text in printed if claim.first_line <= line <= claim.last_line]
        assert len(texts) == 1, (f"{block.name}, line {claim.first_line} of the block: a print "
                                 f"with a comment must run once, it ran {len(texts)} times")
        assert states(claim.comment, texts[0]), (
            f"{block.name}, line {claim.first_line} of the block: it printed\n  {texts[0]}\n"
            f"but its comment says\n  {claim.comment}")
