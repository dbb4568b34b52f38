"""Real-browser test harness: a JupyterLab or Voila server over a temporary copy of the notebooks, and
Debian's Chromium driven by Python Playwright.

The servers are started through ``scripts/serve.py`` -- the very script behind ``make lab`` and ``make app``
-- so the browser tests cover what users run (127.0.0.1, a token, ``--allow-root`` when root, no news
prompt, Voila without code cells). Everything the harness starts is stopped on the way out, also when a
test fails half way: the server's whole process tree (Jupyter starts kernels in their own sessions, so a
process-group kill alone would miss them) and the Chromium instance.

Chromium is always ``/usr/bin/chromium`` (``make chromium`` installs Debian's package); the harness never
runs ``playwright install`` and skips with the reason when that binary is absent.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
DATA_DIR = REPO_ROOT / "data"
SERVE_SCRIPT = REPO_ROOT / "scripts" / "serve.py"
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"  # gitignored; screenshots and server logs land here
HOST = "127.0.0.1"

CHROMIUM = Path("/usr/bin/chromium")
# --headless etc. as agreed for this project; --user-data-dir is given per launch (a fresh one each time).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # we run as root in a container; Chromium's sandbox refuses to start as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A cold JupyterLab start on the 2-core development machine takes ~5-15 s; leave room for a loaded CI box.
SERVER_START_TIMEOUT = 90.0
STOP_GRACE = 15.0  # Jupyter shuts its kernels down on SIGTERM; slow on a loaded 2-core box


# ------------------------------------------------------------------ prerequisites
def require_browser() -> None:
    """Skip the calling test, saying why, when Chromium or the playwright package is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (run `make chromium`, or `make test`, which installs Debian's chromium)")
    pytest.importorskip("playwright.sync_api", reason="the Python playwright package is not installed")


# ------------------------------------------------------------------ process bookkeeping
def _children_map() -> dict[int, list[int]]:
    """ppid -> [pid] for every process visible in /proc right now."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # the process ended while we were looking
            continue
        # The command name (field 2) may contain spaces and ')' -- split after the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def descendants(pid: int) -> list[int]:
    """Every live descendant of `pid` (children first), found by walking /proc."""
    kids = _children_map()
    out, todo = [], list(kids.get(pid, []))
    while todo:
        p = todo.pop(0)
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists but not ours; cannot be one we started
        return False
    # A zombie is dead for our purposes (its parent will reap it).
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop_process_tree(proc: subprocess.Popen, grace: float = STOP_GRACE) -> list[int]:
    """Stop `proc` and everything it started; return the pids that had to be SIGKILLed.

    SIGTERM goes to the top process first so Jupyter can shut its kernels down cleanly; whatever is
    still alive after `grace` seconds -- the process group and every descendant seen before the stop
    (kernels live in their own sessions) -- gets SIGKILL, by pid.
    """
    tree = descendants(proc.pid)
    killed: list[int] = []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(p) for p in tree):
        time.sleep(0.1)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # start_new_session=True made proc.pid the group id
    except (ProcessLookupError, PermissionError):
        pass
    for p in [proc.pid, *tree]:
        if _alive(p):
            try:
                os.kill(p, signal.SIGKILL)
                killed.append(p)
            except ProcessLookupError:
                pass
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored
        pass
    # SIGKILL is delivered asynchronously: wait until the kernel has actually ended them.
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(p) for p in killed):
        time.sleep(0.05)
    return killed


# ------------------------------------------------------------------ notebooks copy
@contextmanager
def notebooks_copy(names: list[str] | None = None) -> Iterator[Path]:
    """A temporary folder laid out like the repository: ``<tmp>/notebooks/<copies>`` and ``<tmp>/data``.

    Browser tests run, save and checkpoint notebooks; working on copies keeps the committed notebooks
    free of outputs. ``data`` is a symlink to the repository's sample data so relative paths such as
    ``../data`` behave as they do in the checkout. Yields the copied notebooks folder.
    """
    tmp = Path(tempfile.mkdtemp(prefix="ipsecexplore-browser-"))
    try:
        nb_dir = tmp / "notebooks"
        nb_dir.mkdir()
        for src in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
            if names is None or src.name in names:
                shutil.copy2(src, nb_dir / src.name)
        missing = [n for n in (names or []) if not (nb_dir / n).is_file()]
        if missing:
            raise FileNotFoundError(f"notebooks not found in {NOTEBOOKS_DIR}: {', '.join(missing)}")
        if DATA_DIR.is_dir():
            (tmp / "data").symlink_to(DATA_DIR, target_is_directory=True)
        yield nb_dir
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ------------------------------------------------------------------ servers
@dataclass
class Server:
    """A running JupyterLab/Voila: `url` is the tokenised start URL serve.py printed."""

    mode: str
    url: str
    base: str  # http://127.0.0.1:PORT
    token: str
    root: Path
    log: Path
    proc: subprocess.Popen = field(repr=False)

    def log_tail(self, n: int = 60) -> str:
        """Last lines of the server log, for assertion messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"


def free_port() -> int:
    """A port on HOST nobody listens on (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


_URL_RE = re.compile(r"(http://127\.0\.0\.1:(\d+))(/\S*?)\?token=([0-9A-Za-z]+)")


def _http_ok(url: str, timeout: float = 5.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # noqa: S310 - 127.0.0.1 only
            return 200 <= r.status < 400
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def serve(mode: str, target: Path, *, log_name: str | None = None,
          timeout: float = SERVER_START_TIMEOUT) -> Iterator[Server]:
    """Start ``scripts/serve.py lab <folder>`` or ``app <notebook>`` on a free port; yield a ready Server.

    Ready means: serve.py printed the tokenised URL (it does so once the port listens) and an HTTP
    request with the token is answered (JupyterLab's ``/api/status``; for Voila the listening port). The whole
    process tree is stopped afterwards, whatever happened in between.
    """
    if mode not in ("lab", "app"):
        raise ValueError(f"mode must be 'lab' or 'app', not {mode!r}")
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    log = ARTIFACTS_DIR / (log_name or f"server-{mode}.log")
    root = target if target.is_dir() else target.parent
    runtime = Path(tempfile.mkdtemp(prefix="ipsecexplore-jupyter-"))
    env = dict(os.environ)
    env.update({
        # A private runtime and workspace folder: no state leaks in from (or out to) the user's ~/.jupyter,
        # so JupyterLab opens with no remembered tabs and the test sees the same page every time.
        "JUPYTER_RUNTIME_DIR": str(runtime / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(runtime / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(runtime / "config"),
        "IPYTHONDIR": str(runtime / "ipython"),
        # serve.py's token config file, Voila's connection files and the kernels' temp files go in here too,
        # so nothing is left in /tmp even when the server had to be SIGKILLed (no atexit cleanup then).
        "TMPDIR": str(runtime / "tmp"),
        "MPLBACKEND": "Agg",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("JUPYTER_TOKEN", None)  # serve.py chooses the token
    (runtime / "tmp").mkdir()
    port = free_port()
    cmd = [sys.executable, str(SERVE_SCRIPT), mode, str(target), "--port", str(port), "--open", "no"]
    with open(log, "wb") as log_fh:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log_fh, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        match = None
        while time.monotonic() < deadline:
            match = _URL_RE.search(log.read_text(errors="replace"))
            if match or proc.poll() is not None:
                break
            time.sleep(0.2)
        if not match:
            raise RuntimeError(f"{mode} server did not print its URL within {timeout:.0f}s "
                               f"(exit status {proc.poll()}); log {log}:\n{_tail(log)}")
        base, token = match.group(1), match.group(4)
        # Voila's only page is the notebook itself, and every GET of it starts a kernel: there serve.py's
        # "port listens" is the readiness signal. JupyterLab has a cheap authenticated status endpoint.
        probe = f"{base}/api/status?token={token}"
        while mode == "lab" and not _http_ok(probe):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{mode} server at {base} never answered {probe.split('?')[0]}; "
                                   f"log {log}:\n{_tail(log)}")
            time.sleep(0.3)
        yield Server(mode=mode, url=match.group(0), base=base, token=token, root=root, log=log, proc=proc)
    finally:
        stop_process_tree(proc)
        shutil.rmtree(runtime, ignore_errors=True)


def _tail(log: Path, n: int = 40) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


# ------------------------------------------------------------------ browser
def is_local(url: str) -> bool:
    """True for URLs served from 127.0.0.1 (and data:/blob: URLs, which never touch the network)."""
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return re.match(r"^(https?|wss?)://127\.0\.0\.1(:\d+)?(/|$)", url) is not None


@contextmanager
def chromium(*, block_external: bool = True, viewport: tuple[int, int] = (1400, 1000)):
    """A Playwright page in Debian's Chromium with a fresh profile; yields (page, blocked_urls).

    With `block_external`, every request that is not for 127.0.0.1 is aborted before it leaves the
    machine (Voila pages and JupyterLab try fonts, MathJax and news from the internet; offline that would
    only hang the page), and the aborted URLs are collected so a test can report them.
    """
    from playwright.sync_api import sync_playwright

    profile = Path(tempfile.mkdtemp(prefix="ipsecexplore-chromium-"))
    blocked: list[str] = []
    try:
        with sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                user_data_dir=str(profile),
                executable_path=str(CHROMIUM),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": viewport[0], "height": viewport[1]},
                # Playwright adds --disable-extensions etc.; keep its defaults otherwise.
            )
            try:
                if block_external:
                    def _route(route):
                        if is_local(route.request.url):
                            route.continue_()
                        else:
                            blocked.append(route.request.url)
                            route.abort()

                    ctx.route("**/*", _route)
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                yield page, blocked
            finally:
                ctx.close()
    finally:
        _kill_leftover_chromium(profile)
        shutil.rmtree(profile, ignore_errors=True)


def _kill_leftover_chromium(profile: Path) -> None:
    """SIGKILL any Chromium process still using our (unique, temporary) profile folder.

    Playwright closes the browser it launched; this is the belt to those braces, for a crashed driver.
    Matching on our own temp profile path means we only ever touch processes this harness started.
    """
    marker = f"--user-data-dir={profile}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if marker in cmdline.replace(b"\0", b" "):
            try:
                os.kill(int(entry), signal.SIGKILL)
            except ProcessLookupError:
                pass


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG to test-artifacts/<name>.png and return its path."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
