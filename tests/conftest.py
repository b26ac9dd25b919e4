"""Shared fixtures: the sample repository, and throwaway copies of it to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.engines import activate_from_environment

# PORTAL_ENGINE=properdocs runs the whole suite on ProperDocs: it must replace MkDocs before any
# test module imports MkDocs.
activate_from_environment()

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def repo_root() -> Path:
    """The project's own repository, whose content/ is the sample portal."""
    return REPO


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A private copy of the sample portal (content, overrides, mkdocs.yml) to edit."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("content", "overrides"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_portal(runner: CliRunner, root: Path, *args: str):
    """Run the ``portal`` command against ``root`` and return click's result."""
    from generator.cli import main

    return runner.invoke(main, ["--root", str(root), *args], catch_exceptions=False)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite the expected output of tests/cases/*.yml")
