"""Every public function of the core CLI and hex modules says what it does (team rule: public functions
have docstrings)."""

from __future__ import annotations

import importlib
import inspect

import pytest

MODULES = ["ipsecexplore.cli", "ipsecexplore.hexinput", "ipsecexplore.hexdump", "ipsecexplore.describe"]


@pytest.mark.parametrize("module", MODULES)
def test_public_functions_have_docstrings(module):
    mod = importlib.import_module(module)
    missing = []
    for name in mod.__all__:
        obj = getattr(mod, name)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and not (inspect.getdoc(obj) or "").strip():
            missing.append(name)
    for name, obj in vars(mod).items():  # public functions defined here, listed in __all__ or not
        if (inspect.isfunction(obj) and obj.__module__ == module and not name.startswith("_")
                and not (inspect.getdoc(obj) or "").strip()):
            missing.append(name)
    assert not missing, f"{module}: no docstring: {sorted(set(missing))}"
