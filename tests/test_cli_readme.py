"""The README's command tours print what the README says they print.

Every ``sh`` block under "One-minute CLI tour" and "Analysing captured configurations" is run, command by
command, in a scratch directory that sees the repository's ``data/`` and a ``.venv/bin/ipsecexplore`` that
is this interpreter's ``python -m ipsecexplore``. The ``# `` lines right after a command are its output
(stdout and stderr as a terminal shows them). ``# … N more lines`` stands for exactly N further lines,
a bare ``# …`` for one or more (outputs that grow with the sample data or the simulator's notes), and a
shown line ending in `` …`` for the rest of a long line. A command with no ``# `` lines after it must
print nothing.

Run ``python tests/test_cli_readme.py`` to print every command with its current output.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOURS = ("## One-minute CLI tour", "## Analysing captured configurations")
_MORE = re.compile(r"^… (\d+) more lines?$")


def tour_steps(readme: str) -> list[tuple[str, list[str]]]:
    """(command, shown output lines) for every command of the tours' ``sh`` blocks, in order."""
    steps: list[tuple[str, list[str]]] = []
    for heading in TOURS:
        assert heading in readme, f"README has no section {heading!r}"
        section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
        for block in re.findall(r"```sh\n(.*?)```", section, re.S):
            lines = block.split("\n")
            i = 0
            while i < len(lines):
                line = lines[i]
                if not line.strip() or line.startswith("#"):
                    i += 1
                    continue
                cmd = line
                while cmd.count("'") % 2 or cmd.count('"') % 2:  # a quoted argument goes on
                    i += 1
                    cmd += "\n" + lines[i]
                i += 1
                shown = []
                while i < len(lines) and (lines[i].startswith("# ") or lines[i] == "#"):
                    shown.append(lines[i][2:])
                    i += 1
                steps.append((cmd, shown))
    return steps


def run_tour(workdir: Path, steps) -> list[tuple[str, list[str], list[str]]]:
    """Run the steps in ``workdir``: (command, shown, actual output lines, right-stripped)."""
    (workdir / "data").symlink_to(ROOT / "data")
    bindir = workdir / ".venv" / "bin"
    bindir.mkdir(parents=True)
    tool = bindir / "ipsecexplore"
    tool.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ipsecexplore "$@"\n')
    tool.chmod(0o755)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    env.pop("IPSECEXPLORE_DEBUG", None)
    out = []
    for cmd, shown in steps:
        p = subprocess.run(["bash", "-c", cmd + " 2>&1"], cwd=workdir, capture_output=True, env=env, timeout=300)
        actual = [ln.rstrip() for ln in p.stdout.decode("utf-8", "replace").split("\n")]
        while actual and not actual[-1]:
            actual.pop()
        out.append((cmd, shown, actual))
    return out


def mismatch(shown: list[str], actual: list[str]) -> str | None:
    """Why ``shown`` is not what ``actual`` says, or None."""
    more = None
    if shown and _MORE.match(shown[-1]):
        more = int(_MORE.match(shown[-1]).group(1))
        shown = shown[:-1]
    elif shown and shown[-1] == "…":
        shown = shown[:-1]
        if len(actual) <= len(shown):
            return f"{len(actual)} output lines, the README shows {len(shown)} and says more follow"
        more = len(actual) - len(shown)
    expected_len = len(shown) + (more or 0)
    if len(actual) != expected_len:
        return f"{len(actual)} output lines, the README accounts for {expected_len}"
    for n, (s, a) in enumerate(zip(shown, actual), 1):
        s = s.rstrip()
        if s.endswith(" …") and a.startswith(s[:-2]) and len(a) > len(s) - 2:
            continue
        if s != a:
            return f"output line {n}:\n  README: {s!r}\n  actual: {a!r}"
    return None


@pytest.fixture(scope="module")
def tour(tmp_path_factory):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return run_tour(tmp_path_factory.mktemp("tour"), tour_steps(readme))


def test_the_tours_have_commands():
    steps = tour_steps((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(steps) >= 10
    assert all(cmd.startswith((".venv/bin/ipsecexplore", "echo", "cat ")) for cmd, _ in steps), steps


def test_readme_output_is_what_the_commands_print(tour):
    bad = []
    for cmd, shown, actual in tour:
        why = mismatch(shown, actual)
        if why:
            bad.append(f"$ {cmd}\n{why}")
    assert not bad, "README tour output is out of date (python tests/test_cli_readme.py prints it):\n" + \
        "\n\n".join(bad)


def test_mismatch_rules():
    assert mismatch(["a", "b"], ["a", "b"]) is None
    assert mismatch(["a"], ["a", "b"]) is not None
    assert mismatch(["a", "… 2 more lines"], ["a", "b", "c"]) is None
    assert mismatch(["a", "… 1 more line"], ["a", "b", "c"]) is not None
    assert mismatch(["ab …"], ["abcdef"]) is None
    assert mismatch(["ax …"], ["abcdef"]) is not None
    assert mismatch([], ["x"]) is not None
    assert mismatch(["a", "…"], ["a", "b", "c"]) is None
    assert mismatch(["a", "…"], ["a"]) is not None
    assert mismatch(["x", "…"], ["a", "b"]) is not None


if __name__ == "__main__":  # print every tour command with what it prints now
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        for cmd, _, actual in run_tour(Path(d), tour_steps((ROOT / "README.md").read_text(encoding="utf-8"))):
            print(cmd)
            for ln in actual:
                print(("# " + ln).rstrip())
            print()
