"""Public classes, functions and methods of the rules and flow packages say what they do (team rule:
public functions have docstrings)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "ipsecexplore"
FILES = sorted([*PKG.glob("rules/*.py"), *PKG.glob("flow/*.py")])


def _undocumented(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_") \
                and not ast.get_docstring(node):
            out.append(node.name)
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            out += [f"{node.name}.{n.name}" for n in node.body
                    if isinstance(n, ast.FunctionDef) and not n.name.startswith("_") and not ast.get_docstring(n)]
    return out


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_public_api_has_docstrings(path):
    assert _undocumented(path) == []
