"""The nn package itself: its version."""

import importlib.metadata
import tomllib
from pathlib import Path

import nn

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def test_the_version_is_the_installed_distributions():
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["version"]
    assert nn.__version__ == importlib.metadata.version("learngrad") == declared


def test_a_source_tree_never_installed_still_has_a_version(monkeypatch):
    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert nn._installed_version() == "0+unknown"
