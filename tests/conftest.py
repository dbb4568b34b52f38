"""Fixtures shared by the whole test suite (keep this file tiny; module-specific fixtures live in their tests)."""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """Absolute path of the repository checkout (the folder holding pyproject.toml)."""
    return REPO_ROOT
