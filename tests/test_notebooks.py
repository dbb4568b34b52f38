"""Static checks of the committed notebooks (executing them is nbmake's job: `make test` runs
`pytest --nbmake notebooks`).

- every notebook is valid nbformat 4 and names the python3 kernel (nbmake and JupyterLab pick it from there);
- no committed notebook carries outputs, execution counts or saved widget state (outputs are stripped
  in git: they go stale, bloat diffs and would hide a notebook that no longer runs);
- notebooks hold narrative and calls only: the logic lives in the tested library, so code cells define
  no functions, lambdas or classes and import nothing but the library and display helpers;
- nothing in a code cell reaches for the network (the notebooks must run offline);
- the builder notebook shows the builder first thing on the page.

The checker is a plain function, so the tests below also prove it rejects each kind of bad notebook.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
EXPECTED = (
    "01-offload-model-tour.ipynb",
    "02-build-ipsecov2-bytes.ipynb",
    "03-fleet-analysis.ipynb",
    "04-bring-your-own-captures.ipynb",
    "06-windows-and-linux.ipynb",
)
# Top-level packages a notebook may import: the library, and what shows its results.
ALLOWED_IMPORTS = {"ipsecexplore", "IPython", "matplotlib", "pandas", "pathlib"}
# Line magics that only configure display; anything else (%run, !cmd, %%bash ...) would hide logic
# or reach outside the notebook.
ALLOWED_MAGICS = re.compile(r"^%(matplotlib inline|config InlineBackend\..*)$")
NETWORK_HINTS = re.compile(r"https?://|\burllib\b|\brequests\b|\bsocket\b|\bhttp\.client\b")


def notebook_paths() -> list[Path]:
    """Committed notebooks, sorted (empty before the first one exists)."""
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def _code_without_magics(source: str, problems: list[str], where: str) -> str:
    """Cell source with allowed line magics blanked out (so `ast` can parse the rest)."""
    lines = []
    for line in source.splitlines():
        s = line.strip()
        if s.startswith(("%", "!")):
            if not ALLOWED_MAGICS.match(s):
                problems.append(f"{where}: magic/shell line {s!r} is not allowed (logic belongs in the library)")
            lines.append("")
        else:
            lines.append(line)
    return "\n".join(lines)


def notebook_problems(nb: nbformat.NotebookNode, name: str = "<notebook>") -> list[str]:
    """Everything wrong with one notebook, as readable sentences naming the cell; [] when clean."""
    problems: list[str] = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        problems.append(f"{name}: not valid nbformat: {exc.message}")
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != "python3":
        problems.append(f"{name}: metadata.kernelspec.name is {kernel!r}, expected 'python3'")
    if "widgets" in nb.metadata:
        problems.append(f"{name}: metadata.widgets holds saved widget state (clear outputs and widget state)")
    if not nb.cells or nb.cells[0].cell_type != "markdown" or not nb.cells[0].source.lstrip().startswith("# "):
        problems.append(f"{name}: the first cell must be a markdown cell starting with a '# ' title")
    if not any(c.cell_type == "code" for c in nb.cells):
        problems.append(f"{name}: no code cell")
    for i, cell in enumerate(nb.cells):
        where = f"{name} cell {i}"
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"{where}: carries {len(cell.outputs)} output(s); commit notebooks without outputs")
        if cell.get("execution_count") is not None:
            problems.append(f"{where}: carries execution_count {cell.execution_count}")
        if not cell.source.strip():
            problems.append(f"{where}: empty code cell")
            continue
        code = _code_without_magics(cell.source, problems, where)
        if NETWORK_HINTS.search(code):
            problems.append(f"{where}: looks like it uses the network ({NETWORK_HINTS.search(code).group(0)!r})")
        try:
            tree = ast.parse(code)
        except SyntaxError as exc:
            problems.append(f"{where}: not valid Python: {exc.msg} (line {exc.lineno})")
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                problems.append(f"{where}: defines function {node.name!r}; put logic in the library")
            elif isinstance(node, ast.ClassDef):
                problems.append(f"{where}: defines class {node.name!r}; put logic in the library")
            elif isinstance(node, ast.Lambda):
                problems.append(f"{where}: defines a lambda; put logic in the library")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or "."]
                for mod in mods:
                    if mod.split(".")[0] not in ALLOWED_IMPORTS:
                        problems.append(f"{where}: imports {mod!r}; notebooks import only "
                                        f"{', '.join(sorted(ALLOWED_IMPORTS))}")
    return problems


# ------------------------------------------------------------------ the committed notebooks
@pytest.mark.parametrize("name", EXPECTED)
def test_expected_notebook_exists(name):
    assert (NOTEBOOKS_DIR / name).is_file(), f"notebooks/{name} is missing"


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_committed_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    assert nb.nbformat == 4, f"{path.name}: nbformat {nb.nbformat}, expected 4"
    problems = notebook_problems(nb, path.name)
    assert not problems, "\n".join(problems)


def test_builder_is_first_thing_on_the_page():
    """Notebook 02: a short title, then the builder -- the first code cell displays BuilderWidget."""
    path = NOTEBOOKS_DIR / "02-build-ipsecov2-bytes.ipynb"
    if not path.is_file():
        pytest.fail(f"{path} is missing")
    nb = nbformat.read(path, as_version=4)
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    assert first_code <= 1, f"the builder comes after {first_code} cells; it should follow the title"
    title = nb.cells[0].source.strip()
    assert len(title) <= 200, "keep the text above the builder short (a title, a sentence)"
    tree = ast.parse(_code_without_magics(nb.cells[first_code].source, [], "02"))
    called = {n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
              for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert "BuilderWidget" in called, "the first code cell must create BuilderWidget"
    last = tree.body[-1]
    assert isinstance(last, ast.Expr), "the first code cell must end with the widget as its displayed value"


# ------------------------------------------------------------------ the checker itself
def _nb(*cells, **meta):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata.update(meta)
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), *cells]
    return nb


def test_checker_accepts_a_clean_notebook():
    code = nbformat.v4.new_code_cell("%matplotlib inline\nimport ipsecexplore as ix\nix.NdisOffload.new(revision=2)")
    assert notebook_problems(_nb(code)) == []


@pytest.mark.parametrize("source, expected", [
    ("def f():\n    return 1", "defines function 'f'"),
    ("class C:\n    pass", "defines class 'C'"),
    ("sorted([3, 1], key=lambda v: -v)", "lambda"),
    ("import subprocess", "imports 'subprocess'"),
    ("from urllib.request import urlopen", "imports 'urllib.request'"),
    ("import pandas as pd\npd.read_csv('https://example.com/x.csv')", "network"),
    ("!pip install foo", "magic/shell line"),
    ("%run helper.py", "magic/shell line"),
    ("x = (", "not valid Python"),
    ("   ", "empty code cell"),
])
def test_checker_rejects_logic_and_network(source, expected):
    problems = notebook_problems(_nb(nbformat.v4.new_code_cell(source)))
    assert any(expected in p for p in problems), problems


def test_checker_rejects_outputs_counts_and_widget_state():
    cell = nbformat.v4.new_code_cell("1 + 1")
    cell.execution_count = 3
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)]
    problems = notebook_problems(_nb(cell, widgets={"application/vnd.jupyter.widget-state+json": {}}))
    assert any("carries 1 output" in p for p in problems), problems
    assert any("execution_count 3" in p for p in problems), problems
    assert any("widget state" in p for p in problems), problems


def test_checker_rejects_missing_title_kernel_and_invalid_schema():
    nb = _nb(nbformat.v4.new_code_cell("1"))
    nb.cells[0] = nbformat.v4.new_markdown_cell("no title here")
    nb.metadata["kernelspec"]["name"] = "ir"
    nb.cells[1]["bogus"] = 1  # not allowed by the nbformat schema
    problems = notebook_problems(nb)
    assert any("'# ' title" in p for p in problems), problems
    assert any("'ir'" in p for p in problems), problems
    assert any("not valid nbformat" in p for p in problems), problems
