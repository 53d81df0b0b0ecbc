"""Every example in a docstring of autograd and nn runs and prints what it shows."""

import doctest
import importlib
import pkgutil

import pytest

import autograd
import nn
from autograd import Operation, ops

# Every module, those of subpackages (autograd.draw) included.
MODULES = sorted(
    name
    for package in (autograd, nn)
    for name in [package.__name__]
    + [info.name for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]
)


def test_the_modules_of_subpackages_are_found():
    assert {"autograd.draw", "autograd.draw.walk", "autograd.draw.cli"} <= set(MODULES)


# Docstrings show strategies with .example(), which is meant for exactly such interactive use.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed"


OPERATIONS = sorted((name, op) for name, op in vars(ops).items()
                    if isinstance(op, Operation) and "__doc__" in vars(op))


def test_operations_with_their_own_docstring_are_found():
    assert {"maximum", "linear", "gelu"} <= {name for name, _ in OPERATIONS}


# An operation's docstring is an instance's, which doctest does not look for by itself.
@pytest.mark.parametrize("name, op", OPERATIONS, ids=[name for name, _ in OPERATIONS])
def test_operation_docstring_examples(name, op):
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(op.__doc__, f"autograd.ops.{name}", globs=dict(vars(ops))):
        runner.run(test)
    assert runner.failures == 0, f"a docstring example of autograd.ops.{name} failed"
