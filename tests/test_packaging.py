"""What the distribution says about itself: its README, license, type information and sdist."""

import importlib.metadata
from pathlib import Path

import autograd
import nn

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_is_the_long_description_and_the_license_is_declared():
    metadata = importlib.metadata.metadata("learngrad")
    assert metadata["Description-Content-Type"] == "text/markdown"
    # (the installed metadata is as old as the last install: its title, not its whole text)
    assert metadata.get_payload().startswith("# learngrad")
    assert metadata["License-Expression"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_both_packages_say_they_are_typed():
    for package in (autograd, nn):
        assert (Path(package.__file__).parent / "py.typed").is_file()


def test_the_sdist_leaves_out_the_tests_whose_examples_and_fixtures_it_does_not_hold():
    assert "prune tests" in (ROOT / "MANIFEST.in").read_text().split("\n")
