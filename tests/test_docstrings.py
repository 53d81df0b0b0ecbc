"""Every example in a docstring of autograd and nn runs and prints what it shows."""

import doctest
import importlib
import pkgutil

import pytest

import autograd
import nn

MODULES = sorted(
    name
    for package in (autograd, nn)
    for name in [package.__name__]
    + [f"{package.__name__}.{info.name}" for info in pkgutil.iter_modules(package.__path__)]
)


# Docstrings show strategies with .example(), which is meant for exactly such interactive use.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed"
