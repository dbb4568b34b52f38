"""Packaging and set-up checks: pyproject.toml vs environment.yml, .ci/run, .gitignore, Makefile.

conda cannot run on this machine, so environment.yml is only ever checked here: its runtime dependencies
must be exactly those of pyproject.toml (names normalised, version specifiers compared).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

# Conda entries that are tools of the environment itself, not runtime dependencies of the package.
CONDA_TOOLS = {"pip", "python"}

# ---------------------------------------------------------------- parsing helpers


def conda_spec(entry: str) -> tuple[str, SpecifierSet]:
    """Parse a conda MatchSpec such as 'numpy', 'numpy>=1.26', 'numpy 1.26.*', 'conda-forge::numpy =1.26'.

    Returns (normalised name, pip-style SpecifierSet). Conda's bare or single-'=' version means a
    prefix match ('=1.26' is 1.26.*), so it becomes '==1.26.*'; the build string, if any, is ignored.
    """
    m = re.fullmatch(r"\s*(?:[\w.-]+::)?([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(.*?)\s*", entry)
    if not m:
        raise ValueError(f"environment.yml: cannot parse conda dependency {entry!r}")
    name, rest = m.groups()
    version = rest.split()[0] if rest else ""
    parts = []
    for part in filter(None, version.split(",")):
        if re.match(r"(==|!=|>=|<=|~=|>|<)", part):
            parts.append(part)
        else:
            bare = part.lstrip("=")
            parts.append("==" + (bare if bare.endswith("*") else bare + ".*"))
    return canonicalize_name(name), SpecifierSet(",".join(parts))


def pip_spec(entry: str) -> tuple[str, SpecifierSet] | None:
    """Parse a PEP 508 requirement; None for pip options and local paths ('-e .[dev]', './pkg')."""
    entry = entry.strip()
    if entry.startswith(("-", ".", "/")) or "://" in entry:
        return None
    req = Requirement(entry)
    if req.marker or req.url:
        raise ValueError(f"dependency {entry!r}: markers/URLs are not comparable with conda; keep them out")
    return canonicalize_name(req.name), req.specifier


def pyproject_runtime(pyproject: dict) -> dict[str, SpecifierSet]:
    """Runtime dependencies of [project].dependencies, keyed by normalised name."""
    deps: dict[str, SpecifierSet] = {}
    for entry in pyproject["project"].get("dependencies", []):
        parsed = pip_spec(entry)
        assert parsed is not None, f"pyproject.toml dependency {entry!r} is not a plain requirement"
        name, spec = parsed
        assert name not in deps, f"pyproject.toml lists {name} twice"
        deps[name] = spec
    return deps


def conda_runtime(env: dict) -> tuple[dict[str, SpecifierSet], SpecifierSet | None]:
    """(runtime dependencies from conda + pip sections, python specifier) of an environment.yml mapping."""
    deps: dict[str, SpecifierSet] = {}
    python: SpecifierSet | None = None

    def add(name: str, spec: SpecifierSet, where: str) -> None:
        if name in deps:
            raise ValueError(f"environment.yml lists {name} twice (again in {where})")
        deps[name] = spec

    for item in env.get("dependencies") or []:
        if isinstance(item, dict):
            for entry in item.get("pip") or []:
                parsed = pip_spec(str(entry))
                if parsed:
                    add(*parsed, where="pip section")
            continue
        name, spec = conda_spec(str(item))
        if name == "python":
            python = spec
        elif name not in CONDA_TOOLS:
            add(name, spec, where="conda section")
    return deps, python


def compare(pip_side: dict[str, SpecifierSet], conda_side: dict[str, SpecifierSet]) -> list[str]:
    """Human-readable differences between two dependency maps; empty when they agree."""
    problems = []
    for name in sorted(pip_side.keys() - conda_side.keys()):
        problems.append(f"{name}: in pyproject.toml, missing from environment.yml")
    for name in sorted(conda_side.keys() - pip_side.keys()):
        problems.append(f"{name}: in environment.yml, missing from pyproject.toml")
    for name in sorted(pip_side.keys() & conda_side.keys()):
        if pip_side[name] != conda_side[name]:
            problems.append(
                f"{name}: pyproject.toml says {str(pip_side[name]) or '(any)'}, "
                f"environment.yml says {str(conda_side[name]) or '(any)'}"
            )
    return problems


@pytest.fixture(scope="module")
def pyproject(repo_root: Path) -> dict:
    return tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def environment(repo_root: Path) -> dict:
    return yaml.safe_load((repo_root / "environment.yml").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the comparison itself


@pytest.mark.parametrize(
    "entry, name, spec",
    [
        ("numpy", "numpy", ""),
        ("NumPy>=1.26", "numpy", ">=1.26"),
        ("numpy >=1.26,<3", "numpy", "<3,>=1.26"),
        ("numpy 1.26.*", "numpy", "==1.26.*"),
        ("numpy =1.26", "numpy", "==1.26.*"),
        ("numpy==1.26.4", "numpy", "==1.26.4"),
        ("numpy 1.26.4 py311h0", "numpy", "==1.26.4.*"),
        ("conda-forge::ruamel_yaml", "ruamel-yaml", ""),
    ],
)
def test_conda_spec_parsing(entry, name, spec):
    assert conda_spec(entry) == (name, SpecifierSet(spec))


def test_compare_finds_every_kind_of_difference():
    pip_side = {"numpy": SpecifierSet(">=1.26"), "pandas": SpecifierSet(""), "tqdm": SpecifierSet("")}
    conda_side = {"numpy": SpecifierSet(">=2"), "pandas": SpecifierSet(""), "scipy": SpecifierSet("")}
    assert compare(pip_side, conda_side) == [
        "tqdm: in pyproject.toml, missing from environment.yml",
        "scipy: in environment.yml, missing from pyproject.toml",
        "numpy: pyproject.toml says >=1.26, environment.yml says >=2",
    ]
    # A specifier on one side only is a difference too.
    assert compare({"voila": SpecifierSet(">=0.5")}, {"voila": SpecifierSet("")}) == [
        "voila: pyproject.toml says >=0.5, environment.yml says (any)"
    ]


def test_conda_runtime_reads_both_sections_and_skips_tools():
    env = {"dependencies": ["python>=3.11", "pip", "NumPy", {"pip": ["-e .[dev]", "Some_Pkg>=2"]}]}
    deps, python = conda_runtime(env)
    assert deps == {"numpy": SpecifierSet(""), "some-pkg": SpecifierSet(">=2")}
    assert python == SpecifierSet(">=3.11")
    with pytest.raises(ValueError, match="numpy twice"):
        conda_runtime({"dependencies": ["numpy", {"pip": ["numpy"]}]})


# ---------------------------------------------------------------- the real files


def test_runtime_dependencies_agree(pyproject, environment):
    conda_deps, _ = conda_runtime(environment)
    problems = compare(pyproject_runtime(pyproject), conda_deps)
    assert not problems, "pyproject.toml and environment.yml disagree:\n  " + "\n  ".join(problems)


def test_python_requirement_agrees(pyproject, environment):
    _, python = conda_runtime(environment)
    assert python is not None, "environment.yml does not pin python"
    assert python == SpecifierSet(pyproject["project"]["requires-python"])
    assert Version("3.11.0") in python and Version("3.10.99") not in python


def test_environment_uses_conda_forge(environment):
    assert environment.get("channels") == ["conda-forge"]
    assert environment.get("name") == "ipsecexplore"


def test_nbmake_is_new_enough(pyproject):
    # nbmake 1.5.0 crashes under pytest 9; the dev extra must exclude it and admit 1.5.5.
    dev = [Requirement(r) for r in pyproject["project"]["optional-dependencies"]["dev"]]
    nbmake = [r for r in dev if canonicalize_name(r.name) == "nbmake"]
    assert len(nbmake) == 1
    assert Version("1.5.0") not in nbmake[0].specifier
    assert Version("1.5.5") in nbmake[0].specifier


def test_console_script(pyproject):
    assert pyproject["project"]["scripts"]["ipsecexplore"] == "ipsecexplore.cli:main"


def test_pytest_markers_declared(pyproject):
    markers = pyproject["tool"]["pytest"]["ini_options"]["markers"]
    assert {m.split(":")[0].strip() for m in markers} >= {"browser", "slow"}


# ---------------------------------------------------------------- .ci/run, Makefile, .gitignore


def _commands(script: str) -> list[list[str]]:
    """Simple commands of a shell script (comments dropped; split on ;, &&, ||, |)."""
    commands = []
    for line in script.splitlines():
        line = line.split("#", 1)[0].strip() if not line.startswith("#!") else ""
        for part in re.split(r"&&|\|\||;|\|", line):
            if part.strip():
                commands.append(part.split())
    return commands


def test_ci_run_calls_exactly_make_test(repo_root: Path):
    script = (repo_root / ".ci" / "run").read_text(encoding="utf-8")
    assert script.splitlines()[0] == "#!/usr/bin/env bash"
    commands = _commands(script)
    assert ["set", "-euo", "pipefail"] in commands
    makes = [c for c in commands if c[0] == "make"]
    assert makes == [["make", "test"]], f".ci/run must call exactly `make test`, found {makes}"
    # Last command, so its exit status is the script's.
    assert commands[-1] == ["make", "test"]


def test_ci_run_parser_sees_other_make_calls():
    assert [c for c in _commands("#!/usr/bin/env bash\nmake venv && make test # make lab\n") if c[0] == "make"] == [
        ["make", "venv"],
        ["make", "test"],
    ]


def test_no_playwright_browser_download(repo_root: Path):
    # Chromium comes from Debian; `playwright install` cannot download here and must never be called.
    for rel in ["Makefile", ".ci/run", "scripts/serve.py"]:
        code = [ln for ln in (repo_root / rel).read_text(encoding="utf-8").splitlines()
                if not ln.lstrip().startswith("#")]  # comments may explain the rule
        assert not [ln for ln in code if re.search(r"playwright\s+install", ln)], rel


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make not installed")
def test_make_test_runs_pytest_on_tests_and_notebooks(repo_root: Path):
    out = subprocess.run(
        ["make", "-n", "-s", "test"], cwd=repo_root, capture_output=True, text=True, check=True
    ).stdout
    pytest_lines = [line for line in out.splitlines() if "-m pytest" in line]
    assert len(pytest_lines) == 1, out
    assert pytest_lines[0].startswith(".venv/bin/python -m pytest -q tests")
    has_notebooks = any((repo_root / "notebooks").glob("*.ipynb"))
    assert ("--nbmake notebooks" in pytest_lines[0]) == has_notebooks


MUST_IGNORE = [
    ".venv/bin/python",
    "build/report.html",
    "dist/ipsecexplore-0.1.0-py3-none-any.whl",
    "ipsecexplore.egg-info/PKG-INFO",
    "ipsecexplore/__pycache__/codec.cpython-311.pyc",
    "tests/__pycache__/conftest.cpython-311-pytest-9.0.0.pyc",
    "stray.pyc",
    ".pytest_cache/v/cache/nodeids",
    ".hypothesis/examples/abc",
    "notebooks/.ipynb_checkpoints/02-build-ipsecov2-bytes-checkpoint.ipynb",
    "test-artifacts/builder.png",
]
MUST_KEEP = [
    "pyproject.toml",
    "environment.yml",
    "Makefile",
    ".ci/run",
    "scripts/serve.py",
    "ipsecexplore/__init__.py",
    "ipsecexplore/layouts.json",
    "notebooks/02-build-ipsecov2-bytes.ipynb",
    "data/sample.hex",
    "bench/widget_latency.py",
    "tests/test_packaging.py",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_gitignore(repo_root: Path, tmp_path: Path):
    # Check .gitignore alone, in a scratch repo, so global excludes or .git/info/exclude cannot help or hurt.
    shutil.copy(repo_root / ".gitignore", tmp_path / ".gitignore")
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env=env)
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", *MUST_IGNORE, *MUST_KEEP],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )
    assert result.returncode in (0, 1), result.stderr
    ignored = set(result.stdout.split())
    assert sorted(set(MUST_IGNORE) - ignored) == [], "not ignored"
    assert sorted(set(MUST_KEEP) & ignored) == [], "wrongly ignored"


# ---------------------------------------------------------------- version floors


def floor(spec: SpecifierSet) -> Version | None:
    """The lowest version a specifier admits by a ``>=`` (or ``==``) clause; None when it states none."""
    lows = [Version(s.version.rstrip(".*")) for s in spec if s.operator in (">=", "==", "~=")]
    return max(lows) if lows else None


def all_declared(pyproject: dict) -> dict[str, SpecifierSet]:
    """Runtime and dev dependencies of pyproject.toml, keyed by normalised name."""
    deps = pyproject_runtime(pyproject)
    for entry in pyproject["project"]["optional-dependencies"]["dev"]:
        name, spec = pip_spec(entry)
        deps[name] = spec
    return deps


def test_floor_reads_the_lower_bound():
    assert floor(SpecifierSet(">=3.10,<3.12")) == Version("3.10")
    assert floor(SpecifierSet("==1.26.*")) == Version("1.26")
    assert floor(SpecifierSet("<2")) is None and floor(SpecifierSet("")) is None


def test_every_dependency_states_its_floor(pyproject, environment):
    """No dependency is unbounded below, in either file (the two files agree, so conda has the same floors)."""
    missing = [n for n, s in all_declared(pyproject).items() if floor(s) is None]
    assert not missing, f"dependencies without a version floor: {missing}"
    conda_deps, _ = conda_runtime(environment)
    assert not [n for n, s in conda_deps.items() if floor(s) is None]


# What the code uses that not every release has: (package, first release with it, a pattern that finds the use,
# where to look). A floor below the release fails; so does a row whose use has gone (then drop the row and maybe
# lower the floor). Releases come from each project's changelog.
NEEDS = [
    ("matplotlib", "3.10", r"\bLoadFlags\b", "ipsecexplore"),
    ("ipywidgets", "8.0", r"\.titles\b|titles=", "ipsecexplore/widgets"),
    ("voila", "0.5.0", r"Voila\.auto_token", "scripts"),
    ("jupyterlab", "4.0", r"apputils-extension:notification", "Makefile"),
    ("tqdm", "4.64.1", r"from tqdm\.auto import", "ipsecexplore"),
    ("pyarrow", "10.0.1", r"\.to_parquet\(", "ipsecexplore"),
    ("hypothesis", "6.0", r"function_scoped_fixture", "tests"),
    ("playwright", "1.28", r"get_by_role\(", "tests"),
    ("ipython", "7.23.1", r"from IPython", "notebooks"),
    ("packaging", "22.0", r"(?m)^from packaging\.", "tests/test_packaging.py"),
    ("nbmake", "1.5.5", r"--nbmake", "Makefile"),
]


def _uses(repo_root: Path, pattern: str, where: str) -> list[str]:
    base = repo_root / where
    files = [base] if base.is_file() else sorted(p for p in base.rglob("*")
                                                 if p.suffix in (".py", ".ipynb") and p.is_file())
    rx = re.compile(pattern)
    # This file's own table would match its patterns: it is searched only when named alone.
    return [str(p.relative_to(repo_root)) for p in files if (p == base or p.name != "test_packaging.py")
            and rx.search(p.read_text(encoding="utf-8", errors="replace"))]


@pytest.mark.parametrize("package, release, pattern, where", NEEDS, ids=[n[0] for n in NEEDS])
def test_floor_covers_what_the_code_uses(pyproject, repo_root: Path, package, release, pattern, where):
    used = _uses(repo_root, pattern, where)
    assert used, f"{pattern!r} no longer appears under {where}: drop this row and revisit {package}'s floor"
    declared = all_declared(pyproject)[canonicalize_name(package)]
    assert floor(declared) >= Version(release), (
        f"{package}: {', '.join(used[:3])} use what {package} {release} introduced, but the floor is {declared}")


def test_installed_versions_meet_the_declared_ranges(pyproject):
    """The environment the tests run in is one the declarations admit (a floor above it would be untested)."""
    from importlib.metadata import PackageNotFoundError, version

    wrong = []
    for name, spec in all_declared(pyproject).items():
        try:
            have = version(name)
        except PackageNotFoundError:
            wrong.append(f"{name}: not installed")
            continue
        if not spec.contains(have, prereleases=True):
            wrong.append(f"{name} {have} not in {spec}")
    assert not wrong, wrong
